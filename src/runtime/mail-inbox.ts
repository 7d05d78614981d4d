/**
 * The support mailbox's messages into conversations and tickets (docs/email.md, "Receiving"):
 * each message once (by its Message-ID, recorded in InboundMail in the dispatch's transaction),
 * automatic mail (Linka's own, bounces, auto-replies, list mail) and a flooding sender's mail
 * recorded and never answered, the rest dispatched as a `mail` event of the sender's e-mail
 * conversation, in the thread of the ticket it answers. Attachments are kept with that ticket.
 */
import { createHash } from 'node:crypto';
import { automaticKind, emailConversationId, headerSafe, messageIdsIn, ownWords, ticketInSubject } from '../domain/mail.js';
import type { Lang } from '../shared/lang.js';
import { t } from '../messages/index.js';
import type { Logger } from '../observability/logger.js';
import { toTeam } from '../services/enqueue-team-posts.js';
import { loadConversation } from '../store/conversations.js';
import { inboundMailCountSince, inboundMailKnown, recordInboundMail, saveAttachment, ticketOfInboundMail, ticketOfMessageIds } from '../store/mail.js';
import { insertMessage } from '../store/messages.js';
import type { PrismaClient, Tx } from '../store/types.js';
import type { DispatchResult, InboundEnvelope } from './dispatch.js';
import type { MailInbox, MailReceipt, ReceivedMail } from './ports.js';

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
/** The most contract-number candidates taken from one e-mail. */
const MAX_CONTRACTS = 5;

/** The mailbox's handling of one message at a time (see the module comment). */
export function createMailInbox(deps: MailInboxDeps): MailInbox {
  return {
    async receive(mail: ReceivedMail): Promise<MailReceipt> {
      const now = deps.clock();
      const messageId = mail.messageId ?? contentId(mail);
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
      const ticket =
        (await ticketOfMessageIds(deps.prisma, conversationId, [...messageIdsIn(mail.inReplyTo), ...mail.references])) ??
        ticketInSubject(subject, deps.ticketPrefix);
      const words = ownWords(mail.text);
      const text = words.length > MAX_MAIL_TEXT ? `${words.slice(0, MAX_MAIL_TEXT - 1)}…` : words;
      const { kept, refused } = pickAttachments(mail.attachments, deps.maxAttachmentBytes);
      let ticketNumber: string | null = null;
      const result = await deps.dispatch(
        {
          dedupeId: `email:${messageId}`,
          conversationId,
          channel: 'email',
          event: { kind: 'mail', subject, text, ticket, contracts: contractCandidates(`${subject}\n${text}`), attachments: kept.length },
          sender: { email: address },
          platformMessageId: messageId,
        },
        async (tx) => {
          const joined = await ticketOfInboundMail(tx, conversationId, messageId);
          ticketNumber = joined?.number ?? null;
          await recordInboundMail(tx, { messageId, fromAddress: address, subject, outcome: 'dispatched', conversationId, ticketNumber, receivedAt: now });
          await keepAttachments(tx, deps, { conversationId, messageId, ticket: joined, kept, refused, now });
        },
      );
      // Handled before in another process (the de-duplication id was there): record nothing more.
      if (result.duplicate) return { outcome: 'duplicate' };
      if (result.dropped) await record('flood', address);
      return { outcome: result.dropped ? 'flood' : 'dispatched', conversationId, ticketNumber };
    },
  };
}

type Part = ReceivedMail['attachments'][number];

/** The attachments kept (each at most `max`, all together at most 5 times that) and those refused. */
function pickAttachments(parts: readonly Part[], max: number): { kept: Part[]; refused: Part[] } {
  const kept: Part[] = [];
  const refused: Part[] = [];
  let total = 0;
  for (const part of parts) {
    if (part.size > max || total + part.size > 5 * max) refused.push(part);
    else {
      kept.push(part);
      total += part.size;
    }
  }
  return { kept, refused };
}

/** Stores the kept attachments with the ticket (or the conversation) and tells the technicians about each, and about the refused ones. */
async function keepAttachments(
  tx: Tx,
  deps: MailInboxDeps,
  a: { conversationId: string; messageId: string; ticket: { id: string; number: string } | null; kept: Part[]; refused: Part[]; now: Date },
): Promise<void> {
  if (a.kept.length === 0 && a.refused.length === 0) return;
  const conv = await loadConversation(tx, a.conversationId);
  const lines: string[] = [];
  for (const part of a.kept) {
    const id = await saveAttachment(tx, {
      customerId: conv?.customerId ?? null,
      conversationId: a.conversationId,
      ticketId: a.ticket?.id ?? null,
      messageId: a.messageId,
      filename: safeFilename(part.filename),
      contentType: headerSafe(part.contentType, 100) || 'application/octet-stream',
      data: part.content,
      createdAt: a.now,
    });
    const link = `${(deps.publicUrl ?? '').replace(/\/+$/, '')}/console/attachments/${id}`;
    lines.push(t(deps.teamLanguage, 'team.mailAttachment', { name: safeFilename(part.filename), size: sizeText(part.size), link }));
  }
  for (const part of a.refused) {
    lines.push(
      t(deps.teamLanguage, 'team.mailAttachmentTooBig', {
        name: safeFilename(part.filename),
        size: sizeText(part.size),
        max: sizeText(deps.maxAttachmentBytes),
      }),
    );
  }
  for (const text of lines) {
    await insertMessage(tx, {
      conversationId: a.conversationId,
      channel: 'email',
      direction: 'system',
      kind: 'system',
      text,
      ticketId: a.ticket?.id,
      createdAt: a.now,
    });
    if (a.ticket) await toTeam(tx, deps.teamPlatforms, a.ticket, { kind: 'thread', text }, a.now);
  }
}

/** A file name fit for a header and a download: one line, no path, no quotes; "attachment" when nothing is left. */
export function safeFilename(name: string): string {
  const flat = headerSafe(name, 120)
    .replace(/[\\/"<>:|?*]+/g, '_')
    .replace(/^\.+/, '')
    .trim();
  return flat || 'attachment';
}

/** "830 B", "12 kB", "5.2 MB". */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
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

/** Words near which a contract number is named ("smlouva", "zmluva", "contract", "č."). */
const CONTRACT_WORD = /(smlouv|smluv|zmluv|contract|číslo|cislo|č\.)/i;

/**
 * Words of an e-mail that may be contract numbers, likeliest first: those after a word such as
 * "smlouva", then those with a dash or a letter, then plain numbers of at least four digits.
 * Dates, times, amounts and ticket numbers are left out.
 */
export function contractCandidates(text: string): string[] {
  const scored: Array<{ word: string; score: number; at: number }> = [];
  const tokens = text.split(/[\s,;()[\]<>"'!]+/u);
  tokens.forEach((raw, i) => {
    const word = raw.replace(/^[.:]+|[.:]+$/g, '');
    if (!/^[\p{L}\p{N}][\p{L}\p{N}\-/]{2,19}$/u.test(word) || !/\d/.test(word)) return;
    if (/^[A-Z]{1,5}-\d{4}-\d{1,6}$/i.test(word)) return; // a ticket's number
    if (/^\d{1,2}[./-]\d{1,2}([./-]\d{2,4})?$/.test(word)) return; // a date
    const named = tokens.slice(Math.max(0, i - 3), i).some((w) => CONTRACT_WORD.test(w));
    const shaped = /[-/]/.test(word) || /\p{L}/u.test(word);
    if (!named && !shaped && !/^\d{4,}$/.test(word)) return;
    scored.push({ word, score: (named ? 4 : 0) + (shaped ? 2 : 0), at: i });
  });
  const seen = new Set<string>();
  return scored
    .sort((a, b) => b.score - a.score || a.at - b.at)
    .map((s) => s.word)
    .filter((w) => !seen.has(w) && seen.add(w))
    .slice(0, MAX_CONTRACTS);
}
