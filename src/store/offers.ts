/**
 * Paid call-out offers and the customers' consents to them. A consent is written once and
 * never changed (the database refuses UPDATE and DELETE on it). The offer's status changes are
 * conditional UPDATEs where two parties may race (an answer and the expiry sweep).
 */
import type { CalloutOfferRow, Consent, DbClient, Prisma, Tx } from './types.js';

/** The ids of a ticket's pending offers whose time ran out at or before `now`. */
export async function expiredPendingOfferIds(db: DbClient, ticketId: string, now: Date): Promise<string[]> {
  const rows = await db.calloutOffer.findMany({ where: { ticketId, status: 'pending', expiresAt: { lte: now } }, select: { id: true } });
  return rows.map((r) => r.id);
}

/** A ticket's pending offer still open after `now`, if any. */
export async function waitingOffer(db: DbClient, ticketId: string, now: Date): Promise<CalloutOfferRow | null> {
  return db.calloutOffer.findFirst({ where: { ticketId, status: 'pending', expiresAt: { gt: now } } });
}

export async function insertOffer(
  tx: Tx,
  offer: { ticketId: string; terms: Prisma.InputJsonValue; quotedText: string; createdBy: string; createdAt: Date; expiresAt: Date },
): Promise<CalloutOfferRow> {
  return tx.calloutOffer.create({ data: offer });
}

export async function offerById(db: DbClient, id: string): Promise<CalloutOfferRow | null> {
  return db.calloutOffer.findUnique({ where: { id } });
}

/** An offer with the consent given to it (null: not answered yet). */
export async function offerWithConsent(db: DbClient, id: string): Promise<(CalloutOfferRow & { consent: Consent | null }) | null> {
  return db.calloutOffer.findUnique({ where: { id }, include: { consent: true } });
}

/**
 * Moves a pending offer still open at `now` to the customer's decision: one conditional UPDATE,
 * so an answer and the expiry sweep cannot both win. False when the offer was not open.
 */
export async function answerOffer(tx: Tx, id: string, decision: 'accepted' | 'declined', now: Date): Promise<boolean> {
  const moved = await tx.calloutOffer.updateMany({ where: { id, status: 'pending', expiresAt: { gt: now } }, data: { status: decision } });
  return moved.count === 1;
}

/** Writes the customer's consent (once: the offer is unique, the row immutable). */
export async function insertConsent(
  tx: Tx,
  consent: {
    offerId: string;
    ticketId: string;
    decision: 'accepted' | 'declined';
    terms: Prisma.InputJsonValue;
    quotedText: string;
    reply: string;
    channel: string;
    conversationId: string;
    platformMessageId: string | null;
    createdAt: Date;
  },
): Promise<void> {
  await tx.consent.create({ data: consent });
}

/** Expires a pending offer: one conditional UPDATE, so exactly one of several sweeps (or a late answer) does it. */
export async function expirePendingOffer(tx: Tx, id: string): Promise<boolean> {
  const moved = await tx.calloutOffer.updateMany({ where: { id, status: 'pending' }, data: { status: 'expired' } });
  return moved.count === 1;
}

export async function markOfferCancelled(tx: Tx, id: string, now: Date): Promise<void> {
  await tx.calloutOffer.update({ where: { id }, data: { status: 'cancelled', cancelledAt: now } });
}

/** A ticket's latest offer that is accepted, with an accepted consent: the only ground for booking a paid visit. */
export async function latestAcceptedOffer(db: DbClient, ticketId: string): Promise<CalloutOfferRow | null> {
  return db.calloutOffer.findFirst({ where: { ticketId, status: 'accepted', consent: { decision: 'accepted' } }, orderBy: { createdAt: 'desc' } });
}

/** Of these tickets, those with an accepted offer. */
export async function ticketsWithAcceptedOffer(db: DbClient, ticketIds: readonly string[]): Promise<Set<string>> {
  const paid = await db.calloutOffer.findMany({ where: { ticketId: { in: [...ticketIds] }, status: 'accepted' }, select: { ticketId: true } });
  return new Set(paid.map((p) => p.ticketId));
}

export async function bookOfferVisit(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.calloutOffer.update({ where: { id }, data: { visitAt: at } });
}

/** The pending offers whose time has come (at most `limit`, the longest overdue first): their ids. */
export async function dueOfferIds(db: DbClient, now: Date, limit: number): Promise<string[]> {
  const due = await db.calloutOffer.findMany({
    where: { status: 'pending', expiresAt: { lte: now } },
    orderBy: { expiresAt: 'asc' },
    take: limit,
    select: { id: true },
  });
  return due.map((d) => d.id);
}

/**
 * The terms each of these tickets' customer agreed to (ticket number -> the stored terms): the
 * consent of its latest accepted, not cancelled, call-out offer.
 */
export async function acceptedTermsByTicket(db: DbClient, ticketNumbers: readonly string[]): Promise<Map<string, unknown>> {
  const byTicket = new Map<string, unknown>();
  for (let i = 0; i < ticketNumbers.length; i += 500) {
    const tickets = await db.ticket.findMany({ where: { number: { in: ticketNumbers.slice(i, i + 500) } }, select: { id: true, number: true } });
    const numbers = new Map(tickets.map((t) => [t.id, t.number]));
    const offers = await db.calloutOffer.findMany({
      where: { ticketId: { in: [...numbers.keys()] }, status: 'accepted' },
      include: { consent: { select: { terms: true, decision: true } } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    for (const o of offers) if (o.consent?.decision === 'accepted') byTicket.set(numbers.get(o.ticketId) ?? '', o.consent.terms);
  }
  return byTicket;
}

/** The ticket numbers among `ticketNumbers` whose customer agreed to paid work (an accepted consent, whatever became of the visit since). */
export async function ticketNumbersWithConsent(db: DbClient, ticketNumbers: readonly string[]): Promise<string[]> {
  const agreed: string[] = [];
  for (let i = 0; i < ticketNumbers.length; i += 500) {
    const tickets = await db.ticket.findMany({
      where: { number: { in: ticketNumbers.slice(i, i + 500) } },
      select: { id: true, number: true },
    });
    const consents = await db.consent.findMany({
      where: { ticketId: { in: tickets.map((t) => t.id) }, decision: 'accepted' },
      select: { ticketId: true },
    });
    const ids = new Set(consents.map((c) => c.ticketId));
    agreed.push(...tickets.filter((t) => ids.has(t.id)).map((t) => t.number));
  }
  return agreed;
}

/** Whether the ticket's customer agreed to paid work on it (an accepted consent). */
export async function hasAcceptedConsent(db: DbClient, ticketId: string): Promise<boolean> {
  return (await db.consent.findFirst({ where: { ticketId, decision: 'accepted' }, select: { id: true } })) !== null;
}

/** Whether any offer (call-out or paid work) was ever made on the ticket. */
export async function hasOffer(db: DbClient, ticketId: string): Promise<boolean> {
  return (await db.calloutOffer.findFirst({ where: { ticketId }, select: { id: true } })) !== null;
}
