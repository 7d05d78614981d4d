/**
 * Reply -> e-mail: the reply's text, its choices as a numbered list the customer can answer with,
 * a line saying that a reply joins the ticket, the signature; a subject in the customer's
 * language carrying the ticket's number, and the thread's In-Reply-To and References.
 */
import type { Reply } from '../../src/engine/types.js';
import { bareSubject, headerSafe } from '../../src/domain/mail.js';
import { type MailBlock, mailHtml, mailText, type OutgoingMail } from '../../src/domain/mail-body.js';
import { t } from '../../src/messages/index.js';
import type { MailThread } from '../../src/domain/mail-body.js';
import type { Lang } from '../../src/shared/lang.js';

export interface MailRenderOptions {
  companyName: string;
  /** The language when the conversation's is not known. */
  defaultLanguage: Lang;
}

/** The subject of a message in `thread`: "Re: [T-2026-00042] <the customer's subject>". */
export function threadSubject(thread: MailThread, lang: Lang, companyName: string): string {
  const theirs = thread.subject ? bareSubject(thread.subject) : '';
  const base = thread.ticketNumber
    ? `[${thread.ticketNumber}] ${theirs || t(lang, 'mail.subject.ticket')}`
    : theirs || t(lang, 'mail.subject.conversation', { company: companyName });
  return headerSafe(thread.subject ? `Re: ${base}` : base);
}

/** The e-mail for `reply` to `to` in `thread`. */
export function renderMailReply(to: string, reply: Reply, thread: MailThread, opts: MailRenderOptions): OutgoingMail {
  const lang = thread.lang ?? opts.defaultLanguage;
  const blocks: MailBlock[] = [{ kind: 'p', text: reply.text }];
  if (reply.choices?.length) {
    blocks.push({ kind: 'p', text: t(lang, 'mail.choicesHint') }, { kind: 'list', items: reply.choices.map((c) => c.label) });
  }
  if (thread.ticketNumber) blocks.push({ kind: 'p', text: t(lang, 'mail.keepNumber', { number: thread.ticketNumber }) });
  const signature = t(lang, 'mail.signature', { company: opts.companyName });
  const subject = threadSubject(thread, lang, opts.companyName);
  return {
    to: [to],
    subject,
    text: mailText(blocks, signature),
    html: mailHtml(blocks, signature, lang, subject),
    inReplyTo: thread.inReplyTo,
    references: thread.references,
    // Linka's answers are automatic (RFC 3834): an out-of-office reply to them is not sent back.
    autoSubmitted: true,
  };
}
