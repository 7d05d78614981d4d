/**
 * The e-mail channel's rows (docs/email.md): the thread an outgoing message joins (the ticket's
 * earlier Message-IDs and subject), the support mailbox's de-duplication and record of what was
 * not answered, customers by address, and kept attachments.
 */
import type { MailThread } from '../domain/mail-body.js';
import type { Lang } from '../shared/lang.js';
import { type DbClient, isUniqueViolation, type Ticket } from './types.js';

export type { MailThread } from '../domain/mail-body.js';

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

/**
 * The ticket `number` an e-mail answers, when it is the conversation's or the customer's own (a
 * number in a subject names no one else's ticket); null otherwise.
 */
export async function ownMailTicket(db: DbClient, args: { number: string; conversationId: string; customerId: string | null }): Promise<Ticket | null> {
  const ticket = await db.ticket.findUnique({ where: { number: args.number } });
  if (!ticket) return null;
  return ticket.conversationId === args.conversationId || (args.customerId !== null && ticket.customerId === args.customerId) ? ticket : null;
}

/** Whether the support mailbox has handled the message `messageId` before (any outcome). */
export async function inboundMailKnown(db: DbClient, messageId: string): Promise<boolean> {
  return (await db.inboundMail.count({ where: { messageId } })) > 0;
}

/** One handled incoming message, as recorded. */
export interface InboundMailRecord {
  messageId: string;
  fromAddress: string;
  subject: string;
  outcome: string;
  conversationId?: string | null;
  ticketNumber?: string | null;
  receivedAt: Date;
}

/** Records a handled incoming message; false when it was recorded before (another process, a redelivery). */
export async function recordInboundMail(db: DbClient, row: InboundMailRecord): Promise<boolean> {
  try {
    await db.inboundMail.create({ data: row });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/** How many messages from `address` the mailbox recorded since `since` (the per-sender flood limit). */
export async function inboundMailCountSince(db: DbClient, address: string, since: Date): Promise<number> {
  return db.inboundMail.count({ where: { fromAddress: address, receivedAt: { gt: since } } });
}

/** The most Message-IDs of a reply's References looked up (the latest ones: a sender may send thousands). */
export const MAX_LOOKED_UP_REFERENCES = 50;

/** The number of the ticket of the latest of `messageIds` that is an e-mail of `conversationId` in a ticket, or null. */
export async function ticketOfMessageIds(db: DbClient, conversationId: string, messageIds: readonly string[]): Promise<string | null> {
  if (messageIds.length === 0) return null;
  const found = await db.message.findFirst({
    where: { conversationId, channel: 'email', platformMessageId: { in: messageIds.slice(-MAX_LOOKED_UP_REFERENCES) }, ticketId: { not: null } },
    orderBy: { id: 'desc' },
    select: { ticket: { select: { number: true } } },
  });
  return found?.ticket?.number ?? null;
}

/**
 * The dispatcher's history row of an incoming e-mail: when it was recorded (the dispatcher's
 * clock, which the conversation's session times follow) and the ticket it joined; null when none.
 */
export async function inboundMailMessage(
  db: DbClient,
  conversationId: string,
  messageId: string,
): Promise<{ createdAt: Date; ticket: { id: string; number: string; customerId: string | null } | null } | null> {
  return db.message.findFirst({
    where: { conversationId, channel: 'email', direction: 'in', platformMessageId: messageId },
    orderBy: { id: 'desc' },
    select: { createdAt: true, ticket: { select: { id: true, number: true, customerId: true } } },
  });
}

/** A file to keep with a ticket. */
export interface NewAttachment {
  customerId: string | null;
  conversationId: string;
  ticketId: string | null;
  messageId: string;
  filename: string;
  contentType: string;
  data: Buffer;
  createdAt: Date;
}

/** Keeps an attachment; returns its id. */
export async function saveAttachment(db: DbClient, a: NewAttachment): Promise<string> {
  const row = await db.attachment.create({ data: { ...a, data: new Uint8Array(a.data), size: a.data.length }, select: { id: true } });
  return row.id;
}

/**
 * Moves the attachments of `conversationId` kept since `since` without a ticket to `ticketId`
 * (and its customer); returns them, oldest first.
 */
export async function adoptSessionAttachments(
  db: DbClient,
  a: { conversationId: string; since: Date; ticketId: string; customerId: string | null },
): Promise<Array<{ id: string; filename: string; size: number }>> {
  const where = { conversationId: a.conversationId, ticketId: null, createdAt: { gte: a.since } };
  const found = await db.attachment.findMany({ where, orderBy: { createdAt: 'asc' }, select: { id: true, filename: true, size: true } });
  if (found.length === 0) return [];
  await db.attachment.updateMany({
    where: { id: { in: found.map((f) => f.id) } },
    data: { ticketId: a.ticketId, ...(a.customerId ? { customerId: a.customerId } : {}) },
  });
  return found;
}

/** A kept attachment as listed (without its content). */
export interface AttachmentInfo {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  createdAt: Date;
}

/** The attachments kept with a ticket, oldest first. */
export async function ticketAttachments(db: DbClient, ticketId: string): Promise<AttachmentInfo[]> {
  return db.attachment.findMany({
    where: { ticketId },
    orderBy: { createdAt: 'asc' },
    select: { id: true, filename: true, contentType: true, size: true, createdAt: true },
  });
}

/** One attachment with its content, or null. */
export async function attachmentById(db: DbClient, id: string): Promise<(AttachmentInfo & { data: Uint8Array }) | null> {
  return db.attachment.findUnique({ where: { id }, select: { id: true, filename: true, contentType: true, size: true, createdAt: true, data: true } });
}
