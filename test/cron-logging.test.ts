// node-cron's own messages go through Linka's logger, not the console: a busy minute under a
// test's fake clock (or a loaded machine) once printed "[NODE-CRON] [WARN] missed execution"
// tens of thousands of times into `npm test`. Missed executions are routine (each job takes its
// tick's lease; the next tick does the work), so they are debug lines; node-cron's errors stay errors.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { cronLogger, startScheduler, type Scheduler } from '../src/jobs/scheduler.js';
import { createLogger } from '../src/observability/logger.js';
import { createTestDatabase } from './helpers/db.js';

function capture(level: string) {
  const lines: Array<{ level: number; msg: string; source?: string; err?: string }> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { log: createLogger(level, stream), lines };
}

describe("node-cron's messages", () => {
  let scheduler: Scheduler | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await scheduler?.stop();
    vi.useRealTimers();
    vi.restoreAllMocks();
    await drop?.();
  });

  it('reach the logger at debug level, never the console, when the scheduler misses minutes', async () => {
    const made = await createTestDatabase('sqlite');
    drop = made.drop;
    const warn = vi.spyOn(console, 'warn');
    const error = vi.spyOn(console, 'error');
    const { log, lines } = capture('debug');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-11-21T07:00:00Z')); // a Saturday: no digest, no reminders due
    scheduler = startScheduler(parseConfig({}), { prisma: made.db.prisma, clock: () => new Date(), teamPlatforms: [], teamLanguage: 'cs' }, log);
    await vi.advanceTimersByTimeAsync(1_000);
    // The clock jumps ten minutes at once, as a blocked event loop makes it look.
    vi.setSystemTime(new Date('2026-11-21T07:10:00Z'));
    await vi.advanceTimersByTimeAsync(61_000);
    const missed = lines.filter((l) => l.source === 'node-cron' && l.msg.includes('missed execution'));
    expect(missed.length).toBeGreaterThan(0);
    expect(missed.every((l) => l.level === 20)).toBe(true); // pino's debug
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });

  it('keeps errors as errors, with the message of the cause', () => {
    const { log, lines } = capture('info');
    const cron = cronLogger(log);
    cron.error('Task failed with error!', new Error('database is locked'));
    cron.warn('task still running, new execution blocked by overlap prevention!');
    cron.info('task started');
    expect(lines).toEqual([expect.objectContaining({ level: 50, msg: 'Task failed with error!', source: 'node-cron', err: 'database is locked' })]);
  });
});
