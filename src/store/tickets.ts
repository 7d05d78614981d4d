/** Tickets: human-readable unique numbers, creation, the audit trail. */
import { initialWorkCategory, type WorkCategory } from '../domain/billing.js';
import type { TicketDraft } from '../engine/types.js';
import type { DbClient, Message, Prisma, Ticket, TicketEvent, Tx } from './types.js';

/**
 * Hands out the next number of the year, e.g. T-2026-00042. The increment is a
 * single UPDATE, so concurrent transactions never get the same number.
 */
export async function nextTicketNumber(tx: Tx, prefix: string, year: number): Promise<string> {
  await tx.ticketSequence.upsert({ where: { year }, create: { year, last: 0 }, update: {} });
  const seq = await tx.ticketSequence.update({ where: { year }, data: { last: { increment: 1 } } });
  return `${prefix}-${year}-${String(seq.last).padStart(5, '0')}`;
}

export async function createTicket(
  tx: Tx,
  args: {
    number: string;
    draft: TicketDraft;
    customerId: string | null;
    conversationId: string;
    now: Date;
    actor: string;
    tier: string;
    /** The reaction deadline of the tier, and its resolution deadline (none when absent). */
    deadline: Date | null;
    resolutionDeadline?: Date | null;
    /** The kind of work (billing); default from the draft: customer_fault when likely customer-side, else diagnostics. */
    workCategory?: WorkCategory;
  },
): Promise<Ticket> {
  const { number, draft, customerId, conversationId, now, actor, tier, deadline } = args;
  const workCategory = args.workCategory ?? initialWorkCategory({ likelyCustomerSide: draft.likelyCustomerSide, outageInArea: false });
  return tx.ticket.create({
    data: {
      number,
      customerId,
      conversationId,
      category: draft.category,
      status: 'open',
      verified: draft.verified,
      likelyCustomerSide: draft.likelyCustomerSide,
      workCategory,
      answers: draft.answers as Prisma.InputJsonValue,
      summary: draft.summary,
      tier,
      deadline,
      resolutionDeadline: args.resolutionDeadline ?? null,
      createdAt: now,
      events: { create: { type: 'opened', actor, data: { summary: draft.summary, workCategory } as Prisma.InputJsonValue, createdAt: now } },
    },
  });
}

export async function addTicketEvent(db: DbClient, ticketId: string, type: string, actor: string, data: unknown, now: Date): Promise<TicketEvent> {
  return db.ticketEvent.create({ data: { ticketId, type, actor, data: data as Prisma.InputJsonValue, createdAt: now } });
}

export async function ticketByNumber(db: DbClient, number: string): Promise<(Ticket & { messages: Message[]; events: TicketEvent[] }) | null> {
  return db.ticket.findUnique({
    where: { number },
    include: { messages: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }, events: { orderBy: { createdAt: 'asc' } } },
  });
}

/** The open ticket of a conversation's current session, if any. */
export async function openTicketOf(db: DbClient, conversationId: string, number: string | null): Promise<Ticket | null> {
  if (!number) return null;
  const t = await db.ticket.findUnique({ where: { number } });
  return t && t.conversationId === conversationId ? t : null;
}

/** Stores the customer's satisfaction once; returns the ticket, or null when unknown or already rated. */
export async function rateTicket(tx: Tx, number: string, score: number, actor: string, now: Date): Promise<Ticket | null> {
  const r = await tx.ticket.updateMany({ where: { number, satisfaction: null }, data: { satisfaction: score } });
  if (r.count !== 1) return null;
  const ticket = await tx.ticket.findUnique({ where: { number } });
  if (ticket) await addTicketEvent(tx, ticket.id, 'rated', actor, { score }, now);
  return ticket;
}

/** A ticket row by its number (no history), or null. */
export async function ticketRowByNumber(db: DbClient, number: string): Promise<Ticket | null> {
  return db.ticket.findUnique({ where: { number } });
}

/** A ticket row by its id; throws (Prisma's not-found error) when there is none. */
export async function ticketRowById(db: DbClient, id: string): Promise<Ticket> {
  return db.ticket.findUniqueOrThrow({ where: { id } });
}

/** The number of the ticket with this id, or null. */
export async function ticketNumberById(db: DbClient, id: string): Promise<string | null> {
  return (await db.ticket.findUnique({ where: { id }, select: { number: true } }))?.number ?? null;
}

/** A ticket with its customer and the customer's phones (what a team card shows), or null. */
export async function ticketForCard(db: DbClient, id: string) {
  return db.ticket.findUnique({ where: { id }, include: { customer: { include: { phones: true } } } });
}

/** The open and claimed tickets, each with its customer's name (in no particular order). */
export async function ticketsOpenOrClaimed(db: DbClient): Promise<Array<Ticket & { customer: { name: string } | null }>> {
  return db.ticket.findMany({ where: { status: { in: ['open', 'claimed'] } }, include: { customer: { select: { name: true } } } });
}

// The technicians' state changes. Each is ONE conditional UPDATE (the condition repeated in its
// WHERE), so of simultaneous attempts exactly one changes the row; each returns whether it did.

/** Claims an open, unclaimed ticket for `tech`; false when another claim (or a status change) won. */
export async function claimTicket(tx: Tx, number: string, tech: { id: string; name: string }, now: Date, firstReactionAt: Date | null): Promise<boolean> {
  const won = await tx.ticket.updateMany({
    where: { number, status: 'open', claimedBy: null },
    data: { status: 'claimed', claimedBy: tech.id, claimedByName: tech.name, claimedAt: now, firstReactionAt },
  });
  return won.count === 1;
}

/** The display name of whoever holds the ticket now (null: nobody, or no such ticket). */
export async function ticketHolderName(db: DbClient, number: string): Promise<string | null> {
  return (await db.ticket.findUnique({ where: { number }, select: { claimedByName: true } }))?.claimedByName ?? null;
}

/** Returns a ticket claimed by `techId` to the queue; false when it is not claimed by them (any more). */
export async function releaseTicket(tx: Tx, number: string, techId: string): Promise<boolean> {
  const released = await tx.ticket.updateMany({
    where: { number, status: 'claimed', claimedBy: techId },
    data: { status: 'open', claimedBy: null, claimedByName: null, claimedAt: null },
  });
  return released.count === 1;
}

/** Resolves an open or claimed ticket; false when it was resolved (or closed) meanwhile. */
export async function resolveTicket(
  tx: Tx,
  number: string,
  args: { by: string; note: string | null; now: Date; firstReactionAt: Date | null },
): Promise<boolean> {
  const done = await tx.ticket.updateMany({
    where: { number, status: { in: ['open', 'claimed'] } },
    data: { status: 'resolved', resolvedAt: args.now, resolvedBy: args.by, resolutionNote: args.note, firstReactionAt: args.firstReactionAt },
  });
  return done.count === 1;
}

/** Sets the ticket's kind of work; returns the ticket as it is now. */
export async function setTicketWorkCategory(tx: Tx, id: string, category: WorkCategory): Promise<Ticket> {
  return tx.ticket.update({ where: { id }, data: { workCategory: category } });
}

/**
 * A customer's own ticket for "how does it stand": the one numbered `number`, else their latest
 * open one, else their latest; with its technician's last message. Theirs: the customer's when
 * they are identified, else one opened in this conversation. Null when there is none of theirs.
 */
export async function ownTicketWithLastReply(db: DbClient, who: { customerId: string | null; conversationId: string }, number: string | null) {
  const owner = who.customerId ? { OR: [{ customerId: who.customerId }, { conversationId: who.conversationId }] } : { conversationId: who.conversationId };
  const include = { events: { where: { type: 'technician_message' }, orderBy: { createdAt: 'desc' as const }, take: 1 } };
  if (number) return db.ticket.findFirst({ where: { number, ...owner }, include });
  return (
    (await db.ticket.findFirst({ where: { ...owner, status: { in: ['open', 'claimed'] } }, orderBy: { createdAt: 'desc' }, include })) ??
    (await db.ticket.findFirst({ where: owner, orderBy: { createdAt: 'desc' }, include }))
  );
}

/** Marks a ticket an emergency or takes the mark away (`/linka emergency`). */
export async function setTicketEmergency(tx: Tx, id: string, on: boolean): Promise<Ticket> {
  return tx.ticket.update({ where: { id }, data: { emergency: on } });
}

/** A ticket with its customer (for the card) and its whole history: messages and events in order. */
export async function ticketWithHistory(db: DbClient, number: string) {
  return db.ticket.findUnique({
    where: { number },
    include: {
      customer: { include: { phones: true } },
      messages: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      events: { orderBy: { createdAt: 'asc' } },
    },
  });
}

/** Records the technician's first reaction on the ticket. */
export async function setFirstReaction(tx: Tx, id: string, at: Date | null): Promise<void> {
  await tx.ticket.update({ where: { id }, data: { firstReactionAt: at } });
}

/** The number of the customer's latest open or claimed billing ticket, or null. */
export async function openBillingTicketNumber(db: DbClient, customerId: string): Promise<string | null> {
  const open = await db.ticket.findFirst({
    where: { customerId, category: 'billing', status: { in: ['open', 'claimed'] } },
    orderBy: { createdAt: 'desc' },
    select: { number: true },
  });
  return open?.number ?? null;
}

/**
 * The ids of the customer's other tickets of `category` whose work is one of `workCategories`,
 * opened at or after `since` (the repeated-questions rule of paid call-outs).
 */
export async function recentTicketIdsOfTopic(
  db: DbClient,
  args: { customerId: string; category: string; workCategories: readonly string[]; since: Date; exceptId: string },
): Promise<string[]> {
  const rows = await db.ticket.findMany({
    where: {
      customerId: args.customerId,
      category: args.category,
      workCategory: { in: [...args.workCategories] },
      createdAt: { gte: args.since },
      id: { not: args.exceptId },
    },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

// The team's reminders (src/jobs/reannounce.ts, src/jobs/sla-watch.ts).

/** Open tickets announced fewer than `max` times, last announced (or opened) at or before `cutoff`; oldest first. */
export async function ticketsDueForReannouncement(db: DbClient, max: number, cutoff: Date): Promise<Ticket[]> {
  return db.ticket.findMany({
    where: {
      status: 'open',
      reannounced: { lt: max },
      OR: [{ lastAnnouncedAt: { lte: cutoff } }, { lastAnnouncedAt: null, createdAt: { lte: cutoff } }],
    },
    orderBy: { createdAt: 'asc' },
  });
}

/**
 * Counts one more announcement of a still open ticket: a conditional UPDATE on the count read
 * before, so of two processes only one announces it. False when another did, or it was claimed.
 */
export async function markReannounced(tx: Tx, ticket: Pick<Ticket, 'id' | 'reannounced'>, now: Date): Promise<boolean> {
  const won = await tx.ticket.updateMany({
    where: { id: ticket.id, status: 'open', reannounced: ticket.reannounced },
    data: { reannounced: ticket.reannounced + 1, lastAnnouncedAt: now },
  });
  return won.count === 1;
}

/** Tickets with a deadline and a first reaction whose service level is not decided yet. */
export async function ticketsReactedUndecided(
  db: DbClient,
): Promise<Array<{ id: string; number: string; deadline: Date | null; firstReactionAt: Date | null }>> {
  return db.ticket.findMany({
    where: { deadline: { not: null }, firstReactionAt: { not: null }, slaMet: null },
    select: { id: true, number: true, deadline: true, firstReactionAt: true },
  });
}

/** Decides whether the service level was met; false when it was decided already (by another process). */
export async function decideSlaMet(db: DbClient, id: string, met: boolean): Promise<boolean> {
  const won = await db.ticket.updateMany({ where: { id, slaMet: null }, data: { slaMet: met } });
  return won.count === 1;
}

/** Tickets with a deadline still waiting for a first reaction, not escalated, not resolved or closed; by deadline. */
export async function ticketsAwaitingReaction(db: DbClient): Promise<Ticket[]> {
  return db.ticket.findMany({
    where: { deadline: { not: null }, firstReactionAt: null, slaBreachedAt: null, status: { notIn: ['resolved', 'closed'] } },
    orderBy: { deadline: 'asc' },
  });
}

/** Still no reaction and undecided: marks the deadline missed (warned at `warnedAt` if not before); false when something came first. */
export async function markSlaBreached(tx: Tx, id: string, now: Date, warnedAt: Date): Promise<boolean> {
  const row = await tx.ticket.updateMany({
    where: { id, firstReactionAt: null, slaBreachedAt: null, slaMet: null },
    data: { slaBreachedAt: now, slaMet: false, slaWarnedAt: warnedAt },
  });
  return row.count === 1;
}

/** Still no reaction and no warning: marks the team warned; false when something came first. */
export async function markSlaWarned(tx: Tx, id: string, now: Date): Promise<boolean> {
  const won = await tx.ticket.updateMany({ where: { id, firstReactionAt: null, slaBreachedAt: null, slaWarnedAt: null }, data: { slaWarnedAt: now } });
  return won.count === 1;
}

// The resolution deadline (src/jobs/sla-watch.ts): the same steps as the reaction's, where the
// ticket's resolution (resolvedAt) takes the place of the first reaction.

/** Resolved tickets with a resolution deadline whose outcome is not decided yet. */
export async function ticketsResolvedUndecided(
  db: DbClient,
): Promise<Array<{ id: string; number: string; resolutionDeadline: Date | null; resolvedAt: Date | null }>> {
  return db.ticket.findMany({
    where: { resolutionDeadline: { not: null }, resolvedAt: { not: null }, resolutionMet: null },
    select: { id: true, number: true, resolutionDeadline: true, resolvedAt: true },
  });
}

/** Decides whether the ticket was resolved in time; false when it was decided already (by another process). */
export async function decideResolutionMet(db: DbClient, id: string, met: boolean): Promise<boolean> {
  const won = await db.ticket.updateMany({ where: { id, resolutionMet: null }, data: { resolutionMet: met } });
  return won.count === 1;
}

/** Tickets with a resolution deadline, not resolved or closed, not escalated; by resolution deadline. */
export async function ticketsAwaitingResolution(db: DbClient): Promise<Ticket[]> {
  return db.ticket.findMany({
    where: { resolutionDeadline: { not: null }, resolvedAt: null, resolutionBreachedAt: null, status: { notIn: ['resolved', 'closed'] } },
    orderBy: { resolutionDeadline: 'asc' },
  });
}

/** Still unresolved and undecided: marks the resolution deadline missed (warned at `warnedAt` if not before); false when something came first. */
export async function markResolutionBreached(tx: Tx, id: string, now: Date, warnedAt: Date): Promise<boolean> {
  const row = await tx.ticket.updateMany({
    where: { id, resolvedAt: null, resolutionBreachedAt: null, resolutionMet: null },
    data: { resolutionBreachedAt: now, resolutionMet: false, resolutionWarnedAt: warnedAt },
  });
  return row.count === 1;
}

/** Still unresolved and not warned: marks the team warned about the resolution; false when something came first. */
export async function markResolutionWarned(tx: Tx, id: string, now: Date): Promise<boolean> {
  const won = await tx.ticket.updateMany({
    where: { id, resolvedAt: null, resolutionBreachedAt: null, resolutionWarnedAt: null },
    data: { resolutionWarnedAt: now },
  });
  return won.count === 1;
}
