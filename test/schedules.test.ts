// The schedules under fake timers: node-cron fires the digest at 8:30 and 13:00 Prague time on
// weekdays only, and re-announces an unclaimed ticket every N minutes at most M times.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { startScheduler, type Scheduler } from '../src/jobs/scheduler.js';
import { silentLogger } from '../src/observability/logger.js';
import { createRuntime, type Runtime } from '../src/runtime/create-runtime.js';
import type { Db } from '../src/store/client.js';
import { createTestDatabase } from './helpers/db.js';
import { recordingPort, seedCustomers } from './helpers/harness.js';
import { recordingTeam } from './helpers/team.js';

describe('schedules', () => {
  let db: Db;
  let drop: () => Promise<void>;
  let runtime: Runtime;
  let scheduler: Scheduler;
  let team: ReturnType<typeof recordingTeam>;
  const config = parseConfig({
    team: { reannounceMinutes: 30, reannounceMax: 2 },
    tiers: { PLUS: { reactionHours: 8, hours: 'always' }, STANDARD: { reactionHours: 24, hours: 'always' }, none: { reactionHours: null } },
  });

  beforeEach(async () => {
    const made = await createTestDatabase('sqlite');
    db = made.db;
    drop = made.drop;
    await seedCustomers(db);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-11-23T07:00:00Z')); // Monday 8:00 in Prague
    team = recordingTeam('slack');
    runtime = createRuntime({ prisma: db.prisma, config, log: silentLogger(), ports: [recordingPort()], teamPorts: [team], clock: () => new Date() });
    scheduler = startScheduler(
      config,
      {
        prisma: db.prisma,
        clock: () => new Date(),
        teamPlatforms: ['slack'],
        teamLanguage: 'cs',
      },
      silentLogger(),
    );
  });
  afterEach(async () => {
    await scheduler.stop();
    vi.useRealTimers();
    await drop();
  });

  async function openTicket(conv: string, phone: string): Promise<string> {
    let number = '';
    for (const text of ['Dobrý den', '4', 'Potřebuji změnit nastavení routeru.', 'dnes', 'ano']) {
      const r = await runtime.dispatch({
        dedupeId: `${conv}:${text}`,
        conversationId: conv,
        channel: 'console',
        event: { kind: 'text', text },
        sender: { phone },
      });
      number = r.ticketNumber ?? number;
    }
    return number;
  }

  /** Moves fake time forward and lets the jobs' database work and the deliveries finish. */
  async function advance(minutes: number) {
    await vi.advanceTimersByTimeAsync(minutes * 60_000);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    await runtime.outbox.drain();
  }

  it('posts the digest at 8:30 and 13:00 on weekdays, unclaimed first, with the time left', async () => {
    const jan = await openTicket('console:jan', '+420603123456');
    const zuzana = await openTicket('console:zuzana', '+421905123456');
    // Jan's ticket (PLUS, 8 h) is the more urgent one, but it is claimed: Zuzana's unclaimed one comes first.
    await runtime.queue.claim(jan, { id: 'slack:U1', name: 'Petr', platform: 'slack' });
    await runtime.outbox.drain();

    await advance(29);
    expect(team.channel).toEqual([]);
    await advance(1); // 8:30 Prague
    const digest = team.channel.find((m) => m.startsWith('Přehled fronty'));
    expect(digest).toBeDefined();
    expect(digest?.split('\n')).toEqual([
      'Přehled fronty: 1 nepřevzatých, 1 rozpracovaných.',
      `• ${zuzana} · Něco jiného · Zuzana Kováčová · Čeká na technika · zbývá 23 h 30 min`,
      `• ${jan} · Něco jiného · Jan Novák · Převzal(a) Petr · zbývá 7 h 30 min`,
    ]);
    const digests = () => team.channel.filter((m) => m.startsWith('Přehled fronty')).length;
    await advance(4 * 60 + 29); // 12:59
    expect(digests()).toBe(1);
    await advance(1); // 13:00
    expect(digests()).toBe(2);

    // Saturday 28 November: no digest. A process started on Saturday morning (a jump of the clock
    // under a running scheduler makes node-cron walk every minute skipped, ~7,000, which on a busy
    // machine took longer than the test's time limit).
    await scheduler.stop();
    vi.setSystemTime(new Date('2026-11-28T07:00:00Z'));
    scheduler = startScheduler(config, { prisma: db.prisma, clock: () => new Date(), teamPlatforms: ['slack'], teamLanguage: 'cs' }, silentLogger());
    await advance(60);
    expect(digests()).toBe(2);
    // Some 330 simulated minutes, each running every per-minute job on the database: ~11 s on an
    // idle machine, so the limit is generous for a busy one.
  }, 120_000);

  it('announces an unclaimed ticket again every 30 minutes, at most twice, and never a claimed one', async () => {
    const jan = await openTicket('console:jan', '+420603123456');
    const zuzana = await openTicket('console:zuzana', '+421905123456');
    await runtime.queue.claim(zuzana, { id: 'slack:U1', name: 'Petr', platform: 'slack' });
    const announcements = () => team.channel.filter((m) => m.startsWith('Stále nikdo nepřevzal'));

    await advance(29);
    expect(announcements()).toEqual([]);
    await advance(1);
    expect(announcements()).toEqual([`Stále nikdo nepřevzal: ${jan} · Něco jiného · čeká 30 min.`]);
    await advance(29);
    expect(announcements()).toHaveLength(1);
    await advance(1);
    expect(announcements().at(-1)).toBe(`Stále nikdo nepřevzal: ${jan} · Něco jiného · čeká 60 min.`);
    await advance(120);
    expect(announcements()).toHaveLength(2);
    expect((await db.prisma.ticket.findUnique({ where: { number: jan } }))?.reannounced).toBe(2);
  });
});
