/**
 * The e-mails Linka sends on its own (docs/email.md, "What customers receive"): the written copy
 * of an answer to paid work (to the customer and to the company), a ticket's confirmation, and a
 * notice (payment reminder, restriction) as an e-mail. Pure: data in, an OutgoingMail out; every
 * subject made header-safe, every text escaped in the HTML part (src/domain/mail-body.ts).
 */
import { isMessageKey, t } from '../messages/index.js';
import type { Lang } from '../shared/lang.js';
import { localTime } from './date-format.js';
import { headerSafe } from './mail.js';
import { type MailAttachment, type MailBlock, mailHtml, mailText, type OutgoingMail } from './mail-body.js';

/** What every composed e-mail needs besides its content: who signs it, and the company's time zone. */
export interface MailBrand {
  companyName: string;
  timezone: string;
  /**
   * Whether replies are read (the support mailbox, IMAP_URL, is on): only then does a mail invite
   * the customer to answer it.
   */
  repliesRead: boolean;
}

/** An automatic e-mail (RFC 3834 `Auto-Submitted: auto-generated`) to `to`, in `lang`, from blocks. */
export function composeMail(
  to: string,
  subject: string,
  blocks: readonly MailBlock[],
  lang: Lang,
  brand: Pick<MailBrand, 'companyName'>,
  attachments?: MailAttachment[],
): OutgoingMail {
  const safeSubject = headerSafe(subject, 250);
  const signature = t(lang, 'mail.signature', { company: brand.companyName });
  return {
    to: [to],
    subject: safeSubject,
    text: mailText(blocks, signature),
    html: mailHtml(blocks, signature, lang, safeSubject),
    autoSubmitted: true,
    ...(attachments?.length ? { attachments } : {}),
  };
}

/** A customer's answer to an offer of paid work, as it was stored (the consent record). */
export interface ConsentCopy {
  number: string;
  decision: 'accepted' | 'declined';
  /** The exact terms text the customer was shown. */
  quotedText: string;
  /** The customer's exact words (or the button they pressed). */
  reply: string;
  at: Date;
  /** The channel the answer came on (telegram, sms, email, console). */
  channel: string;
  customer: { name: string; contract: string } | null;
}

/** The channel's name for people ("Telegram", "SMS", "e-mail"); an unknown one as it is. */
function channelName(channel: string, lang: Lang): string {
  const key = `mailDoc.channel.${channel}`;
  return isMessageKey(key) ? t(lang, key) : channel;
}

function consentFields(c: ConsentCopy, lang: Lang, brand: MailBrand, withCustomer: boolean): MailBlock {
  const items: Array<[string, string]> = [[t(lang, 'mailDoc.field.ticket'), c.number]];
  if (withCustomer && c.customer) items.push([t(lang, 'mailDoc.field.customer'), `${c.customer.name} (${c.customer.contract})`]);
  items.push(
    [t(lang, 'mailDoc.field.decision'), t(lang, `mailDoc.decision.${c.decision}`)],
    [t(lang, 'mailDoc.field.answeredAt'), localTime(c.at, brand.timezone, lang)],
    [t(lang, 'mailDoc.field.channel'), channelName(c.channel, lang)],
  );
  return { kind: 'fields', items };
}

/** The customer's written copy of their answer: the exact terms, their exact reply, when, on which channel, which ticket. */
export function consentCopyMail(to: string, c: ConsentCopy, lang: Lang, brand: MailBrand): OutgoingMail {
  const blocks: MailBlock[] = [
    { kind: 'p', text: t(lang, `mailDoc.consent.${c.decision}`, { number: c.number }) },
    { kind: 'p', text: t(lang, 'mailDoc.consent.terms') },
    { kind: 'quote', text: c.quotedText },
    { kind: 'p', text: t(lang, 'mailDoc.consent.reply') },
    { kind: 'quote', text: c.reply },
    consentFields(c, lang, brand, false),
    { kind: 'p', text: [t(lang, 'mailDoc.consent.keep'), ...(brand.repliesRead ? [t(lang, 'mailDoc.consent.disagree')] : [])].join(' ') },
  ];
  return composeMail(to, t(lang, 'mailDoc.consent.subject', { number: c.number }), blocks, lang, brand);
}

/** The company's copy of the same record, in the team's language, naming the customer. */
export function companyConsentCopyMail(to: string, c: ConsentCopy, teamLang: Lang, brand: MailBrand): OutgoingMail {
  const blocks: MailBlock[] = [
    { kind: 'p', text: t(teamLang, 'mailDoc.company.intro', { number: c.number }) },
    consentFields(c, teamLang, brand, true),
    { kind: 'p', text: t(teamLang, 'mailDoc.company.terms') },
    { kind: 'quote', text: c.quotedText },
    { kind: 'p', text: t(teamLang, 'mailDoc.company.reply') },
    { kind: 'quote', text: c.reply },
  ];
  const subject = t(teamLang, `mailDoc.company.subject.${c.decision}`, {
    number: c.number,
    customer: c.customer?.name ?? '?',
    contract: c.customer?.contract ?? '?',
  });
  return composeMail(to, subject, blocks, teamLang, brand);
}

/** What a ticket's confirmation says: its number and the deadlines the customer's tier promises. */
export interface TicketConfirmation {
  number: string;
  reactBy: Date | null;
  /** No reaction time is promised (a known customer whose tier has none). */
  noReactionGuarantee: boolean;
  resolveBy: Date | null;
}

/** The confirmation of a newly opened ticket, for a customer who wants their notices by e-mail. */
export function ticketConfirmationMail(to: string, c: TicketConfirmation, lang: Lang, brand: MailBrand): OutgoingMail {
  const blocks: MailBlock[] = [{ kind: 'p', text: t(lang, 'mailDoc.ticket.intro', { number: c.number }) }];
  const promises: string[] = [];
  if (c.reactBy) promises.push(t(lang, 'ticket.reactBy', { time: localTime(c.reactBy, brand.timezone, lang) }));
  else if (c.noReactionGuarantee) promises.push(t(lang, 'ticket.noReactionGuarantee'));
  if (c.resolveBy) promises.push(t(lang, 'ticket.resolveBy', { time: localTime(c.resolveBy, brand.timezone, lang) }));
  if (promises.length) blocks.push({ kind: 'p', text: promises.join('\n') });
  if (brand.repliesRead) blocks.push({ kind: 'p', text: t(lang, 'mail.keepNumber', { number: c.number }) });
  return composeMail(to, t(lang, 'mailDoc.ticket.subject', { number: c.number }), blocks, lang, brand);
}

/** The kinds of notice that may go by e-mail, each with its subject. */
export type NoticeKind = 'reminder' | 'warning' | 'lifted';

/** A notice (its text as the chat channels get it; paragraphs apart by a blank line) as an e-mail. */
export function noticeMail(to: string, kind: NoticeKind, text: string, lang: Lang, brand: Pick<MailBrand, 'companyName'>): OutgoingMail {
  const blocks: MailBlock[] = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => ({ kind: 'p', text: p }));
  return composeMail(to, t(lang, `mailDoc.notice.${kind}`), blocks, lang, brand);
}
