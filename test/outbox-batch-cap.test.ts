// The outbox worker's batch size is the most platform calls under way at once (workers.batchSize):
// a crash sends at most that many twice, and a slow platform is not flooded. Counted against a
// platform whose every call waits until the test lets it answer, with the worker's own loop
// running: however many rounds the loop makes while calls are held, no more than batchSize are
// under way, and it does reach batchSize. Each released call lets exactly one more start.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import type { Reply } from '../src/engine/types.js';
import { silentLogger } from '../src/observability/logger.js';
import { createRuntime, type Runtime } from '../src/runtime/create-runtime.js';
import type { Db } from '../src/store/client.js';
import { createTestDatabase, pgAvailable } from './helpers/db.js';

const PG = await pgAvailable();
const BATCH = 5;
const CUSTOMERS = 20;

/** A console platform whose calls are held until released, counting how many are under way. */
function heldPort() {
  const port = {
    channel: 'console' as const,
    /** Calls waiting for the test, oldest first. */
    held: [] as Array<{ to: string; release: () => void }>,
    /** Targets whose call has answered, in order. */
    sent: [] as string[],
    underWay: 0,
    most: 0,
    async send(to: string, _reply: Reply) {
      port.underWay += 1;
      port.most = Math.max(port.most, port.underWay);
      await new Promise<void>((release) => port.held.push({ to, release }));
      port.underWay -= 1;
      port.sent.push(to);
      return { platformMessageId: `held-${port.sent.length}` };
    },
  };
  return port;
}

/** Waits until `check` holds (it is looked at again every few milliseconds; the test's timeout bounds the wait). */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('the outbox batch cap on $provider', ({ provider, skip }) => {
  let db: Db;
  let drop: () => Promise<void>;
  let runtime: Runtime;
  let port: ReturnType<typeof heldPort>;

  beforeEach(async () => {
    if (skip) return;
    ({ db, drop } = await createTestDatabase(provider));
    port = heldPort();
    runtime = createRuntime({
      prisma: db.prisma,
      log: silentLogger(),
      ports: [port],
      config: parseConfig({ company: { name: 'Test ISP' }, workers: { batchSize: BATCH, outboxPollMs: 5 } }),
    });
  });
  afterEach(async () => {
    if (skip) return;
    for (const call of port.held.splice(0)) call.release();
    await runtime.stop();
    await drop();
  });

  it.skipIf(skip)(`never has more than workers.batchSize (${BATCH}) platform calls under way, and delivers each reply once`, async () => {
    // Twenty people write at once; each is answered with one reply (the loop is not running yet).
    const targets = Array.from({ length: CUSTOMERS }, (_, i) => `console:caller-${String(i).padStart(2, '0')}`);
    for (const conversationId of targets) {
      await runtime.dispatch({ dedupeId: `cap:${conversationId}`, conversationId, channel: 'console', event: { kind: 'text', text: 'Dobrý den' }, sender: {} });
    }
    const pending = await db.prisma.outboxItem.findMany({ where: { status: 'pending' }, select: { target: true } });
    expect(pending.map((i) => i.target).sort()).toEqual(targets);

    // The worker's loop, with its rounds counted.
    let rounds = 0;
    const tick = runtime.outbox.tick.bind(runtime.outbox);
    runtime.outbox.tick = async () => {
      try {
        return await tick();
      } finally {
        rounds += 1;
      }
    };
    runtime.outbox.start();

    // The batch is under way and held; the loop goes round three more times meanwhile.
    await until(() => port.held.length >= BATCH);
    const roundsAtFull = rounds;
    await until(() => rounds >= roundsAtFull + 3);
    expect(port.most).toBe(BATCH);
    expect(port.underWay).toBe(BATCH);

    // Each answer lets one more call start, never more.
    for (let answered = 1; answered <= CUSTOMERS; answered++) {
      port.held.shift()?.release();
      await until(() => port.sent.length === answered && port.held.length === Math.min(BATCH, CUSTOMERS - answered));
      expect(port.underWay).toBe(Math.min(BATCH, CUSTOMERS - answered));
    }
    await until(async () => (await db.prisma.outboxItem.count({ where: { status: 'sent' } })) === CUSTOMERS);
    await runtime.stop();

    expect(port.most).toBe(BATCH);
    expect([...port.sent].sort()).toEqual(targets);
    expect(await db.prisma.outboxItem.findMany({ where: { status: { not: 'sent' } } })).toEqual([]);
  });
});
