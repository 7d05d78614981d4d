// The pure engine, step by step: what the customer sees (texts, choices) and what the runtime is
// asked to do (effects) for each step kind, command, side question and runtime feedback.
// Fast and pure (no database, no clock): part of the mutation tests (vitest.mutate.config.ts).
import { describe, expect, it } from 'vitest';
import { describeInbound } from '../src/engine/describe.js';
import type { ChoiceDef, FlowDef } from '../src/engine/flow.js';
import { CONSENT_WORDS, choiceWords, matchChoice, matchConsent } from '../src/engine/match.js';
import { normalize } from '../src/shared/normalize.js';
import { initialState, isCommandText, step } from '../src/engine/step.js';
import { summarize } from '../src/engine/summary.js';
import type { Channel, ConversationState, CoreEvent, CustomerView, Effect, EngineSettings, Reply, StepContext, StepResult } from '../src/engine/types.js';
import { ON } from './helpers/capabilities.js';
import { SETTINGS } from './helpers/engine-fixtures.js';
import { builtInFlows } from '../src/config/flows.js';

const flows = builtInFlows();
/** The built-in flows' versions (hashes of their files). */
const MAIN_V = flows.main?.version as number;
const INTERNET_V = flows.internet?.version as number;

const settings: EngineSettings = SETTINGS;
const jan: CustomerView = { id: 'c1', name: 'Jan Novák', contractNumber: '2024-0153', language: 'cs', tier: 'PLUS', area: 'Bory' };
const NOW = new Date('2026-11-23T09:00:00Z');

// What the customer reads (Czech unless said otherwise), copied from the catalogue on purpose.
const HELLO =
  'Dobrý den, tady Linka, zákaznická podpora Test ISP. Pomohu vám s internetem, telefonem i Wi-Fi. Odpovídám kdykoli ve dne i v noci, technici v pracovní dny 8:30–17:00.';
const HELLO_SMS = 'Dobrý den, tady Linka (Test ISP).';
const ASK_ID = 'Abych vás mohla ověřit, napište mi prosím číslo své smlouvy (najdete ho na smlouvě nebo na faktuře).';
const ASK_ID_TG =
  'Abych vás mohla ověřit, sdílejte prosím své telefonní číslo tlačítkem níže, nebo mi napište číslo své smlouvy (najdete ho na smlouvě nebo na faktuře).';
const ASK_ID_SMS = 'Pro ověření pošlete číslo smlouvy (je na smlouvě či faktuře).';
const MENU = 'S čím vám mohu pomoci? Vyberte prosím, co nefunguje.';
const MENU_CHOICES = [
  { id: 'internet', label: 'Nefunguje internet' },
  { id: 'voip', label: 'Nefunguje VoIP telefon' },
  { id: 'wifi', label: 'Nefunguje domácí Wi-Fi' },
  { id: 'other', label: 'Něco jiného' },
];
const WELCOME = 'Děkuji, vaši smlouvu jsem našla (Jan Novák).';
const UNPLUG =
  'Zkusme nejdřív restart zařízení, ten většinu závad vyřeší. Odpojte prosím ze zásuvky všechna zařízení (zdroj antény, Wi-Fi router, kabelový router a switch, případně i VoIP bránu) a nechte je asi 10 sekund bez napájení. Až to budete mít, dejte mi vědět.';
const UNPLUG_CHOICES = [
  { id: 'done', label: 'Hotovo, odpojeno' },
  { id: 'cannot', label: 'Nemohu / nevím jak' },
];
const PLUG_BACK =
  'Výborně. Teď vše znovu zapojte a počkejte, až zařízení naběhnou a přihlásí se do sítě – chvíli to potrvá. Za 3 min se vám ozvu a zeptám se, jestli už vše funguje.';
const WORKS_NOW = 'Funguje vám teď internet? Zkuste prosím otevřít nějakou webovou stránku.';
const YES_NO = [
  { id: 'yes', label: 'Ano, funguje' },
  { id: 'no', label: 'Ne, stále nefunguje' },
];
const NOT_UNDERSTOOD = 'Promiňte, té odpovědi jsem nerozuměla. Vyberte prosím jednu z možností (stačí napsat její číslo).';
const TOO_MANY = 'Zdá se, že si nerozumíme. Napište „menu“ a ukážu vám nabídku. Můžete také zavolat na +420 377 000 000, kolegové vám rádi pomohou.';
const NOTED = 'Děkuji, připojila jsem to k požadavku T-1. Technik se vám ozve.';
const STILL_OPEN = 'Váš požadavek T-1 je stále otevřený a technik se vám ozve. Chcete-li k němu něco doplnit, napište to sem.';
const NEW_PROBLEM = [{ id: 'newProblem', label: 'Nahlásit jiný problém' }];
const OFFER_PROMPT = 'Souhlasíte s placeným výjezdem za těchto podmínek? Odpovězte prosím ANO, nebo NE.';
const OFFER_CHOICES = [
  { id: 'accept', label: 'Ano, souhlasím' },
  { id: 'decline', label: 'Ne, nesouhlasím' },
];
const RATE_PROMPT = 'Jak jste byli s pomocí spokojeni? Ohodnoťte prosím od 1 (nespokojen) do 5 (velmi spokojen).';
const RATE_CHOICES = [
  { id: '1', label: '1 – nespokojen' },
  { id: '2', label: '2' },
  { id: '3', label: '3' },
  { id: '4', label: '4' },
  { id: '5', label: '5 – velmi spokojen' },
];
const SINCE = 'Od kdy závada trvá? Vyberte, nebo napište vlastními slovy (např. „od včerejšího večera“).';
const SINCE_CHOICES = [
  { id: 'today', label: 'Od dneška' },
  { id: 'yesterday', label: 'Od včerejška' },
  { id: 'longer', label: 'Déle než 2 dny' },
];
const INTRO = 'Je mi líto, že to stále nefunguje. Předám vše technikovi, ale nejdřív od vás potřebuji pár údajů.';
const _DONE_PROMPT = 'Dobrý den, jak vám mohu pomoci tentokrát?';

/** The context's fields to change, and the channel whose capabilities the engine gets (default: the console). */
type Ctx = Partial<StepContext> & { channel?: Channel };
function context(over: Ctx = {}): StepContext {
  const { channel = 'console', ...rest } = over;
  return { capabilities: ON[channel], flows, settings, customer: jan, ...rest };
}
function run(prev: ConversationState | null, event: CoreEvent | string, over: Ctx = {}, now: Date = NOW): StepResult {
  return step(prev, typeof event === 'string' ? { kind: 'text', text: event } : event, now, context(over));
}
/** A conversation standing at `flow.stepId` (as the runtime would have stored it). */
function at(where: string, extra: Partial<ConversationState> = {}, over: Ctx = {}): ConversationState {
  const [flow = 'main', stepId = 'menu'] = where.split('.');
  const base = initialState(context(over));
  return { ...base, flow, step: stepId, flowVersion: flows[flow]?.version ?? 1, ...extra };
}
function replies(r: StepResult): Reply[] {
  return r.effects.flatMap((e) => (e.type === 'reply' ? [e.reply] : []));
}
function texts(r: StepResult): string[] {
  return replies(r).map((x) => x.text);
}
function others(r: StepResult): Effect[] {
  return r.effects.filter((e) => e.type !== 'reply');
}
const where = (r: StepResult) => `${r.state.flow}.${r.state.step}`;

/** Drives the engine like the runtime does: look-ups, ticket openings and payments are answered. */
class Driver {
  state: ConversationState | null = null;
  effects: Effect[] = [];
  constructor(
    public customer: CustomerView | null = jan,
    readonly over: Ctx = {},
    readonly opened: Partial<Extract<CoreEvent, { kind: 'ticketOpened' }>> = {},
  ) {}
  send(event: CoreEvent | string, now: Date = NOW): string[] {
    this.effects = [];
    this.feed(typeof event === 'string' ? { kind: 'text', text: event } : event, now);
    return this.effects.flatMap((e) => (e.type === 'reply' ? [e.reply.text] : []));
  }
  private feed(event: CoreEvent, now: Date): void {
    const r = step(this.state, event, now, context({ ...this.over, customer: this.customer }));
    this.state = r.state;
    this.effects.push(...r.effects);
    for (const e of r.effects) {
      if (e.type === 'lookupCustomer') {
        const found = e.contractNumber === '2024-0153' || e.phone === '+420603123456' ? jan : null;
        if (found) this.customer = found;
        this.feed({ kind: 'lookupResult', customer: found }, now);
      }
      if (e.type === 'openTicket') this.feed({ kind: 'ticketOpened', number: 'T-7', ...this.opened }, now);
    }
  }
  get where(): string {
    return `${this.state?.flow}.${this.state?.step}`;
  }
  reply(i = 0): Reply | undefined {
    return this.effects.flatMap((e) => (e.type === 'reply' ? [e.reply] : []))[i];
  }
  of<T extends Effect['type']>(type: T): Array<Extract<Effect, { type: T }>> {
    return this.effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
  }
}

describe('normalize', () => {
  it.each([
    ['Áno!', 'ano'],
    ['  ŘEŠENÍ   hotovo ', 'reseni hotovo'],
    ["Don't know", 'dont know'],
    ['it’s `ok`', 'its ok'],
    ['a.b,c;d', 'a b c d'],
    ['a\n\tb', 'a b'],
    ['/start', 'start'],
    ['-2024-0153/', '2024-0153'],
    ['-- 2024/0153 --', '2024/0153'],
    ['kolik hodin?', 'kolik hodin?'],
    ['👍', ''],
    ['?!', '?'],
    ['Žluťoučký kůň', 'zlutoucky kun'],
    [' -ano- ', 'ano'],
  ])('%j -> %j', (input, expected) => {
    expect(normalize(input)).toBe(expected);
  });
});

describe('matching answers', () => {
  const menu = flows.main!.steps.menu as { choices: ChoiceDef[] };
  const worksNow = flows.internet!.steps.worksNow as { choices: ChoiceDef[] };

  it('knows a choice by its label in every language, its short label and its lexicon groups', () => {
    const words = choiceWords(worksNow.choices[0]!);
    for (const w of ['ano funguje', 'ano', 'yes it works', 'yes', 'ano funguje', 'jo', 'uz funguje', 'it works']) expect(words.has(w), w).toBe(true);
    expect(words.has('')).toBe(false);
    // A literal match word is normalised; a word that normalises to nothing is dropped.
    const literal = choiceWords({ id: 'x', label: 'rate.2', match: ['Pevná Linka', '!!!'], next: 'x' });
    expect([...literal].sort()).toEqual(['2', 'pevna linka']);
    // The short SMS label counts too ("Dnes" is the SMS label of "Od dneška").
    const today = (flows.internet!.steps.since as { quick: ChoiceDef[] }).quick;
    expect(choiceWords(today[0]!).has('dnes')).toBe(true);
    expect(matchChoice(today, 'Dnes')?.id).toBe('today');
    // No label variants in any catalogue: only the match words.
    expect([...choiceWords({ id: 'x', label: 'no.such.key', next: 'x' })]).toEqual([]);
  });

  it('takes a number as the position of the choice', () => {
    expect(matchChoice(worksNow.choices, '1')?.id).toBe('yes');
    expect(matchChoice(worksNow.choices, ' 2. ')?.id).toBe('no');
    expect(matchChoice(worksNow.choices, '02')?.id).toBe('no');
    expect(matchChoice(worksNow.choices, '3')).toBeNull();
    expect(matchChoice(worksNow.choices, '0')).toBeNull();
    // Three digits are not a position.
    expect(matchChoice(worksNow.choices, '001')).toBeNull();
  });

  it('takes a whole answer, then the first two words, then the first word', () => {
    expect(matchChoice(worksNow.choices, 'Ano, funguje')?.id).toBe('yes');
    expect(matchChoice(worksNow.choices, 'ne, furt nic')?.id).toBe('no');
    expect(matchChoice(worksNow.choices, 'uz funguje, diky moc')?.id).toBe('yes');
    expect(matchChoice(worksNow.choices, 'porad nefunguje bohuzel')?.id).toBe('no');
    expect(matchChoice(worksNow.choices, '')).toBeNull();
    expect(matchChoice(worksNow.choices, '!!!')).toBeNull();
    expect(matchChoice(worksNow.choices, 'mozna')).toBeNull();
    // The first two words win over the first one.
    const pair: ChoiceDef[] = [
      { id: 'one', label: 'no.such.key', match: ['ani'], next: 'x' },
      { id: 'two', label: 'no.such.key', match: ['ani ne'], next: 'x' },
    ];
    expect(matchChoice(pair, 'ani ne prosim')?.id).toBe('two');
    expect(matchChoice(pair, 'ani nahodou')?.id).toBe('one');
  });

  it('gives up when an answer fits more than one choice', () => {
    const both: ChoiceDef[] = [
      { id: 'a', label: 'no.such.key', match: ['jo'], next: 'x' },
      { id: 'b', label: 'no.such.key', match: ['jo'], next: 'x' },
    ];
    expect(matchChoice(both, 'jo')).toBeNull();
    // Not even the first word decides then.
    expect(matchChoice(both, 'jo jasne')).toBeNull();
    // A tie on the first two words falls to the first word.
    const tie: ChoiceDef[] = [
      { id: 'a', label: 'no.such.key', match: ['jo jo'], next: 'x' },
      { id: 'b', label: 'no.such.key', match: ['jo jo', 'ne'], next: 'x' },
      { id: 'c', label: 'no.such.key', match: ['jo'], next: 'x' },
    ];
    expect(matchChoice(tie, 'jo jo urcite')?.id).toBe('c');
    // An exact tie does not fall through to the first word.
    const exactTie: ChoiceDef[] = [
      { id: 'a', label: 'no.such.key', match: ['jo jo'], next: 'x' },
      { id: 'b', label: 'no.such.key', match: ['jo jo'], next: 'x' },
      { id: 'c', label: 'no.such.key', match: ['jo'], next: 'x' },
    ];
    expect(matchChoice(exactTie, 'jo jo')).toBeNull();
  });

  it('finds a keyword anywhere in a sentence, as a whole word, when only one choice has it', () => {
    expect(matchChoice(menu.choices, 'Dobry den, nejde mi internet')?.id).toBe('internet');
    expect(matchChoice(menu.choices, 'nemuzu se pripojit na wi-fi doma')?.id).toBe('wifi');
    expect(matchChoice(menu.choices, 'nejde volat ani internet')).toBeNull();
    expect(matchChoice(menu.choices, 'mam internetovy problem')).toBeNull();
  });

  it('records a consent only on an explicit whole answer', () => {
    const offer = (flows.main!.steps.offer as { choices: ChoiceDef[] }).choices;
    for (const yes of ['ano', 'ANO!', 'souhlasím', 'Áno, súhlasím', 'Yes, I agree', 'i accept', '1']) expect(matchConsent(offer, yes)?.id, yes).toBe('accept');
    for (const no of ['ne', 'NIE', 'No, I do not agree', "I don't agree", 'odmítám', '2']) expect(matchConsent(offer, no)?.id, no).toBe('decline');
    for (const unclear of ['', '...', 'jo', 'sure', 'ano ne', 'ano, ale kolik to stojí?', 'no problem', '3', '0', '001', '1.5'])
      expect(matchConsent(offer, unclear), unclear).toBeNull();
    expect(matchConsent(offer, '02')?.id).toBe('decline');
    // Two answers that both fit: no consent.
    const twice: ChoiceDef[] = [
      { id: 'accept', label: 'offer.accept', next: 'x' },
      { id: 'accept', label: 'collect.send', next: 'x' },
    ];
    expect(matchConsent(twice, 'ano')).toBeNull();
    // The whole label of an answer, in any language, counts too; a choice that is neither
    // accept nor decline is never a consent.
    expect(CONSENT_WORDS.accept).toContain('souhlasim');
    const labelled: ChoiceDef[] = [
      { id: 'accept', label: 'collect.send', next: 'x' },
      { id: 'decline', label: 'collect.edit', next: 'x' },
    ];
    expect(matchConsent(labelled, 'Ano, odeslat')?.id).toBe('accept');
    expect(matchConsent(labelled, 'Yes, send it')?.id).toBe('accept');
    expect(matchConsent(labelled, 'opravit udaje')?.id).toBe('decline');
    expect(matchConsent(labelled, 'odeslat')).toBeNull();
    expect(matchConsent([{ id: 'accept', label: 'no.such.key', next: 'x' }], 'ano, odeslat')).toBeNull();
    // Every consent word on its own, with labels that are no consent words themselves.
    const accepts = [
      'Ano',
      'Souhlasím',
      'Súhlasím',
      'yes',
      'I agree',
      'agree',
      'ano souhlasím',
      'áno súhlasím',
      'yes, I agree',
      'Přijímám',
      'přijímám podmínky',
      'accept',
      'I accept',
    ];
    const declines = [
      'Ne',
      'Nie',
      'Nesouhlasím',
      'Nesúhlasím',
      'no',
      'decline',
      'I decline',
      'Odmítám',
      'Odmietam',
      "don't agree",
      "I don't agree",
      'I do not agree',
      'ne, nesouhlasím',
      'nie, nesúhlasím',
      "no, I don't agree",
      'no, I do not agree',
    ];
    for (const a of accepts) expect(matchConsent(labelled, a)?.id, a).toBe('accept');
    for (const d of declines) expect(matchConsent(labelled, d)?.id, d).toBe('decline');
    const other: ChoiceDef[] = [{ id: 'maybe', label: 'offer.accept', next: 'x' }];
    expect(matchConsent(other, 'ano')).toBeNull();
    expect(matchConsent(other, 'Ano, souhlasím')).toBeNull();
  });
});

describe('summaries and history lines', () => {
  it('lists the answers in the flow order, choice ids as their labels, free text as written', () => {
    const answers = {
      description: 'Nic se nenačítá',
      devices: 'wifiOnly',
      since: 'today',
      checklist: 'done',
      afterReplug: 'no',
      lights: 'jak vánoční stromek',
      extra: 'x',
    };
    expect(summarize(flows.internet!, answers, 'cs', true)).toBe(
      [
        'Problém: Nefunguje internet',
        'Odpojení zařízení: Hotovo, odpojeno',
        'Po opětovném zapojení: Ne, stále nefunguje',
        'Od kdy: Od dneška',
        'Kontrolky: jak vánoční stromek',
        'Dotčená zařízení: Jen těch na Wi-Fi',
        'Popis: Nic se nenačítá',
      ].join('\n'),
    );
    expect(summarize(flows.wifi!, { cableWorks: 'noCable', since: 'asi týden' }, 'en', false)).toBe(
      ['Problem: Home Wi-Fi not working', "Wired connection: Can't test it", 'Since: asi týden', 'Customer not verified'].join('\n'),
    );
  });

  it('names a choice by the question of that field only; free words that look like another id stay as written', () => {
    expect(summarize(flows.wifi!, { cableWorks: 'yes', afterReplug: 'yes' }, 'cs', true)).toBe(
      'Problém: Nefunguje domácí Wi-Fi\nPo opětovném zapojení: Ano, funguje\nPřipojení kabelem: Ano, kabelem to jde',
    );
    expect(summarize(flows.internet!, { lights: 'today', devices: 'yes' }, 'cs', true)).toBe(
      'Problém: Nefunguje internet\nKontrolky: today\nDotčená zařízení: yes',
    );
  });

  it('describes inbound events for the history', () => {
    const st = at('internet.worksNow');
    expect(describeInbound(st, { kind: 'text', text: 'ahoj' }, flows)).toEqual({ kind: 'text', text: 'ahoj' });
    expect(describeInbound(st, { kind: 'choice', choiceId: 'no' }, flows)).toEqual({ kind: 'choice', text: 'Ne, stále nefunguje' });
    expect(describeInbound({ ...st, lang: 'en' }, { kind: 'choice', choiceId: 'yes' }, flows)).toEqual({ kind: 'choice', text: 'Yes, it works' });
    expect(describeInbound(st, { kind: 'choice', choiceId: 'banana' }, flows)).toEqual({ kind: 'choice', text: '[banana]' });
    expect(describeInbound(null, { kind: 'choice', choiceId: 'yes' }, flows)).toEqual({ kind: 'choice', text: '[yes]' });
    expect(describeInbound(at('internet.since'), { kind: 'choice', choiceId: 'today' }, flows)).toEqual({ kind: 'choice', text: 'Od dneška' });
    expect(describeInbound(at('main.identify'), { kind: 'choice', choiceId: 'x' }, flows)).toEqual({ kind: 'choice', text: '[x]' });
    expect(describeInbound(at('internet.description'), { kind: 'choice', choiceId: 'x' }, flows)).toEqual({ kind: 'choice', text: '[x]' });
    expect(describeInbound(at('internet.openTicket'), { kind: 'choice', choiceId: 'x' }, flows)).toEqual({ kind: 'choice', text: '[x]' });
    expect(describeInbound(at('nowhere.x'), { kind: 'choice', choiceId: 'x' }, flows)).toEqual({ kind: 'choice', text: '[x]' });
    expect(describeInbound(st, { kind: 'start' }, flows)).toEqual({ kind: 'text', text: '/start' });
    expect(describeInbound(st, { kind: 'start', payload: '2024-0153' }, flows)).toEqual({ kind: 'text', text: '/start 2024-0153' });
    expect(describeInbound(st, { kind: 'contact', phone: '+420603123456', own: true }, flows)).toEqual({ kind: 'contact', text: '[contact +420603123456]' });
    expect(describeInbound(st, { kind: 'contact', phone: '+420603123456', own: false }, flows)).toEqual({
      kind: 'contact',
      text: '[contact +420603123456 (not own)]',
    });
    expect(describeInbound(st, { kind: 'media', mediaKind: 'photo', fileId: 'AgAD', caption: 'router' }, flows)).toEqual({
      kind: 'photo',
      text: '[photo AgAD] router',
    });
    expect(describeInbound(st, { kind: 'media', mediaKind: 'voice' }, flows)).toEqual({ kind: 'media', text: '[voice]' });
    expect(describeInbound(st, { kind: 'timer', name: 'wait', token: 't' }, flows)).toBeNull();
    expect(describeInbound(st, { kind: 'optOut' }, flows)).toBeNull();
  });
});

const T0 = 1795424400000; // NOW in milliseconds, part of every timer token
const _MIN = 60_000;

describe('the first message', () => {
  it('greets a known customer and offers the menu in one reply', () => {
    const r = run(null, 'Dobrý den');
    expect(r.effects).toEqual([{ type: 'reply', reply: { text: `${HELLO}\n\n${MENU}`, key: 'menu.prompt', choices: MENU_CHOICES } }]);
    expect(r.state).toEqual({
      flow: 'main',
      step: 'menu',
      flowVersion: MAIN_V,
      lang: 'cs',
      langChosen: false,
      customerId: 'c1',
      verified: true,
      idTries: 0,
      answers: {},
      back: [],
      misses: 0,
      timer: null,
      followUps: 0,
      ticketNumber: null,
      lookup: null,
    });
  });

  it('asks an unknown customer who they are: the contact button on Telegram, short texts over SMS', () => {
    const consoleR = run(null, 'Dobrý den', { customer: null });
    expect(consoleR.effects).toEqual([{ type: 'reply', reply: { text: `${HELLO}\n\n${ASK_ID}`, key: 'identify.ask' } }]);
    expect(consoleR.state).toMatchObject({ flow: 'main', step: 'identify', customerId: null });
    const tg = run(null, 'Dobrý den', { customer: null, channel: 'telegram' });
    expect(tg.effects).toEqual([
      { type: 'reply', reply: { text: `${HELLO}\n\n${ASK_ID_TG}`, key: 'identify.askWithContact', contactButton: 'Sdílet telefonní číslo' } },
    ]);
    // The contact button belongs to identification only.
    expect(run(null, 'Dobrý den', { channel: 'telegram' }).effects).toEqual([
      { type: 'reply', reply: { text: `${HELLO}\n\n${MENU}`, key: 'menu.prompt', choices: MENU_CHOICES } },
    ]);
    const sms = run(null, 'Dobry den', { customer: null, channel: 'sms' });
    expect(texts(sms)).toEqual([`${HELLO_SMS}\n\n${ASK_ID_SMS}`]);
    // Short texts switched off: the full ones over SMS too.
    const long = run(null, 'Dobry den', { customer: null, channel: 'sms', settings: { ...settings, shortSms: false } });
    expect(texts(long)).toEqual([`${HELLO}\n\n${ASK_ID}`]);
  });

  it('speaks the language of the customer record, else of the platform, else Czech', () => {
    expect(run(null, 'hi', { customer: { ...jan, language: 'en' }, langHint: 'sk' }).state.lang).toBe('en');
    expect(run(null, 'hi', { customer: null, langHint: 'en-GB' }).state.lang).toBe('en');
    expect(run(null, 'hi', { customer: null, langHint: 'SK' }).state.lang).toBe('sk');
    expect(run(null, 'hi', { customer: null, langHint: 'de' }).state.lang).toBe('cs');
    expect(run(null, 'hi', { customer: null }).state.lang).toBe('cs');
    const en = run(null, 'hi', { customer: null, langHint: 'en' });
    expect(texts(en)[0]).toMatch(/^Hello, this is Linka, customer support for Test ISP\./);
    // A language the customer picked stays, whatever the platform says later.
    const picked = run({ ...at('main.menu'), lang: 'sk', langChosen: true }, 'xyz', { customer: null, langHint: 'en' });
    expect(picked.state.lang).toBe('sk');
    const followed = run({ ...at('main.menu', { customerId: null }), lang: 'sk' }, 'xyz', { customer: null, langHint: 'en' });
    expect(followed.state.lang).toBe('en');
    // Nothing known about the language: it stays as it was.
    expect(run({ ...at('main.menu', { customerId: null }), lang: 'sk' }, 'xyz', { customer: null }).state.lang).toBe('sk');
    // An identified customer's record language is followed too until they pick one.
    const record = run({ ...at('main.menu'), lang: 'sk' }, 'xyz', { customer: jan });
    expect(record.state.lang).toBe('cs');
  });

  it('greets a known customer who opened the chat with /start, and links a customer the runtime knows', () => {
    expect(run(null, { kind: 'start' }).effects).toEqual([
      { type: 'reply', reply: { text: `${HELLO}\n\n${MENU}`, key: 'menu.prompt', choices: MENU_CHOICES } },
    ]);
    expect(run(null, { kind: 'contact', phone: '+420603123456', own: true }).effects).toEqual([
      { type: 'reply', reply: { text: `${HELLO}\n\n${MENU}`, key: 'menu.prompt', choices: MENU_CHOICES } },
    ]);
    // The runtime found the customer meanwhile (e.g. by the SMS sender's number): the conversation is theirs.
    const linked = run(at('main.menu', { customerId: null }), '1');
    expect(linked.state.customerId).toBe('c1');
    expect(run(at('main.menu', { customerId: 'c9' }), '1').state.customerId).toBe('c9');
  });

  it('goes straight to the problem a known customer names, with a follow-up timer', () => {
    const r = run(null, 'nejde mi internet');
    expect(r.effects).toEqual([
      { type: 'reply', reply: { text: `${HELLO}\n\n${UNPLUG}`, key: 'checklist.unplug', choices: UNPLUG_CHOICES } },
      { type: 'startTimer', name: 'followUp', token: `internet.unplug.followUp.${T0}`, dueAt: '2026-11-23T09:30:00.000Z' },
    ]);
    expect(r.state).toMatchObject({
      flow: 'internet',
      step: 'unplug',
      flowVersion: INTERNET_V,
      back: [{ flow: 'main', step: 'menu' }],
      timer: { name: 'followUp', token: `internet.unplug.followUp.${T0}`, dueAt: '2026-11-23T09:30:00.000Z' },
    });
  });

  it('looks up a contract number, a deep link or a shared contact, saying the greeting with the answer', () => {
    const byText = run(null, ' 2024-0153 ', { customer: null });
    expect(byText.effects).toEqual([{ type: 'lookupCustomer', contractNumber: '2024-0153' }]);
    expect(byText.state).toMatchObject({ step: 'identify', lookup: 'contract', held: [HELLO], idAttempts: ['2024-0153'] });
    const found = run(byText.state, { kind: 'lookupResult', customer: jan }, { customer: null });
    expect(found.effects).toEqual([{ type: 'reply', reply: { text: `${HELLO}\n\n${WELCOME}\n\n${MENU}`, key: 'menu.prompt', choices: MENU_CHOICES } }]);
    expect(found.state).toMatchObject({ customerId: 'c1', verified: true, idTries: 0, lookup: null, step: 'menu' });
    expect(found.state.idAttempts).toBeUndefined();
    expect(found.state.held).toBeUndefined();

    const deep = run(null, { kind: 'start', payload: 'A-77' }, { customer: null });
    expect(deep.effects).toEqual([{ type: 'lookupCustomer', contractNumber: 'A-77' }]);
    const plainStart = run(null, { kind: 'start' }, { customer: null });
    expect(plainStart.effects).toEqual([{ type: 'reply', reply: { text: `${HELLO}\n\n${ASK_ID}`, key: 'identify.ask' } }]);

    const contact = run(null, { kind: 'contact', phone: '+420603123456', own: true }, { customer: null, channel: 'telegram' });
    expect(contact.effects).toEqual([{ type: 'lookupCustomer', phone: '+420603123456' }]);
    expect(contact.state.lookup).toBe('phone');
    expect(contact.state.idAttempts).toBeUndefined();
    const notOwn = run(null, { kind: 'contact', phone: '+420603123456', own: false }, { customer: null, channel: 'telegram' });
    expect(texts(notOwn)).toEqual([
      `${HELLO}\n\nSdílet lze jen vlastní telefonní číslo. Použijte prosím tlačítko níže, nebo napište číslo smlouvy.\n\n${ASK_ID_TG}`,
    ]);
    expect(others(notOwn)).toEqual([]);
  });

  it.each([
    ['123', true],
    ['A/1', true],
    ['12345678901234567890', true],
    ['2024-0153', true],
    ['12', false],
    ['123456789012345678901', false],
    ['-123', false],
    ['2024 0153', false],
    ['abc-def', false],
    ['nevim', false],
  ])('reads %j as a contract number: %s', (textIn, isContract) => {
    const r = run(null, textIn, { customer: null });
    expect(r.effects.some((e) => e.type === 'lookupCustomer')).toBe(isContract);
    const later = run(at('main.identify', { customerId: null }), textIn, { customer: null });
    expect(later.effects.some((e) => e.type === 'lookupCustomer')).toBe(isContract);
  });

  it('remembers the problem an unknown customer names and takes it up once they are identified', () => {
    const first = run(null, 'Nefunguje mi wifi', { customer: null, channel: 'sms' });
    expect(first.state.wanted).toBe('wifi');
    expect(run(null, 'Dobry den', { customer: null }).state.wanted).toBeUndefined();
    const d = new Driver(null, { channel: 'sms' });
    d.send('nejde mi telefon');
    expect(d.send('2024-0153')).toEqual([
      'Děkuji, smlouva nalezena (Jan Novák).\n\nOdpojte ze zásuvky vše (zdroj antény, router, switch, VoIP brána) na 10 s.',
    ]);
    expect(d.where).toBe('voip.unplug');
    expect(d.state?.wanted).toBeUndefined();
    expect(d.state?.back).toEqual([{ flow: 'main', step: 'menu' }]);
  });

  it('tells a known outage instead of the checklist, and attaches the customer to it', () => {
    const outage = { id: 'o1', notice: 'Výpadek: Bory.', services: ['internet'] };
    const OTHER = 'Pokud máte jiný problém, vyberte ho prosím z nabídky.';
    const hello = run(null, 'Dobrý den', { outage });
    expect(hello.effects).toEqual([
      { type: 'attachOutage', outageId: 'o1' },
      { type: 'reply', reply: { text: `${HELLO}\n\nVýpadek: Bory.\n\n${OTHER}\n\n${MENU}`, key: 'menu.prompt', choices: MENU_CHOICES } },
    ]);
    expect(where(hello)).toBe('main.menu');
    // Wi-Fi runs over the internet connection: covered by an internet outage.
    const wifi = run(null, 'nejde mi wifi', { outage });
    expect(others(wifi)).toEqual([{ type: 'attachOutage', outageId: 'o1' }]);
    expect(where(wifi)).toBe('main.menu');
    // Other services are not.
    const voip = run(null, 'nejde mi telefon', { outage });
    expect(others(voip)).toEqual([{ type: 'startTimer', name: 'followUp', token: `voip.unplug.followUp.${T0}`, dueAt: '2026-11-23T09:30:00.000Z' }]);
    expect(where(run(null, 'něco jiného', { outage }))).toBe('other.description');
    // A Wi-Fi outage does not cover the internet.
    expect(where(run(null, 'nejde internet', { outage: { ...outage, services: ['wifi'] } }))).toBe('internet.unplug');
    expect(where(run(null, 'nejde telefon', { outage: { ...outage, services: ['voip'] } }))).toBe('main.menu');
    // Chosen from the menu later, too.
    const menu = run(at('main.menu'), '1', { outage });
    expect(menu.effects).toEqual([
      { type: 'attachOutage', outageId: 'o1' },
      { type: 'reply', reply: { text: `Výpadek: Bory.\n\n${OTHER}\n\n${MENU}`, key: 'menu.prompt', choices: MENU_CHOICES } },
    ]);
    expect(menu.state.back).toEqual([]);
    // An unknown customer hears of it once identified.
    const d = new Driver(null, { outage });
    d.send('nejde mi internet');
    expect(d.send('2024-0153')).toEqual([`${WELCOME}\n\nVýpadek: Bory.\n\n${OTHER}\n\n${MENU}`]);
    expect(d.of('attachOutage')).toEqual([{ type: 'attachOutage', outageId: 'o1' }]);
  });
});

const BAD_FORMAT = (left: number) =>
  `Číslo smlouvy tvoří číslice, případně písmena a pomlčky, bez mezer – například 2024-0153. Napište ho prosím znovu (zbývá pokusů: ${left}).`;
const NOT_FOUND = (left: number) => `Smlouvu s tímto číslem jsem bohužel nenašla. Zkontrolujte ho prosím a napište ho znovu (zbývá pokusů: ${left}).`;
const HANDOVER = 'Bohužel se mi vás nepodařilo ověřit. Předávám vás technikovi, který vás ověří sám. Spěchá-li to, volejte +420 377 000 000.';
const OPENED = (n: string) =>
  `Váš požadavek jsem předala technikům pod číslem ${n}. Technik se vám ozve zde. Pokud si vzpomenete na něco dalšího, napište mi to sem a připojím to k požadavku.`;

describe('identification', () => {
  const unknown = { customer: null };
  const identify = (extra: Partial<ConversationState> = {}) => at('main.identify', { customerId: null, ...extra }, unknown);

  it('counts wrong entries and says how many tries are left', () => {
    const bad = run(identify(), 'nevím', unknown);
    expect(bad.effects).toEqual([{ type: 'reply', reply: { text: `${BAD_FORMAT(2)}\n\n${ASK_ID}`, key: 'identify.ask' } }]);
    expect(bad.state).toMatchObject({ idTries: 1, idAttempts: ['nevím'], step: 'identify', verified: true });
    const lookedUp = run(bad.state, '1111-2222', unknown);
    expect(lookedUp.effects).toEqual([{ type: 'lookupCustomer', contractNumber: '1111-2222' }]);
    expect(lookedUp.state.held).toBeUndefined();
    const notFound = run(lookedUp.state, { kind: 'lookupResult', customer: null }, unknown);
    expect(texts(notFound)).toEqual([`${NOT_FOUND(1)}\n\n${ASK_ID}`]);
    expect(notFound.state).toMatchObject({ idTries: 2, idAttempts: ['nevím', '1111-2222'], lookup: null });
    // Over SMS the short variant.
    const sms = run(identify({ idTries: 1 }), 'x', { customer: null, channel: 'sms' });
    expect(texts(sms)).toEqual([
      'Číslo smlouvy je bez mezer, např. 2024-0153. Pošlete ho znovu (zbývá pokusů: 1).\n\nPro ověření pošlete číslo smlouvy (je na smlouvě či faktuře).',
    ]);
  });

  it('does not count a shared phone number that is not on any contract', () => {
    const r = run(identify({ lookup: 'phone', idTries: 2 }), { kind: 'lookupResult', customer: null }, { customer: null, channel: 'telegram' });
    expect(texts(r)).toEqual([`K tomuto telefonnímu číslu jsem nenašla žádnou smlouvu. Napište mi prosím číslo své smlouvy.\n\n${ASK_ID_TG}`]);
    expect(r.state).toMatchObject({ idTries: 2, verified: true, lookup: null });
    const notOwn = run(identify(), { kind: 'contact', phone: '+420777000111', own: false }, { customer: null, channel: 'telegram' });
    expect(texts(notOwn)).toEqual([`Sdílet lze jen vlastní telefonní číslo. Použijte prosím tlačítko níže, nebo napište číslo smlouvy.\n\n${ASK_ID_TG}`]);
    const own = run(identify(), { kind: 'contact', phone: '+420777000111', own: true }, { customer: null, channel: 'telegram' });
    expect(own.effects).toEqual([{ type: 'lookupCustomer', phone: '+420777000111' }]);
    // A contact shared outside identification changes nothing: the question is asked again.
    const elsewhere = run(at('internet.worksNow'), { kind: 'contact', phone: '+420777000111', own: true });
    expect(elsewhere.effects).toEqual([{ type: 'reply', reply: { text: WORKS_NOW, key: 'internet.worksNow', choices: YES_NO } }]);
  });

  it('hands over to a human after the last wrong try: an unverified ticket with what was entered', () => {
    const r = run(identify({ idTries: 2, idAttempts: ['nevím', '1111-2222'], wanted: 'wifi' }), '1111 2223', unknown);
    expect(r.effects).toEqual([
      {
        type: 'openTicket',
        ticket: {
          category: 'other',
          verified: false,
          likelyCustomerSide: false,
          answers: { problem: 'identification', contractTries: 'nevím, 1111-2222, 1111 2223' },
          summary: 'Problém: Zákazníka se nepodařilo ověřit\nZadaná čísla smluv: nevím, 1111-2222, 1111 2223\nZákazník neověřen',
        },
      },
    ]);
    expect(r.state).toMatchObject({ verified: false, idTries: 3, step: 'menu', flow: 'main', held: [HANDOVER] });
    expect(r.state.wanted).toBeUndefined();
    expect(r.state.idAttempts).toBeUndefined();
    const opened = run(r.state, { kind: 'ticketOpened', number: 'T-7' }, unknown);
    expect(opened.effects).toEqual([
      { type: 'record', text: 'Založen požadavek T-7.', outcome: 'ticket_opened' },
      { type: 'reply', reply: { text: `${HANDOVER}\n\n${OPENED('T-7')}`, key: 'ticket.opened', choices: NEW_PROBLEM } },
    ]);
    // Nothing entered as a contract number (the tries were used up elsewhere): no such line.
    const bare = run(identify({ idTries: 2, lookup: 'contract' }), { kind: 'lookupResult', customer: null }, unknown);
    expect(bare.effects).toEqual([
      {
        type: 'openTicket',
        ticket: {
          category: 'other',
          verified: false,
          likelyCustomerSide: false,
          answers: { problem: 'identification' },
          summary: 'Problém: Zákazníka se nepodařilo ověřit\nZákazník neověřen',
        },
      },
    ]);
    // The summary is in the team's language.
    const en = run(identify({ idTries: 2 }), 'x', { customer: null, settings: { ...settings, teamLanguage: 'en' } });
    expect(en.effects[0]).toMatchObject({ ticket: { summary: 'Problem: Customer could not be verified\nContract numbers entered: x\nCustomer not verified' } });
  });

  it('keeps the last few entries, shortened', () => {
    const long = 'x'.repeat(45);
    const r = run(identify({ idAttempts: ['a', 'b', 'c'] }), `  ${long}  `, unknown);
    expect(r.state.idAttempts).toEqual(['b', 'c', `${'x'.repeat(39)}…`]);
    const forty = run(identify(), `a   ${'y'.repeat(38)}`, unknown);
    expect(forty.state.idAttempts).toEqual([`a ${'y'.repeat(38)}`]);
    const fortyOne = run(identify(), 'z'.repeat(41), unknown);
    expect(fortyOne.state.idAttempts).toEqual([`${'z'.repeat(39)}…`]);
    const five = run(identify(), 'x', { customer: null, settings: { ...settings, maxIdTries: 5 } });
    expect(five.state.idAttempts).toEqual(['x']);
    expect(texts(five)).toEqual([`${BAD_FORMAT(4)}\n\n${ASK_ID}`]);
  });

  it('welcomes the found customer in their language unless one was picked', () => {
    const ada: CustomerView = { ...jan, id: 'c2', name: 'Ada Kováčová', language: 'sk' };
    const r = run(identify({ lookup: 'contract', idTries: 1, idAttempts: ['A-1'] }), { kind: 'lookupResult', customer: ada }, unknown);
    expect(texts(r)).toEqual(['Ďakujem, vašu zmluvu som našla (Ada Kováčová).\n\nS čím vám môžem pomôcť? Vyberte prosím, čo nefunguje.']);
    expect(r.state).toMatchObject({ customerId: 'c2', lang: 'sk', idTries: 0, verified: true });
    const picked = run(identify({ lang: 'en', langChosen: true, lookup: 'contract' }), { kind: 'lookupResult', customer: ada }, unknown);
    expect(texts(picked)[0]).toMatch(/^Thank you, I have found your contract \(Ada Kováčová\)\./);
    expect(picked.state.lang).toBe('en');
  });

  it('a deep link during identification is a look-up; an identified customer gets the greeting and the menu', () => {
    expect(run(identify(), { kind: 'start', payload: '2024-0153' }, unknown).effects).toEqual([{ type: 'lookupCustomer', contractNumber: '2024-0153' }]);
    const known = run(at('internet.worksNow', { timer: { name: 'followUp', token: 't', dueAt: 'x' } }), { kind: 'start', payload: '2024-0153' });
    expect(known.effects).toEqual([
      { type: 'cancelTimers' },
      { type: 'reply', reply: { text: `${HELLO}\n\n${MENU}`, key: 'menu.prompt', choices: MENU_CHOICES } },
    ]);
    expect(run(identify(), { kind: 'start' }, unknown).effects).toEqual([{ type: 'reply', reply: { text: `${HELLO}\n\n${ASK_ID}`, key: 'identify.ask' } }]);
  });

  it('words of the menu, back and restart only ask again for the contract number', () => {
    for (const word of ['menu', 'znovu', 'zpět']) {
      const r = run(identify(), word, unknown);
      expect(r.effects, word).toEqual([{ type: 'reply', reply: { text: ASK_ID, key: 'identify.ask' } }]);
      expect(r.state.idTries).toBe(0);
    }
  });
});

describe('words that work at every step', () => {
  const worksNow = (extra: Partial<ConversationState> = {}) =>
    at('internet.worksNow', {
      back: [
        { flow: 'main', step: 'menu' },
        { flow: 'internet', step: 'unplug' },
      ],
      ...extra,
    });

  it('switches the language, and remembers it on the record of an identified customer', () => {
    const r = run(worksNow(), 'in english');
    expect(r.effects).toEqual([
      { type: 'setCustomerLanguage', lang: 'en' },
      {
        type: 'reply',
        reply: {
          text: "All right, we'll continue in English.\n\nIs your internet working now? Please try opening a web page.",
          key: 'internet.worksNow',
          choices: [
            { id: 'yes', label: 'Yes, it works' },
            { id: 'no', label: 'No, still broken' },
          ],
        },
      },
    ]);
    expect(r.state).toMatchObject({ lang: 'en', langChosen: true, step: 'worksNow' });
    const unknown = run(at('main.identify', { customerId: null }, { customer: null }), 'po slovensky', { customer: null });
    expect(unknown.effects).toEqual([
      {
        type: 'reply',
        reply: {
          text: 'Dobre, budeme pokračovať po slovensky.\n\nAby som vás mohla overiť, napíšte mi prosím číslo svojej zmluvy (nájdete ho na zmluve alebo na faktúre).',
          key: 'identify.ask',
        },
      },
    ]);
    expect(run(worksNow({ lang: 'en' }), 'česky').state.lang).toBe('cs');
  });

  it('offers the language menu and returns to the question in the chosen language', () => {
    const menu = run(worksNow(), 'jazyk');
    expect(menu.effects).toEqual([
      {
        type: 'reply',
        reply: {
          text: 'Vyberte prosím jazyk.',
          key: 'lang.pick',
          choices: [
            { id: 'cs', label: 'Čeština' },
            { id: 'sk', label: 'Slovenčina' },
            { id: 'en', label: 'English' },
          ],
        },
      },
    ]);
    expect(where(menu)).toBe('main.language');
    const sk = run(menu.state, { kind: 'choice', choiceId: 'sk' });
    expect(sk.effects).toEqual([
      { type: 'setCustomerLanguage', lang: 'sk' },
      {
        type: 'reply',
        reply: {
          text: 'Dobre, budeme pokračovať po slovensky.\n\nFunguje vám teraz internet? Skúste prosím otvoriť nejakú webovú stránku.',
          key: 'internet.worksNow',
          choices: [
            { id: 'yes', label: 'Áno, funguje' },
            { id: 'no', label: 'Nie, stále nefunguje' },
          ],
        },
      },
      { type: 'startTimer', name: 'followUp', token: `internet.worksNow.followUp.${T0}`, dueAt: '2026-11-23T09:30:00.000Z' },
    ]);
    expect(sk.state.back).toEqual([
      { flow: 'main', step: 'menu' },
      { flow: 'internet', step: 'unplug' },
    ]);
    expect(sk.state.flowVersion).toBe(INTERNET_V);
  });

  it('explains the commands and asks the same question again', () => {
    const r = run(worksNow(), 'Pomoc!');
    expect(r.effects).toEqual([
      {
        type: 'reply',
        reply: {
          text: `Odpovídejte číslem možnosti, tlačítkem nebo slovy. Kdykoli můžete napsat: „menu“ (nabídka problémů), „zpět“ (předchozí krok), „znovu“ (začít od začátku), „jazyk“ (změna jazyka), „hodiny“ (čerpání hodin podpory). Spěchá-li to, volejte +420 377 000 000.\n\n${WORKS_NOW}`,
          key: 'internet.worksNow',
          choices: YES_NO,
        },
      },
    ]);
    expect(r.state.misses).toBe(0);
  });

  it('goes back one step, to the menu, or starts over, cancelling the pending timer', () => {
    const timer = { name: 'followUp', token: 'internet.worksNow.followUp.1', dueAt: '2026-11-23T09:30:00.000Z' };
    const back = run(worksNow({ timer, answers: { checklist: 'done' } }), 'zpět');
    expect(back.effects).toEqual([
      { type: 'cancelTimers' },
      { type: 'reply', reply: { text: UNPLUG, key: 'checklist.unplug', choices: UNPLUG_CHOICES } },
      { type: 'startTimer', name: 'followUp', token: `internet.unplug.followUp.${T0}`, dueAt: '2026-11-23T09:30:00.000Z' },
    ]);
    expect(back.state.back).toEqual([{ flow: 'main', step: 'menu' }]);
    expect(back.state.answers).toEqual({ checklist: 'done' });
    const menu = run(worksNow({ timer, answers: { checklist: 'done' } }), 'hlavní menu');
    expect(menu.effects).toEqual([{ type: 'cancelTimers' }, { type: 'reply', reply: { text: MENU, key: 'menu.prompt', choices: MENU_CHOICES } }]);
    expect(menu.state).toMatchObject({ flow: 'main', step: 'menu', answers: {}, back: [], flowVersion: MAIN_V, misses: 0, timer: null });
    const restart = run(worksNow({ misses: 2, followUps: 1 }), 'od začátku');
    expect(restart.effects).toEqual([{ type: 'reply', reply: { text: `Dobře, začneme znovu.\n\n${MENU}`, key: 'menu.prompt', choices: MENU_CHOICES } }]);
    expect(restart.state).toMatchObject({ misses: 0, followUps: 0, back: [] });
    const nowhere = run(at('main.menu'), 'back');
    expect(nowhere.effects).toEqual([
      { type: 'reply', reply: { text: `Dál zpět se vrátit nelze, jsme na začátku.\n\n${MENU}`, key: 'menu.prompt', choices: MENU_CHOICES } },
    ]);
  });

  it('starts a new session when the menu is asked for after a ticket or the end of a session', () => {
    const after = run(at('main.ticketOpen', { ticketNumber: 'T-1' }), 'menu');
    expect(after.effects).toEqual([{ type: 'newSession' }, { type: 'reply', reply: { text: MENU, key: 'menu.prompt', choices: MENU_CHOICES } }]);
    expect(after.state.ticketNumber).toBeNull();
    const done = run(at('main.done'), 'menu');
    expect(done.effects).toEqual([{ type: 'newSession' }, { type: 'reply', reply: { text: MENU, key: 'menu.prompt', choices: MENU_CHOICES } }]);
    const unverified = run(at('main.ticketOpen', { customerId: null, verified: false, ticketNumber: 'T-1' }, { customer: null }), 'menu', { customer: null });
    expect(where(unverified)).toBe('main.menu');
    const unknown = run(at('internet.since', { customerId: null }, { customer: null }), 'menu', { customer: null });
    expect(where(unknown)).toBe('main.identify');
  });

  it('answers a command on an open ticket by recalling the ticket, not by saying the words were attached to it', () => {
    const help = run(at('main.ticketOpen', { ticketNumber: 'T-1' }), 'pomoc');
    expect(texts(help)).toHaveLength(1);
    expect(texts(help)[0]).toMatch(/^Odpovídejte číslem možnosti, tlačítkem nebo slovy. Kdykoli můžete napsat/);
    expect(texts(help)[0]?.endsWith(`\n\n${STILL_OPEN}`)).toBe(true);
    expect(replies(help)[0]?.key).toBe('ticket.stillOpen');
    expect(texts(run(at('main.ticketOpen', { ticketNumber: 'T-1' }), 'router bliká oranžově'))).toEqual([NOTED]);
  });

  it('tells commands from words for the technician', () => {
    for (const command of [
      'pomoc',
      'Nápověda',
      'MENU',
      'hlavní menu',
      'zpět',
      'znovu',
      'jazyk',
      'English',
      'slovensky',
      'kolik hodin mi zbývá',
      'zaplatil jsem',
    ]) {
      expect(isCommandText(command), command).toBe(true);
    }
    for (const words of ['', '  ', 'router bliká', 'pomoc prosím, nejde to', 'ano', '2024-0153', 'nový']) expect(isCommandText(words), words).toBe(false);
  });

  it('forgets the open ticket and its answers when the customer reports another problem', () => {
    const open = at('main.ticketOpen', { ticketNumber: 'T-1', answers: { devices: 'wifiOnly', customerSide: 'yes' } });
    for (const event of [{ kind: 'choice', choiceId: 'newProblem' } as const, 'nový', 'new']) {
      const r = run(open, event);
      expect(r.effects).toEqual([{ type: 'newSession' }, { type: 'reply', reply: { text: MENU, key: 'menu.prompt', choices: MENU_CHOICES } }]);
      expect(r.state).toMatchObject({ flow: 'main', step: 'menu', ticketNumber: null, answers: {}, back: [] });
    }
  });
});

const LIGHTS = 'Jak svítí kontrolky na routeru? Vyberte, nebo je popište vlastními slovy.';
const LIGHTS_CHOICES = [
  { id: 'off', label: 'Nesvítí nic' },
  { id: 'red', label: 'Něco svítí červeně' },
  { id: 'blinking', label: 'Něco bliká' },
  { id: 'normal', label: 'Svítí jako obvykle' },
  { id: 'unknown', label: 'Nevím' },
];
const DEVICES = 'Kterých zařízení se závada týká?';
const DEVICES_CHOICES = [
  { id: 'all', label: 'Všech' },
  { id: 'some', label: 'Jen některých' },
  { id: 'wifiOnly', label: 'Jen těch na Wi-Fi' },
  { id: 'phoneOnly', label: 'Jen telefonu' },
];
const DESCRIBE = 'Popište prosím závadu vlastními slovy: co přesně nefunguje a co se děje (např. hlášení na obrazovce).';
const RESOLVED =
  'Jsem ráda, že vše zase funguje. Pokud by se závada vrátila, napište mi kdykoli. Tip: za bouřky odpojujte zařízení ze zásuvky i od datového kabelu – výměna zařízení poškozených přepětím je zpoplatněná.';

describe('questions with fixed answers', () => {
  it('stores the answer under the step field and moves on, with a follow-up timer where the step asks for one', () => {
    const r = run(at('internet.worksNow'), 'ne');
    expect(r.effects).toEqual([
      {
        type: 'reply',
        reply: {
          text: 'Restartujte prosím ještě počítače a další zařízení připojená k síti (notebook, televizi, telefon). Až se znovu spustí, napište mi.',
          key: 'checklist.restartPc',
          choices: [
            { id: 'done', label: 'Hotovo, restartováno' },
            { id: 'noComputer', label: 'Nemám žádný počítač' },
          ],
        },
      },
      { type: 'startTimer', name: 'followUp', token: `internet.restartPc.followUp.${T0}`, dueAt: '2026-11-23T09:30:00.000Z' },
    ]);
    expect(r.state).toMatchObject({ answers: { afterReplug: 'no' }, back: [{ flow: 'internet', step: 'worksNow' }], misses: 0, followUps: 0 });
    // Without a follow-up: no timer.
    const lights = run(at('internet.lights'), 'bliká');
    expect(lights.effects).toEqual([{ type: 'reply', reply: { text: DEVICES, key: 'collect.devices', choices: DEVICES_CHOICES } }]);
    expect(lights.state.answers).toEqual({ lights: 'blinking' });
    // A choice that sets more answers and says a line first.
    const wifiOnly = run(at('internet.devices'), { kind: 'choice', choiceId: 'wifiOnly' });
    expect(wifiOnly.state.answers).toEqual({ devices: 'wifiOnly', customerSide: 'yes' });
    const giveUp = run(at('internet.worksAfterRestart'), '2');
    expect(texts(giveUp)).toEqual([`${INTRO}\n\n${SINCE}`]);
    expect(replies(giveUp)[0]?.choices).toEqual(SINCE_CHOICES);
    expect(giveUp.state.answers).toEqual({ afterRestart: 'no' });
  });

  it('takes free words where the step allows them, but not an answer without letters or digits', () => {
    const r = run(at('internet.lights'), '  svítí divně oranžově ');
    expect(r.state.answers).toEqual({ lights: 'svítí divně oranžově' });
    expect(where(r)).toBe('internet.devices');
    const none = run(at('internet.lights'), '...');
    expect(texts(none)).toEqual([NOT_UNDERSTOOD]);
    expect(replies(none)[0]?.choices).toEqual(LIGHTS_CHOICES);
    expect(none.state.misses).toBe(1);
    // The menu has no free words: a miss.
    expect(run(at('main.menu'), 'blabla').state.misses).toBe(1);
    // A free answer without a field is not stored.
    const flow: FlowDef = {
      id: 'custom',
      version: 1,
      category: 'other',
      title: 'problem.other',
      start: 'q',
      summaryFields: [],
      steps: {
        q: { kind: 'choice', prompt: 'collect.lights', freeText: 'r', choices: [{ id: 'a', label: 'collect.lights.off', next: 'r' }] },
        r: { kind: 'end', prompt: 'checklist.resolved', outcome: 'abandoned' },
      },
    };
    const custom = run(at('custom.q'), 'cokoli', { flows: { ...flows, custom: flow } });
    expect(custom.state.answers).toEqual({});
    expect(custom.effects).toEqual([
      { type: 'reply', reply: { text: RESOLVED } },
      { type: 'record', text: 'Zákazník rozhovor nedokončil.', outcome: 'abandoned' },
    ]);
  });

  it('asks again when not understood, and offers the helpdesk after the third miss', () => {
    const first = run(at('internet.worksNow'), 'možná');
    // The apology replaces the question; its choices stay.
    expect(first.effects).toEqual([{ type: 'reply', reply: { text: NOT_UNDERSTOOD, key: 'common.notUnderstood', choices: YES_NO } }]);
    expect(first.state.misses).toBe(1);
    const second = run(first.state, 'nevím');
    expect(texts(second)).toEqual([NOT_UNDERSTOOD]);
    const third = run(second.state, 'hmm');
    expect(third.effects).toEqual([{ type: 'reply', reply: { text: TOO_MANY, key: 'common.tooManyMisses', choices: YES_NO } }]);
    expect(third.state.misses).toBe(3);
    // A button of this step that does not exist is a miss too; a button of an earlier question is refused politely.
    expect(run(at('internet.worksNow', { misses: 2 }), { kind: 'choice', choiceId: 'banana' }).effects).toEqual([
      { type: 'reply', reply: { text: TOO_MANY, key: 'common.tooManyMisses', choices: YES_NO } },
    ]);
    const stale = run(at('internet.worksNow'), { kind: 'choice', choiceId: 'yes', stale: true });
    expect(stale.effects).toEqual([
      {
        type: 'reply',
        reply: { text: `Toto tlačítko patří k dřívější otázce. Odpovězte prosím na tu poslední.\n\n${WORKS_NOW}`, key: 'internet.worksNow', choices: YES_NO },
      },
    ]);
    expect(stale.state.misses).toBe(0);
  });
});

describe('free-text questions', () => {
  it('takes a quick answer by number or words, or the customer own words when long enough', () => {
    const quick = run(at('internet.since'), '2');
    expect(quick.state.answers).toEqual({ since: 'yesterday' });
    expect(quick.effects).toEqual([{ type: 'reply', reply: { text: LIGHTS, key: 'collect.lights', choices: LIGHTS_CHOICES } }]);
    expect(run(at('internet.since'), { kind: 'choice', choiceId: 'longer' }).state.answers).toEqual({ since: 'longer' });
    const own = run(at('internet.since'), '  od pondělí ');
    expect(own.state.answers).toEqual({ since: 'od pondělí' });
    expect(where(own)).toBe('internet.lights');
    expect(run(at('internet.since'), 'ok').state.answers).toEqual({ since: 'ok' });
  });

  it('explains what is missing when an answer is too short, without asking the question again', () => {
    const short = run(at('internet.since', { misses: 1 }), 'x');
    expect(short.effects).toEqual([{ type: 'reply', reply: { text: 'Napište mi prosím, od kdy závada trvá, např. „od dnešního rána“ nebo „asi tři dny“.' } }]);
    expect(short.state).toMatchObject({ step: 'since', misses: 2, answers: {} });
    const symbols = run(at('internet.description'), '!!!!!!!!!!!!');
    expect(texts(symbols)).toEqual(['Potřebuji o něco podrobnější popis, aby technik věděl, co hledat. Napište prosím alespoň jednu celou větu.']);
    expect(where(run(at('internet.description'), '123456789'))).toBe('internet.description');
    expect(run(at('internet.description'), ' 1234567890 ').state.answers).toEqual({ description: '1234567890' });
  });

  it('reads the caption of a photo as the answer, and thanks for a photo elsewhere', () => {
    const caption = run(at('internet.description'), { kind: 'media', mediaKind: 'photo', fileId: 'F', caption: 'Router hlásí chybu PPPoE' });
    expect(caption.state.answers).toEqual({ description: 'Router hlásí chybu PPPoE' });
    const photo = run(at('internet.worksNow'), { kind: 'media', mediaKind: 'photo', caption: 'router' });
    expect(photo.effects).toEqual([
      {
        type: 'reply',
        reply: { text: `Děkuji za fotografii, uložila jsem ji k vašemu požadavku.\n\n${WORKS_NOW}`, key: 'internet.worksNow', choices: YES_NO },
      },
    ]);
    const voice = run(at('internet.description'), { kind: 'media', mediaKind: 'voice' });
    expect(voice.effects).toEqual([
      { type: 'reply', reply: { text: `Tento druh zprávy bohužel neumím přečíst. Napište mi to prosím textem.\n\n${DESCRIBE}`, key: 'collect.description' } },
    ]);
    expect(voice.state.answers).toEqual({});
  });

  it('takes a quick answer of a custom input step that has none as plain text', () => {
    const flow: FlowDef = {
      id: 'custom',
      version: 1,
      category: 'other',
      title: 'problem.other',
      start: 'q',
      summaryFields: [],
      steps: {
        q: { kind: 'input', prompt: 'collect.since', field: 'since', minLength: 1, retry: 'collect.sinceRetry', next: 'r', quick: [] },
        r: { kind: 'end', prompt: 'checklist.resolved', outcome: 'resolved_by_customer' },
      },
    };
    const r = run(at('custom.q'), '1', { flows: { ...flows, custom: flow } });
    expect(r.state.answers).toEqual({ since: '1' });
    expect(r.effects[1]).toEqual({
      type: 'record',
      text: 'Zákazník potvrdil, že po restartu zařízení vše funguje. Vyřešeno bez technika.',
      outcome: 'resolved_by_customer',
    });
  });
});

describe('waiting for the devices', () => {
  const waiting = (dueAt: string | null, extra: Partial<ConversationState> = {}) =>
    at('internet.plugBack', { timer: dueAt ? { name: 'wait', token: `internet.plugBack.wait.${T0}`, dueAt } : null, ...extra });

  it('starts a timer of the configured minutes', () => {
    const r = run(at('internet.unplug'), 'hotovo');
    expect(r.effects).toEqual([
      {
        type: 'reply',
        reply: {
          text: PLUG_BACK,
          key: 'checklist.plugBack',
          choices: [
            { id: 'works', label: 'Už to funguje' },
            { id: 'ready', label: 'Zařízení už naběhla' },
          ],
        },
      },
      { type: 'startTimer', name: 'wait', token: `internet.plugBack.wait.${T0}`, dueAt: '2026-11-23T09:03:00.000Z' },
    ]);
    const five = run(at('internet.unplug'), 'hotovo', { settings: { ...settings, waitMinutes: 5 } });
    expect(texts(five)[0]).toContain('Za 5 min se vám ozvu');
    expect(five.state.timer).toEqual({ name: 'wait', token: `internet.plugBack.wait.${T0}`, dueAt: '2026-11-23T09:05:00.000Z' });
    // A custom wait of fixed minutes.
    const flow: FlowDef = {
      id: 'custom',
      version: 1,
      category: 'other',
      title: 'problem.other',
      start: 'w',
      summaryFields: [],
      steps: {
        q: { kind: 'choice', prompt: 'collect.lights', choices: [{ id: 'a', label: 'collect.lights.off', next: 'w' }] },
        w: { kind: 'wait', prompt: 'checklist.plugBack', minutes: 7, then: 'q', choices: [] },
      },
    };
    const fixed = run(at('custom.q'), '1', { flows: { ...flows, custom: flow } });
    expect(fixed.state.timer?.dueAt).toBe('2026-11-23T09:07:00.000Z');
  });

  it('answers early messages with the minutes left, at least one', () => {
    const say = (now: string, dueAt: string | null = '2026-11-23T09:03:00.000Z') => texts(run(waiting(dueAt), 'a teď?', {}, new Date(now)))[0];
    const left = (m: number) => `Zařízení ještě nabíhají, vydržte prosím. Ozvu se asi za ${m} min. Pokud už vše funguje, dejte mi vědět.`;
    expect(say('2026-11-23T09:00:00Z')).toBe(left(3));
    expect(say('2026-11-23T09:00:30Z')).toBe(left(3));
    expect(say('2026-11-23T09:01:00Z')).toBe(left(2));
    expect(say('2026-11-23T09:02:59Z')).toBe(left(1));
    expect(say('2026-11-23T09:10:00Z')).toBe(left(1));
    expect(say('2026-11-23T09:00:00Z', null)).toBe(left(1));
    const r = run(waiting('2026-11-23T09:03:00.000Z'), 'a teď?');
    expect(r.effects).toEqual([
      {
        type: 'reply',
        reply: {
          text: left(3),
          key: 'checklist.stillWaiting',
          choices: [
            { id: 'works', label: 'Už to funguje' },
            { id: 'ready', label: 'Zařízení už naběhla' },
          ],
        },
      },
    ]);
    expect(r.state.timer).not.toBeNull();
  });

  it('moves on early when the devices are ready or it already works', () => {
    const works = run(waiting('2026-11-23T09:03:00.000Z'), 'už to funguje');
    expect(works.effects).toEqual([
      { type: 'cancelTimers' },
      { type: 'reply', reply: { text: RESOLVED } },
      { type: 'record', text: 'Zákazník potvrdil, že po restartu zařízení vše funguje. Vyřešeno bez technika.', outcome: 'resolved_by_customer' },
    ]);
    expect(works.state).toMatchObject({ flow: 'main', step: 'done', back: [], timer: null, answers: { afterReplug: 'yes' } });
    const ready = run(waiting('2026-11-23T09:03:00.000Z'), 'naběhlo');
    expect(where(ready)).toBe('internet.worksNow');
  });

  it('asks whether it works when the timer fires, and ignores stale or foreign timers', () => {
    const fired = run(
      waiting('2026-11-23T09:03:00.000Z'),
      { kind: 'timer', name: 'wait', token: `internet.plugBack.wait.${T0}` },
      {},
      new Date('2026-11-23T09:03:00Z'),
    );
    expect(fired.effects).toEqual([
      { type: 'reply', reply: { text: WORKS_NOW, key: 'internet.worksNow', choices: YES_NO } },
      { type: 'startTimer', name: 'followUp', token: 'internet.worksNow.followUp.1795424580000', dueAt: '2026-11-23T09:33:00.000Z' },
    ]);
    expect(fired.state.back).toEqual([{ flow: 'internet', step: 'plugBack' }]);
    const stale = waiting('2026-11-23T09:03:00.000Z');
    expect(run(stale, { kind: 'timer', name: 'wait', token: 'other' })).toEqual({ state: stale, effects: [] });
    const none = waiting(null);
    expect(run(none, { kind: 'timer', name: 'wait', token: 'x' })).toEqual({ state: none, effects: [] });
    // An old offer timer only clears itself.
    const offerTimer = at('main.ticketOpen', { timer: { name: 'offerExpiry', token: 'o', dueAt: 'x' } });
    const expired = run(offerTimer, { kind: 'timer', name: 'offerExpiry', token: 'o' });
    expect(expired.effects).toEqual([]);
    expect(expired.state.timer).toBeNull();
    // A wait timer at a step that is no wait (the conversation moved on) does nothing.
    const moved = run(at('internet.worksNow', { timer: { name: 'wait', token: 'w', dueAt: 'x' } }), { kind: 'timer', name: 'wait', token: 'w' });
    expect(moved.effects).toEqual([]);
    expect(moved.state.timer).toBeNull();
  });
});

describe('follow-ups', () => {
  const quiet = (followUps: number) => at('internet.worksNow', { followUps, timer: { name: 'followUp', token: 'f', dueAt: '2026-11-23T09:30:00.000Z' } });
  const fire = (state: ConversationState, max: number) =>
    run(state, { kind: 'timer', name: 'followUp', token: 'f' }, { settings: { ...settings, maxFollowUps: max } }, new Date('2026-11-23T09:30:00Z'));

  it('asks once more when the customer goes quiet, as many times as configured', () => {
    const once = fire(quiet(0), 1);
    expect(once.effects).toEqual([
      {
        type: 'reply',
        reply: {
          text: `Jste tu ještě? Až budete mít chvilku, odpovězte prosím na mou poslední otázku.\n\n${WORKS_NOW}`,
          key: 'internet.worksNow',
          choices: YES_NO,
        },
      },
    ]);
    expect(once.state).toMatchObject({ followUps: 1, timer: null });
    const twice = fire(quiet(0), 2);
    expect(others(twice)).toEqual([
      { type: 'startTimer', name: 'followUp', token: 'internet.worksNow.followUp.1795426200000', dueAt: '2026-11-23T10:00:00.000Z' },
    ]);
    expect(twice.state.followUps).toBe(1);
    const second = fire({ ...twice.state, timer: { name: 'followUp', token: 'f', dueAt: 'x' } }, 2);
    expect(texts(second)).toHaveLength(1);
    expect(others(second)).toEqual([]);
    expect(second.state.followUps).toBe(2);
    const enough = fire(quiet(1), 1);
    expect(enough.effects).toEqual([]);
    expect(enough.state).toMatchObject({ followUps: 1, timer: null });
    // Over SMS the short reminder.
    const sms = run(quiet(0), { kind: 'timer', name: 'followUp', token: 'f' }, { channel: 'sms' });
    expect(texts(sms)).toEqual(['Jste tu ještě? Odpovězte prosím.\n\nFunguje teď internet?']);
  });
});

const SUMMARY_ANSWERS = {
  checklist: 'done',
  afterReplug: 'no',
  afterRestart: 'no',
  since: 'today',
  lights: 'red',
  devices: 'all',
  description: 'Nic se nenačítá, ani e-mail.',
};
const SUMMARY_LINES = [
  'Problém: Nefunguje internet',
  'Odpojení zařízení: Hotovo, odpojeno',
  'Po opětovném zapojení: Ne, stále nefunguje',
  'Po restartu počítačů: Ne, stále nefunguje',
  'Od kdy: Od dneška',
  'Kontrolky: Něco svítí červeně',
  'Dotčená zařízení: Všech',
  'Popis: Nic se nenačítá, ani e-mail.',
];

describe('the recap and the ticket', () => {
  it('shows the recap with the answers and asks whether to send it', () => {
    const { description: _, ...beforeDescription } = SUMMARY_ANSWERS;
    const r = run(at('internet.description', { answers: beforeDescription }), 'Nic se nenačítá, ani e-mail.');
    expect(r.effects).toEqual([
      {
        type: 'reply',
        reply: {
          text: `Shrnutí pro technika:\n${SUMMARY_LINES.join('\n')}\n\nMám požadavek odeslat?`,
          key: 'collect.summary',
          choices: [
            { id: 'send', label: 'Ano, odeslat' },
            { id: 'edit', label: 'Opravit údaje' },
          ],
        },
      },
    ]);
    // An unidentified customer's recap says so.
    const unverified = run(
      at('other.since', { customerId: null, verified: false, answers: { description: 'Nejde mi tisk přes síť.' } }, { customer: null }),
      '1',
      { customer: null },
    );
    expect(texts(unverified)).toEqual([
      'Shrnutí pro technika:\nProblém: Něco jiného\nPopis: Nejde mi tisk přes síť.\nOd kdy: Od dneška\nZákazník neověřen\n\nMám požadavek odeslat?',
    ]);
  });

  it('opens a ticket with everything a technician needs, then tells its number and reaction time', () => {
    const r = run(at('internet.summary', { answers: SUMMARY_ANSWERS, back: [{ flow: 'internet', step: 'description' }] }), 'odeslat');
    expect(r.effects).toEqual([
      {
        type: 'openTicket',
        ticket: {
          category: 'internet',
          verified: true,
          likelyCustomerSide: false,
          answers: { problem: 'internet', ...SUMMARY_ANSWERS },
          summary: SUMMARY_LINES.join('\n'),
        },
      },
    ]);
    expect(r.state).toMatchObject({ flow: 'internet', step: 'openTicket' });
    const opened = run(r.state, { kind: 'ticketOpened', number: 'T-9', reactBy: 'pondělí 23. 11. v 18:00' });
    expect(opened.effects).toEqual([
      { type: 'record', text: 'Založen požadavek T-9.', outcome: 'ticket_opened' },
      {
        type: 'reply',
        reply: { text: `${OPENED('T-9')}\n\nTermín reakce technika podle vaší smlouvy: pondělí 23. 11. v 18:00.`, key: 'ticket.opened', choices: NEW_PROBLEM },
      },
    ]);
    expect(opened.state).toMatchObject({ flow: 'main', step: 'ticketOpen', ticketNumber: 'T-9', back: [] });
    const noGuarantee = run(r.state, { kind: 'ticketOpened', number: 'T-9', noReactionGuarantee: true });
    expect(texts(noGuarantee)).toEqual([`${OPENED('T-9')}\n\nVaše smlouva nezahrnuje garantovanou dobu reakce: technik se vám ozve, jakmile to bude možné.`]);
    const both = run(r.state, { kind: 'ticketOpened', number: 'T-9', reactBy: 'zítra', noReactionGuarantee: true });
    expect(texts(both)).toEqual([`${OPENED('T-9')}\n\nTermín reakce technika podle vaší smlouvy: zítra.`]);
    const repeat = run(r.state, { kind: 'ticketOpened', number: 'T-9', repeatWarning: true });
    expect(texts(repeat)).toEqual([
      `Upozorňujeme, že se s touto záležitostí obracíte opakovaně. Další pomoc s ní už bude zpoplatněna podle ceníku. Doporučujeme vám naše technické školení nebo některý z balíčků podpory (SLA).\n\n${OPENED('T-9')}`,
    ]);
    const plain = run(r.state, { kind: 'ticketOpened', number: 'T-9' });
    expect(texts(plain)).toEqual([OPENED('T-9')]);
    // The history line is in the team's language.
    const en = run(r.state, { kind: 'ticketOpened', number: 'T-9' }, { settings: { ...settings, teamLanguage: 'en' } });
    expect(en.effects[0]).toEqual({ type: 'record', text: 'Request T-9 opened.', outcome: 'ticket_opened' });
  });

  it('marks the ticket of a customer-side fault and of an unverified customer', () => {
    const wifi = run(at('internet.summary', { answers: { ...SUMMARY_ANSWERS, customerSide: 'yes' } }), { kind: 'choice', choiceId: 'send' });
    expect(wifi.effects[0]).toMatchObject({ type: 'openTicket', ticket: { likelyCustomerSide: true, verified: true } });
    const other = run(at('internet.summary', { answers: { ...SUMMARY_ANSWERS, customerSide: 'no' } }), '1');
    expect(other.effects[0]).toMatchObject({ ticket: { likelyCustomerSide: false } });
    const unverified = run(at('internet.summary', { customerId: null, verified: false, answers: SUMMARY_ANSWERS }, { customer: null }), 'ano', {
      customer: null,
    });
    expect(unverified.effects[0]).toMatchObject({ ticket: { verified: false, summary: `${SUMMARY_LINES.join('\n')}\nZákazník neověřen` } });
    // Identified but marked unverified (a failed identification before): unverified.
    const marked = run(at('internet.summary', { verified: false, answers: SUMMARY_ANSWERS }), 'ano');
    expect(marked.effects[0]).toMatchObject({ ticket: { verified: false } });
    // The team reads the summary in its language.
    const en = run(at('internet.summary', { answers: { since: 'today' } }), 'ano', { settings: { ...settings, teamLanguage: 'en' } });
    expect(en.effects[0]).toMatchObject({ ticket: { summary: 'Problem: No internet\nSince: Since today' } });
  });

  it('goes back to correct the details, and asks again on anything else', () => {
    const edit = run(at('other.summary', { answers: { description: 'Nejde tisk.', since: 'today' } }), 'opravit');
    expect(edit.effects).toEqual([
      {
        type: 'reply',
        reply: { text: 'Popište mi prosím, s čím potřebujete pomoci. Čím přesnější popis, tím rychleji vám technik pomůže.', key: 'other.describe' },
      },
    ]);
    expect(edit.state.answers).toEqual({ description: 'Nejde tisk.', since: 'today' });
    const unclear = run(at('other.summary', { answers: { since: 'today' } }), 'hm');
    expect(unclear.effects).toEqual([
      {
        type: 'reply',
        reply: {
          text: NOT_UNDERSTOOD,
          key: 'common.notUnderstood',
          choices: [
            { id: 'send', label: 'Ano, odeslat' },
            { id: 'edit', label: 'Opravit údaje' },
          ],
        },
      },
    ]);
  });

  it('over SMS opens the ticket right after the details, without a recap', () => {
    const r = run(at('internet.description', { answers: { since: 'today' } }), 'Nic se nenačítá, ani e-mail.', { channel: 'sms' });
    expect(r.effects).toEqual([
      {
        type: 'openTicket',
        ticket: {
          category: 'internet',
          verified: true,
          likelyCustomerSide: false,
          answers: { problem: 'internet', since: 'today', description: 'Nic se nenačítá, ani e-mail.' },
          summary: 'Problém: Nefunguje internet\nOd kdy: Od dneška\nPopis: Nic se nenačítá, ani e-mail.',
        },
      },
    ]);
    const opened = run(r.state, { kind: 'ticketOpened', number: 'T-3', reactBy: 'zítra' }, { channel: 'sms' });
    expect(texts(opened)).toEqual(['Požadavek T-3 předán technikům, ozvou se zde. Doplnění pište sem.\n\nReakce technika do: zítra.']);
    expect(replies(opened)[0]?.choices).toEqual([{ id: 'newProblem', label: 'Jiný problém' }]);
    // Short texts off: the recap as elsewhere.
    const long = run(at('internet.description'), 'Nic se nenačítá, ani e-mail.', { channel: 'sms', settings: { ...settings, shortSms: false } });
    expect(replies(long)[0]?.key).toBe('collect.summary');
  });

  it('over SMS asks whether it works together with the request to plug back or restart', () => {
    const plug = run(at('internet.unplug'), '1', { channel: 'sms' });
    expect(plug.effects).toEqual([
      {
        type: 'reply',
        reply: {
          text: 'Zapojte vše zpět a počkejte, až zařízení naběhnou (do 3 min). Pak odpovězte: Funguje teď internet?',
          key: 'checklist.plugBackAsk',
          choices: [
            { id: 'yes', label: 'Ano' },
            { id: 'no', label: 'Ne' },
          ],
        },
      },
      { type: 'startTimer', name: 'followUp', token: `internet.plugBack.followUp.${T0}`, dueAt: '2026-11-23T09:30:00.000Z' },
    ]);
    const no = run(plug.state, 'ne', { channel: 'sms' });
    expect(no.state.answers).toEqual({ checklist: 'done', afterReplug: 'no' });
    expect(texts(no)).toEqual(['Restartujte i počítače a další zařízení v síti. Pak odpovězte: Funguje teď internet?']);
    const giveUp = run(no.state, '2', { channel: 'sms' });
    expect(texts(giveUp)).toEqual(['Předám to technikovi, jen pár otázek.\n\nOd kdy závada trvá?']);
    expect(replies(giveUp)[0]?.choices).toEqual([
      { id: 'today', label: 'Dnes' },
      { id: 'yesterday', label: 'Včera' },
      { id: 'longer', label: 'Déle' },
    ]);
  });

  it('adds what the customer writes to the open ticket, and offers a new problem', () => {
    const noted = run(at('main.ticketOpen', { ticketNumber: 'T-1' }), 'Ještě jedna věc: bliká to oranžově.');
    expect(noted.effects).toEqual([{ type: 'reply', reply: { text: NOTED, key: 'ticket.noted', choices: NEW_PROBLEM } }]);
    expect(noted.state.misses).toBe(0);
    const fresh = run(at('main.ticketOpen', { ticketNumber: 'T-1', back: [] }), 'nový');
    expect(fresh.effects).toEqual([{ type: 'newSession' }, { type: 'reply', reply: { text: MENU, key: 'menu.prompt', choices: MENU_CHOICES } }]);
    expect(where(fresh)).toBe('main.menu');
    expect(fresh.state.ticketNumber).toBeNull();
    // The number shown is the session's ticket; with none, nothing is put in its place.
    expect(texts(run(at('main.ticketOpen'), '.'))).toEqual(['Děkuji, připojila jsem to k požadavku . Technik se vám ozve.']);
  });
});

describe('after the ticket', () => {
  const open = (extra: Partial<ConversationState> = {}) => at('main.ticketOpen', { ticketNumber: 'T-1', ...extra });

  it('passes on the technician taking the ticket and writing, without a question', () => {
    const st = open();
    const claimed = run(st, { kind: 'ticketClaimed', number: 'T-1', technician: 'Petr' });
    expect(claimed.effects).toEqual([{ type: 'reply', reply: { text: 'Váš požadavek T-1 převzal technik Petr. Ozve se vám zde.' } }]);
    expect(claimed.state).toEqual(st);
    const message = run(st, { kind: 'technicianMessage', number: 'T-1', technician: 'Petr', text: 'Dorazím ve 14:00.' });
    expect(message.effects).toEqual([{ type: 'reply', reply: { text: 'Petr (technik): Dorazím ve 14:00.' } }]);
    const booked = run(st, { kind: 'visitBooked', number: 'T-1', time: 'úterý 24. 11. ve 14:30' });
    expect(booked.effects).toEqual([{ type: 'reply', reply: { text: 'Výjezd technika jsme naplánovali na úterý 24. 11. ve 14:30.' } }]);
  });

  it('tells the resolution and asks for a rating of the session ticket', () => {
    const r = run(open({ timer: { name: 'followUp', token: 'f', dueAt: 'x' }, back: [{ flow: 'main', step: 'menu' }] }), {
      kind: 'ticketResolved',
      number: 'T-1',
      technician: 'Petr',
      note: 'Vyměněn zdroj.',
    });
    expect(r.effects).toEqual([
      { type: 'cancelTimers' },
      {
        type: 'reply',
        reply: { text: `Váš požadavek T-1 je vyřešen.\n\nTechnik k tomu píše: Vyměněn zdroj.\n\n${RATE_PROMPT}`, key: 'ticket.rate', choices: RATE_CHOICES },
      },
    ]);
    expect(r.state).toMatchObject({ flow: 'main', step: 'rate', ratingFor: 'T-1', back: [], timer: null });
    // The session's ticket resolved while the customer is in a checklist: the rating is asked all the same.
    const fromChecklist = run(at('wifi.since', { ticketNumber: 'T-1' }), { kind: 'ticketResolved', number: 'T-1', technician: 'Petr' });
    expect(where(fromChecklist)).toBe('main.rate');
    const noNote = run(open(), { kind: 'ticketResolved', number: 'T-1', technician: 'Petr' });
    expect(texts(noNote)).toEqual([`Váš požadavek T-1 je vyřešen.\n\n${RATE_PROMPT}`]);
    // Another ticket than the session's: just the news, the customer stays where they are.
    const elsewhere = run(at('internet.worksNow', { ticketNumber: null }), { kind: 'ticketResolved', number: 'T-1', technician: 'Petr', note: 'Hotovo.' });
    expect(elsewhere.effects).toEqual([{ type: 'reply', reply: { text: 'Váš požadavek T-1 je vyřešen.\n\nTechnik k tomu píše: Hotovo.' } }]);
    expect(where(elsewhere)).toBe('internet.worksNow');
    expect(elsewhere.state.ratingFor).toBeUndefined();
  });

  it('stores the rating and closes the session', () => {
    const rate = at('main.rate', { ratingFor: 'T-1', ticketNumber: 'T-1', answers: { since: 'today' }, back: [{ flow: 'main', step: 'menu' }] });
    const r = run(rate, '5');
    expect(r.effects).toEqual([
      { type: 'rateTicket', number: 'T-1', score: 5 },
      { type: 'reply', reply: { text: 'Děkujeme za hodnocení. Kdybyste cokoli potřebovali, napište mi.' } },
      { type: 'newSession' },
    ]);
    expect(r.state).toMatchObject({ flow: 'main', step: 'done', ratingFor: null, ticketNumber: null, answers: {}, back: [] });
    expect(run(rate, { kind: 'choice', choiceId: '2' }).effects[0]).toEqual({ type: 'rateTicket', number: 'T-1', score: 2 });
    expect(run(rate, '1 – nespokojen').effects[0]).toEqual({ type: 'rateTicket', number: 'T-1', score: 1 });
    // Without the ticket it is about, only the thanks.
    expect(others(run(at('main.rate', { ratingFor: null }), '4'))).toEqual([{ type: 'newSession' }]);
  });

  it('takes anything else than a rating as a new message', () => {
    const r = run(at('main.rate', { ratingFor: 'T-1', ticketNumber: 'T-1' }), 'nejde mi wifi');
    expect(where(r)).toBe('wifi.unplug');
    expect(r.effects.filter((e) => e.type === 'newSession').length).toBeGreaterThan(0);
    expect(r.effects.some((e) => e.type === 'rateTicket')).toBe(false);
    expect(r.state).toMatchObject({ ratingFor: null, ticketNumber: null });
    const hello = run(at('main.rate', { ratingFor: 'T-1', ticketNumber: 'T-1' }), 'díky');
    expect(texts(hello)).toEqual([MENU]);
  });

  it('starts afresh after a finished session', () => {
    const hello = run(at('main.done', { answers: { afterReplug: 'yes' } }), 'Dobrý den');
    expect(hello.effects).toEqual([{ type: 'newSession' }, { type: 'reply', reply: { text: MENU, key: 'menu.prompt', choices: MENU_CHOICES } }]);
    expect(hello.state).toMatchObject({ step: 'menu', answers: {} });
    const named = run(at('main.done'), 'nefunguje internet');
    expect(where(named)).toBe('internet.unplug');
    expect(named.effects[0]).toEqual({ type: 'newSession' });
    expect(named.state.back).toEqual([{ flow: 'main', step: 'menu' }]);
    // An unknown customer is asked who they are.
    const unknown = run(at('main.done', { customerId: null }, { customer: null }), 'nefunguje internet', { customer: null });
    expect(unknown.effects).toEqual([{ type: 'newSession' }, { type: 'reply', reply: { text: ASK_ID, key: 'identify.ask' } }]);
  });
});

const INTRO_OFFER = (n: string) => `K požadavku ${n}: závada je nejspíš na vaší straně (vaše zařízení nebo nastavení), proto by byl výjezd technika placený.`;
const TERMS = 'Cena: 600 Kč za hodinu práce, účtuje se po započatých 15 minutách.';
const EXPIRED = (n: string) => `Nabídka placeného výjezdu k požadavku ${n} vypršela. Pokud o výjezd stojíte, napište nám.`;

describe('a paid call-out offer', () => {
  const offered = (extra: Partial<ConversationState> = {}) =>
    at('main.offer', { ticketNumber: 'T-1', offer: { id: 'of1', number: 'T-1', accepted: false }, ...extra });

  it('quotes the exact terms and asks for an explicit answer', () => {
    const r = run(at('main.ticketOpen', { ticketNumber: 'T-1', timer: { name: 'followUp', token: 'f', dueAt: 'x' } }), {
      kind: 'calloutOffered',
      offerId: 'of1',
      number: 'T-1',
      terms: TERMS,
      expiresAt: '2026-11-24T09:00:00Z',
    });
    expect(r.effects).toEqual([
      { type: 'cancelTimers' },
      { type: 'reply', reply: { text: `${INTRO_OFFER('T-1')}\n\n${TERMS}\n\n${OFFER_PROMPT}`, key: 'offer.prompt', choices: OFFER_CHOICES } },
    ]);
    expect(r.state).toMatchObject({ flow: 'main', step: 'offer', offer: { id: 'of1', number: 'T-1', accepted: false }, timer: null });
    // Wherever the customer is.
    const fromChecklist = run(at('wifi.since'), { kind: 'calloutOffered', offerId: 'of2', number: 'T-5', terms: TERMS, expiresAt: 'x' });
    expect(where(fromChecklist)).toBe('main.offer');
    expect(texts(fromChecklist)).toEqual([`${INTRO_OFFER('T-5')}\n\n${TERMS}\n\n${OFFER_PROMPT}`]);
    expect(others(fromChecklist)).toEqual([]);
  });

  it('asks the runtime to record an explicit yes or no, with the customer words', () => {
    const yes = run(offered(), '  Ano, souhlasím ');
    expect(yes.effects).toEqual([{ type: 'recordConsent', offerId: 'of1', decision: 'accepted', reply: 'Ano, souhlasím' }]);
    expect(yes.state.step).toBe('offer');
    expect(yes.state.held).toBeUndefined();
    // Lines still held (from an earlier look-up) wait for the runtime's answer.
    const withLine = run(offered({ held: ['X'] }), 'ano');
    expect(withLine.effects).toEqual([{ type: 'recordConsent', offerId: 'of1', decision: 'accepted', reply: 'ano' }]);
    expect(withLine.state.held).toEqual(['X']);
    const no = run(offered(), 'NE');
    expect(no.effects).toEqual([{ type: 'recordConsent', offerId: 'of1', decision: 'declined', reply: 'NE' }]);
    const button = run(offered(), { kind: 'choice', choiceId: 'accept' });
    expect(button.effects).toEqual([{ type: 'recordConsent', offerId: 'of1', decision: 'accepted', reply: 'Ano, souhlasím' }]);
    const declineButton = run(offered({ lang: 'en', langChosen: true }), { kind: 'choice', choiceId: 'decline' });
    expect(declineButton.effects).toEqual([{ type: 'recordConsent', offerId: 'of1', decision: 'declined', reply: 'No, I do not agree' }]);
    // Without a pending offer, nothing is recorded.
    expect(run(offered({ offer: null }), 'ano').effects).toEqual([]);
  });

  it('asks again on anything that is not a clear answer', () => {
    for (const unclear of ['jo', 'ano, ale kolik to stojí?', 'možná']) {
      const r = run(offered(), unclear);
      expect(r.effects, unclear).toEqual([
        {
          type: 'reply',
          reply: {
            text: 'Potřebuji od vás jednoznačnou odpověď: souhlasíte s placeným výjezdem? Napište ANO, nebo NE.',
            key: 'offer.ambiguous',
            choices: OFFER_CHOICES,
          },
        },
      ]);
    }
  });

  it('confirms what the runtime stored', () => {
    const accepted = run(offered(), { kind: 'consentResult', offerId: 'of1', number: 'T-1', outcome: 'accepted' });
    expect(accepted.effects).toEqual([
      {
        type: 'reply',
        reply: {
          text: 'Děkujeme, váš souhlas jsme zaznamenali. Technik se vám ozve kvůli termínu. Výjezd můžete do jeho začátku zrušit slovem ZRUŠIT.',
          key: 'offer.accepted',
          choices: NEW_PROBLEM,
        },
      },
    ]);
    expect(accepted.state).toMatchObject({ flow: 'main', step: 'ticketOpen', ticketNumber: 'T-1', offer: { id: 'of1', number: 'T-1', accepted: true } });
    const elsewhere = run(at('wifi.since', { offer: { id: 'of1', number: 'T-1', accepted: false } }), {
      kind: 'consentResult',
      offerId: 'of1',
      number: 'T-1',
      outcome: 'accepted',
    });
    expect(where(elsewhere)).toBe('main.ticketOpen');
    const declined = run(offered(), { kind: 'consentResult', offerId: 'of1', number: 'T-1', outcome: 'declined' });
    expect(texts(declined)).toEqual(['Rozumím, výjezd neobjednáváme. Požadavek zůstává otevřený a technik se vám ozve.']);
    expect(declined.state.offer).toBeNull();
    const expired = run(offered({ ticketNumber: null }), { kind: 'consentResult', offerId: 'of1', number: 'T-1', outcome: 'expired' });
    expect(expired.effects).toEqual([{ type: 'reply', reply: { text: `${EXPIRED('T-1')}\n\n${STILL_OPEN}`, key: 'ticket.stillOpen', choices: NEW_PROBLEM } }]);
    expect(expired.state).toMatchObject({ offer: null, step: 'ticketOpen', ticketNumber: 'T-1' });
    const closed = run(offered(), { kind: 'consentResult', offerId: 'of1', number: 'T-1', outcome: 'closed' });
    expect(closed.effects).toEqual([{ type: 'reply', reply: { text: STILL_OPEN, key: 'ticket.stillOpen', choices: NEW_PROBLEM } }]);
    expect(closed.state.offer).toBeNull();
    // An earlier accepted offer stays cancellable when another answer comes back closed.
    const kept = run(offered({ offer: { id: 'of1', number: 'T-1', accepted: true } }), {
      kind: 'consentResult',
      offerId: 'of1',
      number: 'T-1',
      outcome: 'closed',
    });
    expect(kept.state.offer).toEqual({ id: 'of1', number: 'T-1', accepted: true });
    const noOffer = run(at('main.ticketOpen', { ticketNumber: 'T-1' }), { kind: 'consentResult', offerId: 'of1', number: 'T-1', outcome: 'closed' });
    expect(noOffer.effects).toEqual([{ type: 'reply', reply: { text: STILL_OPEN, key: 'ticket.stillOpen', choices: NEW_PROBLEM } }]);
    expect(noOffer.state.offer).toBeNull();
    const foreign = run(offered({ offer: { id: 'of0', number: 'T-0', accepted: true } }), {
      kind: 'consentResult',
      offerId: 'of1',
      number: 'T-1',
      outcome: 'declined',
    });
    expect(foreign.state.offer).toBeNull();
  });

  it('tells the customer when the offer ran out unanswered', () => {
    const waitingFor = run(offered({ ticketNumber: null }), { kind: 'offerExpired', offerId: 'of1', number: 'T-1' });
    expect(waitingFor.effects).toEqual([
      { type: 'reply', reply: { text: `${EXPIRED('T-1')}\n\n${STILL_OPEN}`, key: 'ticket.stillOpen', choices: NEW_PROBLEM } },
    ]);
    expect(waitingFor.state).toMatchObject({ offer: null, step: 'ticketOpen', ticketNumber: 'T-1' });
    // The customer went elsewhere meanwhile: the news only, the offer forgotten.
    const elsewhere = run(at('internet.since', { offer: { id: 'of1', number: 'T-1', accepted: false } }), {
      kind: 'offerExpired',
      offerId: 'of1',
      number: 'T-1',
    });
    expect(elsewhere.effects).toEqual([{ type: 'reply', reply: { text: EXPIRED('T-1') } }]);
    expect(elsewhere.state).toMatchObject({ offer: null, step: 'since', ticketNumber: null });
    // Another offer, or one already accepted: the news only, the offer kept.
    const other = run(offered(), { kind: 'offerExpired', offerId: 'of9', number: 'T-9' });
    expect(other.effects).toEqual([{ type: 'reply', reply: { text: EXPIRED('T-9') } }]);
    expect(other.state.offer).toEqual({ id: 'of1', number: 'T-1', accepted: false });
    expect(other.state.step).toBe('offer');
    const accepted = run(offered({ offer: { id: 'of1', number: 'T-1', accepted: true } }), { kind: 'offerExpired', offerId: 'of1', number: 'T-1' });
    expect(accepted.state.offer).toEqual({ id: 'of1', number: 'T-1', accepted: true });
    expect(accepted.state.step).toBe('offer');
    const none = run(at('main.ticketOpen'), { kind: 'offerExpired', offerId: 'of1', number: 'T-1' });
    expect(texts(none)).toEqual([EXPIRED('T-1')]);
  });

  it('cancels an accepted call-out on the word, and says whether it could', () => {
    const acceptedOffer = { id: 'of1', number: 'T-1', accepted: true };
    const cancel = run(open({ offer: acceptedOffer }), 'Zrušit výjezd');
    expect(cancel.effects).toEqual([{ type: 'cancelOffer', offerId: 'of1' }]);
    expect(cancel.state.offer).toEqual(acceptedOffer);
    const ok = run(cancel.state, { kind: 'offerCancelResult', ok: true });
    expect(ok.effects).toEqual([{ type: 'reply', reply: { text: 'Placený výjezd jsme zrušili. Požadavek zůstává otevřený.' } }]);
    expect(ok.state.offer).toBeNull();
    const late = run(cancel.state, { kind: 'offerCancelResult', ok: false });
    expect(late.effects).toEqual([{ type: 'reply', reply: { text: 'Výjezd už proběhl nebo probíhá, zrušit ho nelze. Kontaktujte prosím technika.' } }]);
    expect(late.state.offer).toEqual(acceptedOffer);
    // Not accepted (or none): the word is just a message.
    expect(run(open({ offer: { ...acceptedOffer, accepted: false } }), 'storno').effects).toEqual([
      { type: 'reply', reply: { text: NOTED, key: 'ticket.noted', choices: NEW_PROBLEM } },
    ]);
    expect(run(open(), 'zrusit').effects).toEqual([{ type: 'reply', reply: { text: NOTED, key: 'ticket.noted', choices: NEW_PROBLEM } }]);
  });

  function open(extra: Partial<ConversationState> = {}) {
    return at('main.ticketOpen', { ticketNumber: 'T-1', ...extra });
  }
});

describe('side questions: support hours and payments', () => {
  it('asks the runtime for the hours and answers with the current question again', () => {
    const ask = run(at('internet.worksNow'), 'Kolik hodin mi zbývá??');
    expect(ask.effects).toEqual([{ type: 'queryHours' }]);
    expect(ask.state.held).toBeUndefined();
    const report = (used: number, included: number) => run(ask.state, { kind: 'hoursReport', usedMinutes: used, includedMinutes: included });
    expect(report(90, 120).effects).toEqual([
      {
        type: 'reply',
        reply: {
          text: `Tento měsíc jsme pro vás odpracovali 1 h 30 min. Vaše služba zahrnuje 2 h podpory měsíčně, zbývá vám 30 min. Nevyčerpané hodiny se do dalšího měsíce nepřevádějí, práce nad jejich rámec se účtuje podle ceníku.\n\n${WORKS_NOW}`,
          key: 'internet.worksNow',
          choices: YES_NO,
        },
      },
    ]);
    expect(texts(report(200, 120))[0]).toContain('zbývá vám 0 h.');
    expect(texts(report(120, 120))[0]).toContain('zbývá vám 0 h.');
    expect(texts(report(45, 0))).toEqual([
      `Vaše služba nezahrnuje žádné hodiny podpory v ceně, práce technika se účtuje podle ceníku. Tento měsíc jsme pro vás odpracovali 45 min.\n\n${WORKS_NOW}`,
    ]);
    expect(texts(report(45, -5))[0]).toMatch(/^Vaše služba nezahrnuje žádné hodiny/);
    expect(texts(report(0, 1))[0]).toContain('odpracovali 0 h. Vaše služba zahrnuje 1 min podpory měsíčně, zbývá vám 1 min.');
    const unknown = run(at('main.identify', { customerId: null }, { customer: null }), { kind: 'hoursReport', unknown: true }, { customer: null });
    expect(texts(unknown)).toEqual([`Kolik hodin podpory jste tento měsíc vyčerpali, vám řeknu, až vás ověřím.\n\n${ASK_ID}`]);
    // Over SMS the short answer.
    expect(texts(run(at('main.menu'), { kind: 'hoursReport', usedMinutes: 30, includedMinutes: 60 }, { channel: 'sms' }))).toEqual([
      'Tento měsíc odpracováno 30 min z 1 h v ceně, zbývá 30 min.\n\nCo nefunguje?',
    ]);
  });

  it('recognises the hours question with or without question marks, and only as a whole message', () => {
    for (const q of ['hodiny', 'hodiny?', 'hours ???', 'Čerpání hodin?']) expect(run(at('main.menu'), q).effects, q).toEqual([{ type: 'queryHours' }]);
    expect(run(at('main.menu'), 'hodiny? ano').effects).not.toContainEqual({ type: 'queryHours' });
    expect(run(at('main.menu'), '? hodiny').effects).not.toContainEqual({ type: 'queryHours' });
    expect(run(at('main.menu'), 'kolik? hodin').effects).not.toContainEqual({ type: 'queryHours' });
  });

  it('reports a payment of an identified customer, and asks who they are first otherwise', () => {
    const paid = run(at('main.ticketOpen', { ticketNumber: 'T-1' }), 'Už jsem zaplatil!');
    expect(paid.effects).toEqual([{ type: 'reportPayment' }]);
    expect(paid.state.held).toBeUndefined();
    const done = run(paid.state, { kind: 'paymentReported', number: 'B-2' });
    expect(done.effects).toEqual([
      {
        type: 'reply',
        reply: {
          text: 'Děkujeme, vaši platbu ověříme. Založila jsem požadavek B-2, kolegové z fakturace se vám ozvou. Do té doby vám upomínky posílat nebudeme.\n\nVáš požadavek T-1 je stále otevřený a technik se vám ozve. Chcete-li k němu něco doplnit, napište to sem.',
          key: 'ticket.stillOpen',
          choices: NEW_PROBLEM,
        },
      },
    ]);
    const again = run(paid.state, { kind: 'paymentReported', number: 'B-2', again: true });
    expect(texts(again)[0]).toMatch(/^Vaši platbu už ověřujeme v požadavku B-2, kolegové z fakturace se vám ozvou\.\n\n/);
    const unknownState = at('main.identify', { customerId: null }, { customer: null });
    const first = run(unknownState, 'zaplaceno', { customer: null });
    expect(first.effects).toEqual([
      { type: 'reply', reply: { text: `Abych mohla vaši platbu ověřit, potřebuji nejdřív vědět, kdo jste.\n\n${ASK_ID}`, key: 'identify.ask' } },
    ]);
    const unknownReport = run(unknownState, { kind: 'paymentReported', unknown: true }, { customer: null });
    expect(texts(unknownReport)).toEqual([`Abych mohla vaši platbu ověřit, potřebuji nejdřív vědět, kdo jste.\n\n${ASK_ID}`]);
  });

  it('as the first message: the greeting goes out with the answer', () => {
    const hours = run(null, 'kolik hodin');
    expect(hours.effects).toEqual([{ type: 'queryHours' }]);
    expect(hours.state).toMatchObject({ step: 'menu', held: [HELLO] });
    const answer = run(hours.state, { kind: 'hoursReport', usedMinutes: 60, includedMinutes: 60 });
    expect(texts(answer)).toEqual([
      `${HELLO}\n\nTento měsíc jsme pro vás odpracovali 1 h. Vaše služba zahrnuje 1 h podpory měsíčně, zbývá vám 0 h. Nevyčerpané hodiny se do dalšího měsíce nepřevádějí, práce nad jejich rámec se účtuje podle ceníku.\n\n${MENU}`,
    ]);
    expect(answer.state.held).toBeUndefined();
    const unknownHours = run(null, 'hours', { customer: null });
    expect(unknownHours.effects).toEqual([{ type: 'queryHours' }]);
    expect(unknownHours.state).toMatchObject({ step: 'identify', held: [HELLO] });
    const paid = run(null, 'zaplatil jsem');
    expect(paid.effects).toEqual([{ type: 'reportPayment' }]);
    expect(paid.state).toMatchObject({ step: 'menu', held: [HELLO] });
    const unknownPaid = run(null, 'paid', { customer: null });
    expect(unknownPaid.effects).toEqual([
      { type: 'reply', reply: { text: `${HELLO}\n\nAbych mohla vaši platbu ověřit, potřebuji nejdřív vědět, kdo jste.\n\n${ASK_ID}`, key: 'identify.ask' } },
    ]);
    expect(unknownPaid.state.step).toBe('identify');
  });
});

describe('opting out and back in (SMS STOP / START)', () => {
  it('confirms the opt-out once, even to an opted-out address, and cancels the timers', () => {
    const r = run(at('internet.worksNow', { timer: { name: 'followUp', token: 'f', dueAt: 'x' } }), { kind: 'optOut' }, { channel: 'sms' });
    expect(r.effects).toEqual([
      { type: 'setOptOut', optedOut: true },
      { type: 'cancelTimers' },
      {
        type: 'reply',
        reply: {
          text: 'Odhlásili jste se ze zpráv od Linky, nic dalšího vám už nepošleme. Chcete-li zprávy znovu dostávat, pošlete START.',
          key: 'optout.confirmed',
          evenIfOptedOut: true,
        },
      },
    ]);
    expect(r.state).toMatchObject({ step: 'worksNow', timer: null });
    // Lines held for a pending look-up go out with it.
    const held = run(at('main.identify', { customerId: null, held: [HELLO] }, { customer: null }), { kind: 'optOut' }, { customer: null });
    expect(replies(held)).toEqual([
      {
        text: `${HELLO}\n\nOdhlásili jste se ze zpráv od Linky, nic dalšího vám už nepošleme. Chcete-li zprávy znovu dostávat, pošlete START.`,
        key: 'optout.confirmed',
        evenIfOptedOut: true,
      },
    ]);
    expect(held.state.held).toBeUndefined();
    const first = run(null, { kind: 'optOut' });
    expect(others(first)).toEqual([{ type: 'setOptOut', optedOut: true }]);
  });

  it('welcomes back and asks the current question, or starts the conversation', () => {
    const back = run(at('internet.worksNow'), { kind: 'optIn' });
    expect(back.effects).toEqual([
      { type: 'setOptOut', optedOut: false },
      { type: 'reply', reply: { text: `Vítejte zpět, zprávy vám budeme znovu posílat.\n\n${WORKS_NOW}`, key: 'internet.worksNow', choices: YES_NO } },
    ]);
    expect(where(back)).toBe('internet.worksNow');
    const known = run(null, { kind: 'optIn' });
    expect(texts(known)).toEqual([`Vítejte zpět, zprávy vám budeme znovu posílat.\n\n${MENU}`]);
    expect(where(known)).toBe('main.menu');
    const unknown = run(null, { kind: 'optIn' }, { customer: null });
    expect(texts(unknown)).toEqual([`Vítejte zpět, zprávy vám budeme znovu posílat.\n\n${ASK_ID}`]);
    expect(where(unknown)).toBe('main.identify');
  });

  it('starts the conversation on START when the first message was STOP', () => {
    const stopped = run(null, { kind: 'optOut' }, { channel: 'sms' });
    const back = run(stopped.state, { kind: 'optIn' }, { channel: 'sms' });
    expect(texts(back)).toEqual(['Vítejte zpět, zprávy vám budeme znovu posílat.\n\nCo nefunguje?']);
    expect(where(back)).toBe('main.menu');
    const next = run(back.state, 'internet', { channel: 'sms' });
    expect(texts(next).join('\n')).not.toContain('upravili postup');
    expect(next.state.flow).toBe('internet');
  });
});

describe('stored conversations the flows no longer fit', () => {
  it('starts again from the menu when a flow changed or a step is gone', () => {
    const changed = run(
      at('internet.worksNow', { flowVersion: 1, answers: { checklist: 'done' }, timer: { name: 'followUp', token: 'f', dueAt: 'x' } }),
      'ano',
    );
    expect(changed.effects).toEqual([
      { type: 'cancelTimers' },
      { type: 'reply', reply: { text: `Mezitím jsme upravili postup, takže začneme znovu od nabídky.\n\n${MENU}`, key: 'menu.prompt', choices: MENU_CHOICES } },
    ]);
    expect(changed.state).toMatchObject({ flow: 'main', step: 'menu', answers: {}, flowVersion: MAIN_V });
    const gone = run(at('internet.oldStep'), 'ano');
    expect(texts(gone)).toEqual([`Mezitím jsme upravili postup, takže začneme znovu od nabídky.\n\n${MENU}`]);
    const noFlow = run(at('printer.start'), 'ano');
    expect(where(noFlow)).toBe('main.menu');
    // The main flow's version is not checked: its steps are the engine's own.
    const main = run(at('main.menu', { flowVersion: 0 }), '1');
    expect(where(main)).toBe('internet.unplug');
    // A version that matches goes on.
    expect(where(run(at('internet.worksNow'), 'ano'))).toBe('main.done');
  });
});

describe('the way back', () => {
  it('remembers at most 30 steps', () => {
    const back = Array.from({ length: 30 }, (_, i) => ({ flow: 'internet', step: `s${i}` }));
    const r = run(at('internet.lights', { back }), '1');
    expect(r.state.back).toHaveLength(30);
    expect(r.state.back[0]).toEqual({ flow: 'internet', step: 's1' });
    expect(r.state.back[29]).toEqual({ flow: 'internet', step: 'lights' });
    const fewer = run(at('internet.lights', { back: back.slice(0, 29) }), '1');
    expect(fewer.state.back).toHaveLength(30);
    expect(fewer.state.back[0]).toEqual({ flow: 'internet', step: 's0' });
  });

  it('does not remember the empty step of a conversation that never started', () => {
    const r = run({ ...at('main.menu'), step: '' }, 'ano');
    expect(r.state.back).toEqual([]);
  });
});

describe('purity', () => {
  it('never changes the state it is given', () => {
    const st = at('internet.worksNow', { held: ['x'], timer: { name: 'followUp', token: 'f', dueAt: 'x' }, answers: { checklist: 'done' } });
    const copy = structuredClone(st);
    run(st, 'ne');
    run(st, { kind: 'optOut' });
    expect(st).toEqual(copy);
  });
});

describe('details of prompts and flows', () => {
  it('marks the recap of an unverified conversation, whether unknown or not verified', () => {
    const who = (extra: Partial<ConversationState>) => ({ customer: extra.customerId === null ? null : jan });
    const recap = (extra: Partial<ConversationState>) =>
      texts(run(at('other.since', { answers: { description: 'Nejde tisk přes síť.' }, ...extra }), '1', who(extra)))[0];
    expect(recap({ customerId: 'c1', verified: false })).toContain('\nZákazník neověřen\n');
    expect(recap({ customerId: null, verified: true })).toContain('\nZákazník neověřen\n');
    expect(recap({ customerId: 'c1', verified: true })).not.toContain('neověřen');
    const ticket = (extra: Partial<ConversationState>) =>
      run(at('other.summary', { answers: { description: 'Nejde tisk přes síť.' }, ...extra }), 'ano', who(extra)).effects[0];
    expect(ticket({ customerId: null, verified: true })).toMatchObject({ ticket: { verified: false } });
  });

  it('answers a command while the ticket is being opened without a question', () => {
    const r = run(at('internet.openTicket'), 'pomoc');
    expect(r.effects).toEqual([
      {
        type: 'reply',
        reply: {
          text: 'Odpovídejte číslem možnosti, tlačítkem nebo slovy. Kdykoli můžete napsat: „menu“ (nabídka problémů), „zpět“ (předchozí krok), „znovu“ (začít od začátku), „jazyk“ (změna jazyka), „hodiny“ (čerpání hodin podpory). Spěchá-li to, volejte +420 377 000 000.',
        },
      },
    ]);
    // Text there is not an answer to anything.
    expect(run(at('internet.openTicket'), 'haló').effects).toEqual([]);
  });

  it('stores the version of the main flow with a new conversation and on the way back to the menu', () => {
    const v3 = { ...flows, main: { ...flows.main!, version: 3 } };
    expect(run(null, 'Dobrý den', { flows: v3 }).state.flowVersion).toBe(3);
    expect(initialState(context({ flows: v3 })).flowVersion).toBe(3);
    expect(run(at('internet.worksNow'), 'menu', { flows: v3 }).state.flowVersion).toBe(3);
    expect(run(at('internet.worksNow'), 'menu').state.flowVersion).toBe(MAIN_V);
  });

  it('starts a conversation in the main flow, in the customer language, with nothing collected', () => {
    expect(initialState(context({ customer: { ...jan, language: 'en' }, langHint: 'sk' }))).toEqual({
      flow: 'main',
      step: '',
      flowVersion: MAIN_V,
      lang: 'en',
      langChosen: false,
      customerId: 'c1',
      verified: true,
      idTries: 0,
      answers: {},
      back: [],
      misses: 0,
      timer: null,
      followUps: 0,
      ticketNumber: null,
      lookup: null,
    });
    expect(initialState(context({ customer: null, langHint: 'sk' }))).toMatchObject({ lang: 'sk', customerId: null });
    // Without a main flow (not a valid set of flows, but the default is defined): version 1.
    expect(initialState(context({ flows: {} })).flowVersion).toBe(1);
    // Opting out as the very first event leaves a conversation that has not started.
    expect(run(null, { kind: 'optOut' }).state).toMatchObject({ flow: 'main', step: '' });
  });

  it('stores no answer for a question without a field', () => {
    expect(run(at('internet.restartPc'), '1').state.answers).toEqual({});
    expect(run(at('main.menu'), '4').state.answers).toEqual({});
  });

  it('asks again (not on) when a follow-up comes due at a pause: the SMS variant was a question, now it is a pause', () => {
    const st = at('internet.plugBack', { timer: { name: 'followUp', token: 'f', dueAt: 'x' } });
    const r = run(st, { kind: 'timer', name: 'followUp', token: 'f' });
    expect(texts(r)).toEqual([`Jste tu ještě? Až budete mít chvilku, odpovězte prosím na mou poslední otázku.\n\n${PLUG_BACK}`]);
    expect(where(r)).toBe('internet.plugBack');
  });

  it('takes no answer from words at built-in steps declared without choices', () => {
    const bare: FlowDef = {
      id: 'bare',
      version: 1,
      category: 'other',
      title: 'problem.other',
      start: 't',
      summaryFields: [],
      steps: { t: { kind: 'ticketOpen', prompt: 'ticket.noted' }, o: { kind: 'offer', prompt: 'offer.prompt' }, r: { kind: 'rate', prompt: 'ticket.rate' } },
    };
    const ctx = { flows: { ...flows, bare } };
    expect(run(at('bare.t', { ticketNumber: 'T-1' }), 'x', ctx).effects).toEqual([{ type: 'reply', reply: { text: NOTED, key: 'ticket.noted' } }]);
    expect(run(at('bare.o', { offer: { id: 'of1', number: 'T-1', accepted: false } }), 'ano', ctx).effects).toEqual([
      {
        type: 'reply',
        reply: {
          text: 'Potřebuji od vás jednoznačnou odpověď: souhlasíte s placeným výjezdem? Napište ANO, nebo NE.',
          key: 'offer.ambiguous',
        },
      },
    ]);
    expect(run(at('bare.o', { offer: { id: 'of1', number: 'T-1', accepted: false } }), '1', ctx).effects).toEqual([
      {
        type: 'reply',
        reply: {
          text: 'Potřebuji od vás jednoznačnou odpověď: souhlasíte s placeným výjezdem? Napište ANO, nebo NE.',
          key: 'offer.ambiguous',
        },
      },
    ]);
    expect(where(run(at('bare.r', { ratingFor: 'T-1' }), '5', ctx))).toBe('main.menu');
    // A number is then no rating but a choice of the menu.
    const first = run(at('bare.r', { ratingFor: 'T-1' }), '1', ctx);
    expect(where(first)).toBe('internet.unplug');
    expect(first.effects.some((e) => e.type === 'rateTicket')).toBe(false);
  });

  it('refuses flows that point nowhere (a programming error)', () => {
    const broken: FlowDef = {
      id: 'broken',
      version: 1,
      category: 'other',
      title: 'problem.other',
      start: 'q',
      summaryFields: [],
      steps: {
        q: {
          kind: 'choice',
          prompt: 'collect.lights',
          choices: [
            { id: 'a', label: 'collect.lights.off', next: 'missing' },
            { id: 'b', label: 'collect.lights.red', next: { flow: 'nope' } },
          ],
        },
      },
    };
    const ctx = { flows: { ...flows, broken } };
    expect(() => run(at('broken.q'), '1', ctx)).toThrow('unknown step broken.missing');
    expect(() => run(at('broken.q'), '2', ctx)).toThrow('unknown flow: nope');
    // Also when an outage is known: a flow that does not exist is no service of it.
    expect(() => run(at('broken.q'), '2', { ...ctx, outage: { id: 'o1', notice: 'N', services: ['other'] } })).toThrow('unknown flow: nope');
  });
});
