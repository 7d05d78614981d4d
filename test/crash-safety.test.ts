// Crash safety: `linka serve` (SQLite) is killed with SIGKILL in the middle of delivering an
// outage notice to 10,000 Telegram customers (the fake Bot API answers slowly), then started
// again on the same database: every notice is delivered, and each extra copy a customer gets is
// accounted for. A notice can go twice only when it was in flight at the kill (leased, not yet
// recorded as sent: the platform calls under way, at most the outbox worker's batch size,
// workers.batchSize, 50 here, one worker per process, plus the few results being recorded at
// that instant), or when a send timed out and was retried: a timed-out Bot API call may still
// have reached Telegram, which has no idempotency key, so delivery is at least once. Each
// retried attempt is counted on the item (attempts), so the test can tell the two apart.
// Timers that came due while it was down fire after the restart, once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../src/store/migrate.js';
import { openDatabase } from '../src/store/client.js';
import { eventually, startFakeServer, type FakeServer } from './fakes/fake-server.js';
import { tg } from './fakes/telegram-fake.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'linka.js');
const TOKEN = 'crash-safety-api-token-0123456789';
const CUSTOMERS = 10_000;
const BATCH = 50;
const OTHER_SECRETS = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'DISCORD_BOT_TOKEN', 'DISCORD_PUBLIC_KEY', 'PUBLIC_URL'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

interface Instance { child: ChildProcess; base: string; output: () => string; exited: Promise<unknown> }

async function startInstance(dir: string, telegramUrl: string): Promise<Instance> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `file:${path.join(dir, 'linka.db')}`,
    LINKA_CONFIG: path.join(dir, 'linka.config.yaml'), LINKA_API_TOKEN: TOKEN,
    TELEGRAM_BOT_TOKEN: '123456:TEST', TELEGRAM_WEBHOOK_SECRET: 'crash-secret', TELEGRAM_API_ROOT: telegramUrl,
  };
  for (const key of OTHER_SECRETS) delete env[key];
  const child = spawn(process.execPath, [BIN, 'serve'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const res = await fetch(`${base}/healthz`).catch(() => null);
    if (res?.status === 200) return { child, base, output: () => out, exited };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`linka serve did not become healthy\n${out}`);
}

describe('linka serve killed with SIGKILL mid-delivery', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'linka-crash-'));
  let telegram: FakeServer | undefined;
  let instance: Instance | undefined;
  afterAll(async () => {
    if (instance && instance.child.exitCode === null && instance.child.signalCode === null) {
      instance.child.kill('SIGKILL');
      await instance.exited;
    }
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
        return { status: 200, body: { ok: true, result: { message_id: ++messageId, date: 0, chat: { id: Number(body.chat_id), type: 'private' }, text: body.text } } };
      }
      return { status: 200, body: { ok: true, result: true } };
    });
    const sends = () => telegram!.requests.filter((r) => r.path.endsWith('/sendMessage'));
    writeFileSync(path.join(dir, 'linka.config.yaml'), [
      // The lease is short so the restart does not wait long for the killed process's leases; the
      // per-call time limit is a quarter of it (2.5 s), well above the fake's 20 ms on a busy machine.
      'workers:', `  batchSize: ${BATCH}`, '  leaseSeconds: 10', '  timerPollMs: 200', '  outboxPollMs: 200',
      'rateLimits:', '  telegram:', '    perSecond: 1000',
    ].join('\n'));

    // 10,000 Telegram customers in one area (written straight into the migrated database).
    const url = `file:${path.join(dir, 'linka.db')}`;
    await applyMigrations(url);
    let db = await openDatabase(url);
    const CHUNK = 2000;
    for (let from = 0; from < CUSTOMERS; from += CHUNK) {
      const data = Array.from({ length: Math.min(CHUNK, CUSTOMERS - from) }, (_, k) => from + k)
        .map((i) => ({ contractNumber: `C-${i}`, name: `Zákazník ${i}`, language: 'cs', area: 'Bory', telegramId: String(100_000 + i) }));
      await db.prisma.customer.createMany({ data });
    }
    await db.close();

    instance = await startInstance(dir, telegram.url);
    const declared = await fetch(`${instance.base}/api/outages`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ title: 'Přerušené vlákno', areas: ['Bory'] }),
    });
    expect(declared.status).toBe(201);
    expect(((await declared.json()) as { notified?: number }).notified).toBe(CUSTOMERS);

    // A real conversation for the timers below.
    const hook = await fetch(`${instance.base}/telegram/webhook`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'crash-secret' }, body: JSON.stringify(tg.text('Dobrý den', { chatId: 999 })),
    });
    expect(hook.status).toBe(200);

    // Kill it in the middle of the delivery.
    await eventually(() => sends().length >= 3000 || undefined, 60_000, '3,000 notices sent');
    instance.child.kill('SIGKILL');
    await instance.exited;
    const beforeRestart = sends().length;
    expect(beforeRestart).toBeLessThan(CUSTOMERS);

    // While it is down, timers come due (stale tokens: fired and marked, nothing said).
    db = await openDatabase(url);
    // What was leased and not yet recorded as sent at the kill: those may go twice.
    const leased = await db.prisma.outboxItem.findMany({ where: { status: 'pending', leasedBy: { not: null }, target: { not: 'telegram:999' } }, select: { target: true } });
    const leasedAtKill = new Set(leased.map((x) => x.target.replace(/^telegram:/, '')));
    const now = new Date();
    const timerIds = Array.from({ length: 10 }, (_, i) => `crash-timer-${i}`);
    await db.prisma.timer.createMany({ data: timerIds.map((id) => ({ id, conversationId: 'telegram:999', name: 'wait', token: 'stale', dueAt: now, createdAt: now })) });
    await db.close();

    instance = await startInstance(dir, telegram.url);
    await eventually(() => new Set(sends().map((r) => String((r.body as Record<string, unknown>).chat_id))).size >= CUSTOMERS + 1 || undefined, 180_000, 'every notice delivered');

    expect(leasedAtKill.size).toBeLessThanOrEqual(BATCH + 10);
    db = await openDatabase(url);
    try {
      await eventually(async () => (await db.prisma.timer.count({ where: { id: { in: timerIds }, firedAt: { not: null } } })) === timerIds.length || undefined, 20_000, 'the overdue timers fired');
      expect(await db.prisma.processedInbound.count({ where: { id: { in: timerIds.map((id) => `timer:${id}`) } } })).toBe(timerIds.length);
      // The last deliveries the fake has seen may still be being recorded.
      await eventually(async () => (await db.prisma.outboxItem.count({ where: { status: 'pending' } })) === 0 || undefined, 20_000, 'the outbox empty');
      const perChat = new Map<string, number>();
      for (const r of sends()) {
        const chat = String((r.body as Record<string, unknown>).chat_id);
        if (chat !== '999') perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
      }
      expect(perChat.size).toBe(CUSTOMERS);
      const items = await db.prisma.outboxItem.findMany({ where: { target: { not: 'telegram:999' } }, select: { target: true, status: true, attempts: true } });
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
      console.log(`crash safety: ${beforeRestart} sends before the kill, ${leasedAtKill.size} leased at the kill, ${retried} attempts retried, ${twice} notices seen more than once (batch size ${BATCH})`);
    } finally {
      await db.close();
    }
  }, 360_000);
});
