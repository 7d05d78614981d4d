/**
 * Queuing composed e-mails (docs/email.md): a consent's written copy, a ticket's confirmation, a
 * statement, a payment reminder. Each is an outbox item of kind `mail`, written in the caller's
 * transaction like every other effect, and delivered by the outbox worker with its own
 * Message-ID, the same on every attempt.
 */
import { emailConversationId } from '../domain/mail.js';
import type { OutgoingMail } from '../domain/mail-body.js';
import { enqueue } from '../store/outbox.js';
import type { DbClient } from '../store/types.js';

/** The payload of a `mail` outbox item. */
export interface MailItemPayload {
  mail: OutgoingMail;
  /** The ticket whose thread the message joins (In-Reply-To and References are added when sent). */
  ticketId?: string | null;
}

/** Queues `mail` for delivery; returns the outbox item's id. The item's target is the first recipient's conversation id. */
export async function queueMail(db: DbClient, args: { mail: OutgoingMail; ticketId?: string | null; now: Date }): Promise<number> {
  const first = args.mail.to[0];
  if (!first) throw new Error('queueMail: no recipient');
  const payload: MailItemPayload = { mail: args.mail, ...(args.ticketId ? { ticketId: args.ticketId } : {}) };
  const item = await enqueue(db, { kind: 'mail', channel: 'email', target: emailConversationId(first), payload, now: args.now });
  return item.id;
}
