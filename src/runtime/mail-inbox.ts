/**
 * The support mailbox's messages into conversations and tickets (docs/email.md, "Receiving"):
 * each message once (by its Message-ID, recorded in InboundMail in the dispatch's transaction),
 * automatic mail (Linka's own, bounces, auto-replies, list mail) and a flooding sender's mail
 * recorded and never answered, the rest dispatched as a `mail` event of the sender's e-mail
 * conversation, in the thread of the ticket it answers. Attachments are kept with that ticket.
 */
import { createHash } from 'node:crypto';
import { contractCandidates } from '../domain/mail-contract.js';
import { automaticKind, emailConversationId, headerSafe, mailboxAddress, messageIdsIn, ownWords, ticketInSubject } from '../domain/mail.js';
import type { Lang } from '../shared/lang.js';
import type { Logger } from '../observability/logger.js';
import { inboundMailCountSince, inboundMailKnown, inboundMailMessage, MAX_LOOKED_UP_REFERENCES, recordInboundMail, ticketOfMessageIds } from '../store/mail.js';
import type { PrismaClient, Tx } from '../store/types.js';
import type { DispatchResult, InboundEnvelope } from './dispatch.js';
import { adoptEarlierAttachments, keepAttachments, pickAttachments } from './mail-attachments.js';
import type { MailEnvelope, MailInbox, MailReceipt, ReceivedMail } from './ports.js';

export interface MailInboxDeps {
  prisma: PrismaClient;
  /** The dispatcher (behind the flood guard), with work done in its transaction. */
  dispatch(env: InboundEnvelope, extra?: (tx: Tx) => Promise<void>): Promise<DispatchResult>;
  clock: () => Date;
  log: Logger;
  /** Linka's own address (config mail.from): mail from it is never answered. */
  ownAddress: string;
  ticketPrefix: string;
  /** config mail.perSenderPerHour (0: no limit). */
  perSenderPerHour: number;
  /** config mail.maxAttachmentBytes. */
  maxAttachmentBytes: number;
  teamLanguage: Lang;
  teamPlatforms: readonly string[];
  /** PUBLIC_URL: the console links in the technicians' thread are absolute with it. */
  publicUrl: string | null;
}

/** The longest text of one e-mail handed on (the rest is cut, with a mark). */
export const MAX_MAIL_TEXT = 10_000;
/**
 * The longest Message-ID kept as it is: a longer one (a sender may write kilobytes; PostgreSQL's
 * index refuses keys over ~2.7 kB) is kept as a hash of it.
 */
export const MAX_MESSAGE_ID = 250;

/** The mailbox's handling of one message at a time (see the module comment). */
export function createMailInbox(deps: MailInboxDeps): MailInbox {
  return {
    async receive(mail: ReceivedMail): Promise<MailReceipt> {
      const now = deps.clock();
      const messageId = shortId(mail.messageId ?? contentId(mail));
      if (await inboundMailKnown(deps.prisma, messageId)) return { outcome: 'duplicate' };
      const subject = headerSafe(mail.subject, 250);
      const record = (outcome: string, fromAddress: string) => recordInboundMail(deps.prisma, { messageId, fromAddress, subject, outcome, receivedAt: now });
      if (!mail.from) {
        await record('no_sender', '');
        deps.log.info({ messageId }, 'mailbox: a message without a sender address; recorded, not answered');
        return { outcome: 'no_sender' };
      }
      const address = mail.from.address;
      const kind = automaticKind(mail.signs, [deps.ownAddress]);
      if (kind) {
        await record(kind, address);
        deps.log.info({ messageId, kind }, 'mailbox: automatic mail; recorded, not answered');
        return { outcome: kind };
      }
      if (deps.perSenderPerHour > 0) {
        const recent = await inboundMailCountSince(deps.prisma, address, new Date(now.getTime() - 3_600_000));
        if (recent >= deps.perSenderPerHour) {
          await record('flood', address);
          deps.log.info({ messageId, limit: deps.perSenderPerHour }, 'mailbox: sender over the hourly limit; recorded, not answered');
          return { outcome: 'flood' };
        }
      }
      const conversationId = emailConversationId(address);
      const answers = [...messageIdsIn(mail.inReplyTo), ...mail.references.slice(-MAX_LOOKED_UP_REFERENCES)].map(shortId);
      const ticket = (await ticketOfMessageIds(deps.prisma, conversationId, answers)) ?? ticketInSubject(subject, deps.ticketPrefix);
      const words = ownWords(mail.text);
      const text = words.length > MAX_MAIL_TEXT ? `${words.slice(0, MAX_MAIL_TEXT - 1)}…` : words;
      const picked = pickAttachments(mail.attachments, deps.maxAttachmentBytes);
      let ticketNumber: string | null = null;
      const result = await deps.dispatch(
        {
          dedupeId: `email:${messageId}`,
          conversationId,
          channel: 'email',
          event: { kind: 'mail', subject, text, ticket, contracts: contractCandidates(subject, text), attachments: picked.kept.length },
          sender: { email: address },
          platformMessageId: messageId,
        },
        async (tx) => {
          const row = await inboundMailMessage(tx, conversationId, messageId);
          const joined = row?.ticket ?? null;
          ticketNumber = joined?.number ?? null;
          await recordInboundMail(tx, { messageId, fromAddress: address, subject, outcome: 'dispatched', conversationId, ticketNumber, receivedAt: now });
          // The files are dated as the e-mail's history row: the session they belong to is on the dispatcher's clock.
          const at = row?.createdAt ?? now;
          if (joined) await adoptEarlierAttachments(tx, deps, { conversationId, ticket: joined, now: at });
          await keepAttachments(tx, deps, { conversationId, messageId, ticket: joined, picked, now: at });
        },
      );
      // Handled before in another process (the de-duplication id was there): record nothing more.
      if (result.duplicate) return { outcome: 'duplicate' };
      if (result.dropped) await record('flood', address);
      return { outcome: result.dropped ? 'flood' : 'dispatched', conversationId, ticketNumber };
    },

    async tooBig(envelope: MailEnvelope): Promise<MailReceipt> {
      const messageId = shortId(
        envelope.messageId ?? `<size.${createHash('sha256').update(JSON.stringify(envelope)).digest('hex').slice(0, 32)}@linka.invalid>`,
      );
      if (await inboundMailKnown(deps.prisma, messageId)) return { outcome: 'duplicate' };
      const fromAddress = mailboxAddress(envelope.from ?? '')?.address ?? '';
      await recordInboundMail(deps.prisma, {
        messageId,
        fromAddress,
        subject: headerSafe(envelope.subject, 250),
        outcome: 'too_big',
        receivedAt: deps.clock(),
      });
      deps.log.warn({ messageId, size: envelope.size }, 'mailbox: a message over the size limit; recorded, not downloaded, not answered');
      return { outcome: 'too_big' };
    },
  };
}

/** A Message-ID as kept: itself, or when longer than MAX_MESSAGE_ID a hash of it (`<sha256hex@linka.invalid>`). */
export function shortId(messageId: string): string {
  if (messageId.length <= MAX_MESSAGE_ID) return messageId;
  return `<${createHash('sha256').update(messageId).digest('hex')}@linka.invalid>`;
}

/** A stable id for a message without a Message-ID: a hash of who sent what, when. */
function contentId(mail: ReceivedMail): string {
  const h = createHash('sha256')
    .update(
      [mail.from?.address ?? '', mail.subject, mail.date?.toISOString() ?? '', mail.text, ...mail.attachments.map((a) => `${a.filename}:${a.size}`)].join('\n'),
    )
    .digest('hex')
    .slice(0, 32);
  return `<sha256.${h}@linka.invalid>`;
}
