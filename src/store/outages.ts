/** Outages: the active ones, in plain SQL for the per-message path (store/sql.ts); declaring and changing them; their notices and attached conversations. */
import { mapRow, query } from './sql.js';
import type { DbClient, Outage, Prisma, Tx } from './types.js';

/** An Outage row's DateTime columns. */
export const OUTAGE_DATES = ['startedAt', 'estimatedEndAt', 'resolvedAt', 'createdAt', 'updatedAt'] as const;

/** An Outage row as plain SQL returns it (either driver), read like Prisma reads it. */
export function outageFromRow(r: Record<string, unknown>): Outage {
  return mapRow<Outage>(r, OUTAGE_DATES, ['areas', 'services', 'texts'], ['revision']);
}

/** The outages not yet resolved, newest first. */
export async function activeOutages(db: DbClient): Promise<Outage[]> {
  const rows = await query<Record<string, unknown>>(db)`SELECT * FROM "Outage" WHERE "status" <> ${'resolved'} ORDER BY "startedAt" DESC`;
  return rows.map(outageFromRow);
}

/** The outage with this id or external key, or null. */
export async function outageByIdOrKey(db: DbClient, idOrKey: string): Promise<Outage | null> {
  return db.outage.findFirst({ where: { OR: [{ id: idOrKey }, { key: idOrKey }] } });
}

/** The outage with this external key (resolved or not), or null. */
export async function outageByKey(db: DbClient, key: string): Promise<Outage | null> {
  return db.outage.findUnique({ where: { key } });
}

/** Resolved outages give up their (unique) external key, so the same alert firing again is a new outage. */
export async function releaseResolvedOutageKey(tx: Tx, key: string): Promise<void> {
  await tx.outage.updateMany({ where: { key, status: 'resolved' }, data: { key: null } });
}

/** A new outage, as declared. */
export interface NewOutage {
  key: string | null;
  title: string;
  areas: string[];
  services: string[];
  status: string;
  texts?: Prisma.InputJsonValue;
  source: string;
  createdBy: string;
  startedAt: Date;
  estimatedEndAt: Date | null;
  createdAt: Date;
}

export async function insertOutage(tx: Tx, outage: NewOutage): Promise<Outage> {
  return tx.outage.create({ data: outage });
}

/** What an update of an outage may change (`revision` is bumped by the caller). */
export type OutageChange = Partial<{
  title: string;
  status: string;
  estimatedEndAt: Date | null;
  areas: string[];
  services: string[];
  texts: Prisma.InputJsonValue;
  resolvedAt: Date;
  revision: number;
}>;

/** Changes an outage; returns it as it is now. */
export async function updateOutage(tx: Tx, id: string, change: OutageChange): Promise<Outage> {
  return tx.outage.update({ where: { id }, data: change });
}

// Notices: one row per outage, notice ("start", "update:<revision>", "resolved") and recipient
// (a conversation id, or "channels" for the team channels), unique: each is sent at most once.

/** The recipient of a notice row that stands for the team channels (outages and maintenance). */
export const TEAM_CHANNELS = 'channels';

/** The recipients who have had this notice of the outage. */
export async function outageNoticeRecipients(db: DbClient, outageId: string, notice: string): Promise<Set<string>> {
  return new Set((await db.outageNotice.findMany({ where: { outageId, notice }, select: { recipient: true } })).map((n) => n.recipient));
}

/** Records the notice as sent to each of `recipients` (none of whom has had it). */
export async function recordOutageNotices(tx: Tx, outageId: string, notice: string, recipients: readonly string[], now: Date): Promise<void> {
  await tx.outageNotice.createMany({ data: recipients.map((recipient) => ({ outageId, notice, recipient, createdAt: now })) });
}

/** Records the notice to `recipient` unless it is recorded already; true when it was not (it is to be sent now). */
export async function recordOutageNoticeOnce(tx: Tx, outageId: string, notice: string, recipient: string, now: Date): Promise<boolean> {
  const done = await tx.outageNotice.findUnique({ where: { outageId_notice_recipient: { outageId, notice, recipient } } });
  if (done) return false;
  await tx.outageNotice.create({ data: { outageId, notice, recipient, createdAt: now } });
  return true;
}

/** The conversations told of the outage's start (not the team channels). */
export async function outageStartRecipients(db: DbClient, outageId: string): Promise<string[]> {
  const told = await db.outageNotice.findMany({ where: { outageId, notice: 'start', NOT: { recipient: TEAM_CHANNELS } }, select: { recipient: true } });
  return told.map((n) => n.recipient);
}

/** The conversations that wrote during the outage and were told of it. */
export async function outageAttachedConversations(db: DbClient, outageId: string): Promise<string[]> {
  return (await db.outageAttachment.findMany({ where: { outageId }, select: { conversationId: true } })).map((a) => a.conversationId);
}

/** Attaches a conversation to the outage (once). */
export async function attachConversationToOutage(tx: Tx, outageId: string, conversationId: string, now: Date): Promise<void> {
  const attached = await tx.outageAttachment.findUnique({ where: { outageId_conversationId: { outageId, conversationId } } });
  if (!attached) await tx.outageAttachment.create({ data: { outageId, conversationId, createdAt: now } });
}
