// Two Linka processes on one PostgreSQL database (skipped without a server, required under CI).
// Two `linka serve` children share the Telegram and Slack fakes. Every update, sent to both at
// once (a platform retry landing on the other process), is answered exactly once, and each outbox
// item is delivered once; conversation timers that come due while both processes poll fire once
// each: every customer gets the follow-up question exactly once; technicians clicking Claim on
// one ticket in Slack, the clicks arriving at both processes at the same instant, get exactly one
// winner. The claim race is also tested in-process: two runtimes, each with its own Prisma client.
// Absence (no duplicate) is asserted only once the database shows the work finished: the outbox
// has nothing pending, the timers nothing due.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { cs } from '../src/messages/cs.js';
import { silentLogger } from '../src/observability/logger.js';
import { createRuntime } from '../src/runtime/create-runtime.js';
import { openDatabase, type Db } from '../src/store/client.js';
import { createEmptyDatabase, createTestDatabase, pgAvailable, type EmptyDatabase } from './helpers/db.js';
import { startChildLinka, type ChildLinka } from './helpers/child-linka.js';
import { recordingPort, seedCustomers } from './helpers/harness.js';
import { recordingTeam } from './helpers/team.js';
import { eventually } from './fakes/fake-server.js';
import { FORM, signed, slack, startSlackFake, SIGNING_SECRET, type SlackDelivery, type SlackFake } from './fakes/slack-fake.js';
import { startTelegramFake, tg, type TelegramFake } from './fakes/telegram-fake.js';

const PG = await pgAvailable();
const SECRET = 'two-instances-secret';
const TECHNICIANS = ['UPETR', 'UEVA', 'UJAN', 'UIVA'];

interface Instance extends ChildLinka {
  dir: string;
}

async function startInstance(databaseUrl: string, telegramUrl: string, slackUrl: string): Promise<Instance> {
  const dir = mkdtempSync(path.join(tmpdir(), 'linka-two-'));
  writeFileSync(
    path.join(dir, 'linka.yaml'),
    [
      'slack:',
      '  queueChannel: CQUEUE',
      `  technicians: [${TECHNICIANS.join(', ')}]`,
      // Both processes poll often, so due timers and outbox items are contested.
      'workers:',
      '  timerPollMs: 100',
      '  outboxPollMs: 100',
      // Limits no test conversation reaches (they are not what is tested here).
      'rateLimits:',
      '  telegram:',
      '    perSecond: 1000',
      '    perChatPerSecond: 100',
      '  slack:',
      '    perChannelPerSecond: 100',
      'flood:',
      '  telegramPerMinute: 1000',
    ].join('\n'),
  );
  const child = await startChildLinka({
    cwd: dir,
    env: {
      DATABASE_URL: databaseUrl,
      LINKA_CONFIG: path.join(dir, 'linka.yaml'),
      TELEGRAM_BOT_TOKEN: '123456:TEST',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: telegramUrl,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slackUrl,
    },
  });
  return Object.assign(child, { dir });
}

/** Resolves once nothing in the outbox is pending (queued or leased): every delivery is done and recorded. */
async function outboxDrained(db: Db, what: string): Promise<void> {
  await eventually(async () => (await db.prisma.outboxItem.count({ where: { status: 'pending' } })) === 0 || undefined, 30_000, `${what}: the outbox drained`);
}

/**
 * Sends Slack requests to several processes so that they arrive at the same instant: each
 * connection first gets all of its request but the last byte, then every last byte is written in
 * one go. Resolves to each answer's status.
 */
async function deliverTogether(targets: Array<{ port: number; delivery: SlackDelivery }>): Promise<number[]> {
  const sockets = await Promise.all(
    targets.map(
      ({ port, delivery }) =>
        new Promise<{ last: string; socket: ReturnType<typeof connect>; answer: Promise<string> }>((resolve, reject) => {
          const body = Buffer.from(delivery.body);
          const head = [
            `POST /slack/events HTTP/1.1`,
            `Host: 127.0.0.1:${port}`,
            `Content-Type: ${delivery.contentType}`,
            `Content-Length: ${body.length}`,
            'Connection: close',
            ...Object.entries(delivery.headers).map(([k, v]) => `${k}: ${v}`),
          ].join('\r\n');
          const raw = Buffer.concat([Buffer.from(`${head}\r\n\r\n`), body]).toString('latin1');
          const socket = connect(port, '127.0.0.1');
          let text = '';
          const answer = new Promise<string>((done) => {
            socket.on('data', (d: Buffer) => {
              text += d.toString('latin1');
            });
            socket.on('close', () => done(text));
          });
          socket.once('error', reject);
          socket.once('connect', () => socket.write(raw.slice(0, -1), 'latin1', () => resolve({ last: raw.slice(-1), socket, answer })));
        }),
    ),
  );
  // Let both processes read the requests so far; then the last bytes, together.
  await new Promise((r) => setTimeout(r, 100));
  for (const s of sockets) s.socket.write(s.last, 'latin1');
  const answers = await Promise.all(sockets.map((s) => s.answer));
  return answers.map((a) => Number(/^HTTP\/1\.1 (\d{3})/.exec(a)?.[1] ?? 0));
}

describe.skipIf(!PG)('two linka serve processes on one PostgreSQL database', () => {
  let database: EmptyDatabase;
  let db: Db;
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
    db = await openDatabase(database.url);
  }, 90_000);
  afterAll(async () => {
    await db?.close();
    for (const i of instances) {
      const { code } = await i.terminate();
      if (code !== 0) console.error(`an instance did not stop cleanly (exit ${code}):\n${i.output()}`);
      rmSync(i.dir, { recursive: true, force: true });
    }
    instances = [];
    await telegram?.close();
    await slackFake?.close();
    await database?.drop();
  }, 60_000);

  const webhook = (instance: Instance, update: unknown) =>
    fetch(`${instance.base}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
  const sentTo = (chatId: number) =>
    telegram
      .calls('sendMessage')
      .filter((c) => String(c.chat_id) === String(chatId))
      .map((c) => String(c.text));

  it('answers every update exactly once, whichever process gets it, even both at once', async () => {
    // A control chat, sent to one process only: what one greeting brings.
    const control = tg.text('Dobrý den', { chatId: 8000 });
    expect((await webhook(instances[0]!, control)).status).toBe(200);
    await outboxDrained(db, 'the control answer');
    expect(await db.prisma.processedInbound.count({ where: { id: `telegram:update:${control.update_id}` } })).toBe(1);
    const expected = sentTo(8000);
    expect(expected.length).toBeGreaterThan(0);

    const chats = Array.from({ length: 20 }, (_, i) => 8100 + i);
    const updates = chats.map((chatId) => tg.text('Dobrý den', { chatId }));
    await Promise.all(
      updates.map(async (update, i) => {
        if (i % 2 === 0) {
          // Alternately to either process; every other one to both at the same moment.
          expect((await webhook(instances[(i / 2) % 2]!, update)).status).toBe(200);
        } else {
          const answers = await Promise.all(instances.map((inst) => webhook(inst, update)));
          expect(answers.map((a) => a.status)).toEqual([200, 200]);
        }
      }),
    );
    // Every update was taken (the webhooks answer after their transaction commits) and every reply delivered.
    expect(await db.prisma.processedInbound.count({ where: { id: { in: updates.map((u) => `telegram:update:${u.update_id}`) } } })).toBe(chats.length);
    await outboxDrained(db, 'every answer');
    for (const chatId of chats) expect(sentTo(chatId), `chat ${chatId}`).toEqual(expected);

    // Each outbox item was delivered once: the fake saw no message twice.
    const items = await db.prisma.outboxItem.findMany({ where: { channel: 'telegram' } });
    expect(items.length).toBe((chats.length + 1) * expected.length);
    expect(items.every((x) => x.status === 'sent' && x.attempts === 1)).toBe(true);
    expect(telegram.calls('sendMessage')).toHaveLength(items.length);
  }, 60_000);

  it('fires each due timer exactly once across the two processes: every customer gets the follow-up once', async () => {
    // Twenty identified customers each at the first checklist question, which asks again after
    // checklist.followUpMinutes (30) if they go quiet: a persisted followUp timer per conversation.
    const chats = Array.from({ length: 20 }, (_, i) => 8300 + i);
    await db.prisma.customer.createMany({
      data: chats.map((chatId) => ({
        contractNumber: `TWO-${chatId}`,
        name: `Zákazník ${chatId}`,
        language: 'cs',
        area: 'Doubravka',
        telegramId: String(chatId),
      })),
    });
    await Promise.all(
      chats.map(async (chatId, i) => {
        // The conversation moves between the processes.
        expect((await webhook(instances[i % 2]!, tg.text('Dobrý den', { chatId }))).status).toBe(200);
        expect((await webhook(instances[(i + 1) % 2]!, tg.text('1', { chatId }))).status).toBe(200);
      }),
    );
    await outboxDrained(db, 'the checklist questions');
    const conversations = chats.map((c) => `telegram:${c}`);
    const timers = await db.prisma.timer.findMany({ where: { conversationId: { in: conversations }, firedAt: null, cancelledAt: null } });
    expect(timers.map((t) => t.conversationId).sort()).toEqual([...conversations].sort());
    expect(timers.every((t) => t.name === 'followUp')).toBe(true);
    const stillThere = (chatId: number) => sentTo(chatId).filter((text) => text.startsWith(cs['common.stillThere'])).length;
    expect(chats.map(stillThere)).toEqual(chats.map(() => 0));

    // Their customers go quiet: the timers come due now, with both processes polling for them.
    const ids = timers.map((t) => t.id);
    await db.prisma.timer.updateMany({ where: { id: { in: ids } }, data: { dueAt: new Date(Date.now() - 1000) } });
    await eventually(
      async () => (await db.prisma.timer.count({ where: { id: { in: ids }, firedAt: null, cancelledAt: null } })) === 0 || undefined,
      30_000,
      'every due timer fired',
    );
    // A fired timer's messages are queued in the transaction that marks it fired: once the outbox is drained, all are out.
    await outboxDrained(db, 'the follow-ups');

    expect(Object.fromEntries(chats.map((c) => [c, stillThere(c)]))).toEqual(Object.fromEntries(chats.map((c) => [c, 1])));
    const fired = await db.prisma.timer.findMany({ where: { id: { in: ids } } });
    expect(fired.every((t) => t.firedAt !== null && t.leasedBy === null && t.leaseUntil === null)).toBe(true);
    expect(await db.prisma.processedInbound.count({ where: { id: { in: ids.map((id) => `timer:${id}`) } } })).toBe(ids.length);
    // And every message, follow-ups included, went out once.
    const items = await db.prisma.outboxItem.findMany({ where: { channel: 'telegram' } });
    expect(items.every((x) => x.status === 'sent' && x.attempts === 1)).toBe(true);
    expect(telegram.calls('sendMessage')).toHaveLength(items.length);
  }, 90_000);

  it('gives a ticket to exactly one technician when Claim clicks arrive at both processes at the same instant', async () => {
    // Tickets opened by a customer (written as the dispatcher would, without a conversation to answer on).
    const numbers = Array.from({ length: 10 }, (_, i) => `T-2026-09${String(i + 1).padStart(3, '0')}`);
    const now = new Date();
    for (const number of numbers) {
      await db.prisma.ticket.create({
        data: { number, category: 'internet', status: 'open', verified: true, answers: {}, summary: 'Nejde internet', tier: 'none', createdAt: now },
      });
    }
    const ephemeralsBefore = slackFake.calls('chat.postEphemeral').length;
    const toldAbout = (number: string) =>
      slackFake
        .calls('chat.postEphemeral')
        .slice(ephemeralsBefore)
        .filter((e) => String(e.text).includes(number));
    for (const number of numbers) {
      // Four technicians click at the same instant, two clicks on each process.
      const statuses = await deliverTogether(
        TECHNICIANS.map((user, k) => ({ port: instances[k % 2]!.port, delivery: signed(slack.click('claim', number, user), FORM) })),
      );
      expect(statuses).toEqual([200, 200, 200, 200]);
      // Each click ends in a win (a 'claimed' event) or a private "already claimed" answer: wait for all four.
      const outcomes = async () => (await db.prisma.ticketEvent.count({ where: { ticket: { number }, type: 'claimed' } })) + toldAbout(number).length;
      await eventually(async () => (await outcomes()) >= TECHNICIANS.length || undefined, 20_000, `the four clicks on ${number} handled`);
      const ticket = await db.prisma.ticket.findUnique({ where: { number }, include: { events: true } });
      expect(ticket?.status).toBe('claimed');
      expect(TECHNICIANS.map((u) => `slack:${u}`)).toContain(ticket?.claimedBy);
      expect(
        ticket?.events.filter((e) => e.type === 'claimed'),
        number,
      ).toHaveLength(1);
      // The three who lost were told, privately, who has it; the winner was not.
      const told = toldAbout(number);
      expect(told.map((e) => e.user).sort(), number).toEqual(TECHNICIANS.filter((u) => `slack:${u}` !== ticket?.claimedBy).sort());
      for (const e of told) expect(String(e.text)).toMatch(/už převzal\(a\)/);
    }
  }, 90_000);
});

describe.skipIf(!PG)('the ticket claim race between two processes (in-process, two Prisma clients)', () => {
  it('lets exactly one of two simultaneous claims win', async () => {
    const made = await createTestDatabase('postgresql');
    const second = await openDatabase(made.url);
    try {
      await seedCustomers(made.db);
      const config = parseConfig({});
      const runtimes = [made.db, second].map((d) =>
        createRuntime({ prisma: d.prisma, config, log: silentLogger(), ports: [recordingPort()], teamPorts: [recordingTeam('slack')] }),
      );
      const numbers: string[] = [];
      for (const [conv, phone] of [
        ['console:jan', '+420603123456'],
        ['console:zuzana', '+421905123456'],
      ] as const) {
        let number = '';
        for (const text of ['Dobrý den', '4', 'Potřebuji změnit nastavení routeru.', 'dnes', 'ano']) {
          const r = await runtimes[0]!.dispatch({
            dedupeId: `${conv}:${text}`,
            conversationId: conv,
            channel: 'console',
            event: { kind: 'text', text },
            sender: { phone },
          });
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
