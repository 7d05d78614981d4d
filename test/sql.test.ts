// The hot path's plain SQL (src/store/sql.ts): inside transaction() it runs straight on the
// driver's connection, in the very transaction Prisma opened, and what it writes Prisma reads
// back the same (dates in UTC whatever the process's time zone, JSON, counts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConversation, saveConversation, saveConversationAndQueue } from '../src/store/conversations.js';
import type { Db } from '../src/store/client.js';
import { markProcessed } from '../src/store/inbound.js';
import { insertMessage } from '../src/store/messages.js';
import { claimOutbox, enqueue, recordDeliveries } from '../src/store/outbox.js';
import { exec, isDirectPg, isDirectSqlite, query, transaction } from '../src/store/sql.js';
import { createTestDatabase, pgAvailable } from './helpers/db.js';
import type { ConversationState } from '../src/engine/types.js';

const PG = await pgAvailable();

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('plain SQL on $provider', ({ provider, skip }) => {
  let db: Db;
  let drop: () => Promise<void>;
  const tz = process.env.TZ;

  beforeAll(async () => {
    if (skip) return;
    ({ db, drop } = await createTestDatabase(provider));
    process.env.TZ = 'America/New_York'; // far from UTC: a date read as local time would be 5 hours off
  });
  afterAll(async () => {
    process.env.TZ = tz;
    if (!skip) await drop();
  });

  it.skipIf(skip)('writes what Prisma reads, in the same transaction, and rolls back with it', async () => {
    const at = new Date('2026-03-29T00:59:59.123Z');
    const state = { flow: 'internet', step: 'unplug', flowVersion: 1, lang: 'cs', note: 'Žluťoučký kůň' } as unknown as ConversationState;
    await transaction(db.prisma, async (tx) => {
      expect(isDirectSqlite(tx)).toBe(provider === 'sqlite');
      expect(await markProcessed(tx, 'sql-test:1')).toBe(true);
      expect(await markProcessed(tx, 'sql-test:1')).toBe(false);
      await saveConversation(tx, { id: 'telegram:42', channel: 'telegram', prev: null, state, customerId: null, now: at, newSession: false });
      // Prisma's own query in the same transaction sees the row the plain SQL wrote.
      expect((await tx.conversation.findUnique({ where: { id: 'telegram:42' } }))?.sessionStartedAt.toISOString()).toBe(at.toISOString());
    });
    const viaPrisma = await db.prisma.conversation.findUnique({ where: { id: 'telegram:42' } });
    expect(viaPrisma?.sessionStartedAt.toISOString()).toBe(at.toISOString());
    expect(viaPrisma?.state).toEqual(state);
    const viaSql = await transaction(db.prisma, (tx) => loadConversation(tx, 'telegram:42'));
    expect(viaSql?.sessionStartedAt.toISOString()).toBe(at.toISOString());
    expect(viaSql?.state).toEqual(state);
    expect(viaSql?.version).toBe(0);
    // Prisma compares the dates the plain SQL wrote correctly.
    expect(await db.prisma.conversation.count({ where: { sessionStartedAt: { lt: new Date(at.getTime() + 1) } } })).toBe(1);
    expect(await db.prisma.conversation.count({ where: { sessionStartedAt: { lt: at } } })).toBe(0);

    // A failure after plain SQL statements undoes them with the rest of the transaction.
    await expect(
      transaction(db.prisma, async (tx) => {
        await exec(tx)`INSERT INTO "ProcessedInbound" ("id", "createdAt") VALUES (${'sql-test:2'}, ${at})`;
        await tx.processedInbound.create({ data: { id: 'sql-test:3', createdAt: at } });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const ids = await transaction(db.prisma, (tx) => query<{ id: string }>(tx)`SELECT "id" FROM "ProcessedInbound" ORDER BY "id"`);
    expect(ids.map((r) => r.id)).toEqual(['sql-test:1']);
  });

  it.skipIf(skip)("claims each conversation's oldest reply once and records deliveries as Prisma reads them", async () => {
    const at = new Date('2026-10-25T00:30:00.250Z');
    // Outside a transaction, PostgreSQL's statements go through pg on the pool (SQLite's through
    // Prisma), once Prisma has connected.
    await db.prisma.$queryRaw`SELECT 1`;
    expect(isDirectPg(db.prisma)).toBe(provider === 'postgresql');
    const conv = (id: string) =>
      db.prisma.conversation.create({
        data: { id, channel: 'telegram', flow: 'main', step: 'menu', flowVersion: 1, state: {}, sessionStartedAt: at, createdAt: at, updatedAt: at },
      });
    await conv('telegram:501');
    await conv('telegram:502');
    const ids: number[] = [];
    for (const target of ['telegram:501', 'telegram:501', 'telegram:502']) {
      const item = await enqueue(db.prisma, { kind: 'reply', channel: 'telegram', target, payload: { reply: { text: `pro ${target}` } }, now: at });
      await insertMessage(db.prisma, {
        conversationId: target,
        channel: 'telegram',
        direction: 'out',
        kind: 'text',
        text: 'x',
        status: 'queued',
        outboxId: item.id,
        platformMessageId: target === 'telegram:502' ? 'known-id' : null,
        createdAt: at,
      });
      ids.push(item.id);
    }
    const [first, second, other] = ids as [number, number, number];
    const claim = (owner: string, extra: { skipChannels?: string[] } = {}) =>
      claimOutbox(db.prisma, { now: new Date(at.getTime() + 1000), owner, leaseMs: 60_000, limit: 10, ...extra });

    expect(await claim('w0', { skipChannels: ['telegram'] })).toEqual([]);
    await db.prisma.optOut.create({ data: { conversationId: 'telegram:502', channel: 'telegram', createdAt: at } });
    const got = await claim('w1');
    // The claim tells the deliverer which address has opted out (read with the item, or not at all).
    expect(got.map((i) => i.targetOptedOut ?? 'unread')).toEqual(provider === 'postgresql' ? [false, true] : ['unread', 'unread']);
    // The second reply to telegram:501 waits for the first: one conversation's messages go in order.
    expect(got.map((i) => i.id)).toEqual([first, other]);
    expect(got[0]).toMatchObject({
      target: 'telegram:501',
      payload: { reply: { text: 'pro telegram:501' } },
      createdAt: at,
      leasedBy: expect.stringMatching(/^w1#\d+$/),
    });
    expect(await claim('w2')).toEqual([]);

    const sentAt = new Date(at.getTime() + 1500);
    await recordDeliveries(db.prisma, [
      { id: first, platformMessageId: '9001', at: sentAt },
      { id: other, platformMessageId: null, at: sentAt },
    ]);
    const items = await db.prisma.outboxItem.findMany({ where: { id: { in: [first, other] } }, orderBy: { id: 'asc' } });
    for (const item of items) expect(item).toMatchObject({ status: 'sent', sentAt, attempts: 1, leaseUntil: null, leasedBy: null });
    const messages = await db.prisma.message.findMany({ where: { outboxId: { in: [first, other] } }, orderBy: { outboxId: 'asc' } });
    // Each message is marked sent; one the platform gave no id for keeps the id it had.
    expect(messages.map((m) => [m.status, m.platformMessageId])).toEqual([
      ['sent', '9001'],
      ['sent', 'known-id'],
    ]);
    expect(await db.prisma.outboxItem.count({ where: { status: 'sent', sentAt: { lt: new Date(sentAt.getTime() + 1) } } })).toBe(2);
    expect((await claim('w2')).map((i) => i.id)).toEqual([second]);
  });

  it.skipIf(skip)('saves a conversation with its replies queued in order, and a stale save writes nothing', async () => {
    const at = new Date('2026-03-29T01:30:00.500Z');
    const state = (step: string) => ({ flow: 'internet', step, flowVersion: 1, lang: 'cs' }) as unknown as ConversationState;
    const id = 'sms:+420603000111';
    const created = await transaction(db.prisma, (tx) =>
      saveConversation(tx, { id, channel: 'sms', prev: null, state: state('unplug'), customerId: null, now: at, newSession: false }),
    );
    const replies = [
      {
        payload: { reply: { text: 'První' } },
        message: { kind: 'text', text: 'První', choices: [{ id: 'done', label: 'Hotovo' }], status: 'queued', ticketId: null },
      },
      { payload: { reply: { text: 'Druhá' } }, message: { kind: 'text', text: 'Druhá', status: 'queued' } },
    ];
    await transaction(db.prisma, (tx) =>
      saveConversationAndQueue(tx, { id, channel: 'sms', prev: created, state: state('wait'), customerId: null, now: at, newSession: false }, replies),
    );
    // Saved by another process meanwhile: the version no longer matches, nothing is written.
    await expect(
      transaction(db.prisma, (tx) =>
        saveConversationAndQueue(tx, { id, channel: 'sms', prev: created, state: state('stale'), customerId: null, now: at, newSession: false }, replies),
      ),
    ).rejects.toMatchObject({ code: 'conversation_conflict' });
    const saved = await db.prisma.conversation.findUnique({ where: { id } });
    expect(saved).toMatchObject({ step: 'wait', version: 1 });
    const items = await db.prisma.outboxItem.findMany({ where: { target: id }, orderBy: { id: 'asc' } });
    expect(items.map((i) => [i.kind, i.channel, i.status, i.payload, i.nextAttemptAt])).toEqual([
      ['reply', 'sms', 'pending', { reply: { text: 'První' } }, at],
      ['reply', 'sms', 'pending', { reply: { text: 'Druhá' } }, at],
    ]);
    const messages = await db.prisma.message.findMany({ where: { conversationId: id }, orderBy: { id: 'asc' } });
    expect(messages.map((m) => [m.direction, m.text, m.choices, m.status, m.outboxId, m.createdAt])).toEqual([
      ['out', 'První', [{ id: 'done', label: 'Hotovo' }], 'queued', items[0]?.id, at],
      ['out', 'Druhá', null, 'queued', items[1]?.id, at],
    ]);
  });
});

describe('SQLite group commit: transactions asked for while one runs share the next', () => {
  let db: Db;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await createTestDatabase('sqlite'));
  });
  afterAll(async () => {
    await drop();
  });

  it('runs concurrent work in shared transactions, rolls a failing piece back alone, and answers only after the commit', async () => {
    const at = new Date('2026-11-22T08:00:00Z');
    // A second connection to the same file: it sees only what is committed.
    const other = (await import('better-sqlite3')).default(new URL(db.url.replace(/^file:/, 'file://')).pathname, { readonly: true });
    const committed = (id: string) => other.prepare('SELECT 1 FROM "ProcessedInbound" WHERE "id" = ?').get(id) !== undefined;
    const txs = new Set<object>();
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          transaction(db.prisma, async (tx) => {
            txs.add(tx);
            await exec(tx)`INSERT INTO "ProcessedInbound" ("id", "createdAt") VALUES (${`group:${i}`}, ${at})`;
            await tx.processedInbound.create({ data: { id: `group:${i}:prisma`, createdAt: at } });
            if (i % 10 === 7) throw new Error(`piece ${i} fails`);
            return i;
          }).then((value) => {
            // Told only once it is committed: another connection sees it already.
            expect(committed(`group:${value}`)).toBe(true);
            return value;
          }),
        ),
      );
      // Forty pieces of work in far fewer transactions.
      expect(txs.size).toBeLessThan(10);
      for (const [i, r] of results.entries()) {
        if (i % 10 === 7) {
          expect(r).toMatchObject({ status: 'rejected', reason: { message: `piece ${i} fails` } });
          expect(committed(`group:${i}`)).toBe(false);
          expect(committed(`group:${i}:prisma`)).toBe(false);
        } else {
          expect(r).toEqual({ status: 'fulfilled', value: i });
          expect(committed(`group:${i}:prisma`)).toBe(true);
        }
      }
      // A piece that breaks a constraint fails alone too, and a later transaction works.
      const again = await Promise.allSettled([
        transaction(db.prisma, (tx) => exec(tx)`INSERT INTO "ProcessedInbound" ("id", "createdAt") VALUES (${'group:1'}, ${at})`),
        transaction(db.prisma, (tx) => exec(tx)`INSERT INTO "ProcessedInbound" ("id", "createdAt") VALUES (${'group:new'}, ${at})`),
      ]);
      expect(again.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
      expect(committed('group:new')).toBe(true);
    } finally {
      other.close();
    }
  });
});
