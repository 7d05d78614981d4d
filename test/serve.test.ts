// `linka serve` as an operator runs it: a fresh directory, no config file, a database URL.
// It migrates the database itself, answers /healthz and /metrics, survives bad requests and
// stops cleanly on SIGTERM. The same against PostgreSQL (required under CI). With no
// DATABASE_URL it makes its SQLite database under ./data; and `npm start` stops on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { chooseRuntime, runtimeFor } from '../bin/runtime-choice.js';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, pgAvailable, type EmptyDatabase } from './helpers/db.js';
import { connect } from 'node:net';
import { openDatabase } from '../src/store/client.js';
import { startCommand } from '../bench/lib/linka-process.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'linka.js');
const PG = await pgAvailable();
// Channel secrets would turn channels on; the operator in these tests has set none.
const SECRETS = ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'DISCORD_BOT_TOKEN', 'DISCORD_PUBLIC_KEY', 'LINKA_API_TOKEN'];

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

interface Server {
  child: ChildProcess;
  base: string;
  dir: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The JSON log lines printed so far. */
  logs: () => Array<Record<string, unknown>>;
}

/**
 * Starts `linka serve` in a fresh directory and waits (at most 20 s) for /healthz to answer 200.
 * `databaseUrl` null: DATABASE_URL is not set at all. `npmStart`: run as `npm start` from the
 * repository (its own process group), with the fresh directory's linka.config.yaml.
 */
async function startServe(databaseUrl: ((dir: string) => string) | null, extraEnv: NodeJS.ProcessEnv = {}, opts: { npmStart?: boolean } = {}): Promise<Server> {
  const dir = mkdtempSync(path.join(tmpdir(), 'linka-serve-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1' };
  for (const key of ['DATABASE_URL', 'LINKA_CONFIG', 'PUBLIC_URL', ...SECRETS]) delete env[key];
  if (databaseUrl) env.DATABASE_URL = databaseUrl(dir);
  Object.assign(env, extraEnv);
  let child: ChildProcess;
  if (opts.npmStart) {
    const config = path.join(dir, 'linka.config.yaml');
    writeFileSync(config, 'company:\n  name: Npm Start ISP\n');
    child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env: { ...env, LINKA_CONFIG: config }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  } else {
    child = spawn(process.execPath, [BIN, 'serve'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  }
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => { gone = true; });
  const server: Server = {
    child, dir, exited, base: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    logs: () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
  };
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && !gone) {
    const res = await fetch(`${server.base}/healthz`).catch(() => null);
    if (res?.status === 200) return server;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (opts.npmStart) killGroup(child); else child.kill('SIGKILL');
  throw new Error(`linka serve did not become healthy (exited: ${gone})\nstdout:\n${out}\nstderr:\n${err}`);
}

/** Kills a process group this test started (spawned with detached: true), if any of it is left. */
function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch { /* already gone */ }
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
    } catch { /* gone meanwhile */ }
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

/** Sends SIGTERM; resolves to how the process ended and how long it took. */
async function terminate(server: Server): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const started = Date.now();
  server.child.kill('SIGTERM');
  const killer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  const result = await server.exited;
  clearTimeout(killer);
  return { ...result, ms: Date.now() - started };
}

describe('linka serve on SQLite, with no config file', () => {
  let server: Server;
  let dbFile: string;

  beforeAll(async () => {
    server = await startServe((dir) => `file:${path.join(dir, 'linka.db')}`);
    dbFile = path.join(server.dir, 'linka.db');
  });
  afterAll(() => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    if (server) rmSync(server.dir, { recursive: true, force: true });
  });

  it('created the database file and applied every migration itself', () => {
    expect(existsSync(dbFile)).toBe(true);
    const expected = readdirSync(path.join(ROOT, 'prisma', 'sqlite', 'migrations'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(expected.length).toBeGreaterThan(0);
    const db = new Database(dbFile, { readonly: true });
    try {
      const rows = db.prepare('SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name').all() as Array<{ migration_name: string; finished_at: unknown }>;
      expect(rows.map((r) => r.migration_name)).toEqual(expected);
      expect(rows.every((r) => r.finished_at !== null)).toBe(true);
      expect(db.prepare('SELECT COUNT(*) AS n FROM Customer').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    expect(server.logs().find((l) => l.msg === 'database migrated')?.migrations).toEqual(expected);
  });

  it('logs one JSON start-up line saying where it listens and that no channel is on', () => {
    const line = server.logs().find((l) => l.msg === 'linka is serving');
    expect(line).toMatchObject({ host: '127.0.0.1', port: Number(new URL(server.base).port), provider: 'sqlite' });
    expect(line?.channels).toEqual(['none (use `linka shell`)']);
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
  });

  it('answers an unknown route with 404 and a JSON error', async () => {
    const res = await fetch(`${server.base}/no/such/route`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: 'not found' });
  });

  it('refuses a POST larger than the body limit without going down', async () => {
    const body = Buffer.alloc(1_048_576 + 512 * 1024, 'a');
    const res = await fetch(`${server.base}/healthz`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } });
    expect([405, 413]).toContain(res.status);
    expect(((await res.json()) as { error?: unknown }).error).toEqual(expect.any(String));
    const after = await fetch(`${server.base}/healthz`);
    expect(after.status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });

  it('exits with code 0 within a few seconds of SIGTERM, and stops listening', async () => {
    const { code, signal, ms } = await terminate(server);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(5_000);
    expect(server.logs().some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM')).toBe(true);
    await expect(fetch(`${server.base}/healthz`)).rejects.toThrow();
  });
});

describe.skipIf(!PG)('linka serve on PostgreSQL', () => {
  let database: EmptyDatabase;
  let server: Server | undefined;

  beforeAll(async () => {
    database = await createEmptyDatabase('postgresql');
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
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
    const { code, ms } = await terminate(server);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5_000);
  });
});

describe('linka serve stops gracefully on SIGTERM', () => {
  let server: Server;

  beforeAll(async () => {
    server = await startServe((dir) => `file:${path.join(dir, 'linka.db')}`, { LINKA_API_TOKEN: 'graceful-token' });
  });
  afterAll(() => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    if (server) rmSync(server.dir, { recursive: true, force: true });
  });

  it('lets the request in flight finish, refuses new ones, gives back its leases and exits 0', async () => {
    const owner = server.logs().find((l) => l.msg === 'linka is serving')?.owner as string;
    expect(owner).toEqual(expect.any(String));
    // Leases this process holds (as if it were delivering them right now), and one another process holds.
    const db = await openDatabase(`file:${path.join(server.dir, 'linka.db')}`);
    const later = new Date(Date.now() + 3_600_000);
    try {
      await db.prisma.conversation.create({ data: { id: 'telegram:1', channel: 'telegram', flow: 'main', step: 'menu', flowVersion: 1, state: {}, sessionStartedAt: new Date() } });
      await db.prisma.timer.create({ data: { id: 'mine', conversationId: 'telegram:1', name: 'wait', token: 't', dueAt: later, leasedBy: owner, leaseUntil: later } });
      await db.prisma.outboxItem.create({ data: { id: 900, kind: 'reply', channel: 'telegram', target: 'telegram:1', payload: {}, nextAttemptAt: later, leasedBy: `${owner}#7`, leaseUntil: later } });
      await db.prisma.outboxItem.create({ data: { id: 901, kind: 'reply', channel: 'telegram', target: 'telegram:2', payload: {}, nextAttemptAt: later, leasedBy: 'other:1:x#1', leaseUntil: later } });
    } finally {
      await db.close();
    }

    // A request in flight: its headers are in, its body still coming.
    const body = JSON.stringify({ area: 'x' });
    const socket = connect(Number(new URL(server.base).port), '127.0.0.1');
    let answer = '';
    socket.on('data', (d: Buffer) => { answer += d.toString(); });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`POST /api/outages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer graceful-token\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 3)}`);
    await new Promise((r) => setTimeout(r, 300));

    const started = Date.now();
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    expect(server.child.exitCode).toBeNull(); // still waiting for the request in flight
    // A new request is not taken: refused (the port is closed) or answered 503.
    const fresh = await fetch(`${server.base}/healthz`).then((res) => res.status, () => 'refused');
    expect([503, 'refused']).toContain(fresh);
    socket.end(body.slice(3));
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 (\d+)/);
    expect(answer).not.toMatch(/^HTTP\/1\.1 503/);

    const killer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
    const { code, signal } = await server.exited;
    clearTimeout(killer);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(10_000); // server.shutdownTimeoutMs
    expect(server.logs().find((l) => l.msg === 'stopped; leases released')?.released).toEqual({ outbox: 1, timers: 1 });

    const after = await openDatabase(`file:${path.join(server.dir, 'linka.db')}`);
    try {
      expect(await after.prisma.timer.findUnique({ where: { id: 'mine' } })).toMatchObject({ leasedBy: null, leaseUntil: null, firedAt: null });
      expect(await after.prisma.outboxItem.findUnique({ where: { id: 900 } })).toMatchObject({ leasedBy: null, leaseUntil: null, status: 'pending' });
      expect(await after.prisma.outboxItem.findUnique({ where: { id: 901 } })).toMatchObject({ leasedBy: 'other:1:x#1' });
    } finally {
      await after.close();
    }
  });
});

describe('linka serve with DATABASE_URL unset', () => {
  let server: Server | undefined;

  afterAll(() => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
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
    const { code } = await terminate(server);
    expect(code).toBe(0);
  });
});

describe('npm start', () => {
  let server: Server | undefined;

  afterAll(() => {
    if (server) killGroup(server.child);
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
    expect(server.logs().find((l) => l.msg === 'linka is serving')?.port).toBe(Number(new URL(server.base).port));

    const started = Date.now();
    server.child.kill('SIGTERM');
    const killer = setTimeout(() => killGroup(server!.child), 10_000);
    const { code } = await server.exited;
    clearTimeout(killer);
    expect(code).toBe(0);
    // Every process npm started is gone within a few seconds, and nothing listens any more.
    while (tree.some((p) => running(p.pid)) && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 50));
    expect(tree.filter((p) => running(p.pid))).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.logs().some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM')).toBe(true);
    await expect(fetch(`${server.base}/healthz`)).rejects.toThrow();
    // Because npm's child was node itself (`exec`), not a /bin/sh waiting for it.
    expect(children.map((p) => p.comm)).toEqual(['node']);
  });

  it('runs the compiled code only when it is at least as new as every source, or the sources when told to', () => {
    const choose = (env: Record<string, string>, compiledMtime: number | null, newest: number) => chooseRuntime({ env, compiledMtime, newestSourceMtime: () => newest });
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
      expect((await terminate(s)).code).toBe(0);
    } finally {
      if (s.child.exitCode === null) s.child.kill('SIGKILL');
      rmSync(s.dir, { recursive: true, force: true });
    }
  });

  it('the benches read the same environment and node options from the start script, with or without exec', () => {
    const ours = startCommand();
    expect(ours.nodeArgs).toEqual(['--max-semi-space-size=4']);
    expect(ours.env.MALLOC_ARENA_MAX).toBe(process.env.MALLOC_ARENA_MAX || '2');
    for (const script of ['A=1 B=${B_UNSET_IN_TEST:-x} exec node --foo --bar=2 bin/linka.js serve', 'A=1 B=${B_UNSET_IN_TEST:-x} node --foo --bar=2 bin/linka.js serve']) {
      expect(startCommand(script)).toEqual({ env: { A: '1', B: 'x' }, nodeArgs: ['--foo', '--bar=2'] });
    }
    expect(startCommand('exec node bin/linka.js serve')).toEqual({ env: {}, nodeArgs: [] });
  });
});
