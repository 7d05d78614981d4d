// Crash safety: `linka serve` (SQLite) is killed with SIGKILL in the middle of delivering an
// outage notice to 10,000 Telegram customers (the fake Bot API answers slowly), then started
// again on the same database: every notice is delivered, and each extra copy a customer gets is
// accounted for. A notice can go twice only when it was in flight at the kill (leased, not yet
// recorded as sent: the platform calls under way, at most the outbox worker's batch size,
// workers.batchSize, 50 here, one worker per process, plus the few results being recorded at
// that instant), or when a send timed out and was retried: a timed-out Bot API call may still
// have reached Telegram, which has no idempotency key, so delivery is at least once. Each
// retried attempt is counted on the item (attempts), so the test can tell the two apart.
// Conversation timers that came due while it was down (each customer's "are you still there?"
// follow-up) fire after the restart, once: each of those customers gets the follow-up exactly once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cs } from '../src/messages/cs.js';
import { applyMigrations } from '../src/store/migrate.js';
import { openDatabase, type Db } from '../src/store/client.js';
import { startChildLinka, type ChildLinka } from './helpers/child-linka.js';
import { eventually, startFakeServer, type FakeServer } from './fakes/fake-server.js';
import { tg } from './fakes/telegram-fake.js';

const TOKEN = 'crash-safety-api-token-0123456789';
const CUSTOMERS = 10_000;
const BATCH = 50;
/** Customers (Telegram chat ids) outside the outage's area, each left at a question with a follow-up timer. */
const TIMER_CHATS = Array.from({ length: 10 }, (_, i) => 900_000 + i);

function startInstance(dir: string, telegramUrl: string): Promise<ChildLinka> {
  return startChildLinka({
    cwd: dir,
    env: {
      DATABASE_URL: `file:${path.join(dir, 'linka.db')}`,
      LINKA_CONFIG: path.join(dir, 'linka.config.yaml'),
      LINKA_API_TOKEN: TOKEN,
      TELEGRAM_BOT_TOKEN: '123456:TEST',
      TELEGRAM_WEBHOOK_SECRET: 'crash-secret',
      TELEGRAM_API_ROOT: telegramUrl,
    },
  });
}

/** Resolves once nothing in the outbox is pending (queued or leased). */
async function outboxDrained(db: Db, what: string, ms = 30_000): Promise<void> {
  await eventually(async () => (await db.prisma.outboxItem.count({ where: { status: 'pending' } })) === 0 || undefined, ms, `${what}: the outbox drained`);
}

describe('linka serve killed with SIGKILL mid-delivery', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'linka-crash-'));
  let telegram: FakeServer | undefined;
  let instance: ChildLinka | undefined;
  afterAll(async () => {
    await instance?.kill();
    await telegram?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every notice after the restart, with duplicates bounded by the messages in flight, and fires the overdue timers once', async () => {
    // A slow Bot API: each sendMessage takes 20 ms.
    let messageId = 100;
    telegram = await startFakeServer(async (req) => {
      const method = /^\/bot[^/]+\/(\w+)/.exec(req.path)?.[1];
      if (method === 'getMe') return { status: 200, body: { ok: true, result: { id: 42, is_bot: true, first_name: 'Linka', username: 'linka_test_bot' } } };
      if (method === 'sendMessage') {
        await new Promise((r) => setTimeout(r, 20));
        const body = req.body as Record<string, unknown>;
        return {
          status: 200,
          body: { ok: true, result: { message_id: ++messageId, date: 0, chat: { id: Number(body.chat_id), type: 'private' }, text: body.text } },
        };
      }
      return { status: 200, body: { ok: true, result: true } };
    });
    const sends = () => telegram!.requests.filter((r) => r.path.endsWith('/sendMessage'));
    const chatOf = (r: { body: unknown }) => String((r.body as Record<string, unknown>).chat_id);
    const timerChats = new Set(TIMER_CHATS.map(String));
    const timerTargets = TIMER_CHATS.map((c) => `telegram:${c}`);
    writeFileSync(
      path.join(dir, 'linka.config.yaml'),
      [
        // The lease is short so the restart does not wait long for the killed process's leases; the
        // per-call time limit is a quarter of it (2.5 s), well above the fake's 20 ms on a busy machine.
        'workers:',
        `  batchSize: ${BATCH}`,
        '  leaseSeconds: 10',
        '  timerPollMs: 200',
        '  outboxPollMs: 200',
        'rateLimits:',
        '  telegram:',
        '    perSecond: 1000',
        '    perChatPerSecond: 100',
      ].join('\n'),
    );

    // 10,000 Telegram customers in one area (written straight into the migrated database), and
    // ten elsewhere who will talk to the bot.
    const url = `file:${path.join(dir, 'linka.db')}`;
    await applyMigrations(url);
    let db = await openDatabase(url);
    const CHUNK = 2000;
    for (let from = 0; from < CUSTOMERS; from += CHUNK) {
      const data = Array.from({ length: Math.min(CHUNK, CUSTOMERS - from) }, (_, k) => from + k).map((i) => ({
        contractNumber: `C-${i}`,
        name: `Zákazník ${i}`,
        language: 'cs',
        area: 'Bory',
        telegramId: String(100_000 + i),
      }));
      await db.prisma.customer.createMany({ data });
    }
    await db.prisma.customer.createMany({
      data: TIMER_CHATS.map((c) => ({ contractNumber: `T-${c}`, name: `Zákazník ${c}`, language: 'cs', area: 'Lochotín', telegramId: String(c) })),
    });
    await db.close();

    instance = await startInstance(dir, telegram.url);
    const webhook = (s: ChildLinka, text: string, chatId: number) =>
      fetch(`${s.base}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'crash-secret' },
        body: JSON.stringify(tg.text(text, { chatId })),
      });
    // The ten reach the first checklist question, which asks again after 30 minutes of silence
    // (checklist.followUpMinutes): a persisted followUp timer each.
    for (const chatId of TIMER_CHATS) {
      expect((await webhook(instance, 'Dobrý den', chatId)).status).toBe(200);
      expect((await webhook(instance, '1', chatId)).status).toBe(200);
    }
    db = await openDatabase(url);
    await outboxDrained(db, 'the checklist questions');
    const timers = await db.prisma.timer.findMany({ where: { conversationId: { in: timerTargets }, firedAt: null, cancelledAt: null } });
    await db.close();
    expect(timers.map((t) => t.conversationId).sort()).toEqual([...timerTargets].sort());
    expect(timers.every((t) => t.name === 'followUp' && t.dueAt.getTime() > Date.now() + 20 * 60_000)).toBe(true);
    const followUps = (chatId: number) =>
      sends().filter((r) => chatOf(r) === String(chatId) && String((r.body as Record<string, unknown>).text).startsWith(cs['common.stillThere'])).length;
    expect(TIMER_CHATS.map(followUps)).toEqual(TIMER_CHATS.map(() => 0));

    const declared = await fetch(`${instance.base}/api/outages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ title: 'Přerušené vlákno', areas: ['Bory'] }),
    });
    expect(declared.status).toBe(201);
    expect(((await declared.json()) as { notified?: number }).notified).toBe(CUSTOMERS);

    // Kill it in the middle of the delivery.
    await eventually(() => sends().length >= 3000 || undefined, 60_000, '3,000 notices sent');
    await instance.kill();
    const beforeRestart = sends().length;
    expect(beforeRestart).toBeLessThan(CUSTOMERS);

    db = await openDatabase(url);
    // What was leased and not yet recorded as sent at the kill: those may go twice.
    const leased = await db.prisma.outboxItem.findMany({ where: { status: 'pending', leasedBy: { not: null } }, select: { target: true } });
    const leasedAtKill = new Set(leased.map((x) => x.target.replace(/^telegram:/, '')));
    // While it is down, the ten customers' follow-ups come due.
    const timerIds = timers.map((t) => t.id);
    await db.prisma.timer.updateMany({ where: { id: { in: timerIds } }, data: { dueAt: new Date(Date.now() - 60_000) } });
    await db.close();

    instance = await startInstance(dir, telegram.url);
    const noticed = () =>
      new Set(
        sends()
          .map(chatOf)
          .filter((c) => !timerChats.has(c)),
      ).size;
    await eventually(() => noticed() >= CUSTOMERS || undefined, 180_000, 'every notice delivered');

    expect(leasedAtKill.size).toBeLessThanOrEqual(BATCH + 10);
    db = await openDatabase(url);
    try {
      await eventually(
        async () => (await db.prisma.timer.count({ where: { id: { in: timerIds }, firedAt: null } })) === 0 || undefined,
        30_000,
        'the overdue timers fired',
      );
      // A timer's message is queued in the transaction that marks it fired; the last deliveries the
      // fake has seen may still be being recorded: once nothing is pending, everything is out.
      await outboxDrained(db, 'the notices and follow-ups');
      expect(await db.prisma.processedInbound.count({ where: { id: { in: timerIds.map((id) => `timer:${id}`) } } })).toBe(timerIds.length);
      // Each overdue timer fired once: each of the ten customers got the follow-up exactly once.
      expect(Object.fromEntries(TIMER_CHATS.map((c) => [c, followUps(c)]))).toEqual(Object.fromEntries(TIMER_CHATS.map((c) => [c, 1])));
      const timerItems = await db.prisma.outboxItem.findMany({ where: { target: { in: timerTargets } } });
      expect(timerItems.every((x) => x.status === 'sent' && x.attempts === 1)).toBe(true);
      expect(sends().filter((r) => timerChats.has(chatOf(r)))).toHaveLength(timerItems.length);

      const perChat = new Map<string, number>();
      for (const r of sends()) {
        const chat = chatOf(r);
        if (!timerChats.has(chat)) perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
      }
      expect(perChat.size).toBe(CUSTOMERS);
      const items = await db.prisma.outboxItem.findMany({ where: { target: { notIn: timerTargets } }, select: { target: true, status: true, attempts: true } });
      expect(items.filter((x) => x.status === 'sent')).toHaveLength(CUSTOMERS);
      // Every copy beyond the first is explained: in flight at the kill, or a failed attempt.
      const unexplained: string[] = [];
      let retried = 0;
      for (const item of items) {
        const chat = item.target.replace(/^telegram:/, '');
        retried += item.attempts - 1;
        const allowed = 1 + (leasedAtKill.has(chat) ? 1 : 0) + (item.attempts - 1);
        if ((perChat.get(chat) ?? 0) > allowed) unexplained.push(`${chat}: ${perChat.get(chat)} sends, ${allowed} allowed`);
      }
      expect(unexplained).toEqual([]);
      const twice = [...perChat.values()].filter((n) => n > 1).length;
      console.log(
        `crash safety: ${beforeRestart} sends before the kill, ${leasedAtKill.size} leased at the kill, ${retried} attempts retried, ${twice} notices seen more than once (batch size ${BATCH})`,
      );
    } finally {
      await db.close();
    }
  }, 360_000);
});
