/**
 * The e-mail channel's rows (docs/email.md): the thread an outgoing message joins (the ticket's
 * earlier Message-IDs and subject), the support mailbox's de-duplication and record of what was
 * not answered, customers by address, and kept attachments.
 */
import type { Lang } from '../shared/lang.js';
import type { DbClient } from './types.js';

/** What an outgoing e-mail needs to join its thread. */
export interface MailThread {
  /** The ticket the message belongs to, if any. */
  ticketNumber: string | null;
  /** The subject the customer wrote (of the ticket's first e-mail, else the conversation's latest); null when they never wrote one. */
  subject: string | null;
  /** The message it answers: the customer's latest e-mail in the thread, else Linka's latest. */
  inReplyTo: string | null;
  /** The thread's Message-IDs, oldest first (at most 20: the first and the latest ones). */
  references: string[];
  /** The conversation's language now (its engine state's). */
  lang: Lang | null;
}

const MAX_REFERENCES = 20;

/** The thread of an outbox item to `conversationId`, for the ticket `ticketId` or the conversation itself. */
export async function mailThread(db: DbClient, args: { conversationId: string; ticketId: string | null }): Promise<MailThread> {
  const ticket = args.ticketId ? await db.ticket.findUnique({ where: { id: args.ticketId }, select: { number: true } }) : null;
  const messages = await db.message.findMany({
    where: { channel: 'email', platformMessageId: { not: null }, ...(ticket ? { ticketId: args.ticketId } : { conversationId: args.conversationId }) },
    orderBy: { id: 'asc' },
    select: { platformMessageId: true, direction: true },
  });
  const ids = messages.map((m) => m.platformMessageId as string).filter((id) => /^<[^<>\s]+>$/.test(id));
  const references = ids.length > MAX_REFERENCES ? [ids[0] as string, ...ids.slice(-(MAX_REFERENCES - 1))] : ids;
  const lastIn = [...messages].reverse().find((m) => m.direction === 'in' && m.platformMessageId);
  const inbound = await db.inboundMail.findFirst({
    where: ticket ? { ticketNumber: ticket.number, outcome: 'dispatched' } : { conversationId: args.conversationId, outcome: 'dispatched' },
    orderBy: { receivedAt: ticket ? 'asc' : 'desc' },
    select: { subject: true },
  });
  const conv = await db.conversation.findUnique({ where: { id: args.conversationId }, select: { state: true } });
  return {
    ticketNumber: ticket?.number ?? null,
    subject: inbound?.subject || null,
    inReplyTo: lastIn?.platformMessageId ?? references.at(-1) ?? null,
    references,
    lang: ((conv?.state as { lang?: Lang } | null)?.lang ?? null) as Lang | null,
  };
}

/** The customer whose address is `address` (lower-cased), if exactly one has it. */
export async function customerIdByEmail(db: DbClient, address: string): Promise<string | null> {
  const found = await db.customer.findMany({ where: { email: address.toLowerCase() }, select: { id: true }, take: 2 });
  return found.length === 1 ? (found[0]?.id ?? null) : null;
}

/** The conversation a ticket was opened in, with its channel, if it has one. */
export async function ticketConversation(db: DbClient, ticketId: string): Promise<{ conversationId: string; channel: string } | null> {
  const ticket = await db.ticket.findUnique({ where: { id: ticketId }, select: { conversationId: true } });
  if (!ticket?.conversationId) return null;
  const conv = await db.conversation.findUnique({ where: { id: ticket.conversationId }, select: { channel: true } });
  return conv ? { conversationId: ticket.conversationId, channel: conv.channel } : null;
}
