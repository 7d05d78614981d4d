// "Kolik hodin mi zbývá?": the customer asks in the chat how many included support hours were
// used and are left this month. The pure engine (queryHours -> hoursReport), then the whole
// path through the dispatcher on a real database (SQLite, and PostgreSQL when it answers).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { step } from '../src/engine/step.js';
import type { Channel, ConversationState, CoreEvent, CustomerView, Effect, EngineSettings } from '../src/engine/types.js';
import { builtInFlows } from '../src/config/flows.js';

const flows = builtInFlows();
import { billMonth } from '../src/domain/billing.js';
import type { Db } from '../src/store/client.js';
import { timeEntriesBetween } from '../src/store/time-entries.js';
import { monthRange } from '../src/domain/billing-month.js';
import { createTestDatabase, pgAvailable } from './helpers/db.js';
import { createHarness, seedCustomers } from './helpers/harness.js';
import { ON } from './helpers/capabilities.js';
import { SETTINGS } from './helpers/engine-fixtures.js';

const settings: EngineSettings = SETTINGS;
const jan: CustomerView = { id: 'c1', name: 'Jan Novák', contractNumber: '2024-0153', language: 'cs', tier: 'PLUS', area: null };
const NOW = new Date('2026-11-23T09:00:00Z');

/** Drives step() and answers queryHours with `report` (what the runtime would compute). */
class Chat {
  state: ConversationState | null = null;
  effects: Effect[] = [];
  asked = 0;
  constructor(
    private readonly customer: CustomerView | null,
    private readonly report: CoreEvent,
    private readonly channel: Channel = 'console',
  ) {}
  send(text: string): string[] {
    this.effects = [];
    this.feed({ kind: 'text', text });
    return this.effects.flatMap((e) => (e.type === 'reply' ? [e.reply.text] : []));
  }
  private feed(event: CoreEvent): void {
    const r = step(this.state, event, NOW, { capabilities: ON[this.channel], flows, settings, customer: this.customer });
    this.state = r.state;
    this.effects.push(...r.effects);
    if (r.effects.some((e) => e.type === 'queryHours')) {
      this.asked += 1;
      this.feed(this.report);
    }
  }
  where(): string {
    return `${this.state?.flow}.${this.state?.step}`;
  }
}

const used95 = { kind: 'hoursReport', usedMinutes: 95, includedMinutes: 180 } as const;

describe('the hours question in the engine', () => {
  it.each(['hodiny', 'Kolik hodin?', 'čerpání', 'Hodiny podpory', 'kolik hodin mi zbývá', 'hours', 'koľko hodín', 'hodín'])(
    '"%s" asks the runtime and answers used / included / left, then the menu again',
    (words) => {
      const chat = new Chat(jan, used95);
      chat.send('Dobrý den');
      const [reply, ...more] = chat.send(words);
      expect(chat.asked).toBe(1);
      expect(more).toEqual([]); // one message: the answer and the question
      expect(reply).toContain('Tento měsíc jsme pro vás odpracovali 1 h 35 min. Vaše služba zahrnuje 3 h podpory měsíčně, zbývá vám 1 h 25 min.');
      expect(reply).toContain('S čím vám mohu pomoci?');
      expect(chat.where()).toBe('main.menu');
    },
  );

  it('mid-checklist: answers, then repeats the current question; the checklist goes on', () => {
    const chat = new Chat(jan, used95);
    chat.send('Dobrý den');
    chat.send('1');
    const before = structuredClone(chat.state);
    const [reply] = chat.send('čerpání');
    expect(reply).toMatch(/zbývá vám 1 h 25 min\.[\s\S]*Odpojte prosím ze zásuvky všechna zařízení/);
    expect(chat.state).toEqual(before);
    expect(chat.send('hotovo').join()).toContain('počkejte, až zařízení naběhnou');
  });

  it('says when the tier includes no hours, when all were used, and asks an unknown customer to identify first', () => {
    const none = new Chat({ ...jan, tier: 'none' }, { kind: 'hoursReport', usedMinutes: 30, includedMinutes: 0 });
    none.send('Dobrý den');
    expect(none.send('hodiny')[0]).toContain(
      'Vaše služba nezahrnuje žádné hodiny podpory v ceně, práce technika se účtuje podle ceníku. Tento měsíc jsme pro vás odpracovali 30 min.',
    );

    const over = new Chat(jan, { kind: 'hoursReport', usedMinutes: 210, includedMinutes: 180 });
    over.send('Dobrý den');
    expect(over.send('hodiny')[0]).toContain('odpracovali 3 h 30 min. Vaše služba zahrnuje 3 h podpory měsíčně, zbývá vám 0 h.');

    const stranger = new Chat(null, { kind: 'hoursReport', unknown: true });
    stranger.send('Dobrý den');
    const [reply] = stranger.send('kolik hodin');
    expect(reply).toContain('Kolik hodin podpory jste tento měsíc vyčerpali, vám řeknu, až vás ověřím.');
    expect(reply).toContain('napište mi prosím číslo své smlouvy');
    expect(stranger.where()).toBe('main.identify');
  });

  it("works as the first message of a conversation, in the customer's language, and short on SMS", () => {
    const first = new Chat({ ...jan, language: 'en' }, used95);
    const [reply, ...more] = first.send('How many hours?');
    expect(more).toEqual([]);
    expect(reply).toMatch(
      /^Hello[\s\S]*This month we have worked 1 h 35 min for you\. Your service includes 3 h of support a month; 1 h 25 min left\.[\s\S]*What can I help you with\?/,
    );

    const sms = new Chat({ ...jan, language: 'sk' }, used95, 'sms');
    sms.send('Dobrý deň');
    expect(sms.send('hodiny')[0]).toContain('Tento mesiac odpracované 1 h 35 min z 3 h v cene, zostáva 1 h 25 min.');
  });

  it('is not triggered by ordinary answers that merely mention hours', () => {
    const chat = new Chat(jan, used95);
    chat.send('Dobrý den');
    chat.send('Nejde mi internet už dvě hodiny');
    expect(chat.asked).toBe(0);
  });
});

const PG = await pgAvailable();

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('the hours question through the dispatcher on $provider', ({ provider, skip }) => {
  let db: Db;
  let drop: () => Promise<void>;

  beforeEach(async () => {
    if (skip) return;
    const t = await createTestDatabase(provider);
    db = t.db;
    drop = t.drop;
    await seedCustomers(db);
  });
  afterEach(async () => {
    if (!skip) await drop();
  });

  /** A ticket of `contract` with time entries (minutes, UTC time, flags). */
  async function ticketWithTime(
    contract: string,
    number: string,
    entries: Array<{ at: string; minutes: number; billable?: boolean; travel?: boolean }>,
  ): Promise<void> {
    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { contractNumber: contract } });
    const ticket = await db.prisma.ticket.create({
      data: { number, customerId: customer.id, category: 'other', answers: {}, summary: 'x', tier: customer.tier },
    });
    for (const e of entries) {
      await db.prisma.timeEntry.create({
        data: {
          ticketId: ticket.id,
          technician: 'slack:U1',
          technicianName: 'Petr',
          minutes: e.minutes,
          activity: 'práce',
          createdAt: new Date(e.at),
          billable: e.billable ?? true,
          travel: e.travel ?? false,
        },
      });
    }
  }

  it.skipIf(skip)("reports this month's rounded work against the tier's hours, in the company's time zone", async () => {
    // Jan (PLUS: 3 h included). The clock is 2026-11-23 09:00 UTC.
    await ticketWithTime('2024-0153', 'T-2026-00001', [
      { at: '2026-10-31T23:30:00Z', minutes: 40 }, // 1 November 00:30 in Prague: counts; 40 -> 45
      { at: '2026-11-05T10:00:00Z', minutes: 30, billable: false }, // listed on the bill, not counted
      { at: '2026-11-05T11:00:00Z', minutes: 25, travel: true }, // travel: never from included hours
    ]);
    await ticketWithTime(
      '2024-0153',
      'T-2026-00002',
      [5, 6, 7].map((d) => ({ at: `2026-11-0${d}T10:00:00Z`, minutes: 5 })),
    ); // one case: 15
    await ticketWithTime('2024-0153', 'T-2026-00003', [
      { at: '2026-10-31T22:30:00Z', minutes: 120 }, // 31 October 23:30 in Prague: October's, and October's hours do not carry over
      { at: '2026-11-30T23:30:00Z', minutes: 20 }, // December in Prague
    ]);
    const h = createHarness(db);
    const phone = '+420603123456';
    expect((await h.say('Dobrý den', { phone })).texts.join()).toContain('S čím vám mohu pomoci?');
    const asked = await h.say('Kolik hodin mi zbývá?', { phone });
    expect(asked.texts).toHaveLength(1);
    expect(asked.texts[0]).toContain('Tento měsíc jsme pro vás odpracovali 1 h. Vaše služba zahrnuje 3 h podpory měsíčně, zbývá vám 2 h.');
    expect(asked.texts[0]).toContain('S čím vám mohu pomoci?');
    expect(asked.state?.step).toBe('menu');
    // At 23:45 UTC on 30 November it is already December in Prague: a new month, a full allowance.
    h.clock.now = new Date('2026-11-30T23:45:00Z');
    expect((await h.say('hodiny', { phone })).texts[0]).toContain('odpracovali 30 min. Vaše služba zahrnuje 3 h podpory měsíčně, zbývá vám 2 h 30 min.');
  });

  it.skipIf(skip)('answers each customer about their own hours, in their language; a tier without hours; a stranger is asked to identify', async () => {
    await ticketWithTime('2024-0153', 'T-2026-00001', [{ at: '2026-11-02T10:00:00Z', minutes: 100 }]);
    const h = createHarness(db);
    // Zuzana (STANDARD: 1 h, Slovak) has logged nothing this month; Jan's time is not hers.
    await h.say('Dobrý deň', { phone: '+421905123456', conversationId: 'console:zuzana' });
    const zuzana = await h.say('hodiny', { phone: '+421905123456', conversationId: 'console:zuzana' });
    expect(zuzana.texts[0]).toContain('Tento mesiac sme pre vás odpracovali 0 h. Vaša služba zahŕňa 1 h podpory mesačne, zostáva vám 1 h.');

    await db.prisma.customer.create({ data: { contractNumber: 'B-1', name: 'Bez Hodin', tier: 'none', phones: { create: [{ e164: '+420777111222' }] } } });
    const none = await h.say('čerpání', { phone: '+420777111222', conversationId: 'console:none' });
    expect(none.texts[0]).toContain('Vaše služba nezahrnuje žádné hodiny podpory v ceně');

    await h.say('Dobrý den', { conversationId: 'console:stranger' });
    const stranger = await h.say('hodiny', { conversationId: 'console:stranger' });
    expect(stranger.texts[0]).toContain('vám řeknu, až vás ověřím');
    expect(stranger.texts[0]).toContain('číslo své smlouvy');
    // Once identified, the same question gets Jan's numbers (100 -> 105 min of 3 h).
    await h.say('2024-0153', { conversationId: 'console:stranger' });
    expect((await h.say('hodiny', { conversationId: 'console:stranger' })).texts[0]).toContain(
      'odpracovali 1 h 45 min. Vaše služba zahrnuje 3 h podpory měsíčně, zbývá vám 1 h 15 min.',
    );
  });

  it.skipIf(skip)("counts work in the month it was done: 30 November logged on 1 December is November's", async () => {
    await ticketWithTime('2024-0153', 'T-2026-00001', []);
    await db.prisma.ticket.update({ where: { number: 'T-2026-00001' }, data: { workCategory: 'configuration' } });
    const h = createHarness(db);
    const petr = { id: 'slack:U1', name: 'Petr', platform: 'slack' };
    h.clock.now = new Date('2026-12-01T08:00:00Z'); // 1 December, 9:00 in Prague
    // "placene:": billable as the technician says (paid work without the customer's consent would wait for it: issue 16, rule 3).
    expect((await h.runtime.queue.logTime('T-2026-00001', petr, 40, '2026-11-30 placene: Nastavení routeru')).ok).toBe(true);
    expect((await h.runtime.queue.logTime('T-2026-00001', petr, 20, 'placene: Kontrola po nastavení')).ok).toBe(true);
    // December's hours: only today's 20 minutes (-> 30).
    const phone = '+420603123456';
    await h.say('Dobrý den', { phone });
    expect((await h.say('hodiny', { phone })).texts[0]).toContain('odpracovali 30 min. Vaše služba zahrnuje 3 h podpory měsíčně, zbývá vám 2 h 30 min.');
    // November's statement has the 30 November work, dated that day (no time of day: only the day was given).
    const tz = 'Europe/Prague';
    const terms = { hourlyRate: 100000, incrementMinutes: 15, travelFee: 0, includedMinutes: 180 };
    const nov = monthRange('2026-11', tz);
    const november = billMonth(await timeEntriesBetween(db.prisma, nov.start, nov.end), terms, '2026-11', tz);
    expect(november.lines.map((l) => [l.date, l.time, l.activity, l.minutes, l.roundedMinutes])).toEqual([['2026-11-30', '', 'Nastavení routeru', 40, 45]]);
    const dec = monthRange('2026-12', tz);
    const december = billMonth(await timeEntriesBetween(db.prisma, dec.start, dec.end), terms, '2026-12', tz);
    expect(december.lines.map((l) => [l.date, l.time, l.activity])).toEqual([['2026-12-01', '09:00', 'Kontrola po nastavení']]);
  });
});
