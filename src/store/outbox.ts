/**
 * The outbox: effects written in the same transaction as the state change that caused
 * them, then claimed with a row lease by one worker, delivered, and marked.
 */
import { setDelivery } from './messages.js';
import type { DbClient, OutboxItem, Prisma, PrismaClient } from './types.js';
import { exec, isDirectPg, isDirectSqlite, mapRow, query, transaction } from './sql.js';

export async function enqueue(db: DbClient, item: { kind: string; channel: string; target: string; payload: unknown; now: Date }): Promise<OutboxItem> {
  // One raw statement (every reply and notice passes here; a raw statement costs the Prisma client
  // about half a model query); the row is what it would read back.
  const text = JSON.stringify(item.payload);
  const payload = JSON.parse(text) as Prisma.JsonValue;
  const rows = await query<{ id: number | bigint }>(
    db,
  )`INSERT INTO "OutboxItem" ("kind", "channel", "target", "payload", "status", "attempts", "nextAttemptAt", "createdAt")
    VALUES (${item.kind}, ${item.channel}, ${item.target}, ${text}, ${'pending'}, ${0}, ${item.now}, ${item.now}) RETURNING "id"`;
  return {
    id: Number((rows[0] as { id: number | bigint }).id),
    kind: item.kind,
    channel: item.channel,
    target: item.target,
    payload,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: item.now,
    leaseUntil: null,
    leasedBy: null,
    lastError: null,
    createdAt: item.now,
    sentAt: null,
    segments: null,
  };
}

/**
 * A claimed item. `targetOptedOut`: whether its address had opted out when it was claimed (the
 * plain-SQL claims read it with the item, saving the deliverer a query; undefined: not read).
 */
export type ClaimedItem = OutboxItem & { targetOptedOut?: boolean };

/** A row of a plain-SQL claim, read like Prisma reads an OutboxItem, with its opt-out flag. */
function claimedRow(r: Record<string, unknown>): ClaimedItem {
  const item = mapRow<ClaimedItem>(r, ['nextAttemptAt', 'leaseUntil', 'createdAt', 'sentAt'], ['payload'], ['id', 'attempts']);
  item.targetOptedOut = r.targetOptedOut === true || Number(r.targetOptedOut) === 1; // SQLite: 1 or 1n
  return item;
}

/** Claims made by this process, numbering the lease tokens. */
let claims = 0;

/** What a claim may take: which items it passes over, and a say over each item before it is leased. */
export interface ClaimFilter {
  /** Items of these channels are passed over (their rate limit is used up or paused). */
  skipChannels?: readonly string[];
  /** Items of these targets are passed over (rate-limited, or being delivered right now). */
  skipTargets?: readonly string[];
  /** Asked, in order, about each claimable item; false passes it over (the rate limiter's admission). */
  admit?: (item: OutboxItem) => boolean;
}

/**
 * Claims up to `limit` due items for `owner` until `now + leaseMs`. An item whose
 * lease expired (its worker died) can be claimed again. Only the oldest undelivered
 * item of each target is claimable, so one conversation's messages arrive in order.
 * `filter.admit` is asked about each claimable item before they are leased; an item it
 * admitted may still be lost to another process (compare the result with what was admitted).
 * The lease holder is recorded as `owner#<claim number>`.
 */
export async function claimOutbox(db: DbClient, args: { now: Date; owner: string; leaseMs: number; limit: number } & ClaimFilter): Promise<ClaimedItem[]> {
  if (isDirectSqlite(db)) return claimOutboxSqlite(db, args);
  if (isDirectPg(db)) return claimOutboxPg(db, args);
  const { now, owner, leaseMs, limit, skipChannels = [], skipTargets = [], admit } = args;
  const free = { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] };
  const due = await db.outboxItem.findMany({
    where: {
      status: 'pending',
      nextAttemptAt: { lte: now },
      ...free,
      ...(skipChannels.length ? { channel: { notIn: [...skipChannels] } } : {}),
      ...(skipTargets.length ? { target: { notIn: [...skipTargets] } } : {}),
    },
    orderBy: { id: 'asc' },
    take: limit,
  });
  if (due.length === 0) return [];
  const heads = await db.outboxItem.groupBy({
    by: ['target'],
    where: { status: 'pending', target: { in: [...new Set(due.map((d) => d.target))] } },
    _min: { id: true },
  });
  const head = new Map(heads.map((h) => [h.target, h._min.id]));
  const wanted = due.filter((item) => head.get(item.target) === item.id && (!admit || admit(item)));
  if (wanted.length === 0) return [];
  // One statement leases them all; this claim's own token tells which it got when another process won some.
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const leasedBy = `${owner}#${++claims}`;
  const ids = wanted.map((item) => item.id);
  const r = await db.outboxItem.updateMany({ where: { id: { in: ids }, status: 'pending', ...free }, data: { leasedBy, leaseUntil } });
  let got = wanted;
  if (r.count < wanted.length) {
    const mine = new Set((await db.outboxItem.findMany({ where: { id: { in: ids }, leasedBy }, select: { id: true } })).map((m) => m.id));
    got = wanted.filter((item) => mine.has(item.id));
  }
  return got.map((item) => ({ ...item, leasedBy, leaseUntil }));
}

/**
 * claimOutbox in SQLite's own SQL, for a `transaction()` client on SQLite (store/sql.ts): the
 * same three steps (due items, each target's first pending item, one leasing UPDATE), with the
 * lists passed as JSON arrays unpacked by json_each.
 */
async function claimOutboxSqlite(db: DbClient, args: { now: Date; owner: string; leaseMs: number; limit: number } & ClaimFilter): Promise<ClaimedItem[]> {
  const { now, owner, leaseMs, limit, skipChannels = [], skipTargets = [], admit } = args;
  const q = query<Record<string, unknown>>(db);
  const rows = await q`SELECT *, EXISTS (SELECT 1 FROM "OptOut" WHERE "OptOut"."conversationId" = "OutboxItem"."target") AS "targetOptedOut"
    FROM "OutboxItem" WHERE "status" = ${'pending'} AND "nextAttemptAt" <= ${now} AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now})
    AND "channel" NOT IN (SELECT "value" FROM json_each(${JSON.stringify(skipChannels)})) AND "target" NOT IN (SELECT "value" FROM json_each(${JSON.stringify(skipTargets)}))
    ORDER BY "id" LIMIT ${limit}`;
  if (rows.length === 0) return [];
  const due = rows.map(claimedRow);
  const heads = await q`SELECT "target", MIN("id") AS "id" FROM "OutboxItem" WHERE "status" = ${'pending'}
    AND "target" IN (SELECT "value" FROM json_each(${JSON.stringify([...new Set(due.map((d) => d.target))])})) GROUP BY "target"`;
  const head = new Map(heads.map((h) => [h.target as string, Number(h.id)]));
  const wanted = due.filter((item) => head.get(item.target) === item.id && (!admit || admit(item)));
  if (wanted.length === 0) return [];
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const leasedBy = `${owner}#${++claims}`;
  const ids = JSON.stringify(wanted.map((item) => item.id));
  const count = await exec(db)`UPDATE "OutboxItem" SET "leasedBy" = ${leasedBy}, "leaseUntil" = ${leaseUntil}
    WHERE "id" IN (SELECT "value" FROM json_each(${ids})) AND "status" = ${'pending'} AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now})`;
  let got = wanted;
  if (count < wanted.length) {
    const mine = await q`SELECT "id" FROM "OutboxItem" WHERE "id" IN (SELECT "value" FROM json_each(${ids})) AND "leasedBy" = ${leasedBy}`;
    const won = new Set(mine.map((m) => Number(m.id)));
    got = wanted.filter((item) => won.has(item.id));
  }
  return got.map((item) => ({ ...item, leasedBy, leaseUntil }));
}

/**
 * claimOutbox in PostgreSQL's own SQL, through pg (store/sql.ts), outside any transaction: one
 * query finds the due items that are their target's first pending one, one UPDATE leases those
 * admitted and returns the ids it leased (another process may have leased some first).
 */
async function claimOutboxPg(db: DbClient, args: { now: Date; owner: string; leaseMs: number; limit: number } & ClaimFilter): Promise<ClaimedItem[]> {
  const { now, owner, leaseMs, limit, skipChannels = [], skipTargets = [], admit } = args;
  const q = query<Record<string, unknown>>(db);
  const rows =
    await q`SELECT o.*, EXISTS (SELECT 1 FROM "OptOut" x WHERE x."conversationId" = o."target") AS "targetOptedOut" FROM (SELECT * FROM "OutboxItem" WHERE "status" = ${'pending'} AND "nextAttemptAt" <= ${now} AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now})
      AND "channel" NOT IN (SELECT json_array_elements_text(${JSON.stringify(skipChannels)}::json)) AND "target" NOT IN (SELECT json_array_elements_text(${JSON.stringify(skipTargets)}::json))
      ORDER BY "id" LIMIT ${limit}) o
    WHERE o."id" = (SELECT MIN(h."id") FROM "OutboxItem" h WHERE h."status" = ${'pending'} AND h."target" = o."target") ORDER BY o."id"`;
  const wanted = rows.map(claimedRow).filter((item) => !admit || admit(item));
  if (wanted.length === 0) return [];
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const leasedBy = `${owner}#${++claims}`;
  const leased = await q`UPDATE "OutboxItem" SET "leasedBy" = ${leasedBy}, "leaseUntil" = ${leaseUntil}
    WHERE "id" IN (SELECT json_array_elements_text(${JSON.stringify(wanted.map((item) => item.id))}::json)::int) AND "status" = ${'pending'} AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now})
    RETURNING "id"`;
  const won = new Set(leased.map((m) => Number(m.id)));
  return wanted.filter((item) => won.has(item.id)).map((item) => ({ ...item, leasedBy, leaseUntil }));
}

/**
 * Records deliveries the platforms accepted: each item sent, its message marked sent with the
 * platform's id (kept when there is none). On PostgreSQL through pg one statement does it all
 * (atomic by itself, one round trip); elsewhere one transaction.
 */
export async function recordDeliveries(
  prisma: DbClient,
  sent: ReadonlyArray<{ id: number; platformMessageId: string | null; at: Date; segments?: number | null }>,
): Promise<void> {
  if (sent.length === 0) return;
  if (isDirectPg(prisma)) {
    const rows = JSON.stringify(sent.map((r) => ({ id: r.id, pmid: r.platformMessageId, at: r.at.toISOString(), seg: r.segments ?? null })));
    await exec(prisma)`WITH d AS (SELECT * FROM json_to_recordset(${rows}::json) AS x("id" int, "pmid" text, "at" timestamp(3), "seg" int)),
      o AS (UPDATE "OutboxItem" SET "status" = ${'sent'}, "sentAt" = d."at", "attempts" = "OutboxItem"."attempts" + 1, "leaseUntil" = NULL, "leasedBy" = NULL, "lastError" = NULL,
          "segments" = d."seg"
        FROM d WHERE "OutboxItem"."id" = d."id")
      UPDATE "Message" SET "status" = ${'sent'}, "platformMessageId" = COALESCE(d."pmid", "Message"."platformMessageId") FROM d WHERE "Message"."outboxId" = d."id"`;
    return;
  }
  await transaction(prisma as PrismaClient, async (tx) => {
    for (const r of sent) {
      await markOutboxSent(tx, r.id, r.at, r.segments ?? null);
      await setDelivery(tx, r.id, 'sent', r.platformMessageId);
    }
  });
}

export async function markOutboxSent(db: DbClient, id: number, now: Date, segments: number | null = null): Promise<void> {
  // After every delivery: raw, like enqueue.
  await exec(
    db,
  )`UPDATE "OutboxItem" SET "status" = ${'sent'}, "sentAt" = ${now}, "attempts" = "attempts" + 1, "leaseUntil" = NULL, "leasedBy" = NULL, "lastError" = NULL, "segments" = ${segments} WHERE "id" = ${id}`;
}

/** The address opted out: the item is done without being sent. */
export async function markOutboxSuppressed(db: DbClient, id: number, now: Date): Promise<void> {
  await db.outboxItem.update({ where: { id }, data: { status: 'suppressed', sentAt: now, leaseUntil: null, leasedBy: null } });
}

/** Due again at `nextAttemptAt`; `countAttempt: false` when nothing was sent (held back by a rate limit's pause). */
export async function markOutboxRetry(db: DbClient, id: number, error: string, nextAttemptAt: Date, opts: { countAttempt?: boolean } = {}): Promise<void> {
  await db.outboxItem.update({
    where: { id },
    data: { attempts: { increment: opts.countAttempt === false ? 0 : 1 }, nextAttemptAt, leaseUntil: null, leasedBy: null, lastError: error.slice(0, 2000) },
  });
}

export async function markOutboxFailed(db: DbClient, id: number, error: string): Promise<void> {
  await db.outboxItem.update({
    where: { id },
    data: { status: 'failed', attempts: { increment: 1 }, leaseUntil: null, leasedBy: null, lastError: error.slice(0, 2000) },
  });
}

/** Items due at `now` that nobody holds (a lease that ran out holds nothing). */
export async function dueOutboxCount(db: DbClient, now: Date): Promise<number> {
  return db.outboxItem.count({ where: { status: 'pending', nextAttemptAt: { lte: now }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] } });
}

/** Items due at `now` on any of `channels` or to any of `targets` (those a rate limit holds back), leased or not. */
export async function dueOutboxCountFor(db: DbClient, now: Date, held: { channels: readonly string[]; targets: readonly string[] }): Promise<number> {
  return db.outboxItem.count({
    where: { status: 'pending', nextAttemptAt: { lte: now }, OR: [{ channel: { in: [...held.channels] } }, { target: { in: [...held.targets] } }] },
  });
}

/** Items not yet delivered (for /metrics and shutdown). */
export async function outboxDepth(db: DbClient): Promise<number> {
  return db.outboxItem.count({ where: { status: 'pending' } });
}

/** Gives back the leases `owner` holds (every claim `owner#n`) on items not yet done: another process may claim them at once (shutdown). */
export async function releaseLeases(db: DbClient, owner: string): Promise<number> {
  const r = await db.outboxItem.updateMany({ where: { status: 'pending', leasedBy: { startsWith: `${owner}#` } }, data: { leaseUntil: null, leasedBy: null } });
  return r.count;
}
