// The pure engine: step(state, event, now, ctx) -> { state, effects }, no database, no clock.
import { describe, expect, it } from 'vitest';
import type { Target } from '../src/engine/flow.js';
import { step } from '../src/engine/step.js';
import type { Channel, ConversationState, CoreEvent, CustomerView, Effect, EngineSettings, StepContext } from '../src/engine/types.js';

import { isMessageKey } from '../src/messages/index.js';
import { ON } from './helpers/capabilities.js';
import { flows, jan, SETTINGS } from './helpers/engine-fixtures.js';

const NOW = new Date('2026-11-23T09:00:00Z');

/** Drives the engine like the runtime does: look-ups and ticket openings are answered. */
class Driver {
  state: ConversationState | null = null;
  effects: Effect[] = [];
  customer: CustomerView | null;
  constructor(
    customer: CustomerView | null = jan,
    readonly channel: Channel = 'console',
    readonly known: CustomerView[] = [jan],
    readonly settings: EngineSettings = SETTINGS,
  ) {
    this.customer = customer;
  }
  send(event: CoreEvent | string): string {
    this.effects = [];
    this.feed(typeof event === 'string' ? { kind: 'text', text: event } : event);
    return this.texts();
  }
  private feed(event: CoreEvent): void {
    const r = step(this.state, event, NOW, { capabilities: ON[this.channel], flows, settings: this.settings, customer: this.customer });
    this.state = r.state;
    this.effects.push(...r.effects);
    for (const e of r.effects) {
      if (e.type === 'lookupCustomer') {
        const found = this.known.find((c) => c.contractNumber === e.contractNumber || (e.phone === '+420603123456' && c.id === 'c1')) ?? null;
        if (found) this.customer = found;
        this.feed({ kind: 'lookupResult', customer: found });
      }
      if (e.type === 'openTicket') this.feed({ kind: 'ticketOpened', number: 'T-2026-00007' });
    }
  }
  texts(): string {
    return this.effects.flatMap((e) => (e.type === 'reply' ? [e.reply.text] : [])).join('\n---\n');
  }
  where(): string {
    return `${this.state?.flow}.${this.state?.step}`;
  }
  timerToken(): string {
    const token = this.state?.timer?.token;
    if (!token) throw new Error('no pending timer');
    return token;
  }
}

function atWorksNow(): Driver {
  const d = new Driver();
  d.send('Dobrý den');
  d.send('1');
  d.send('hotovo');
  d.send({ kind: 'timer', name: 'wait', token: d.timerToken() });
  expect(d.where()).toBe('internet.worksNow');
  return d;
}

describe('answers', () => {
  it.each(['ano', 'Ano', 'áno', 'ÁNO!', 'yes', '1', 'jo', 'Ano, už to jede', 'funguje'])('"%s" means it works now', (answer) => {
    const d = atWorksNow();
    expect(d.send(answer)).toContain('Jsem ráda, že vše zase funguje');
    expect(d.where()).toBe('main.done');
    expect(d.effects).toContainEqual(expect.objectContaining({ type: 'record', outcome: 'resolved_by_customer' }));
  });

  it.each(['ne', 'Ne', 'NIE', 'no', '2', 'nefunguje', 'pořád nefunguje', 'Ne, furt nic'])('"%s" means it still does not work', (answer) => {
    const d = atWorksNow();
    expect(d.send(answer)).toContain('Restartujte prosím ještě počítače');
    expect(d.where()).toBe('internet.restartPc');
  });

  it('asks again, in the customer language, when the answer is not understood, and offers help after three misses', () => {
    const d = atWorksNow();
    const first = d.send('možná?');
    expect(first).toContain('té odpovědi jsem nerozuměla');
    expect(d.effects.find((e) => e.type === 'reply')).toMatchObject({
      reply: {
        choices: [
          { id: 'yes', label: 'Ano, funguje' },
          { id: 'no', label: 'Ne, stále nefunguje' },
        ],
      },
    });
    expect(d.where()).toBe('internet.worksNow');
    d.send('nevím');
    expect(d.send('hmm')).toContain('+420 377 000 000');

    const sk = new Driver({ ...jan, language: 'sk' });
    sk.send('Dobrý deň');
    expect(sk.send('čokoľvek')).toContain('Prepáčte');
  });

  it('accepts button presses by choice id and ignores buttons of other steps', () => {
    const d = atWorksNow();
    expect(d.send({ kind: 'choice', choiceId: 'banana' })).toContain('nerozuměla');
    expect(d.send({ kind: 'choice', choiceId: 'no' })).toContain('Restartujte');
  });
});

describe('navigation', () => {
  it('goes back a step with "zpět" and to the menu with "menu"', () => {
    const d = atWorksNow();
    d.send('ne');
    expect(d.where()).toBe('internet.restartPc');
    expect(d.send('zpět')).toContain('Funguje vám teď internet?');
    expect(d.where()).toBe('internet.worksNow');
    d.send('Späť');
    expect(d.where()).toBe('internet.plugBack');
    expect(d.send('menu')).toContain('S čím vám mohu pomoci?');
    expect(d.where()).toBe('main.menu');
    expect(d.effects.some((e) => e.type === 'cancelTimers')).toBe(true);
    expect(d.send('zpet')).toContain('Dál zpět se vrátit nelze');
  });

  it('starts over with "znovu" and forgets the answers', () => {
    const d = atWorksNow();
    expect(d.send('znovu')).toContain('začneme znovu');
    expect(d.where()).toBe('main.menu');
    expect(d.state?.answers).toEqual({});
  });

  it('switches language at any point and repeats the question in it', () => {
    const d = atWorksNow();
    const en = d.send('English');
    expect(en).toContain("we'll continue in English");
    expect(en).toContain('Is your internet working now?');
    expect(d.where()).toBe('internet.worksNow');
    expect(d.effects).toContainEqual({ type: 'setCustomerLanguage', lang: 'en' });
    expect(d.send('language')).toContain('Please choose a language');
    expect(d.send('2')).toContain('Funguje vám teraz internet?');
    expect(d.where()).toBe('internet.worksNow');
    expect(d.state?.lang).toBe('sk');
    expect(d.send('áno')).toContain('Som rada');
  });

  it('explains the commands on "help" and stays where it was', () => {
    const d = atWorksNow();
    const help = d.send('pomoc');
    expect(help).toContain('„zpět“');
    expect(help).toContain('Funguje vám teď internet?');
    expect(d.where()).toBe('internet.worksNow');
  });

  it('takes the language of Telegram until the customer picks one', () => {
    const telegram = (state: ConversationState | null, text: string, langHint: string) =>
      step(state, { kind: 'text', text }, NOW, { capabilities: ON.telegram, flows, settings: SETTINGS, customer: null, langHint });
    const replyOf = (r: ReturnType<typeof step>) => r.effects.find((e) => e.type === 'reply');
    // An unidentified customer whose Telegram app is in Slovak is asked in Slovak.
    const first = telegram(null, 'hi', 'sk');
    expect(first.state).toMatchObject({ lang: 'sk', langChosen: false });
    expect(replyOf(first)).toMatchObject({
      reply: { text: expect.stringContaining('zdieľajte prosím svoje telefónne číslo'), contactButton: 'Zdieľať moje číslo' },
    });
    // The app's language is followed while the customer has not picked one (they switched the app to English).
    const followed = telegram(first.state, 'hello?', 'en');
    expect(followed.state.lang).toBe('en');
    expect(replyOf(followed)).toMatchObject({ reply: { text: expect.stringContaining('share your phone number') } });
    // The customer picks Czech: that wins over the app's language from then on.
    const picked = telegram(followed.state, 'česky', 'en');
    expect(picked.state).toMatchObject({ lang: 'cs', langChosen: true });
    expect(replyOf(picked)).toMatchObject({ reply: { text: expect.stringContaining('Dobře, budeme pokračovat česky.') } });
    const after = telegram(picked.state, 'nevím', 'sk');
    expect(after.state.lang).toBe('cs');
    expect(replyOf(after)).toMatchObject({ reply: { text: expect.stringContaining('Číslo smlouvy tvoří číslice') } });
  });
});

describe('the checklist', () => {
  it('waits about 3 minutes with a persisted timer, and answers early messages with the time left', () => {
    const d = new Driver();
    d.send('Dobrý den');
    d.send('1');
    expect(d.send('hotovo')).toContain('Za 3 min se vám ozvu');
    expect(d.effects).toContainEqual(expect.objectContaining({ type: 'startTimer', name: 'wait', dueAt: '2026-11-23T09:03:00.000Z' }));
    expect(d.send('a teď?')).toContain('Ozvu se asi za 3 min');
  });

  // docs/domain.md, the restart checklist: the wait is checklist.waitMinutes, and no text states
  // another number of minutes (with 1, "usually takes up to 3 minutes" said the opposite).
  it.each([
    ['cs', 'console', 'Za 1 min se vám ozvu', 'Ozvu se asi za 1 min.'],
    ['sk', 'console', 'O 1 min sa vám ozvem', 'Ozvem sa asi o 1 min.'],
    ['en', 'console', "I'll get back to you in 1 min", "I'll get back to you in about 1 min."],
    // By SMS (short texts) the customer is asked to answer instead of being written to later.
    ['cs', 'sms', 'počkejte, až zařízení naběhnou (do 1 min)', null],
    ['sk', 'sms', 'počkajte, kým zariadenia nabehnú (do 1 min)', null],
    ['en', 'sms', 'wait for the devices to start (up to 1 min)', null],
  ] as const)('with waitMinutes 1 says 1 minute and no other number (%s, %s)', (language, channel, plugBack, stillWaiting) => {
    const d = new Driver({ ...jan, language }, channel, [jan], { ...SETTINGS, waitMinutes: 1 });
    d.send({ kind: 'start' });
    d.send('1');
    const told = d.send('hotovo');
    expect(told).toContain(plugBack);
    expect(told).not.toMatch(/\b(?!1\b)\d+ ?(min|minut|minút|minutes?)\b/i);
    if (!stillWaiting) return;
    expect(d.effects).toContainEqual(expect.objectContaining({ type: 'startTimer', name: 'wait', dueAt: '2026-11-23T09:01:00.000Z' }));
    const early = d.send('hmm');
    expect(early).toContain(stillWaiting);
    expect(early).not.toMatch(/\b(?!1\b)\d+ ?(min|minut|minút|minutes?)\b/i);
  });

  it('ignores a stale timer', () => {
    const d = atWorksNow();
    const r = step(d.state, { kind: 'timer', name: 'wait', token: 'internet.plugBack.wait.0' }, NOW, {
      capabilities: ON.console,
      flows,
      settings: SETTINGS,
      customer: jan,
    });
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual(d.state);
  });

  it('follows up once when the customer goes quiet', () => {
    const d = new Driver();
    d.send('Dobrý den');
    d.send('1');
    const token = d.timerToken();
    expect(d.send({ kind: 'timer', name: 'followUp', token })).toContain('Jste tu ještě?');
    expect(d.effects.some((e) => e.type === 'startTimer')).toBe(false);
    expect(d.where()).toBe('internet.unplug');
  });

  it('never opens a ticket with a missing detail', () => {
    const d = atWorksNow();
    d.send('ne');
    d.send('hotovo');
    d.send('ne');
    expect(d.where()).toBe('internet.since');
    for (const empty of ['', '   ', '.', '?!']) {
      d.send(empty);
      expect(d.where()).toBe('internet.since');
    }
    d.send('1');
    d.send('nevím');
    d.send('3');
    expect(d.where()).toBe('internet.description');
    expect(d.send('nic')).toContain('podrobnější popis');
    d.send('🙁🙁🙁🙁🙁🙁🙁🙁🙁🙁🙁');
    expect(d.where()).toBe('internet.description');
    d.send('Stránky se nenačítají a počítač hlásí, že není připojen.');
    expect(d.where()).toBe('internet.summary');
    d.send('ano');
    const open = d.effects.find((e) => e.type === 'openTicket');
    expect(open).toMatchObject({
      type: 'openTicket',
      ticket: {
        // Only the Wi-Fi devices fail: most likely the customer's own router.
        category: 'internet',
        verified: true,
        likelyCustomerSide: true,
        answers: {
          problem: 'internet',
          checklist: 'done',
          afterReplug: 'no',
          afterRestart: 'no',
          since: 'today',
          lights: 'unknown',
          devices: 'wifiOnly',
          customerSide: 'yes',
        },
      },
    });
    expect(d.texts()).toContain('T-2026-00007');
    expect(d.where()).toBe('main.ticketOpen');
  });

  it('lets the customer correct the details before sending', () => {
    const d = new Driver();
    d.send('Dobrý den');
    d.send('4');
    d.send('Nefunguje mi přihlášení do e-mailu.');
    d.send('dnes');
    expect(d.where()).toBe('other.summary');
    expect(d.send('opravit')).toContain('Popište mi prosím');
    expect(d.where()).toBe('other.description');
  });

  it('names the VoIP gateway and asks for a test call in the VoIP checklist', () => {
    const d = new Driver();
    d.send('Dobrý den');
    expect(d.send('nefunguje mi telefon')).toContain('VoIP bránu – telefonní adaptér');
    d.send('hotovo');
    expect(d.send({ kind: 'timer', name: 'wait', token: d.timerToken() })).toContain('zkuste se někam dovolat');
  });

  it('keeps photos and asks for text instead of stickers', () => {
    const d = atWorksNow();
    expect(d.send({ kind: 'media', mediaKind: 'photo', fileId: 'AgAD' })).toContain('Děkuji za fotografii');
    expect(d.send({ kind: 'media', mediaKind: 'sticker' })).toContain('Napište mi to prosím textem');
    expect(d.where()).toBe('internet.worksNow');
  });
});

// company.helpdeskPhone is optional: a text that offers the number leaves that sentence out when
// none is configured, and still reads as a whole (no "volejte ." and no made-up number).
describe('the helpdesk phone', () => {
  const noPhone: EngineSettings = { ...SETTINGS, helpdeskPhone: null };
  /** The help text, the reply after three misses and the handover after three wrong contract numbers, in `language` on `channel`. */
  function helpdeskTexts(language: 'cs' | 'sk' | 'en', channel: Channel, settings: EngineSettings): string[] {
    const help = new Driver({ ...jan, language }, channel, [jan], settings);
    help.send({ kind: 'start' });
    help.send('1');
    const texts = [help.send('?').split('\n\n')[0] as string];
    if (channel === 'console') {
      help.send('hotovo');
      help.send({ kind: 'timer', name: 'wait', token: help.timerToken() });
      help.send('hm');
      help.send('hmm');
      texts.push(help.send('hmmm'));
    }
    const stranger = new Driver(null, channel, [jan], settings);
    stranger.send({ kind: 'start' });
    stranger.send({ cs: 'česky', sk: 'slovensky', en: 'english' }[language]);
    stranger.send('1111-2221');
    stranger.send('1111-2222');
    texts.push(stranger.send('1111-2223').split('\n\n')[0] as string);
    return texts;
  }

  it.each([
    [
      'cs',
      'console',
      [
        'Odpovídejte číslem možnosti, tlačítkem nebo slovy. Kdykoli můžete napsat: „menu“ (nabídka problémů), „zpět“ (předchozí krok), „znovu“ (začít od začátku), „jazyk“ (změna jazyka), „hodiny“ (čerpání hodin podpory).',
        'Zdá se, že si nerozumíme. Napište „menu“ a ukážu vám nabídku.',
        'Bohužel se mi vás nepodařilo ověřit. Předávám vás technikovi, který vás ověří sám.',
      ],
      [
        ' Spěchá-li to, volejte +420 377 000 000.',
        ' Můžete také zavolat na +420 377 000 000, kolegové vám rádi pomohou.',
        ' Spěchá-li to, volejte +420 377 000 000.',
      ],
    ],
    [
      'sk',
      'console',
      [
        'Odpovedajte číslom možnosti, tlačidlom alebo slovami. Kedykoľvek môžete napísať: „menu“ (ponuka problémov), „späť“ (predchádzajúci krok), „znova“ (začať od začiatku), „jazyk“ (zmena jazyka), „hodiny“ (čerpanie hodín podpory).',
        'Zdá sa, že si nerozumieme. Napíšte „menu“ a zobrazím vám ponuku.',
        'Žiaľ, nepodarilo sa mi vás overiť. Odovzdávam vás technikovi, ktorý vás overí sám.',
      ],
      [
        ' Ak je to súrne, volajte na +420 377 000 000.',
        ' Môžete tiež zavolať na +420 377 000 000, kolegovia vám radi pomôžu.',
        ' Ak je to súrne, volajte na +420 377 000 000.',
      ],
    ],
    [
      'en',
      'console',
      [
        'Reply with the number of an option, a button or in words. At any time you can write: "menu" (list of problems), "back" (previous step), "start over" (begin again), "language" (change language), "hours" (support hours used).',
        'It seems we are not understanding each other. Write "menu" and I will show you the options.',
        "Unfortunately I wasn't able to verify you. I'm passing you to a technician, who will verify you in person.",
      ],
      [
        ' If it is urgent, call +420 377 000 000.',
        ' You can also call +420 377 000 000 - my colleagues will be glad to help.',
        ' If it is urgent, call +420 377 000 000.',
      ],
    ],
    [
      'cs',
      'sms',
      [expect.stringMatching(/\(čerpání hodin podpory\)\.$/), 'Ověření se nepodařilo, předávám vás technikovi.'],
      [' Spěchá-li to, volejte +420 377 000 000.', ' Spěchá-li to, volejte +420 377 000 000.'],
    ],
    [
      'en',
      'sms',
      [expect.stringMatching(/\(support hours used\)\.$/), 'We could not verify you; a technician will take over.'],
      [' If urgent, call +420 377 000 000.', ' If urgent, call +420 377 000 000.'],
    ],
  ] as const)('leaves the sentence with the number out when none is configured, and says it when one is (%s, %s)', (language, channel, without, sentences) => {
    const bare = helpdeskTexts(language, channel, noPhone);
    expect(bare).toEqual(without);
    for (const text of bare) expect(text).not.toMatch(/\{|000|volejte|volajte|call\b/);
    const told = helpdeskTexts(language, channel, SETTINGS);
    expect(told).toEqual(bare.map((text, i) => `${text}${sentences[i]}`));
  });
});

describe('identification', () => {
  it('asks for the contract number, then hands over to a human after three wrong tries', () => {
    const d = new Driver(null);
    expect(d.send('Dobrý den')).toContain('číslo své smlouvy');
    expect(d.send('nevím')).toContain('zbývá pokusů: 2');
    expect(d.send('1111-2222')).toContain('zbývá pokusů: 1');
    const handover = d.send('1111-2223');
    // A human takes over at once: an unverified ticket with what the customer wrote, and its number in the same reply.
    expect(handover).toContain('nepodařilo ověřit');
    expect(handover).toContain('pod číslem T-2026-00007');
    expect(d.effects.filter((e) => e.type === 'reply')).toHaveLength(1);
    const opened = d.effects.find((e) => e.type === 'openTicket');
    expect(opened).toMatchObject({
      ticket: { category: 'other', verified: false, answers: { problem: 'identification', contractTries: 'nevím, 1111-2222, 1111-2223' } },
    });
    expect(opened?.type === 'openTicket' && opened.ticket.summary).toContain('Zákazník neověřen');
    expect(d.state).toMatchObject({ verified: false, customerId: null, step: 'ticketOpen', ticketNumber: 'T-2026-00007' });
    // The conversation goes on: the menu is one word away, and no identification is asked again.
    expect(d.send('menu')).toContain('S čím vám mohu pomoci?');
    expect(d.state).toMatchObject({ step: 'menu', verified: false });
  });

  it('identifies by contract number and by a deep link', () => {
    const d = new Driver(null);
    d.send('Dobrý den');
    expect(d.send(' 2024-0153 ')).toContain('vaši smlouvu jsem našla (Jan Novák)');
    expect(d.state?.customerId).toBe('c1');

    const deep = new Driver(null);
    expect(deep.send({ kind: 'start', payload: '2024-0153' })).toContain('S čím vám mohu pomoci?');
    expect(deep.state?.customerId).toBe('c1');
  });

  it('takes a customer who named the problem before being identified straight to it, not to the menu', () => {
    const d = new Driver(null, 'sms');
    expect(d.send('Dobry den, nejde mi internet')).toContain('smlouvy');
    const identified = d.send('2024-0153');
    expect(identified).toContain('Jan Novák');
    expect(identified).not.toContain('Co nefunguje?');
    expect(d.where()).toBe('internet.unplug');
    // Nothing named: the menu, as before.
    const plain = new Driver(null, 'sms');
    plain.send('Dobry den');
    plain.send('2024-0153');
    expect(plain.where()).toBe('main.menu');
    // A problem named, then three wrong contract numbers: the hand-over, and nothing remembered after it.
    const lost = new Driver(null, 'sms');
    lost.send('Nefunguje mi wifi');
    for (const wrong of ['nevim', '1111-2222', '1111-2223']) lost.send(wrong);
    expect(lost.state?.wanted).toBeUndefined();
  });

  it("accepts only the sender's own shared contact", () => {
    const d = new Driver(null, 'telegram');
    d.send('Dobrý den');
    expect(d.send({ kind: 'contact', phone: '+420603123456', own: false })).toContain('jen vlastní telefonní číslo');
    expect(d.state?.customerId).toBeNull();
    expect(d.send({ kind: 'contact', phone: '+420603123456', own: true })).toContain('Jan Novák');
    expect(d.state?.customerId).toBe('c1');
  });
});

describe('purity', () => {
  it('returns the same result for the same input and never mutates the given state', () => {
    const d = atWorksNow();
    const before = structuredClone(d.state);
    const ctx: StepContext = { capabilities: ON.console, flows, settings: SETTINGS, customer: jan };
    const a = step(d.state, { kind: 'text', text: 'ne' }, NOW, ctx);
    const b = step(d.state, { kind: 'text', text: 'ne' }, NOW, ctx);
    expect(a).toEqual(b);
    expect(d.state).toEqual(before);
  });
});

describe('flows as data', () => {
  it('every transition, prompt and label of every flow resolves', () => {
    for (const flow of Object.values(flows)) {
      expect(flow.steps[flow.start], `${flow.id}.start`).toBeDefined();
      expect(isMessageKey(flow.title)).toBe(true);
      for (const key of Object.values(flow.params ?? {})) expect(isMessageKey(key), key).toBe(true);
      const check = (target: Target, where: string) => {
        if (target === '@back') return;
        const [f, s] = typeof target === 'string' ? [flow.id, target] : [target.flow, target.step ?? flows[target.flow]?.start];
        expect(flows[f]?.steps[s ?? ''], `${where} -> ${JSON.stringify(target)}`).toBeDefined();
      };
      for (const [id, def] of Object.entries(flow.steps)) {
        const where = `${flow.id}.${id}`;
        if ('prompt' in def) expect(isMessageKey(def.prompt), `${where} prompt ${def.prompt}`).toBe(true);
        const choices = 'choices' in def ? (def.choices ?? []) : def.kind === 'input' ? (def.quick ?? []) : [];
        expect(new Set(choices.map((c) => c.id)).size, `${where} duplicate choice ids`).toBe(choices.length);
        for (const c of choices) {
          expect(isMessageKey(c.label), `${where} label ${c.label}`).toBe(true);
          if (c.say) expect(isMessageKey(c.say)).toBe(true);
          check(c.next, where);
        }
        if (def.kind === 'input') {
          check(def.next, where);
          expect(isMessageKey(def.retry)).toBe(true);
        }
        if (def.kind === 'wait') check(def.then, where);
        if (def.kind === 'choice' && def.freeText) check(def.freeText, where);
      }
      for (const field of flow.summaryFields) expect(isMessageKey(`field.${field}`), `${flow.id} field.${field}`).toBe(true);
    }
  });
});
