// Linka started in-process (startLinka) on a throw-away database, with fake platforms' URLs
// in its environment and a clock the test moves.
import { startLinka, type Linka } from '../../src/app.js';
import { parseConfig } from '../../src/config/load.js';
import type { Provider } from '../../src/store/client.js';
import { silentLogger, type Logger } from '../../src/observability/logger.js';
import { createEmptyDatabase } from './db.js';
import { Clock } from './harness.js';

export interface TestLinka {
  linka: Linka;
  clock: Clock;
  base: string;
  /** The database's URL (DATABASE_URL), for a `linka` command run on the same data. */
  url: string;
  /** POSTs a body (object -> JSON, string as is) and returns status and parsed body. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown; text: string }>;
  /** Fires due timers (after moving the clock) and delivers the outbox. */
  settle(minutes?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Rate limits high enough that conversations in tests never wait on them (a test's customer
 * answers within milliseconds, a real one within seconds). A test of the limits themselves
 * (test/fanout.test.ts) sets its own; so does any config that has `rateLimits`.
 */
export const UNHURRIED_LIMITS = {
  telegram: { perSecond: 1000, perChatPerSecond: 100 },
  sms: { perNumberPerSecond: 100 },
  slack: { perChannelPerSecond: 100 },
  discord: { perChannel: 100, windowSeconds: 1 },
};

/**
 * Flood limits no test conversation reaches (a test's customer sends a whole checklist within
 * a second of its clock). Tests of the flood limit itself (test/flood.test.ts) set their own.
 */
export const UNHURRIED_FLOOD = { smsPerMinute: 1000, telegramPerMinute: 1000 };

export async function startTestLinka(
  opts: { provider?: Provider; env?: Record<string, string>; config?: unknown; log?: Logger; databaseUrl?: string } = {},
): Promise<TestLinka> {
  // A second Linka on another's database (two processes sharing one PostgreSQL) leaves dropping it to the first.
  const empty = opts.databaseUrl ? { url: opts.databaseUrl, drop: async () => {} } : await createEmptyDatabase(opts.provider ?? 'sqlite');
  const clock = new Clock();
  const raw = opts.config ?? { company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' }, workers: { outboxPollMs: 50, timerPollMs: 50 } };
  const config = parseConfig({ rateLimits: UNHURRIED_LIMITS, flood: UNHURRIED_FLOOD, ...(raw as object) });
  const linka = await startLinka({
    config,
    clock: clock.read,
    log: opts.log ?? silentLogger(),
    env: { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: empty.url, ...opts.env },
  });
  const base = `http://127.0.0.1:${linka.address.port}`;
  return {
    linka,
    clock,
    base,
    url: empty.url,
    async post(path, body, headers = {}) {
      const isText = typeof body === 'string';
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': isText ? 'application/x-www-form-urlencoded' : 'application/json', ...headers },
        body: isText ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, text };
    },
    async settle(minutes = 0) {
      clock.advance(minutes);
      // The running workers may hold a timer or a batch they claimed (a background tick can
      // claim a due timer just before drain() looks): drain, then wait until no due timer is
      // left unfired and no claimed item is left pending, and drain once more for what the
      // background workers' timers appended.
      const prisma = linka.db.prisma;
      for (let i = 0; i < 200; i++) {
        await linka.runtime.timers.drain();
        await linka.runtime.outbox.drain();
        const now = clock.read();
        const timers = await prisma.timer.count({ where: { firedAt: null, cancelledAt: null, dueAt: { lte: now } } });
        const claimed = await prisma.outboxItem.count({ where: { status: 'pending', nextAttemptAt: { lte: now }, leaseUntil: { not: null } } });
        if (timers === 0 && claimed === 0) {
          await linka.runtime.outbox.drain();
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async stop() {
      await linka.stop();
      await empty.drop();
    },
  };
}
