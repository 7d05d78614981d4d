// The database goes away and comes back (PostgreSQL; skipped without a server, required under
// CI). Linka reaches its throw-away database through a TCP proxy on 127.0.0.1 that the test
// cuts (closed, every socket destroyed) and reopens on the same port. While it is cut, a
// Telegram update gets 503 with Retry-After (so Telegram retries it), the outage API too, and
// /healthz says 503 {database: 'down'}; nothing is answered. Once it is back, the same update,
// retried, is accepted and answered exactly once, a second retry changes nothing, and what was
// accepted before the cut was delivered once: nothing lost, nothing doubled.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, pgAvailable, testPgUrl, type EmptyDatabase } from './helpers/db.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { eventually } from './fakes/fake-server.js';
import { startTelegramFake, tg, type TelegramFake } from './fakes/telegram-fake.js';

const PG = await pgAvailable();
const SECRET = 'tg-secret';
const API_TOKEN = 'db-down-api-token-0123456789abcdef';

/** A TCP proxy 127.0.0.1:<port> -> the PostgreSQL server, which can be cut and reopened on the same port. */
interface Proxy {
  port: number;
  cut(): Promise<void>;
  reopen(): Promise<void>;
}

async function startProxy(target: { host: string; port: number }): Promise<Proxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        const end = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', end);
          s.on('close', end);
        }
        client.pipe(upstream);
        upstream.pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
  const port = await listen(0);
  return {
    port,
    async cut() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
    async reopen() {
      await listen(port);
    },
  };
}

describe.skipIf(!PG)('the database goes down and comes back (PostgreSQL)', () => {
  let database: EmptyDatabase;
  let proxy: Proxy;
  let telegram: TelegramFake;
  let t: TestLinka;
  const webhook = (update: unknown) =>
    fetch(`${t.base}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
  const health = async () => {
    const res = await fetch(`${t.base}/healthz`);
    return { status: res.status, body: (await res.json()) as { database?: string } };
  };
  const sentTo = (chatId: number) =>
    telegram
      .calls('sendMessage')
      .filter((c) => String(c.chat_id) === String(chatId))
      .map((c) => String(c.text));

  beforeAll(async () => {
    database = await createEmptyDatabase('postgresql');
    const server = new URL(testPgUrl());
    proxy = await startProxy({ host: server.hostname, port: Number(server.port || 5432) });
    const viaProxy = new URL(database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    telegram = await startTelegramFake();
    t = await startTestLinka({
      env: {
        DATABASE_URL: viaProxy.toString(),
        LINKA_API_TOKEN: API_TOKEN,
        TELEGRAM_BOT_TOKEN: '123456:TEST',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_ROOT: telegram.url,
      },
    });
    expect(t.linka.db.provider).toBe('postgresql');
  });
  afterAll(async () => {
    await t?.stop();
    await telegram?.close();
    await database?.drop();
  });

  it('answers 503 with Retry-After while it is down, and loses or doubles nothing when it is back', async () => {
    const prisma = t.linka.db.prisma;
    // Before the cut: one customer is answered.
    const before = tg.text('/start', { chatId: 7001 });
    expect((await webhook(before)).status).toBe(200);
    await t.settle();
    await eventually(() => sentTo(7001).length > 0, 5000, 'the first answer');
    const answeredBefore = sentTo(7001);
    expect(await health()).toEqual({ status: 200, body: expect.objectContaining({ database: 'up' }) });

    await proxy.cut();
    const update = tg.text('/start', { chatId: 7002 });
    const refused = await webhook(update);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ database: 'down' });
    expect(await health()).toEqual({ status: 503, body: expect.objectContaining({ database: 'down' }) });
    const api = await fetch(`${t.base}/api/outages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ areas: ['Plzeň-Bory'] }),
    });
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).not.toBeNull();

    await proxy.reopen();
    expect(sentTo(7002)).toEqual([]); // nothing was answered while it was down
    // Telegram retries the same update: now it is accepted, and answered as the first one was.
    expect((await webhook(update)).status).toBe(200);
    await t.settle();
    await eventually(() => sentTo(7002).length >= answeredBefore.length, 5000, 'the answer to the retried update');
    // Telegram delivering it once more changes nothing. The webhook answers after the update
    // was handled, so whatever the redelivery queued is in the outbox: once nothing is left
    // pending there, everything it could have sent has reached the fake.
    expect((await webhook(update)).status).toBe(200);
    await t.settle();
    await eventually(async () => (await prisma.outboxItem.count({ where: { status: 'pending' } })) === 0, 5000, 'the outbox drained');
    expect(sentTo(7002)).toEqual(answeredBefore);
    expect(sentTo(7001)).toEqual(answeredBefore);
    expect(await prisma.processedInbound.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).toEqual([
      { id: `telegram:update:${before.update_id}` },
      { id: `telegram:update:${update.update_id}` },
    ]);
    expect(await prisma.message.count({ where: { direction: 'in' } })).toBe(2);
    expect(await prisma.outboxItem.count({ where: { status: { not: 'sent' } } })).toBe(0);
    expect(await health()).toEqual({ status: 200, body: expect.objectContaining({ database: 'up' }) });
  });
});
