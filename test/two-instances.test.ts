// Two Linka processes on one PostgreSQL database (skipped without a server, required under CI).
// Two `linka serve` children share the Telegram fake; every update, sent to both at once (a
// platform retry landing on the other process), is answered exactly once, and each outbox item
// is delivered once; technicians clicking Claim on one ticket in Slack, the clicks landing on
// different processes at the same moment, get exactly one winner. The claim race is also tested
// in-process: two runtimes, each with its own Prisma client, many times over.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/runtime/logger.js';
import { createRuntime } from '../src/runtime/runtime.js';
import { openDatabase } from '../src/store/client.js';
import { createEmptyDatabase, createTestDatabase, pgAvailable, type EmptyDatabase } from './helpers/db.js';
import { recordingPort, seedCustomers } from './helpers/harness.js';
import { recordingTeam } from './helpers/team.js';
import { eventually } from './fakes/fake-server.js';
import { deliver, FORM, signed, SIGNING_SECRET, slack, startSlackFake, type SlackFake } from './fakes/slack-fake.js';
import { startTelegramFake, tg, type TelegramFake } from './fakes/telegram-fake.js';

const PG = await pgAvailable();
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'linka.js');
const SECRET = 'two-instances-secret';
const OTHER_SECRETS = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'DISCORD_BOT_TOKEN', 'DISCORD_PUBLIC_KEY', 'LINKA_API_TOKEN', 'PUBLIC_URL'];
const TECHNICIANS = ['UPETR', 'UEVA', 'UJAN', 'UIVA'];

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

interface Instance { child: ChildProcess; base: string; dir: string; output: () => string; exited: Promise<unknown> }

async function startInstance(databaseUrl: string, telegramUrl: string, slackUrl: string): Promise<Instance> {
  const dir = mkdtempSync(path.join(tmpdir(), 'linka-two-'));
  const port = await freePort();
  writeFileSync(path.join(dir, 'linka.yaml'), `slack:\n  queueChannel: CQUEUE\n  technicians: [${TECHNICIANS.join(', ')}]\n`);
  const env: NodeJS.ProcessEnv = {
    ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LINKA_CONFIG: path.join(dir, 'linka.yaml'),
    TELEGRAM_BOT_TOKEN: '123456:TEST', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: telegramUrl,
    SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slackUrl,
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
    if (res?.status === 200) return { child, base, dir, output: () => out, exited };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`linka serve did not become healthy\n${out}`);
}

describe.skipIf(!PG)('two linka serve processes on one PostgreSQL database', () => {
  let database: EmptyDatabase;
  let telegram: TelegramFake;
  let slackFake: SlackFake;
  let instances: Instance[] = [];

  beforeAll(async () => {
    database = await createEmptyDatabase('postgresql');
    telegram = await startTelegramFake();
    slackFake = await startSlackFake();
    // One after the other: the first migrates the database.
    instances.push(await startInstance(database.url, telegram.url, slackFake.url));
    instances.push(await startInstance(database.url, telegram.url, slackFake.url));
  }, 90_000);
  afterAll(async () => {
    for (const i of instances) {
      if (i.child.exitCode === null && i.child.signalCode === null) {
        i.child.kill('SIGTERM');
        const killer = setTimeout(() => i.child.kill('SIGKILL'), 10_000);
        await i.exited;
        clearTimeout(killer);
      }
      rmSync(i.dir, { recursive: true, force: true });
    }
    instances = [];
    await telegram?.close();
    await slackFake?.close();
    await database?.drop();
  }, 60_000);

  const webhook = (instance: Instance, update: unknown) => fetch(`${instance.base}/telegram/webhook`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update),
  });
  const sentTo = (chatId: number) => telegram.calls('sendMessage').filter((c) => String(c.chat_id) === String(chatId)).map((c) => String(c.text));

  it('answers every update exactly once, whichever process gets it, even both at once', async () => {
    // A control chat, sent to one process only: how many messages one greeting brings.
    expect((await webhook(instances[0]!, tg.text('Dobrý den', { chatId: 8000 }))).status).toBe(200);
    const expected = await eventually(() => sentTo(8000).length, 10_000, 'the control answer');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(sentTo(8000)).toHaveLength(expected);

    const chats = Array.from({ length: 20 }, (_, i) => 8100 + i);
    await Promise.all(chats.map(async (chatId, i) => {
      const update = tg.text('Dobrý den', { chatId });
      if (i % 2 === 0) {
        // Alternately to either process; every other one to both at the same moment.
        expect((await webhook(instances[(i / 2) % 2]!, update)).status).toBe(200);
      } else {
        const answers = await Promise.all(instances.map((inst) => webhook(inst, update)));
        expect(answers.map((a) => a.status)).toEqual([200, 200]);
      }
    }));
    await eventually(() => chats.every((c) => sentTo(c).length >= expected) || undefined, 20_000, 'every answer');
    await new Promise((r) => setTimeout(r, 1_500)); // time for a duplicate to show, if any
    for (const chatId of chats) expect(sentTo(chatId), `chat ${chatId}`).toEqual(sentTo(8000));

    // Each outbox item was delivered once: the fake saw no message twice, nothing is left.
    const db = await openDatabase(database.url);
    try {
      const items = await db.prisma.outboxItem.findMany({ where: { channel: 'telegram' } });
      expect(items.every((x) => x.status === 'sent' && x.attempts === 1)).toBe(true);
      expect(telegram.calls('sendMessage')).toHaveLength(items.length);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('fires each due timer once, on one of the two processes', async () => {
    const db = await openDatabase(database.url);
    try {
      const before = telegram.calls('sendMessage').length;
      const now = new Date();
      const ids = Array.from({ length: 20 }, (_, i) => `two-timer-${i}`);
      // Stale tokens: the engine ignores them (nothing is said), but each is claimed, fired and marked.
      await db.prisma.timer.createMany({ data: ids.map((id, i) => ({ id, conversationId: `telegram:${8100 + i}`, name: 'wait', token: 'stale', dueAt: now, createdAt: now })) });
      await eventually(async () => (await db.prisma.timer.count({ where: { id: { in: ids }, firedAt: { not: null } } })) === ids.length || undefined, 20_000, 'every timer fired');
      const timers = await db.prisma.timer.findMany({ where: { id: { in: ids } } });
      expect(timers.every((t) => t.leasedBy === null && t.leaseUntil === null)).toBe(true);
      expect(await db.prisma.processedInbound.count({ where: { id: { in: ids.map((id) => `timer:${id}`) } } })).toBe(ids.length);
      await new Promise((r) => setTimeout(r, 500));
      expect(telegram.calls('sendMessage')).toHaveLength(before);
    } finally {
      await db.close();
    }
  }, 60_000);
  it('gives a ticket to exactly one technician when Claim clicks land on both processes at once', async () => {
    const db = await openDatabase(database.url);
    try {
      // Tickets opened by a customer (written as the dispatcher would, without a conversation to answer on).
      const numbers = ['T-2026-09001', 'T-2026-09002', 'T-2026-09003', 'T-2026-09004', 'T-2026-09005'];
      const now = new Date();
      for (const number of numbers) {
        await db.prisma.ticket.create({ data: { number, category: 'internet', status: 'open', verified: true, answers: {}, summary: 'Nejde internet', tier: 'none', createdAt: now } });
      }
      const ephemeralsBefore = slackFake.calls('chat.postEphemeral').length;
      for (const number of numbers) {
        // Four technicians click at the same moment; the clicks alternate between the two processes.
        const clicks = TECHNICIANS.map((user, k) => deliver(instances[k % 2]!.base, signed(slack.click('claim', number, user), FORM)));
        const answers = await Promise.all(clicks);
        expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
        const ticket = await db.prisma.ticket.findUnique({ where: { number }, include: { events: true } });
        expect(ticket?.status).toBe('claimed');
        expect(TECHNICIANS.map((u) => `slack:${u}`)).toContain(ticket?.claimedBy);
        expect(ticket?.events.filter((e) => e.type === 'claimed')).toHaveLength(1);
      }
      // The three who lost each race were told, privately, who has it.
      const told = await eventually(() => {
        const e = slackFake.calls('chat.postEphemeral').slice(ephemeralsBefore);
        return e.length >= 3 * numbers.length ? e : undefined;
      }, 10_000, 'the losers told');
      expect(told).toHaveLength(3 * numbers.length);
      for (const e of told ?? []) expect(String(e.text)).toMatch(/už převzal\(a\)/);
    } finally {
      await db.close();
    }
  }, 60_000);
});

describe.skipIf(!PG)('the ticket claim race between two processes (in-process, two Prisma clients)', () => {
  it('lets exactly one of two simultaneous claims win', async () => {
    const made = await createTestDatabase('postgresql');
    const second = await openDatabase(made.url);
    try {
      await seedCustomers(made.db);
      const config = parseConfig({});
      const runtimes = [made.db, second].map((d) => createRuntime({ prisma: d.prisma, config, log: silentLogger(), ports: [recordingPort()], teamPorts: [recordingTeam('slack')] }));
      const numbers: string[] = [];
      for (const [conv, phone] of [['console:jan', '+420603123456'], ['console:zuzana', '+421905123456']] as const) {
        let number = '';
        for (const text of ['Dobrý den', '4', 'Potřebuji změnit nastavení routeru.', 'dnes', 'ano']) {
          const r = await runtimes[0]!.dispatch({ dedupeId: `${conv}:${text}`, conversationId: conv, channel: 'console', event: { kind: 'text', text }, sender: { phone } });
          number = r.ticketNumber ?? number;
        }
        numbers.push(number);
      }
      for (const number of numbers) {
        expect(number).not.toBe('');
        const results = await Promise.all(runtimes.map((r, i) => r.queue.claim(number, { id: `slack:U${i}`, name: `Tech ${i}`, platform: 'slack' })));
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        const ticket = await made.db.prisma.ticket.findUnique({ where: { number } });
        const winner = results.findIndex((r) => r.ok);
        expect(ticket?.claimedBy).toBe(`slack:U${winner}`);
        expect(await made.db.prisma.ticketEvent.count({ where: { ticketId: ticket!.id, type: 'claimed' } })).toBe(1);
      }
    } finally {
      await second.close();
      await made.drop();
    }
  }, 60_000);
});
