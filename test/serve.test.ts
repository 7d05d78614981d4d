// `linka serve` as an operator runs it: a fresh directory, no config file, a database URL.
// It migrates the database itself, answers /healthz and /metrics, survives bad requests, refuses
// bodies over server.bodyLimitBytes on its POST routes (413, nothing stored) and stops cleanly on
// SIGTERM, also with a delivery under way (it finishes and is recorded, not sent again). The same
// against PostgreSQL (required under CI). With no DATABASE_URL it makes its SQLite database under
// ./data; and `npm start` stops on SIGTERM. Every server listens on PORT=0; the port it bound is
// read from its start-up log line (test/helpers/child-linka.ts).
import { request } from 'node:http';
import { chooseRuntime, runtimeFor } from '../bin/runtime-choice.js';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, pgAvailable, type EmptyDatabase } from './helpers/db.js';
import { connect } from 'node:net';
import { startLinka } from '../src/app.js';
import { parseConfig } from '../src/config/load.js';
import { createLogger } from '../src/observability/logger.js';
import { openDatabase } from '../src/store/client.js';
import { startCommand } from '../bench/lib/linka-process.js';
import { ROOT, startChildLinka, type ChildLinka } from './helpers/child-linka.js';
import { eventually, startFakeServer, type FakeServer } from './fakes/fake-server.js';
import { tg } from './fakes/telegram-fake.js';

const PG = await pgAvailable();

interface Server extends ChildLinka {
  dir: string;
}

/**
 * Starts `linka serve` in a fresh directory (PORT=0) and waits for its "linka is serving" line.
 * `databaseUrl` null: DATABASE_URL is not set at all. `npmStart`: run as `npm start` from the
 * repository (its own process group), with the fresh directory's linka.config.yaml.
 */
async function startServe(databaseUrl: ((dir: string) => string) | null, extraEnv: NodeJS.ProcessEnv = {}, opts: { npmStart?: boolean } = {}): Promise<Server> {
  const dir = mkdtempSync(path.join(tmpdir(), 'linka-serve-'));
  const env: NodeJS.ProcessEnv = { ...extraEnv };
  if (databaseUrl) env.DATABASE_URL = databaseUrl(dir);
  if (opts.npmStart) {
    const config = path.join(dir, 'linka.config.yaml');
    writeFileSync(config, 'company:\n  name: Npm Start ISP\n');
    env.LINKA_CONFIG = config;
  }
  const child = await startChildLinka({ cwd: dir, env, npmStart: opts.npmStart });
  return Object.assign(child, { dir });
}

/**
 * The log's account of a clean stop: the SIGTERM was taken, every step finished and the leases
 * were given back ("stopped; leases released"), and neither the shutdown deadline
 * (server.shutdownTimeoutMs) nor the database-close deadline was what ended it.
 */
function stoppedCleanly(server: ChildLinka): { sigterm: boolean; released: unknown; timedOut: string[] } {
  const logs = server.logs();
  return {
    sigterm: logs.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM'),
    released: logs.find((l) => l.msg === 'stopped; leases released')?.released,
    timedOut: logs.filter((l) => /timed out|did not close in time|shutdown step failed|shutdown failed/.test(String(l.msg))).map((l) => String(l.msg)),
  };
}

/** Each process's parent and state (R, S, Z...), from /proc. */
function processTable(): Map<number, { ppid: number; state: string; comm: string }> {
  const table = new Map<number, { ppid: number; state: string; comm: string }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), { ppid: Number(ppid), state: state as string, comm });
    } catch {
      /* gone meanwhile */
    }
  }
  return table;
}

/** The processes below `pid` (children, their children...). */
function descendants(pid: number): Array<{ pid: number; comm: string }> {
  const table = processTable();
  const found: Array<{ pid: number; comm: string }> = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift() as number;
    for (const [child, info] of table) {
      if (info.ppid === parent) {
        found.push({ pid: child, comm: info.comm });
        queue.push(child);
      }
    }
  }
  return found;
}

/** Whether a process still runs (a zombie, awaiting its parent's wait, has stopped). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('linka serve on SQLite, with no config file', () => {
  let server: Server;
  let dbFile: string;

  beforeAll(async () => {
    server = await startServe((dir) => `file:${path.join(dir, 'linka.db')}`);
    dbFile = path.join(server.dir, 'linka.db');
  });
  afterAll(async () => {
    await server?.kill();
    if (server) rmSync(server.dir, { recursive: true, force: true });
  });

  it('created the database file and applied every migration itself', () => {
    expect(existsSync(dbFile)).toBe(true);
    const expected = readdirSync(path.join(ROOT, 'prisma', 'sqlite', 'migrations'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const db = new Database(dbFile, { readonly: true });
    try {
      const rows = db.prepare('SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name').all() as Array<{
        migration_name: string;
        finished_at: unknown;
      }>;
      expect(rows.map((r) => r.migration_name)).toEqual(expected);
      expect(rows.every((r) => r.finished_at !== null)).toBe(true);
      expect(db.prepare('SELECT COUNT(*) AS n FROM Customer').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    expect(server.logs().find((l) => l.msg === 'database migrated')?.migrations).toEqual(expected);
  });

  it('logs one JSON start-up line saying where it listens (the port it bound for PORT=0) and that no channel is on', async () => {
    const lines = server.logs().filter((l) => l.msg === 'linka is serving');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ host: '127.0.0.1', provider: 'sqlite' });
    expect(lines[0]?.port).toEqual(expect.any(Number));
    expect(lines[0]?.port).not.toBe(0);
    expect(lines[0]?.channels).toEqual(['none (try `./linka shell`)']);
    // No customer can write in, so no word about the helpdesk number they would be offered.
    expect(server.logs().filter((l) => String(l.msg).includes('helpdeskPhone'))).toEqual([]);
    // The port in the line is the one it answers on.
    expect((await fetch(`http://127.0.0.1:${String(lines[0]?.port)}/healthz`)).status).toBe(200);
    expect(server.stderr()).toBe('');
  });

  it('says on /healthz that the database is up', async () => {
    const res = await fetch(`${server.base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ status: 'ok', database: 'up' });
  });

  it('serves Prometheus metrics including the outbox depth and inbound counter', async () => {
    const res = await fetch(`${server.base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE linka_outbox_depth gauge');
    expect(text).toMatch(/^linka_outbox_depth 0$/m);
    expect(text).toContain('# TYPE linka_inbound_total counter');
    // The earlier requests were measured.
    expect(text).toMatch(/^linka_http_request_duration_seconds_count\{route="\/healthz",status="200"\} [1-9]/m);
    // The Node.js process metrics carry the "linka_" prefix once: linka_process_*, linka_nodejs_*.
    expect(text).toMatch(/^linka_process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^linka_nodejs_heap_size_used_bytes \d/m);
    expect(text).not.toContain('process_process');
  });

  it('answers an unknown route with 404 and a JSON error', async () => {
    const res = await fetch(`${server.base}/no/such/route`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: 'not found' });
  });

  it('answers a wrong method with 405 and the methods it allows', async () => {
    const res = await fetch(`${server.base}/healthz`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(await res.json()).toEqual({ error: 'method not allowed' });
  });

  it('exits with code 0 on SIGTERM after a clean stop (not cut short by the shutdown deadline), and stops listening', async () => {
    const { code, signal } = await server.terminate();
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stoppedCleanly(server)).toEqual({ sigterm: true, released: { outbox: 0, timers: 0 }, timedOut: [] });
    await expect(fetch(`${server.base}/healthz`)).rejects.toThrow();
  });
});

/** A POST over a fresh connection, as raw bytes: with Content-Length, or chunked (no declared length). */
function rawPost(
  base: string,
  route: string,
  headers: Record<string, string>,
  body: Buffer,
  opts: { chunked?: boolean } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      `${base}${route}`,
      {
        method: 'POST',
        agent: false,
        headers: { ...headers, ...(opts.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) }) },
      },
      (res) => {
        answered = true;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    // The server may answer 413 before it has read the whole body; an error after the answer does not matter.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (opts.chunked) {
      for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
      req.end();
    } else {
      req.end(body);
    }
  });
}

/** `value` as JSON text padded with spaces (still the same JSON) to exactly `bytes` bytes. */
function jsonOfSize(value: unknown, bytes: number): Buffer {
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text) > bytes) throw new Error(`the JSON alone is over ${bytes} bytes`);
  const body = Buffer.from(text + ' '.repeat(bytes - Buffer.byteLength(text)));
  expect(body.length).toBe(bytes);
  return body;
}

/** A fake Telegram Bot API that can hold each sendMessage until the test lets it go. */
async function startHoldingTelegram(): Promise<FakeServer & { hold(): void; letGo(): void; sent(chatId: number): string[] }> {
  let messageId = 100;
  let gate: { promise: Promise<void>; open: () => void } | null = null;
  const server = await startFakeServer(async (req) => {
    const method = /^\/bot[^/]+\/(\w+)/.exec(req.path)?.[1];
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (method === 'getMe') return { status: 200, body: { ok: true, result: { id: 42, is_bot: true, first_name: 'Linka', username: 'linka_test_bot' } } };
    if (method === 'sendMessage') {
      if (gate) await gate.promise;
      return {
        status: 200,
        body: { ok: true, result: { message_id: ++messageId, date: 0, chat: { id: Number(body.chat_id), type: 'private' }, text: body.text } },
      };
    }
    return { status: 200, body: { ok: true, result: true } };
  });
  return Object.assign(server, {
    hold() {
      let open = () => {};
      const promise = new Promise<void>((resolve) => {
        open = resolve;
      });
      gate = { promise, open };
    },
    letGo() {
      gate?.open();
      gate = null;
    },
    sent: (chatId: number) =>
      server.requests
        .filter((r) => r.path.endsWith('/sendMessage') && String((r.body as Record<string, unknown>).chat_id) === String(chatId))
        .map((r) => String((r.body as Record<string, unknown>).text)),
  });
}

const WEBHOOK_SECRET = 'serve-webhook-secret';
const API_TOKEN = 'serve-api-token';

describe('the body limit (server.bodyLimitBytes) on the POST routes', () => {
  // The built-in default, which the server below runs with (it has no config file).
  const LIMIT = parseConfig({}).server.bodyLimitBytes;
  let telegram: Awaited<ReturnType<typeof startHoldingTelegram>>;
  let server: Server;
  const dbUrl = () => `file:${path.join(server.dir, 'linka.db')}`;
  const webhookHeaders = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET };
  const apiHeaders = { 'content-type': 'application/json', authorization: `Bearer ${API_TOKEN}` };
  /** What the database holds of what the requests could have left. */
  async function stored(): Promise<{ inbound: number; conversations: number; messages: number; outages: number; outbox: number }> {
    const db = await openDatabase(dbUrl());
    try {
      return {
        inbound: await db.prisma.processedInbound.count(),
        conversations: await db.prisma.conversation.count(),
        messages: await db.prisma.message.count(),
        outages: await db.prisma.outage.count(),
        outbox: await db.prisma.outboxItem.count(),
      };
    } finally {
      await db.close();
    }
  }

  beforeAll(async () => {
    telegram = await startHoldingTelegram();
    server = await startServe((dir) => `file:${path.join(dir, 'linka.db')}`, {
      TELEGRAM_BOT_TOKEN: '123456:SERVE',
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TELEGRAM_API_ROOT: telegram.url,
      LINKA_API_TOKEN: API_TOKEN,
    });
  });
  afterAll(async () => {
    await server?.kill();
    if (server) rmSync(server.dir, { recursive: true, force: true });
    await telegram?.close();
  });

  it('is the documented 1 MiB, and the server runs with it', () => {
    expect(LIMIT).toBe(1_048_576);
    expect(readFileSync(path.join(ROOT, 'linka.config.example.yaml'), 'utf8')).toMatch(/^ {2}bodyLimitBytes: 1048576$/m);
    expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain('| a body over `server.bodyLimitBytes` (declared or chunked) | 413 |');
    expect(server.logs().find((l) => l.msg === 'linka is serving')?.channels).toEqual(['telegram']);
  });

  it('warns at start that no helpdesk phone is configured while customers can write in (Telegram is on)', () => {
    const warned = server.logs().filter((l) => String(l.msg).startsWith('company.helpdeskPhone is not set'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ level: 40, customerChannels: ['telegram'] });
    expect(warned[0]?.msg).toContain('customers are offered no number to call when a human should take over');
  });

  it('refuses a Telegram update one byte over the limit, declared or chunked, with 413 and stores nothing', async () => {
    for (const chunked of [false, true]) {
      const body = jsonOfSize(tg.text('Dobrý den', { chatId: 5100 + (chunked ? 1 : 0) }), LIMIT + 1);
      const res = await rawPost(server.base, '/telegram/webhook', webhookHeaders, body, { chunked });
      expect({ chunked, status: res.status }).toEqual({ chunked, status: 413 });
      expect(JSON.parse(res.text)).toEqual({ error: `body larger than ${LIMIT} bytes` });
    }
    // The webhook answers after its transaction commits, so anything accepted would be stored by now.
    expect(await stored()).toEqual({ inbound: 0, conversations: 0, messages: 0, outages: 0, outbox: 0 });
    expect(telegram.requests.filter((r) => r.path.endsWith('/sendMessage'))).toEqual([]);
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    expect(server.gone()).toBe(false);
  });

  it('refuses an outage declared through the API one byte over the limit, declared or chunked, with 413 and stores nothing', async () => {
    for (const chunked of [false, true]) {
      const body = jsonOfSize({ title: 'Přerušené vlákno', areas: ['Bory'] }, LIMIT + 1);
      const res = await rawPost(server.base, '/api/outages', apiHeaders, body, { chunked });
      expect({ chunked, status: res.status }).toEqual({ chunked, status: 413 });
      expect(JSON.parse(res.text)).toEqual({ error: `body larger than ${LIMIT} bytes` });
    }
    expect((await stored()).outages).toBe(0);
    expect(await fetch(`${server.base}/api/outages`, { headers: { authorization: `Bearer ${API_TOKEN}` } }).then((r) => r.json())).toMatchObject({
      outages: [],
    });
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    expect(server.gone()).toBe(false);
  });

  it('takes bodies of exactly the limit on both routes, chunked too, and keeps serving', async () => {
    const before = await stored();
    const update = tg.text('Dobrý den', { chatId: 5200 });
    const hook = await rawPost(server.base, '/telegram/webhook', webhookHeaders, jsonOfSize(update, LIMIT), { chunked: true });
    expect(hook.status).toBe(200);
    const declared = await rawPost(server.base, '/api/outages', apiHeaders, jsonOfSize({ title: 'Přerušené vlákno', areas: ['Bory'] }, LIMIT));
    expect(declared.status).toBe(201);
    const after = await stored();
    expect({
      inbound: after.inbound - before.inbound,
      conversations: after.conversations - before.conversations,
      outages: after.outages - before.outages,
    }).toEqual({ inbound: 1, conversations: 1, outages: 1 });
    // The greeting reaches the customer.
    await eventually(() => telegram.sent(5200).length > 0 || undefined, 20_000, 'the answer to the accepted update');
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    expect(server.gone()).toBe(false);
  });
});

describe.skipIf(!PG)('linka serve on PostgreSQL', () => {
  let database: EmptyDatabase;
  let server: Server | undefined;

  beforeAll(async () => {
    database = await createEmptyDatabase('postgresql');
  });
  afterAll(async () => {
    await server?.kill();
    if (server) rmSync(server.dir, { recursive: true, force: true });
    await database?.drop();
  });

  it('migrates an empty PostgreSQL database, reports it healthy and stops cleanly', async () => {
    server = await startServe(() => database.url);
    const res = await fetch(`${server.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'up' });
    expect(server.logs().find((l) => l.msg === 'linka is serving')?.provider).toBe('postgresql');
    expect(server.logs().find((l) => l.msg === 'database migrated')?.migrations).toEqual(expect.arrayContaining([expect.any(String)]));
    // Nothing was written next to the server: the database is PostgreSQL's.
    expect(readdirSync(server.dir)).toEqual([]);
    const { code, signal } = await server.terminate();
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stoppedCleanly(server)).toEqual({ sigterm: true, released: { outbox: 0, timers: 0 }, timedOut: [] });
  }, 60_000);
});

describe('linka serve stops gracefully on SIGTERM', () => {
  let server: Server;

  beforeAll(async () => {
    server = await startServe((dir) => `file:${path.join(dir, 'linka.db')}`, { LINKA_API_TOKEN: 'graceful-token' });
  });
  afterAll(async () => {
    await server?.kill();
    if (server) rmSync(server.dir, { recursive: true, force: true });
  });

  it('lets the request in flight finish, refuses new ones, gives back its leases and exits 0', async () => {
    const owner = server.logs().find((l) => l.msg === 'linka is serving')?.owner as string;
    expect(owner).toEqual(expect.any(String));
    // Leases this process holds (as if it were delivering them right now), and one another process holds.
    const db = await openDatabase(`file:${path.join(server.dir, 'linka.db')}`);
    const later = new Date(Date.now() + 3_600_000);
    try {
      await db.prisma.conversation.create({
        data: { id: 'telegram:1', channel: 'telegram', flow: 'main', step: 'menu', flowVersion: 1, state: {}, sessionStartedAt: new Date() },
      });
      await db.prisma.timer.create({
        data: { id: 'mine', conversationId: 'telegram:1', name: 'wait', token: 't', dueAt: later, leasedBy: owner, leaseUntil: later },
      });
      await db.prisma.outboxItem.create({
        data: {
          id: 900,
          kind: 'reply',
          channel: 'telegram',
          target: 'telegram:1',
          payload: {},
          nextAttemptAt: later,
          leasedBy: `${owner}#7`,
          leaseUntil: later,
        },
      });
      await db.prisma.outboxItem.create({
        data: {
          id: 901,
          kind: 'reply',
          channel: 'telegram',
          target: 'telegram:2',
          payload: {},
          nextAttemptAt: later,
          leasedBy: 'other:1:x#1',
          leaseUntil: later,
        },
      });
    } finally {
      await db.close();
    }

    // A request in flight: its headers are in, its body still coming.
    const body = JSON.stringify({ area: 'x' });
    const socket = connect(server.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d: Buffer) => {
      answer += d.toString();
    });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST /api/outages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer graceful-token\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 3)}`,
    );
    // Time for the server to read the headers (a connection with no request yet would count as idle and be closed).
    await new Promise((r) => setTimeout(r, 300));

    server.child.kill('SIGTERM');
    await server.waitForLog((l) => l.msg === 'shutting down', 'that it is shutting down');
    // A new request is not taken: refused (the port is closed) or answered 503.
    const fresh = await fetch(`${server.base}/healthz`).then(
      (res) => res.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(fresh);
    // Still waiting for the request in flight: not stopped yet.
    expect(server.logs().some((l) => l.msg === 'stopped; leases released')).toBe(false);
    expect(server.gone()).toBe(false);
    socket.end(body.slice(3));
    await closed;
    // The request in flight was answered by the route, not refused.
    expect(answer).toMatch(/^HTTP\/1\.1 (\d+)/);
    expect(answer).not.toMatch(/^HTTP\/1\.1 503/);

    const { code, signal } = await server.ended();
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stoppedCleanly(server)).toEqual({ sigterm: true, released: { outbox: 1, timers: 1 }, timedOut: [] });

    const after = await openDatabase(`file:${path.join(server.dir, 'linka.db')}`);
    try {
      expect(await after.prisma.timer.findUnique({ where: { id: 'mine' } })).toMatchObject({ leasedBy: null, leaseUntil: null, firedAt: null });
      expect(await after.prisma.outboxItem.findUnique({ where: { id: 900 } })).toMatchObject({ leasedBy: null, leaseUntil: null, status: 'pending' });
      expect(await after.prisma.outboxItem.findUnique({ where: { id: 901 } })).toMatchObject({ leasedBy: 'other:1:x#1' });
    } finally {
      await after.close();
    }
  }, 60_000);
});

describe('linka serve on SIGTERM with a delivery under way', () => {
  let telegram: Awaited<ReturnType<typeof startHoldingTelegram>>;
  const dir = mkdtempSync(path.join(tmpdir(), 'linka-serve-inflight-'));
  const url = `file:${path.join(dir, 'linka.db')}`;
  const servers: ChildLinka[] = [];
  const start = async () => {
    const s = await startChildLinka({
      cwd: dir,
      env: {
        DATABASE_URL: url,
        LINKA_CONFIG: path.join(dir, 'linka.config.yaml'),
        TELEGRAM_BOT_TOKEN: '123456:SERVE',
        TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
        TELEGRAM_API_ROOT: telegram.url,
      },
    });
    servers.push(s);
    return s;
  };
  const webhook = (s: ChildLinka, update: unknown) =>
    fetch(`${s.base}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      body: JSON.stringify(update),
    });
  const CHAT = 6100;

  afterAll(async () => {
    telegram?.letGo();
    for (const s of servers) await s.kill();
    await telegram?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the delivery, records it as sent (no later process sends it again), releases its leases and exits 0', async () => {
    telegram = await startHoldingTelegram();
    writeFileSync(path.join(dir, 'linka.config.yaml'), 'workers:\n  outboxPollMs: 100\n');
    const first = await start();
    const owner = first.logs().find((l) => l.msg === 'linka is serving')?.owner as string;

    // The greeting's delivery reaches Telegram and is held there: the platform call is under way.
    telegram.hold();
    expect((await webhook(first, tg.text('Dobrý den', { chatId: CHAT }))).status).toBe(200);
    await eventually(() => telegram.sent(CHAT).length === 1 || undefined, 20_000, 'the greeting sent to Telegram');
    const greeting = telegram.sent(CHAT)[0] as string;
    const db = await openDatabase(url);
    try {
      const items = await db.prisma.outboxItem.findMany({ where: { target: `telegram:${CHAT}` } });
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ status: 'pending', leasedBy: expect.stringMatching(new RegExp(`^${owner.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#`)) });
    } finally {
      await db.close();
    }

    first.child.kill('SIGTERM');
    await first.waitForLog((l) => l.msg === 'shutting down', 'that it is shutting down');
    const fresh = await fetch(`${first.base}/healthz`).then(
      (res) => res.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(fresh);
    // The delivery is still held: the stop waits for it.
    expect(first.logs().some((l) => l.msg === 'stopped; leases released')).toBe(false);
    expect(first.gone()).toBe(false);

    telegram.letGo();
    const { code, signal } = await first.ended();
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // Nothing was left leased: the delivery finished and was recorded before the leases were given back.
    expect(stoppedCleanly(first)).toEqual({ sigterm: true, released: { outbox: 0, timers: 0 }, timedOut: [] });
    const after = await openDatabase(url);
    try {
      const items = await after.prisma.outboxItem.findMany({ where: { target: `telegram:${CHAT}` } });
      expect(items.map((x) => ({ status: x.status, attempts: x.attempts, leasedBy: x.leasedBy }))).toEqual([{ status: 'sent', attempts: 1, leasedBy: null }]);
    } finally {
      await after.close();
    }

    // A later process on the same database: the customer's next message is answered, and since a
    // chat's messages go out in order, the greeting would have gone again before it if it were still due.
    const second = await start();
    expect((await webhook(second, tg.text('Dobrý den', { chatId: CHAT }))).status).toBe(200);
    await eventually(() => telegram.sent(CHAT).length >= 2 || undefined, 20_000, 'the answer to the second message');
    const check = await openDatabase(url);
    try {
      await eventually(async () => (await check.prisma.outboxItem.count({ where: { status: 'pending' } })) === 0 || undefined, 20_000, 'the outbox drained');
      const items = await check.prisma.outboxItem.findMany({ where: { target: `telegram:${CHAT}` }, orderBy: { id: 'asc' } });
      expect(items.every((x) => x.status === 'sent' && x.attempts === 1)).toBe(true);
      expect(items.length).toBeGreaterThanOrEqual(2);
      // One platform call per outbox item: the greeting was not sent a second time.
      expect(telegram.sent(CHAT)).toHaveLength(items.length);
      expect(telegram.sent(CHAT)[0]).toBe(greeting);
    } finally {
      await check.close();
    }
    const { code: secondCode } = await second.terminate();
    expect(secondCode).toBe(0);
  }, 90_000);
});

describe('linka serve with DATABASE_URL unset', () => {
  let server: Server | undefined;

  afterAll(async () => {
    await server?.kill();
    if (server) rmSync(server.dir, { recursive: true, force: true });
  });

  it('creates ./data/linka.db in its working directory and serves /healthz 200', async () => {
    server = await startServe(null);
    const dbFile = path.join(server.dir, 'data', 'linka.db');
    expect(existsSync(dbFile)).toBe(true);
    const res = await fetch(`${server.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'up' });
    expect(server.logs().find((l) => l.msg === 'linka is serving')?.provider).toBe('sqlite');
    const db = new Database(dbFile, { readonly: true });
    try {
      expect((db.prepare('SELECT COUNT(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL').get() as { n: number }).n).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    const { code } = await server.terminate();
    expect(code).toBe(0);
  });
});

describe('npm start', () => {
  let server: Server | undefined;

  afterAll(async () => {
    await server?.kill();
    if (server) rmSync(server.dir, { recursive: true, force: true });
  });

  it('runs node in place of the shell, so SIGTERM to npm stops Linka and closes the port', async () => {
    server = await startServe((dir) => `file:${path.join(dir, 'linka.db')}`, {}, { npmStart: true });
    // The compiled dist/ when it is up to date (it is built at install), else the sources; the log says which.
    expect(server.logs().find((l) => l.msg === 'linka is serving')?.runs).toBe(runtimeFor(`${ROOT}/`, { NODE_ENV: process.env.NODE_ENV }));
    const npmPid = server.child.pid as number;
    const tree = descendants(npmPid);
    const table = processTable();
    const children = tree.filter((p) => table.get(p.pid)?.ppid === npmPid);
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);

    const { code, signal } = await server.terminate();
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // npm has exited and its output is closed: every process it started has stopped with it.
    expect(tree.filter((p) => running(p.pid))).toEqual([]);
    expect(stoppedCleanly(server)).toEqual({ sigterm: true, released: { outbox: 0, timers: 0 }, timedOut: [] });
    await expect(fetch(`${server.base}/healthz`)).rejects.toThrow();
    // Because npm's child was node itself (`exec`), not a /bin/sh waiting for it.
    expect(children.map((p) => p.comm)).toEqual(['node']);
  }, 60_000);

  it('stops cleanly on Ctrl-C, which reaches Linka twice (the terminal signals the group, npm forwards it)', async () => {
    const ctrlC = await startServe((dir) => `file:${path.join(dir, 'linka.db')}`, {}, { npmStart: true });
    try {
      const group = -(ctrlC.child.pid as number);
      // As a terminal delivers Ctrl-C to the foreground process group, twice, back to back.
      process.kill(group, 'SIGINT');
      process.kill(group, 'SIGINT');
      await ctrlC.ended();
      const logs = ctrlC.logs();
      expect(logs.filter((l) => l.msg === 'shutting down').map((l) => l.signal)).toEqual(['SIGINT']);
      expect(logs.find((l) => l.msg === 'stopped; leases released')?.released).toEqual({ outbox: 0, timers: 0 });
      expect(logs.some((l) => l.msg === 'forced exit before the stop finished')).toBe(false);
      await expect(fetch(`${ctrlC.base}/healthz`)).rejects.toThrow();
    } finally {
      await ctrlC.kill();
      rmSync(ctrlC.dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('runs the compiled code only when it is at least as new as every source, or the sources when told to', () => {
    const choose = (env: Record<string, string>, compiledMtime: number | null, newest: number) =>
      chooseRuntime({ env, compiledMtime, newestSourceMtime: () => newest });
    expect(choose({}, 2000, 1000)).toBe('compiled');
    expect(choose({}, 2000, 2000)).toBe('compiled');
    expect(choose({}, 2000, 2001)).toBe('source'); // a source edited after the build
    expect(choose({}, null, 0)).toBe('source'); // nothing compiled
    expect(choose({ LINKA_FROM_SOURCE: '1' }, 2000, 1000)).toBe('source');
    expect(choose({ NODE_ENV: 'production' }, 2000, 3000)).toBe('compiled');
    expect(choose({ NODE_ENV: 'production' }, null, 0)).toBe('source');
  });

  it('runs the sources through tsx with LINKA_FROM_SOURCE=1', async () => {
    const s = await startServe((dir) => `file:${path.join(dir, 'linka.db')}`, { LINKA_FROM_SOURCE: '1' });
    try {
      expect(s.logs().find((l) => l.msg === 'linka is serving')?.runs).toBe('source');
      expect((await s.terminate()).code).toBe(0);
    } finally {
      await s.kill();
      rmSync(s.dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('the benches read the same environment and node options from the start script, with or without exec', () => {
    const ours = startCommand();
    expect(ours.nodeArgs).toEqual(['--max-semi-space-size=4']);
    expect(ours.env.MALLOC_ARENA_MAX).toBe(process.env.MALLOC_ARENA_MAX || '2');
    // npm scripts are shell commands: "${B_UNSET_IN_TEST:-x}" is the shell's expansion, not a template.
    const expansion = '$' + '{B_UNSET_IN_TEST:-x}';
    for (const script of [`A=1 B=${expansion} exec node --foo --bar=2 bin/linka.js serve`, `A=1 B=${expansion} node --foo --bar=2 bin/linka.js serve`]) {
      expect(startCommand(script)).toEqual({ env: { A: '1', B: 'x' }, nodeArgs: ['--foo', '--bar=2'] });
    }
    expect(startCommand('exec node bin/linka.js serve')).toEqual({ env: {}, nodeArgs: [] });
  });
});

describe('the helpdesk phone at start-up', () => {
  /** Starts Linka in-process with Telegram on (its API unreachable: nothing is sent) and returns its log lines once it serves. */
  async function startUpLog(company: Record<string, string>): Promise<Array<Record<string, unknown>>> {
    const lines: Array<Record<string, unknown>> = [];
    const log = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const database = await createEmptyDatabase('sqlite');
    const linka = await startLinka({
      config: parseConfig({ company }),
      log,
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: database.url,
        TELEGRAM_BOT_TOKEN: '123456:SERVE',
        TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
        TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
      },
    });
    try {
      return lines;
    } finally {
      await linka.stop();
      await database.drop();
    }
  }
  const warning = (lines: Array<Record<string, unknown>>) => lines.filter((l) => String(l.msg).startsWith('company.helpdeskPhone is not set'));

  it('warns once when customer channels are on and none is configured (an empty one counts as none), and not when one is', async () => {
    expect(warning(await startUpLog({ name: 'Aitex' }))).toHaveLength(1);
    expect(warning(await startUpLog({ helpdeskPhone: ' ' }))).toHaveLength(1);
    expect(warning(await startUpLog({ helpdeskPhone: '+420 378 774 777' }))).toEqual([]);
  });
});
