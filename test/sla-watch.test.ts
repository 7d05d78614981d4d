// The SLA watch on a real SQLite database: node-cron runs it every minute under fake timers.
// A ticket nobody reacts to is warned about once at 75 % of its reaction time (counted in the
// tier's working hours) and escalated once at the deadline with the on-call placeholder;
// a ticket claimed in time is left alone; slaMet and the metrics record the outcome; and the
// customer's confirmation says by when to expect the reaction, counted from the ticket's opening.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { startScheduler, type Scheduler } from '../src/jobs/scheduler.js';
import { watchSla } from '../src/jobs/sla-watch.js';
import { byUrgency } from '../src/domain/sla.js';
import { silentLogger } from '../src/observability/logger.js';
import { createMetrics, type Metrics } from '../src/observability/metrics.js';
import { createRuntime, slaCalendar, type Runtime } from '../src/runtime/create-runtime.js';
import { fillOnCall, type TeamChannelOptions } from '../src/services/enqueue-team-posts.js';
import type { Db } from '../src/store/client.js';
import { createTestDatabase } from './helpers/db.js';
import { Clock, recordingPort, seedCustomers } from './helpers/harness.js';
import { recordingTeam } from './helpers/team.js';

const JAN = '+420603123456'; // PLUS: 8 working hours, Czech
const ZUZANA = '+421905123456'; // STANDARD: 24 working hours, Slovak
const tech = { id: 'slack:U1', name: 'Petr', platform: 'slack' };

/** A recording team platform that also keeps the options of each channel message. */
function teamWithOptions(platform: 'slack' | 'discord') {
  const team = recordingTeam(platform);
  const options: Array<TeamChannelOptions | undefined> = [];
  const post = team.postToChannel;
  return Object.assign(team, {
    options,
    async postToChannel(text: string, opts?: TeamChannelOptions) {
      options.push(opts);
      await post(text);
    },
  });
}

// Each test runs hours of simulated per-minute jobs on the database (a few seconds on an idle
// machine): the limit is generous so a busy machine does not fail them.
describe('the SLA watch', { timeout: 120_000 }, () => {
  let db: Db;
  let drop: () => Promise<void>;
  let runtime: Runtime;
  let scheduler: Scheduler;
  let metrics: Metrics;
  let slack: ReturnType<typeof teamWithOptions>;
  let discord: ReturnType<typeof teamWithOptions>;
  const config = parseConfig({ slack: { onCall: ['U0ONCALL1', 'S0TECHS'] }, discord: { onCall: ['123456789012345678', 'role:234567890123456789'] } });

  beforeEach(async () => {
    const made = await createTestDatabase('sqlite');
    db = made.db;
    drop = made.drop;
    await seedCustomers(db);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-11-23T07:00:00Z')); // Monday 8:00 in Prague, before opening
    slack = teamWithOptions('slack');
    discord = teamWithOptions('discord');
    metrics = createMetrics();
    runtime = createRuntime({ prisma: db.prisma, config, log: silentLogger(), ports: [recordingPort()], teamPorts: [slack, discord], clock: () => new Date() });
    scheduler = schedule();
  });
  const schedule = () =>
    startScheduler(
      config,
      {
        prisma: db.prisma,
        clock: () => new Date(),
        teamPlatforms: ['slack', 'discord'],
        teamLanguage: 'cs',
        metrics,
      },
      silentLogger(),
    );
  afterEach(async () => {
    await scheduler.stop();
    vi.useRealTimers();
    await drop();
  });

  /** Opens a ticket through the chat; returns its number and the customer's confirmation. */
  async function openTicket(conv: string, phone: string): Promise<{ number: string; confirmation: string }> {
    let number = '';
    let confirmation = '';
    for (const text of ['Dobrý den', '4', 'Potřebuji změnit nastavení routeru.', 'dnes', 'ano']) {
      const r = await runtime.dispatch({
        dedupeId: `${conv}:${text}`,
        conversationId: conv,
        channel: 'console',
        event: { kind: 'text', text },
        sender: { phone },
      });
      number = r.ticketNumber ?? number;
      confirmation = r.replies.map((x) => x.text).join('\n');
    }
    return { number, confirmation };
  }

  async function advance(minutes: number) {
    await vi.advanceTimersByTimeAsync(minutes * 60_000);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    await runtime.outbox.drain();
  }
  const warnings = () => slack.channel.filter((m) => m.startsWith('⏰'));
  const breaches = () => slack.channel.filter((m) => m.startsWith('🚨'));
  const ticket = (number: string) => db.prisma.ticket.findUniqueOrThrow({ where: { number } });
  const count = async (c: Metrics['slaMet']) => (await c.get()).values[0]?.value ?? 0;

  it('tells the customer by when, warns once at 75 %, escalates once at the deadline with the on-call placeholder', async () => {
    const { number, confirmation } = await openTicket('console:jan', JAN);
    // PLUS: 8 working hours from the 8:30 opening -> Monday 16:30; warned after 6 h, at 14:30.
    expect((await ticket(number)).deadline?.toISOString()).toBe('2026-11-23T15:30:00.000Z');
    expect(confirmation).toContain(`pod číslem ${number}`);
    expect(confirmation).toContain('Termín reakce technika podle vaší smlouvy: pondělí 23. 11. v 16:30.');

    await advance(6 * 60 + 29); // 14:29
    expect(warnings()).toEqual([]);
    await advance(1); // 14:30
    expect(warnings()).toEqual([`⏰ Blíží se termín reakce: ${number} · Něco jiného · zbývá 2 h 0 min reakční doby a nikdo nereagoval.`]);
    expect(discord.channel.filter((m) => m.startsWith('⏰'))).toHaveLength(1);
    expect((await ticket(number)).slaWarnedAt?.toISOString()).toBe('2026-11-23T13:30:00.000Z');

    await advance(119); // 16:29
    expect(warnings()).toHaveLength(1);
    expect(breaches()).toEqual([]);
    expect((await ticket(number)).slaMet).toBeNull();
    await advance(1); // 16:30: the deadline
    expect(breaches()).toEqual([`🚨 Termín reakce vypršel: ${number} · Něco jiného · nikdo nereagoval. {onCall}`]);
    // The outbox item and the port both carry the flag; the adapters put their mentions in.
    const index = slack.channel.indexOf(breaches()[0] as string);
    expect(slack.options[index]).toEqual({ mentionOnCall: true });
    expect(slack.options[slack.channel.indexOf(warnings()[0] as string)]).toBeUndefined();
    expect(discord.options.filter((o) => o?.mentionOnCall)).toHaveLength(1);
    const items = await db.prisma.outboxItem.findMany({ where: { kind: 'team.channel', channel: 'slack' } });
    expect(items.filter((x) => (x.payload as { mentionOnCall?: boolean }).mentionOnCall === true).map((x) => x.payload)).toEqual([
      { text: breaches()[0], mentionOnCall: true },
    ]);
    expect(fillOnCall(breaches()[0] as string, ['<@U0ONCALL1>', '<!subteam^S0TECHS>'])).toMatch(/nikdo nereagoval\. <@U0ONCALL1> <!subteam\^S0TECHS>$/);
    expect(fillOnCall(breaches()[0] as string, [])).toMatch(/nikdo nereagoval\.$/);

    const breached = await ticket(number);
    expect(breached).toMatchObject({ slaMet: false });
    expect(breached.slaBreachedAt?.toISOString()).toBe('2026-11-23T15:30:00.000Z');
    expect(await count(metrics.slaMissed)).toBe(1);

    // Once each, however long it stays unanswered; a late claim changes nothing.
    await advance(60);
    await runtime.queue.claim(number, tech);
    await advance(5);
    expect(warnings()).toHaveLength(1);
    expect(breaches()).toHaveLength(1);
    expect((await ticket(number)).slaMet).toBe(false);
    expect(await count(metrics.slaMissed)).toBe(1);
    expect(await count(metrics.slaMet)).toBe(0);
  });

  it('leaves a ticket claimed in time alone and records slaMet true', async () => {
    const { number } = await openTicket('console:jan', JAN);
    await advance(2 * 60); // 10:00
    await runtime.queue.claim(number, tech);
    await advance(1);
    expect((await ticket(number)).slaMet).toBe(true);
    expect(await count(metrics.slaMet)).toBe(1);
    await advance(7 * 60); // past the deadline (16:30)
    expect(warnings()).toEqual([]);
    expect(breaches()).toEqual([]);
    expect(await ticket(number)).toMatchObject({ slaMet: true, slaWarnedAt: null, slaBreachedAt: null });
    expect(await count(metrics.slaMet)).toBe(1);
    expect(await count(metrics.slaMissed)).toBe(0);
  });

  it('counts working hours only: a Friday afternoon ticket is warned on Monday, not over the weekend', async () => {
    await scheduler.stop(); // the schedules are planned forward from the time they start
    vi.setSystemTime(new Date('2026-11-20T15:00:00Z')); // Friday 16:00
    scheduler = schedule();
    const { number, confirmation } = await openTicket('console:zuzana', ZUZANA);
    // STANDARD 24 working hours: 1 h on Friday, 8.5 h on Monday and Tuesday, 6 h on Wednesday.
    expect((await ticket(number)).deadline?.toISOString()).toBe('2026-11-25T13:30:00.000Z');
    expect(confirmation).toContain('Termín reakcie technika podľa vašej zmluvy: streda 25. 11. o 14:30.');
    vi.setSystemTime(new Date('2026-11-22T09:00:00Z')); // Sunday: 41 wall-clock hours later
    await advance(2);
    expect(warnings()).toEqual([]);
    // 75 % = 18 working hours: Friday 1 h + Monday 8.5 h + Tuesday 8.5 h -> Tuesday 17:00.
    // (In wall-clock time 75 % of Friday 16:00 -> Wednesday 14:30 would be Tuesday 8:53.)
    vi.setSystemTime(new Date('2026-11-24T08:58:30Z'));
    await advance(2); // the watch runs at 10:00
    expect(warnings()).toEqual([]);
    await advance(6 * 60 + 59); // ... and every minute to 16:59
    expect(warnings()).toEqual([]);
    await advance(1); // 17:00
    expect(warnings()).toEqual([`⏰ Blíží se termín reakce: ${number} · Něco jiného · zbývá 6 h 0 min reakční doby a nikdo nereagoval.`]);
  });
});

// The reaction time runs from the ticket's opening, not from the customer's first message: a
// customer may greet the bot, go to look at the router and only describe the problem much later.
// The clock moves between every step, so the deadline of no earlier moment of the conversation
// (its first message, the session's start, the previous message) equals the opening's.
describe('the deadline of a ticket opened a while after the first message', () => {
  let db: Db;
  let drop: () => Promise<void>;
  let runtime: Runtime;
  let slack: ReturnType<typeof recordingTeam>;
  let clock: Clock;

  beforeEach(async () => {
    const made = await createTestDatabase('sqlite');
    db = made.db;
    drop = made.drop;
    await seedCustomers(db);
    slack = recordingTeam('slack');
    clock = new Clock();
    runtime = createRuntime({
      prisma: db.prisma,
      config: parseConfig({}),
      log: silentLogger(),
      ports: [recordingPort()],
      teamPorts: [slack],
      clock: clock.read,
    });
  });
  afterEach(async () => {
    await drop();
  });

  /** Jan (PLUS: 8 working hours, Mon-Fri 8:30-17:00) writes at `firstAt`; `gaps[i]` minutes pass before each later message. */
  async function openTicketOver(firstAt: string, gaps: number[]) {
    clock.now = new Date(firstAt);
    const texts = ['Dobrý den', '4', 'Potřebuji změnit nastavení routeru.', 'dnes', 'ano'];
    let number = '';
    let confirmation = '';
    for (const [i, text] of texts.entries()) {
      if (i > 0) clock.advance(gaps[i - 1] ?? 0);
      const r = await runtime.dispatch({
        dedupeId: `jan:${i}`,
        conversationId: 'console:jan',
        channel: 'console',
        event: { kind: 'text', text },
        sender: { phone: JAN },
      });
      number = r.ticketNumber ?? number;
      confirmation = r.replies.map((x) => x.text).join('\n');
    }
    await runtime.outbox.drain();
    const card = [...slack.cards.values()].find((c) => c.number === number);
    const ticket = await db.prisma.ticket.findUniqueOrThrow({ where: { number } });
    return { number, confirmation, reactBy: card?.fields.find((f) => f.label === 'Reakce do')?.value, ticket };
  }

  it('counts 8 working hours from the opening 40 minutes after the greeting', async () => {
    // "Dobrý den" Monday 9:00 in Prague; the ticket opens at 9:40 (10 + 15 + 10 + 5 minutes later).
    const { confirmation, reactBy, ticket } = await openTicketOver('2026-11-23T08:00:00Z', [10, 15, 10, 5]);
    expect(ticket.createdAt.toISOString()).toBe('2026-11-23T08:40:00.000Z');
    // Monday 9:40-17:00 is 7 h 20 min; the other 40 min from Tuesday 8:30: Tuesday 9:10.
    expect(ticket.deadline?.toISOString()).toBe('2026-11-24T08:10:00.000Z');
    expect(confirmation).toContain('Termín reakce technika podle vaší smlouvy: úterý 24. 11. v 9:10.');
    expect(reactBy).toBe('24. 11. 2026 9:10');
  });

  it('starts the reaction time next morning when the ticket opens after business hours, though the greeting came before 17:00', async () => {
    // "Dobrý den" Monday 16:40 in Prague; the ticket opens at 17:10, after business hours.
    const { confirmation, reactBy, ticket } = await openTicketOver('2026-11-23T15:40:00Z', [5, 10, 10, 5]);
    expect(ticket.createdAt.toISOString()).toBe('2026-11-23T16:10:00.000Z');
    // Nothing counts on Monday evening: 8 h from Tuesday 8:30 is Tuesday 16:30.
    expect(ticket.deadline?.toISOString()).toBe('2026-11-24T15:30:00.000Z');
    expect(confirmation).toContain('Termín reakce technika podle vaší smlouvy: úterý 24. 11. v 16:30.');
    expect(reactBy).toBe('24. 11. 2026 16:30');
  });
});

describe("the runtime's deadlines", () => {
  it('use the configured calendar: public holidays and closures', () => {
    const make = (calendar: unknown) => createRuntime({ prisma: {} as Db['prisma'], config: parseConfig({ calendar }), log: silentLogger() });
    const opened = new Date('2026-12-23T15:00:00Z'); // Wednesday 16:00 before Christmas
    // PLUS, 8 working hours: 1 h on the 23rd; 24-26 December are holidays, the 27th a Sunday.
    expect(make({}).dispatchDeps.deadlineFor('PLUS', opened)?.toISOString()).toBe('2026-12-28T14:30:00.000Z');
    expect(
      make({ closures: ['2026-12-28'] })
        .dispatchDeps.deadlineFor('PLUS', opened)
        ?.toISOString(),
    ).toBe('2026-12-29T14:30:00.000Z');
    expect(make({ holidays: null }).dispatchDeps.deadlineFor('PLUS', opened)?.toISOString()).toBe('2026-12-24T14:30:00.000Z');
    expect(make({}).dispatchDeps.deadlineFor('VIP', opened)?.toISOString()).toBe('2026-12-23T19:00:00.000Z'); // 24/7
    expect(make({}).dispatchDeps.deadlineFor('none', opened)).toBeNull();
  });
});

describe('the SLA watch called directly', () => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    const made = await createTestDatabase('sqlite');
    db = made.db;
    drop = made.drop;
    await seedCustomers(db);
  });
  afterEach(async () => {
    await drop();
  });

  it('never warns or escalates twice when two processes run it at once, and decides late reactions as missed', async () => {
    const config = parseConfig({});
    let now = new Date('2026-11-23T07:00:00Z');
    const runtime = createRuntime({
      prisma: db.prisma,
      config,
      log: silentLogger(),
      ports: [recordingPort()],
      teamPorts: [recordingTeam('slack')],
      clock: () => now,
    });
    await db.prisma.customer.create({
      data: { contractNumber: '2025-0001', name: 'Eva Malá', language: 'en', tier: 'none', phones: { create: [{ e164: '+420777000111' }] } },
    });
    const opened: string[] = [];
    const confirmations: string[] = [];
    for (const [conv, phone] of [
      ['console:jan', JAN],
      ['console:eva', '+420777000111'],
    ] as const) {
      for (const text of ['Dobrý den', '4', 'Potřebuji změnit nastavení routeru.', 'dnes', 'ano']) {
        const r = await runtime.dispatch({
          dedupeId: `${conv}:${text}`,
          conversationId: conv,
          channel: 'console',
          event: { kind: 'text', text },
          sender: { phone },
        });
        if (r.ticketNumber && !opened.includes(r.ticketNumber)) {
          opened.push(r.ticketNumber);
          confirmations.push(r.replies.map((x) => x.text).join('\n'));
        }
      }
    }
    const [jan, eva] = opened as [string, string];
    // Tier none: no deadline, never watched, and the customer is promised no time.
    expect((await db.prisma.ticket.findUniqueOrThrow({ where: { number: eva } })).deadline).toBeNull();
    expect(confirmations[1]).toContain(eva);
    expect(confirmations[1]).not.toContain('respond by');
    expect(confirmations[1]).toContain('Your contract has no guaranteed response time');
    expect(confirmations[0]).toContain('Termín reakce technika podle vaší smlouvy: pondělí 23. 11. v 16:30.');

    const metrics = [createMetrics(), createMetrics()];
    const settings = { tiers: config.tiers, calendar: slaCalendar(config), warnAt: config.sla.warnAt };
    const watch = (i: number) => watchSla({ prisma: db.prisma, clock: () => now, teamPlatforms: ['slack'], teamLanguage: 'cs', metrics: metrics[i] }, settings);
    const posted = async (prefix: string) =>
      (await db.prisma.outboxItem.findMany({ where: { kind: 'team.channel' } })).filter((x) => String((x.payload as { text: string }).text).startsWith(prefix))
        .length;

    // A ticket closed without a reaction is not watched.
    const closed = await db.prisma.ticket.update({ where: { number: jan }, data: { status: 'closed' } });
    now = new Date('2026-11-23T15:30:00Z');
    expect(await watch(0)).toEqual({ warned: [], breached: [], met: [], missed: [] });
    await db.prisma.ticket.update({ where: { id: closed.id }, data: { status: 'open' } });

    now = new Date('2026-11-23T13:30:00Z'); // 14:30: 75 % of 8 working hours
    const warned = await Promise.all([watch(0), watch(1)]);
    expect(warned.flatMap((r) => r.warned)).toEqual([jan]);
    expect(await posted('⏰')).toBe(1);

    now = new Date('2026-11-23T15:30:00Z'); // 16:30: the deadline
    const breached = await Promise.all([watch(0), watch(1), watch(0)]);
    expect(breached.flatMap((r) => r.breached)).toEqual([jan]);
    expect(await posted('🚨')).toBe(1);
    const missed = await Promise.all(metrics.map(async (m) => (await m.slaMissed.get()).values[0]?.value ?? 0));
    expect(missed.reduce((a, b) => a + b)).toBe(1);

    // A reaction after a deadline the watch never saw (it was down): decided as missed, once.
    await db.prisma.ticket.update({ where: { number: jan }, data: { slaMet: null, slaBreachedAt: null, firstReactionAt: new Date('2026-11-23T15:45:00Z') } });
    const late = await Promise.all([watch(0), watch(1)]);
    expect(late.flatMap((r) => r.missed)).toEqual([jan]);
    expect(late.flatMap((r) => r.breached)).toEqual([]);
    expect((await db.prisma.ticket.findUniqueOrThrow({ where: { number: jan } })).slaMet).toBe(false);
  });
});

describe("service levels: order, first reactions and the customer's confirmation", () => {
  let db: Db;
  let drop: () => Promise<void>;
  let now: Date;
  let runtime: Runtime;
  const config = parseConfig({});
  const settings = { tiers: config.tiers, calendar: slaCalendar(config), warnAt: config.sla.warnAt };
  beforeEach(async () => {
    const made = await createTestDatabase('sqlite');
    db = made.db;
    drop = made.drop;
    await seedCustomers(db);
    now = new Date('2026-11-23T08:00:00Z'); // Monday 9:00 in Prague
    runtime = createRuntime({
      prisma: db.prisma,
      config,
      log: silentLogger(),
      ports: [recordingPort()],
      teamPorts: [recordingTeam('slack')],
      clock: () => now,
    });
  });
  afterEach(async () => {
    await drop();
  });
  const watch = () => watchSla({ prisma: db.prisma, clock: () => now, teamPlatforms: ['slack'], teamLanguage: 'cs' }, settings);
  const ticket = (number: string) => db.prisma.ticket.findUniqueOrThrow({ where: { number } });

  /** Opens a ticket ("something else") on `channel`; returns its number and the confirmation the customer got. */
  async function open(conv: string, phone: string, channel: 'console' | 'sms' = 'console'): Promise<{ number: string; confirmation: string }> {
    for (const text of ['Dobrý den', '4', 'Potřebuji změnit nastavení routeru.', 'dnes', 'ano']) {
      const r = await runtime.dispatch({ dedupeId: `${conv}:${text}`, conversationId: conv, channel, event: { kind: 'text', text }, sender: { phone } });
      const confirmation = r.replies.map((x) => x.text).join('\n');
      if (r.ticketNumber && confirmation.includes(r.ticketNumber)) return { number: r.ticketNumber, confirmation };
    }
    throw new Error(`no ticket on ${conv}`);
  }

  it("puts tickets with a tier's deadline before tickets without one, however old, then by deadline", async () => {
    const older = { deadline: null, createdAt: new Date('2026-11-20T08:00:00Z') };
    const oldest = { deadline: null, createdAt: new Date('2026-11-19T08:00:00Z') };
    const late = { deadline: new Date('2026-11-25T13:30:00Z'), createdAt: new Date('2026-11-23T08:00:00Z') };
    const soon = { deadline: new Date('2026-11-23T15:30:00Z'), createdAt: new Date('2026-11-23T09:00:00Z') };
    expect([older, late, oldest, soon].sort(byUrgency)).toEqual([soon, late, oldest, older]);

    // Through the queue: a tier-less customer's ticket opened first still comes last.
    await db.prisma.customer.create({
      data: { contractNumber: '2025-0001', name: 'Eva Malá', language: 'cs', tier: 'none', phones: { create: [{ e164: '+420777000111' }] } },
    });
    const eva = await open('console:eva', '+420777000111');
    now = new Date(now.getTime() + 60 * 60_000);
    const zuzana = await open('console:zuzana', '+421905123456'); // STANDARD: 24 working hours
    const jan = await open('console:jan', '+420603123456'); // PLUS: 8 working hours
    expect((await runtime.queue.open()).map((t) => t.number)).toEqual([jan.number, zuzana.number, eva.number]);
  });

  it("counts a technician's reply as the first reaction", async () => {
    const { number } = await open('console:jan', '+420603123456');
    now = new Date('2026-11-23T10:00:00Z');
    expect((await runtime.queue.reply(number, tech, 'Dobrý den, podívám se na to.')).ok).toBe(true);
    expect((await ticket(number)).firstReactionAt).toEqual(now);
    expect((await watch()).met).toEqual([number]);
    expect(await ticket(number)).toMatchObject({ slaMet: true, claimedBy: null, status: 'open' });
  });

  it('takes a resolution without any earlier reaction as the reaction: met by the deadline, missed after it', async () => {
    const inTime = await open('console:jan', '+420603123456'); // deadline Monday 16:30
    const tooLate = await open('console:zuzana', '+421905123456'); // STANDARD: 24 working hours later
    now = new Date('2026-11-23T12:00:00Z');
    expect((await runtime.queue.resolve(inTime.number, tech, 'Hotovo na dálku.')).ok).toBe(true);
    expect(await ticket(inTime.number)).toMatchObject({ firstReactionAt: now, resolvedAt: now, slaMet: null });
    expect(await watch()).toMatchObject({ met: [inTime.number], breached: [], missed: [] });
    expect((await ticket(inTime.number)).slaMet).toBe(true);

    // Resolved after its deadline, before the watch ran (it was down): missed, never escalated.
    const deadline = (await ticket(tooLate.number)).deadline as Date;
    now = new Date(deadline.getTime() + 10 * 60_000);
    expect((await runtime.queue.resolve(tooLate.number, tech)).ok).toBe(true);
    expect(await watch()).toMatchObject({ met: [], breached: [], missed: [tooLate.number] });
    expect(await ticket(tooLate.number)).toMatchObject({ slaMet: false, slaBreachedAt: null });
  });

  it('tells identified customers without a tier that no reaction time is guaranteed, in their language and short on SMS', async () => {
    const people = [
      ['2025-0011', 'Eva Malá', 'cs', '+420777000111'],
      ['2025-0012', 'Peter Nový', 'sk', '+421905000112'],
      ['2025-0013', 'Ann Smith', 'en', '+420777000113'],
    ] as const;
    for (const [contractNumber, name, language, e164] of people) {
      await db.prisma.customer.create({ data: { contractNumber, name, language, tier: 'none', phones: { create: [{ e164 }] } } });
    }
    const said = async (i: number, channel: 'console' | 'sms') => (await open(`${channel}:${people[i]?.[3]}`, people[i]?.[3] ?? '', channel)).confirmation;
    expect(await said(0, 'console')).toContain('Vaše smlouva nezahrnuje garantovanou dobu reakce: technik se vám ozve, jakmile to bude možné.');
    expect(await said(1, 'console')).toContain('Vaša zmluva nezahŕňa garantovanú dobu reakcie: technik sa vám ozve, hneď ako to bude možné.');
    expect(await said(2, 'console')).toContain('Your contract has no guaranteed response time: a technician will get back to you as soon as possible.');
    expect(await said(0, 'sms')).toContain('Garantovanou dobu reakce smlouva nezahrnuje, ozveme se co nejdřív.');
    // A customer with a tier is promised the time instead; nobody is told both.
    const jan = await open('console:jan', '+420603123456');
    expect(jan.confirmation).toContain('Termín reakce technika podle vaší smlouvy');
    expect(jan.confirmation).not.toContain('garantovanou');
  });
});
