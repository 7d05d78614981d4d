// E-mail intake in the pure engine (docs/email.md, "Receiving"): a described e-mail from a known
// customer opens a ticket at once; what is missing is asked for and never an empty ticket is
// opened; replies at an open ticket get no acknowledgement. No database, no clock.
import { describe, expect, it } from 'vitest';
import { step } from '../src/engine/step.js';
import type { ConversationState, CoreEvent, Effect, StepContext, TicketDraft } from '../src/engine/types.js';
import { contractCandidates } from '../src/domain/mail-contract.js';
import { ON } from './helpers/capabilities.js';
import { flows, jan, SETTINGS } from './helpers/engine-fixtures.js';

const NOW = new Date('2026-12-02T09:00:00Z');
const mail = (text: string, o: Partial<Extract<CoreEvent, { kind: 'mail' }>> = {}): CoreEvent => ({
  kind: 'mail',
  subject: 'Dotaz',
  text,
  ticket: null,
  contracts: [],
  attachments: 0,
  ...o,
});

/** Steps the events; a look-up finds Jan by his contract number, a ticket opens as T-2026-00001, T-2026-00002... */
function run(events: CoreEvent[], ctx: Partial<StepContext> = {}) {
  let state: ConversationState | null = null;
  let customer = ctx.customer === undefined ? jan : ctx.customer;
  let tickets = 0;
  const all: Effect[][] = [];
  for (const e of events) {
    const effects: Effect[] = [];
    const feed = (event: CoreEvent) => {
      const r = step(state, event, NOW, { capabilities: ON.email, flows, settings: SETTINGS, ...ctx, customer });
      state = r.state;
      effects.push(...r.effects);
      for (const x of r.effects) {
        if (x.type === 'lookupCustomer') {
          customer = x.contractNumber === jan.contractNumber ? jan : null;
          feed({ kind: 'lookupResult', customer });
        }
        if (x.type === 'openTicket') feed({ kind: 'ticketOpened', number: `T-2026-0000${++tickets}` });
      }
    };
    feed(e);
    all.push(effects);
  }
  const texts = (i: number) => (all[i] ?? []).flatMap((x) => (x.type === 'reply' ? [x.reply.text] : []));
  const drafts = all.flat().flatMap((x) => (x.type === 'openTicket' ? [x.ticket as TicketDraft] : []));
  return { state: state as unknown as ConversationState, texts, drafts };
}

describe('an e-mail from a known customer', () => {
  it('opens a ticket at once, in the category its words name, with the subject and description', () => {
    const r = run([mail('Od rána mi nejde internet, router bliká.', { subject: 'Výpadek' })]);
    expect(r.drafts).toHaveLength(1);
    expect(r.drafts[0]).toMatchObject({
      category: 'internet',
      verified: true,
      answers: { subject: 'Výpadek', description: 'Od rána mi nejde internet, router bliká.' },
    });
    expect(r.drafts[0]?.summary.split('\n')[0]).toBe('E-mail: Výpadek');
    expect(r.texts(0).join('\n')).toContain('T-2026-00001');
  });

  it('without any words is asked what it is about; no empty ticket', () => {
    const r = run([mail(' ', { subject: '' }), mail('Nejde mi Wi-Fi v obýváku.')]);
    expect(r.texts(0).join('\n')).toContain('Napište mi prosím, s čím potřebujete pomoci');
    expect(r.drafts.map((d) => d.category)).toEqual(['wifi']);
  });

  it('a reply at the open ticket gets no acknowledgement; a new e-mail is a new ticket', () => {
    const r = run([mail('Nejde telefon.'), mail('Ještě doplním: ani mobilem.', { ticket: 'T-2026-00001' }), mail('Jiný problém: faktura.')]);
    expect(r.texts(1)).toEqual([]);
    expect(r.drafts.map((d) => d.category)).toEqual(['voip', 'other']);
    expect(r.state.ticketNumber).toBe('T-2026-00002');
  });

  it('"zaplaceno" on its own line is the payment report, not a new request', () => {
    const effects: Effect[] = step(null, mail('Dobrý den,\nzaplaceno\nJan'), NOW, { capabilities: ON.email, flows, settings: SETTINGS, customer: jan }).effects;
    expect(effects.map((e) => e.type)).toContain('reportPayment');
    expect(effects.some((e) => e.type === 'openTicket')).toBe(false);
  });
});

describe('an e-mail from an unknown sender', () => {
  it('is asked for the contract number; the answer opens the ticket with the first description', () => {
    const r = run([mail('Nejde mi internet.', { subject: 'Porucha' }), mail('Tady je: 2024-0153', { contracts: ['2024-0153'] })], { customer: null });
    expect(r.texts(0).join('\n')).toContain('odpovězte mi prosím na tento e-mail číslem své smlouvy');
    expect(r.drafts).toHaveLength(1);
    expect(r.drafts[0]).toMatchObject({ category: 'internet', verified: true, answers: { subject: 'Porucha', description: 'Nejde mi internet.' } });
  });

  it('after the last wrong try gets an unverified ticket with what they wrote and the numbers they tried', () => {
    const r = run(
      [
        mail('Nejde telefon.', { contracts: ['9999-1'] }),
        mail('Zkusím znovu', { contracts: ['9999-2'] }),
        mail('A ještě jednou: 9999-3', { contracts: ['9999-3'] }),
      ],
      { customer: null },
    );
    expect(r.texts(0).join('\n')).toContain('zbývá pokusů: 2');
    expect(r.texts(1).join('\n')).toContain('zbývá pokusů: 1');
    expect(r.drafts).toHaveLength(1);
    expect(r.drafts[0]).toMatchObject({ category: 'voip', verified: false, answers: { description: 'Nejde telefon.' } });
    expect(r.drafts[0]?.summary).toContain('9999-1, 9999-2, 9999-3');
    expect(r.drafts[0]?.summary).toContain('Zákazník neověřen');
  });

  it('an e-mail without a number uses up no try: only a wrong number does', () => {
    const r = run([mail('Nejde telefon.'), mail('Nevím, kde ho najdu.'), mail('Pořád nevím.'), mail('Smlouva 9999-1', { contracts: ['9999-1'] })], {
      customer: null,
    });
    expect(r.texts(0).join('\n')).toContain('číslem své smlouvy');
    expect(r.texts(1).join('\n')).toContain('zbývá pokusů: 3');
    expect(r.texts(2).join('\n')).toContain('zbývá pokusů: 3');
    expect(r.texts(3).join('\n')).toContain('zbývá pokusů: 2');
    expect(r.drafts).toEqual([]);
  });

  it('handed over after the last wrong number with nothing described: asked what it is about, no empty ticket', () => {
    const r = run(
      [
        mail('9999-1', { subject: '', contracts: ['9999-1'] }),
        mail('9999-2', { subject: '', contracts: ['9999-2'] }),
        mail('9999-3', { subject: '', contracts: ['9999-3'] }),
      ],
      { customer: null },
    );
    expect(r.texts(2).join('\n')).toContain('Napište mi prosím, s čím potřebujete pomoci');
    expect(r.drafts).toEqual([]);
    const more = run(
      [
        mail('9999-1', { subject: '', contracts: ['9999-1'] }),
        mail('9999-2', { subject: '', contracts: ['9999-2'] }),
        mail('9999-3', { subject: '', contracts: ['9999-3'] }),
        mail('Nejde mi internet.', { subject: '' }),
      ],
      { customer: null },
    );
    expect(more.drafts).toHaveLength(1);
    expect(more.drafts[0]).toMatchObject({ category: 'internet', verified: false, answers: { description: 'Nejde mi internet.' } });
  });
});

describe('after a ticket is resolved (the rating question)', () => {
  const resolved = (then: CoreEvent) => run([mail('Nejde telefon.'), { kind: 'ticketResolved', number: 'T-2026-00001', technician: 'Petr' }, then]);

  it("a thank-you in the resolved ticket's thread ends the session: no new ticket, no answer", () => {
    const r = resolved(mail('Děkuji, už to funguje.', { ticket: 'T-2026-00001' }));
    expect(r.drafts.map((d) => d.category)).toEqual(['voip']);
    expect(r.texts(2)).toEqual([]);
    expect(r.state.step).toBe('done');
  });

  it('a rating in the thread is taken', () => {
    const r = resolved(mail('5', { ticket: 'T-2026-00001' }));
    expect(r.drafts).toHaveLength(1);
    expect(r.texts(2).join('\n')).not.toBe('');
    expect(r.state.ticketNumber).toBeNull();
  });

  it('a new e-mail (no thread) is still a new request', () => {
    const r = resolved(mail('Teď mi nejde internet.'));
    expect(r.drafts.map((d) => d.category)).toEqual(['voip', 'internet']);
    expect(r.texts(2).join('\n')).toContain('T-2026-00002');
  });
});

describe('contract numbers in an e-mail', () => {
  it('only a number named as the contract or customer number is taken', () => {
    expect(contractCandidates('Dotaz', 'Dne 5.12. v 10:30 nejde T-2026-00042, moje smlouva: 2024-0153. Router ABC123, PSČ 30100')).toEqual(['2024-0153']);
    expect(contractCandidates('', 'Číslo smlouvy je 2024-0153.')).toEqual(['2024-0153']);
    expect(contractCandidates('', 'č. smlouvy: 2024-0153')).toEqual(['2024-0153']);
    expect(contractCandidates('Smlouva č. 2024-0153', 'Nejde internet.')).toEqual(['2024-0153']);
    expect(contractCandidates('', 'Moje zmluva číslo 2024-0153 už neplatí?')).toEqual(['2024-0153']);
    expect(contractCandidates('', 'My contract number is AB-1234.')).toEqual(['AB-1234']);
    expect(contractCandidates('', 'customer number: 123456')).toEqual(['123456']);
    expect(contractCandidates('', 'Zákaznické číslo 77001, zákaznícke číslo 77002')).toEqual(['77001', '77002']);
  });

  it('dates, amounts, models and house numbers elsewhere are not', () => {
    expect(contractCandidates('Platba', 'Od 1. 12. 2026 nejde internet, platil jsem 1500 Kč.')).toEqual([]);
    expect(contractCandidates('Router', 'Router TP-Link C80 stojí na adrese Vinohradská 1234, Praha 3.')).toEqual([]);
    expect(contractCandidates('', 'Smlouvu mám od roku 2020.')).toEqual([]);
  });

  it('an e-mail whose own words are just one contract-shaped word is the number', () => {
    expect(contractCandidates('Re: Porucha', '2024-0153')).toEqual(['2024-0153']);
    expect(contractCandidates('Re: Porucha', ' 2024-0153. ')).toEqual(['2024-0153']);
    expect(contractCandidates('Re: Porucha', '2024-0153 díky')).toEqual([]);
    expect(contractCandidates('Re: Porucha', 'T-2026-00042')).toEqual([]);
  });
});
