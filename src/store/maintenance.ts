/**
 * Planned maintenance and its notices: one notice row per maintenance, notice ("scheduled",
 * "lead:<revision>:<minutes>", "moved:<revision>", "cancelled") and recipient (a conversation
 * id, or "channels" for the team channels), unique, so each is sent at most once.
 */
import { TEAM_CHANNELS } from './outages.js';
import type { DbClient, Prisma, Tx } from './types.js';

export type MaintenanceRow = Prisma.MaintenanceGetPayload<object>;

/** A recipient of a notice: the conversation id and the language it was (or is to be) told in. */
export interface NoticeRecipient {
  conversationId: string;
  lang: string;
}

export async function maintenanceById(db: DbClient, id: number): Promise<MaintenanceRow | null> {
  return db.maintenance.findUnique({ where: { id } });
}

export async function insertMaintenance(
  tx: Tx,
  m: { areas: string[]; services: string[]; startsAt: Date; endsAt: Date; createdBy: string; createdAt: Date; texts?: Prisma.InputJsonValue },
): Promise<MaintenanceRow> {
  return tx.maintenance.create({ data: m });
}

export async function markMaintenanceCancelled(tx: Tx, id: number, now: Date): Promise<MaintenanceRow> {
  return tx.maintenance.update({ where: { id }, data: { status: 'cancelled', cancelledAt: now } });
}

/** Moves a maintenance to new times as revision `revision` (its lead-time notices are armed again). */
export async function moveMaintenance(tx: Tx, id: number, times: { startsAt: Date; endsAt: Date }, revision: number): Promise<MaintenanceRow> {
  return tx.maintenance.update({ where: { id }, data: { startsAt: times.startsAt, endsAt: times.endsAt, revision } });
}

/** The scheduled maintenances not over at `scheduledAfter` (without it: every one, whatever its status), by start. */
export async function maintenancesByStart(db: DbClient, opts: { scheduledAfter?: Date } = {}): Promise<MaintenanceRow[]> {
  const { scheduledAfter } = opts;
  return db.maintenance.findMany({ where: scheduledAfter ? { endsAt: { gt: scheduledAfter }, status: 'scheduled' } : {}, orderBy: { startsAt: 'asc' } });
}

/** Every maintenance, whatever its status, that ends after `now`; by start. */
export async function maintenancesNotOver(db: DbClient, now: Date): Promise<MaintenanceRow[]> {
  return db.maintenance.findMany({ where: { endsAt: { gt: now } }, orderBy: { startsAt: 'asc' } });
}

/** How many customers (distinct conversations) were sent a notice of each of these maintenances. */
export async function maintenanceToldCounts(db: DbClient, ids: readonly number[]): Promise<Map<number, number>> {
  const counts = await db.maintenanceNotice.groupBy({
    by: ['maintenanceId', 'recipient'],
    where: { maintenanceId: { in: [...ids] }, sent: true, recipient: { not: TEAM_CHANNELS } },
  });
  const told = new Map<number, number>();
  for (const c of counts) told.set(c.maintenanceId, (told.get(c.maintenanceId) ?? 0) + 1);
  return told;
}

/**
 * The customers sent any notice of the maintenance but a cancellation (in revisions before
 * `beforeRevision`, when given), each with the language of their notice: oldest first, by notice.
 */
export async function maintenanceNoticesSent(
  db: DbClient,
  maintenanceId: number,
  beforeRevision?: number,
): Promise<Array<{ recipient: string; lang: string }>> {
  return db.maintenanceNotice.findMany({
    where: {
      maintenanceId,
      sent: true,
      recipient: { not: TEAM_CHANNELS },
      notice: { not: 'cancelled' },
      ...(beforeRevision !== undefined ? { revision: { lt: beforeRevision } } : {}),
    },
    select: { recipient: true, lang: true },
    orderBy: { createdAt: 'asc' },
  });
}

/** The recipients who have this notice of the maintenance (sent, or marked as covered). */
export async function maintenanceNoticeRecipients(db: DbClient, maintenanceId: number, notice: string): Promise<Set<string>> {
  return new Set((await db.maintenanceNotice.findMany({ where: { maintenanceId, notice }, select: { recipient: true } })).map((n) => n.recipient));
}

/**
 * Records the notice (of revision `revision`) for each of `to`, none of whom has it; with
 * `sent: false` they are only marked as covered (told otherwise, not to be sent this one).
 */
export async function recordMaintenanceNotices(
  tx: Tx,
  m: { id: number; revision: number },
  notice: string,
  to: readonly NoticeRecipient[],
  now: Date,
  opts: { sent?: false } = {},
): Promise<void> {
  await tx.maintenanceNotice.createMany({
    data: to.map((r) => ({
      maintenanceId: m.id,
      notice,
      revision: m.revision,
      recipient: r.conversationId,
      lang: r.lang,
      ...(opts.sent === false ? { sent: false } : {}),
      createdAt: now,
    })),
  });
}

/** Records the notice to the team channels unless it is recorded already; true when it was not (it is to be posted now). */
export async function recordMaintenanceChannelNoticeOnce(
  tx: Tx,
  m: { id: number; revision: number },
  notice: string,
  lang: string,
  now: Date,
): Promise<boolean> {
  const done = await tx.maintenanceNotice.findUnique({ where: { maintenanceId_notice_recipient: { maintenanceId: m.id, notice, recipient: TEAM_CHANNELS } } });
  if (done) return false;
  await tx.maintenanceNotice.create({ data: { maintenanceId: m.id, notice, revision: m.revision, recipient: TEAM_CHANNELS, lang, createdAt: now } });
  return true;
}
