// The resolution deadline a tier promises (docs/domain.md, "Service levels"), on a real SQLite
// database: computed when the ticket opens, next to the reaction deadline; stored on the ticket;
// told to the customer only when the tier promises one (Czech, Slovak, English, short on SMS);
// shown on the team's card and in the queue listing and digest; watched like the reaction (warned
// once at 75 % of the resolution time, the on-call people mentioned once at the deadline, met and
// missed counted); a resolved ticket's clock stops. Expected times are worked out by hand.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { queueListing } from '../src/domain/team-commands.js';
import { digestText } from '../src/jobs/digest.js';
import { startScheduler, type Scheduler } from '../src/jobs/scheduler.js';
import { silentLogger } from '../src/observability/logger.js';
import { createMetrics, type Metrics } from '../src/observability/metrics.js';
import { createRuntime, type Runtime } from '../src/runtime/create-runtime.js';
import type { Db } from '../src/store/client.js';
import { createTestDatabase } from './helpers/db.js';
import { Clock, recordingPort, seedCustomers } from './helpers/harness.js';
import { recordingTeam } from './helpers/team.js';

const JAN = '+420603123456'; // PLUS, Czech
const ZUZANA = '+421905123456'; // STANDARD, Slovak
const ANN = '+420777000113'; // VIP, English
const EVA = '+420777000111'; // BASIC (no resolution promised), Czech
const tech = { id: 'slack:U1', name: 'Petr', platform: 'slack' };

/** Office hours (the default), a reaction and a resolution per tier. */
const tiers = {
  PLUS: { reaction: '8h', resolution: '2 working days', includedHours: 3 },
  STANDARD: { reaction: '24h', resolution: '3 working days', includedHours: 1 },
  VIP: { reaction: '24h or next working day', resolution: 'next working day', includedHours: 6 },
  BASIC: { reaction: '24h' },
  none: { reaction: null },
};

async function seed(db: Db): Promise<void> {
  await seedCustomers(db);
  await db.prisma.customer.create({
    data: { contractNumber: '2025-0013', name: 'Ann Smith', language: 'en', tier: 'VIP', phones: { create: [{ e164: ANN }] } },
  });
  await db.prisma.customer.create({
    data: { contractNumber: '2025-0011', name: 'Eva Malá', language: 'cs', tier: 'BASIC', phones: { create: [{ e164: EVA }] } },
  });
}

describe('the resolution deadline at opening', () => {
  let db: Db;
  let drop: () => Promise<void>;
  let runtime: Runtime;
  let slack: ReturnType<typeof recordingTeam>;
  let clock: Clock;

  beforeEach(async () => {
    const made = await createTestDatabase('sqlite');
    db = made.db;
    drop = made.drop;
    await seed(db);
    slack = recordingTeam('slack');
    clock = new Clock();
    clock.now = new Date('2026-11-23T08:00:00Z'); // Monday 9:00 in Prague
    runtime = createRuntime({
      prisma: db.prisma,
      config: parseConfig({ tiers }),
      log: silentLogger(),
      ports: [recordingPort()],
      teamPorts: [slack],
      clock: clock.read,
    });
  });
  afterEach(async () => {
    await drop();
  });

  /** Opens a ticket ("something else") through the chat; returns its number, the customer's confirmation, the card and the row. */
  async function open(phone: string, channel: 'console' | 'sms' = 'console') {
    const conv = `${channel}:${phone}`;
    for (const text of ['Dobrý den', '4', 'Potřebuji změnit nastavení routeru.', 'dnes', 'ano']) {
      const r = await runtime.dispatch({ dedupeId: `${conv}:${text}`, conversationId: conv, channel, event: { kind: 'text', text }, sender: { phone } });
      const confirmation = r.replies.map((x) => x.text).join('\n');
      if (r.ticketNumber && confirmation.includes(r.ticketNumber)) {
        await runtime.outbox.drain();
        const card = [...slack.cards.values()].find((c) => c.number === r.ticketNumber);
        const ticket = await db.prisma.ticket.findUniqueOrThrow({ where: { number: r.ticketNumber } });
        return { number: r.ticketNumber, confirmation, card, ticket };
      }
    }
    throw new Error(`no ticket on ${conv}`);
  }
  const field = (card: { fields: Array<{ label: string; value: string }> } | undefined, label: string) => card?.fields.find((f) => f.label === label)?.value;

  it('is stored, told to the customer after the reaction time and shown on the card (PLUS: 2 working days)', async () => {
    const { confirmation, card, ticket } = await open(JAN);
    // Reaction 8 h from Monday 9:00: Monday 17:00. Resolution: Tuesday 1, Wednesday 2: Wednesday 17:00.
    expect(ticket.deadline?.toISOString()).toBe('2026-11-23T16:00:00.000Z');
    expect(ticket.resolutionDeadline?.toISOString()).toBe('2026-11-25T16:00:00.000Z');
    expect(confirmation).toContain(
      'Termín reakce technika podle vaší smlouvy: pondělí 23. 11. v 17:00.\n\nTermín vyřešení požadavku podle vaší smlouvy: středa 25. 11. v 17:00.',
    );
    expect(field(card, 'Reakce do')).toBe('23. 11. 2026 17:00');
    expect(field(card, 'Vyřešení do')).toBe('25. 11. 2026 17:00');
  });

  it('is told in Slovak and English, and in a few words by SMS', async () => {
    // STANDARD: 3 working days from Monday: Tuesday 1, Wednesday 2, Thursday 3, by 17:00.
    const zuzana = await open(ZUZANA);
    expect(zuzana.ticket.resolutionDeadline?.toISOString()).toBe('2026-11-26T16:00:00.000Z');
    expect(zuzana.confirmation).toContain('Termín vyriešenia požiadavky podľa vašej zmluvy: štvrtok 26. 11. o 17:00.');
    // VIP: reaction the later of Tuesday 9:00 and Tuesday 17:00; resolution by the end of Tuesday.
    const ann = await open(ANN);
    expect(ann.ticket.deadline?.toISOString()).toBe('2026-11-24T16:00:00.000Z');
    expect(ann.ticket.resolutionDeadline?.toISOString()).toBe('2026-11-24T16:00:00.000Z');
    expect(ann.confirmation).toContain('Under your contract, your request will be resolved by Tuesday 24 Nov at 17:00 at the latest.');
    const sms = await open(JAN, 'sms');
    expect(sms.confirmation).toContain('Reakce technika do: pondělí 23. 11. v 17:00.');
    expect(sms.confirmation).toContain('Vyřešení do: středa 25. 11. v 17:00.');
  });

  it('is not mentioned where the tier promises none: not to the customer, not on the card', async () => {
    const { confirmation, card, ticket } = await open(EVA);
    expect(ticket.deadline).not.toBeNull();
    expect(ticket.resolutionDeadline).toBeNull();
    expect(confirmation).toContain('Termín reakce technika podle vaší smlouvy');
    expect(confirmation).not.toContain('vyřešení');
    expect(field(card, 'Vyřešení do')).toBeUndefined();
  });

  it('is in the queue listing and the digest, with the time left', async () => {
    const jan = await open(JAN);
    const eva = await open(EVA);
    const now = new Date('2026-11-23T09:00:00Z'); // Monday 10:00: 55 hours to Wednesday 17:00
    const listing = queueListing(await runtime.queue.open(), { lang: 'cs', timezone: 'Europe/Prague', now });
    const line = (number: string) => listing.split('\n').find((l) => l.startsWith(number)) ?? '';
    expect(line(jan.number)).toMatch(/· 23\. 11\. 2026 17:00 \(zbývá 7 h 0 min\) · vyřešení do 25\. 11\. 2026 17:00 \(zbývá 55 h 0 min\)$/);
    expect(line(eva.number)).not.toContain('vyřešení');
    const digest = await digestText({ prisma: db.prisma, clock: () => now, teamPlatforms: ['slack'], teamLanguage: 'en' });
    expect(digest).toContain('· 7 h 0 min left · resolve by 25 Nov 2026, 17:00 (55 h 0 min left)');
  });
});

// The watch runs every minute under fake timers, as in test/sla-watch.test.ts.
describe('the SLA watch of resolution deadlines', { timeout: 120_000 }, () => {
  let db: Db;
  let drop: () => Promise<void>;
  let runtime: Runtime;
  let scheduler: Scheduler;
  let metrics: Metrics;
  let slack: ReturnType<typeof recordingTeam>;
  // PLUS: reaction 1 working hour, resolution 4 working hours, Mon-Fri 8:30-17:00.
  const config = parseConfig({ slack: { onCall: ['U0ONCALL1'] }, tiers: { ...tiers, PLUS: { reaction: '1h', resolution: '4h' } } });

  beforeEach(async () => {
    const made = await createTestDatabase('sqlite');
    db = made.db;
    drop = made.drop;
    await seed(db);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-11-23T07:00:00Z')); // Monday 8:00 in Prague, before opening
    slack = recordingTeam('slack');
    metrics = createMetrics();
    runtime = createRuntime({ prisma: db.prisma, config, log: silentLogger(), ports: [recordingPort()], teamPorts: [slack], clock: () => new Date() });
    scheduler = startScheduler(config, { prisma: db.prisma, clock: () => new Date(), teamPlatforms: ['slack'], teamLanguage: 'cs', metrics }, silentLogger());
  });
  afterEach(async () => {
    await scheduler.stop();
    vi.useRealTimers();
    await drop();
  });

  async function openTicket(phone: string): Promise<string> {
    let number = '';
    for (const text of ['Dobrý den', '4', 'Potřebuji změnit nastavení routeru.', 'dnes', 'ano']) {
      const r = await runtime.dispatch({
        dedupeId: `${phone}:${text}`,
        conversationId: `console:${phone}`,
        channel: 'console',
        event: { kind: 'text', text },
        sender: { phone },
      });
      number = r.ticketNumber ?? number;
    }
    return number;
  }
  async function advance(minutes: number) {
    await vi.advanceTimersByTimeAsync(minutes * 60_000);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    await runtime.outbox.drain();
  }
  const warnings = () => slack.channel.filter((m) => m.startsWith('⏰'));
  const breaches = () => slack.channel.filter((m) => m.startsWith('🚨'));
  const ticket = (number: string) => db.prisma.ticket.findUniqueOrThrow({ where: { number } });
  const count = async (c: Metrics['resolutionMet']) => (await c.get()).values[0]?.value ?? 0;

  it('warns once at 75 % of the resolution time and mentions the on-call people once at the deadline, though a technician reacted in time', async () => {
    const number = await openTicket(JAN);
    // Opened at 8:00, before opening: reaction by 9:30, resolution by 12:30; warned at 11:30 (3 of 4 working hours).
    expect(await ticket(number)).toMatchObject({ deadline: new Date('2026-11-23T08:30:00Z'), resolutionDeadline: new Date('2026-11-23T11:30:00Z') });
    await advance(60); // 9:00
    await runtime.queue.claim(number, tech);
    await advance(1);
    expect((await ticket(number)).slaMet).toBe(true);

    await advance(2 * 60 + 28); // 11:29
    expect(warnings()).toEqual([]);
    await advance(1); // 11:30
    expect(warnings()).toEqual([`⏰ Blíží se termín vyřešení: ${number} · Něco jiného · zbývá 1 h 0 min doby na vyřešení a požadavek stále není vyřešen.`]);
    expect((await ticket(number)).resolutionWarnedAt?.toISOString()).toBe('2026-11-23T10:30:00.000Z');

    await advance(59); // 12:29
    expect(breaches()).toEqual([]);
    await advance(1); // 12:30: the deadline
    expect(breaches()).toEqual([`🚨 Termín vyřešení vypršel: ${number} · Něco jiného · požadavek není vyřešen. {onCall}`]);
    const outboxItem = (await db.prisma.outboxItem.findMany({ where: { kind: 'team.channel' } })).find(
      (x) => (x.payload as { text: string }).text === breaches()[0],
    );
    expect(outboxItem?.payload).toEqual({ text: breaches()[0], mentionOnCall: true });
    expect(await ticket(number)).toMatchObject({ resolutionMet: false, resolutionBreachedAt: new Date('2026-11-23T11:30:00Z'), slaMet: true });
    expect(await count(metrics.resolutionMissed)).toBe(1);

    // Once each; resolving late changes nothing.
    await advance(30);
    await runtime.queue.resolve(number, tech, 'Hotovo.');
    await advance(5);
    expect(warnings()).toHaveLength(1);
    expect(breaches()).toHaveLength(1);
    expect(await count(metrics.resolutionMissed)).toBe(1);
    expect(await count(metrics.resolutionMet)).toBe(0);
    // The reaction's own counters are apart: one met reaction.
    expect(await count(metrics.slaMet)).toBe(1);
    expect(await count(metrics.slaMissed)).toBe(0);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^linka_resolution_missed_total 1$/m);
    expect(text).toMatch(/^linka_resolution_met_total 0$/m);
  });

  it('stops the clock when the ticket is resolved: met, counted once, never warned', async () => {
    const number = await openTicket(JAN);
    await advance(60); // 9:00: resolved without an earlier claim, which is also the reaction (by 9:30)
    expect((await runtime.queue.resolve(number, tech, 'Vyřešeno na dálku.')).ok).toBe(true);
    await advance(1);
    expect(await ticket(number)).toMatchObject({ resolutionMet: true, slaMet: true, resolutionWarnedAt: null });
    expect(await count(metrics.resolutionMet)).toBe(1);
    await advance(4 * 60); // 13:01, past the deadline of 12:30
    expect(warnings()).toEqual([]);
    expect(breaches()).toEqual([]);
    expect(await count(metrics.resolutionMet)).toBe(1);
    expect(await count(metrics.resolutionMissed)).toBe(0);
  });

  it('leaves tickets of tiers without a resolution deadline alone', async () => {
    const number = await openTicket(EVA); // BASIC: reaction 24 working hours, no resolution promised
    await advance(60);
    await runtime.queue.claim(number, tech);
    await advance(9 * 60); // to 18:01
    expect(await ticket(number)).toMatchObject({ resolutionDeadline: null, resolutionMet: null, resolutionWarnedAt: null });
    expect(warnings()).toEqual([]);
    expect(breaches()).toEqual([]);
  });
});
