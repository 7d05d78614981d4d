/** Persisted conversation timers ("ask again in 3 minutes"), claimed with row leases. */
import { randomUUID } from 'node:crypto';
import { exec } from './sql.js';
import type { DbClient, Timer } from './types.js';

export async function createTimer(db: DbClient, t: { conversationId: string; name: string; token: string; dueAt: Date; now: Date }): Promise<Timer> {
  // Plain SQL (a timer on most inbound events: store/sql.ts).
  const id = randomUUID();
  await exec(
    db,
  )`INSERT INTO "Timer" ("id", "conversationId", "name", "token", "dueAt", "createdAt") VALUES (${id}, ${t.conversationId}, ${t.name}, ${t.token}, ${t.dueAt}, ${t.now})`;
  return {
    id,
    conversationId: t.conversationId,
    name: t.name,
    token: t.token,
    dueAt: t.dueAt,
    firedAt: null,
    cancelledAt: null,
    leaseUntil: null,
    leasedBy: null,
    createdAt: t.now,
  };
}

/** Cancels every pending timer of a conversation. */
export async function cancelTimers(db: DbClient, conversationId: string, now: Date): Promise<void> {
  // On most inbound events: raw, like insertMessage (messages.ts).
  await exec(db)`UPDATE "Timer" SET "cancelledAt" = ${now} WHERE "conversationId" = ${conversationId} AND "firedAt" IS NULL AND "cancelledAt" IS NULL`;
}

/** Claims due timers for `owner`; a timer whose lease expired can be claimed again. */
export async function claimTimers(db: DbClient, args: { now: Date; owner: string; leaseMs: number; limit: number }): Promise<Timer[]> {
  const { now, owner, leaseMs, limit } = args;
  const free = { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] };
  const pending = { firedAt: null, cancelledAt: null };
  const due = await db.timer.findMany({ where: { ...pending, dueAt: { lte: now }, ...free }, orderBy: { dueAt: 'asc' }, take: limit });
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const claimed: Timer[] = [];
  for (const t of due) {
    const r = await db.timer.updateMany({ where: { id: t.id, ...pending, ...free }, data: { leasedBy: owner, leaseUntil } });
    if (r.count === 1) claimed.push({ ...t, leasedBy: owner, leaseUntil });
  }
  return claimed;
}

export async function markTimerFired(db: DbClient, id: string, now: Date): Promise<void> {
  await db.timer.update({ where: { id }, data: { firedAt: now, leaseUntil: null, leasedBy: null } });
}

export async function releaseTimer(db: DbClient, id: string): Promise<void> {
  await db.timer.update({ where: { id }, data: { leaseUntil: null, leasedBy: null } });
}

/** Makes a conversation's pending timers due now (the shell's fast-forward). Returns how many. */
export async function fastForwardTimers(db: DbClient, conversationId: string, now: Date): Promise<number> {
  const r = await db.timer.updateMany({ where: { conversationId, firedAt: null, cancelledAt: null }, data: { dueAt: now } });
  return r.count;
}

export async function pendingTimers(db: DbClient, conversationId: string): Promise<Timer[]> {
  return db.timer.findMany({ where: { conversationId, firedAt: null, cancelledAt: null }, orderBy: { dueAt: 'asc' } });
}

/** Gives back the leases `owner` holds on timers not yet fired (shutdown): another process may fire them at once. */
export async function releaseLeases(db: DbClient, owner: string): Promise<number> {
  const r = await db.timer.updateMany({ where: { leasedBy: owner, firedAt: null }, data: { leaseUntil: null, leasedBy: null } });
  return r.count;
}
