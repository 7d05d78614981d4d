/**
 * Queuing composed e-mails (docs/email.md): a consent's written copy, a ticket's confirmation, a
 * statement, a payment reminder. Each is an outbox item of kind `mail`, written in the caller's
 * transaction like every other effect, and delivered by the outbox worker with its own
 * Message-ID, the same on every attempt.
 */
import { emailConversationId } from '../domain/mail.js';
import type { OutgoingMail } from '../domain/mail-body.js';
import { ticketConversation } from '../store/mail.js';
import { insertMessage } from '../store/messages.js';
import { enqueue } from '../store/outbox.js';
import type { DbClient } from '../store/types.js';

/** The payload of a `mail` outbox item. */
export interface MailItemPayload {
  mail: OutgoingMail;
  /** The ticket whose thread the message joins (In-Reply-To and References are added when sent). */
  ticketId?: string | null;
}

/**
 * Queues `mail` for delivery; returns the outbox item's id. The item's target is the first
 * recipient's conversation id. A mail about a ticket is also a line of the ticket's history
 * (in the conversation the ticket was opened in): its delivery status shows there, and once
 * sent its Message-ID joins the ticket's thread, so later mails reference it and a reply to it
 * is recognised as a reply on the ticket.
 */
export async function queueMail(db: DbClient, args: { mail: OutgoingMail; ticketId?: string | null; now: Date }): Promise<number> {
  const first = args.mail.to[0];
  if (!first) throw new Error('queueMail: no recipient');
  const payload: MailItemPayload = { mail: args.mail, ...(args.ticketId ? { ticketId: args.ticketId } : {}) };
  const item = await enqueue(db, { kind: 'mail', channel: 'email', target: emailConversationId(first), payload, now: args.now });
  const home = args.ticketId ? await ticketConversation(db, args.ticketId) : null;
  if (home) {
    await insertMessage(db, {
      conversationId: home.conversationId,
      ticketId: args.ticketId ?? undefined,
      direction: 'out',
      channel: 'email',
      kind: 'text',
      text: `${args.mail.to.join(', ')}: ${args.mail.subject}`,
      status: 'queued',
      outboxId: item.id,
      createdAt: args.now,
    });
  }
  return item.id;
}
