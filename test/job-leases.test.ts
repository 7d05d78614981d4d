// Each cron job runs once per tick across processes: two schedulers on one database (each with
// its own Prisma client, as two processes would have) under fake timers post the digest once
// per tick, on SQLite and on PostgreSQL (required under CI).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { startScheduler, type Scheduler } from '../src/jobs/scheduler.js';
import { silentLogger } from '../src/observability/logger.js';
import { createRuntime, type Runtime } from '../src/runtime/create-runtime.js';
import { openDatabase, type Db } from '../src/store/client.js';
import { claimJobRun, tickOf } from '../src/store/job-runs.js';
import { createTestDatabase, pgAvailable } from './helpers/db.js';
import { recordingPort, seedCustomers } from './helpers/harness.js';
import { recordingTeam } from './helpers/team.js';

const PG = await pgAvailable();

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe.skipIf(provider === 'postgresql' && !PG)(`cron job leases on ${provider}`, () => {
    let db: Db;
    let other: Db;
    let drop: () => Promise<void>;
    let runtimes: Runtime[];
    let schedulers: Scheduler[];
    let teams: Array<ReturnType<typeof recordingTeam>>;
    const config = parseConfig({ team: { digest: ['* * * * *'] } });

    beforeEach(async () => {
      const made = await createTestDatabase(provider);
      db = made.db;
      drop = made.drop;
      other = await openDatabase(made.url);
      await seedCustomers(db);
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
      vi.setSystemTime(new Date('2026-11-23T07:00:00Z')); // Monday 8:00 in Prague
      teams = [recordingTeam('slack'), recordingTeam('slack')];
      runtimes = [db, other].map((d, i) =>
        createRuntime({ prisma: d.prisma, config, log: silentLogger(), ports: [recordingPort()], teamPorts: [teams[i]!], clock: () => new Date() }),
      );
      schedulers = [db, other].map((d, i) =>
        startScheduler(
          config,
          {
            prisma: d.prisma,
            owner: runtimes[i]!.owner,
            clock: () => new Date(),
            teamPlatforms: ['slack'],
            teamLanguage: 'cs',
          },
          silentLogger(),
        ),
      );
    });
    afterEach(async () => {
      await Promise.all(schedulers.map((s) => s.stop()));
      vi.useRealTimers();
      await other.close();
      await drop();
    });

    /** Waits (real time, the timers being fake) until `done` holds. */
    async function until(done: () => Promise<boolean>) {
      for (let i = 0; i < 5000; i++) {
        if (await done()) return;
        for (let j = 0; j < 10; j++) await new Promise((r) => setImmediate(r));
      }
      throw new Error('timed out waiting');
    }
    const posted = () => db.prisma.outboxItem.count({ where: { kind: 'team.channel' } });

    it('posts the digest once per tick although two schedulers fire it', async () => {
      // Fire at the digest's tick, and the other jobs every minute, for five minutes.
      for (let m = 1; m <= 5; m++) {
        await vi.advanceTimersByTimeAsync(60_000);
        const tick = tickOf(new Date());
        // Both schedulers fired every job; exactly one row per job and tick, and the digest job finished.
        await until(async () => (await db.prisma.jobRun.count({ where: { tick } })) === 4 && (await posted()) >= m);
      }
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      expect(await posted()).toBe(5);
      await Promise.all(schedulers.map((x) => x.stop()));
      // Delivered on the real clock: drain() may pause a few milliseconds (on PostgreSQL it looks
      // again when an item is due but was not claimable yet), which a fake clock would never end.
      vi.useRealTimers();
      for (const r of runtimes) await r.outbox.drain();
      const digests = teams.flatMap((t) => t.channel).filter((m) => m.startsWith('Přehled fronty'));
      expect(digests).toHaveLength(5);
      const runs = await db.prisma.jobRun.findMany({ where: { name: 'digest-0' }, orderBy: { tick: 'asc' } });
      expect(runs.map((r) => r.tick)).toEqual(['07:01', '07:02', '07:03', '07:04', '07:05'].map((hm) => `2026-11-23T${hm}:00.000Z`));
      // Each tick was won by one of the two schedulers (which one varies).
      for (const run of runs) expect(runtimes.map((r) => r.owner)).toContain(run.owner);
    });

    it('lets one owner of two take a tick', async () => {
      const tick = tickOf(new Date('2026-11-23T07:30:12.345Z'));
      expect(tick).toBe('2026-11-23T07:30:00.000Z');
      const now = new Date();
      const won = await Promise.all([
        claimJobRun(db.prisma, { name: 'digest-0', tick, owner: 'a', now }),
        claimJobRun(other.prisma, { name: 'digest-0', tick, owner: 'b', now }),
      ]);
      expect(won.filter(Boolean)).toHaveLength(1);
    });
  });
}
