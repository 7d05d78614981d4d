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
    number: string; draft: TicketDraft; customerId: string | null; conversationId: string; now: Date; actor: string; tier: string; deadline: Date | null;
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
