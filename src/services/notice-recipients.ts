/**
 * Where a notice to a customer goes, as for outage notices: their Telegram chat when they are
 * known there and Telegram is on, else an SMS to their first phone number when SMS is on. A
 * customer's channel preference (Customer.noticeChannel: telegram | sms | email) comes first
 * where they can be reached on it; e-mail only by that preference, to their address, while
 * e-mail is on (docs/email.md, "The channel preference"). A preference they cannot be reached
 * on falls back to the order above. A chat notice is an outbox `reply` to that conversation id,
 * so opted-out addresses are suppressed by the outbox and the SMS adapter applies its own
 * length rules; an e-mail notice is a composed e-mail (outbox kind `mail`).
 */
import { noticeMail, type NoticeKind } from '../domain/mail-docs.js';
import { addressOfConversation, emailConversationId, normalizeAddress } from '../domain/mail.js';
import type { Lang } from '../engine/types.js';
import { t } from '../messages/index.js';
import { enqueue } from '../store/outbox.js';
import type { DbClient } from '../store/types.js';
import { queueMail } from './mail-out.js';

/** A customer as a notice needs them. */
export interface NoticeCustomer {
  language: string;
  telegramId: string | null;
  phones: ReadonlyArray<{ e164: string }>;
  /** The customer's notice channel (telegram | sms | email); null or absent: none chosen. */
  noticeChannel?: string | null;
  email?: string | null;
}

/** One recipient: the conversation id ("telegram:123", "sms:+420...", "email:jana@example.cz") and the language. */
export interface Recipient {
  conversationId: string;
  lang: Lang;
}

export const asLang = (value: string | null | undefined): Lang => (value === 'sk' || value === 'en' ? value : 'cs');

/** The conversation to tell `c` on, or null when none of their channels is on. */
export function recipientOf(c: NoticeCustomer, customerChannels: readonly string[]): Recipient | null {
  const lang = asLang(c.language);
  const on = (channel: string) => customerChannels.includes(channel);
  const telegram = c.telegramId && on('telegram') ? `telegram:${c.telegramId}` : null;
  const phone = c.phones[0]?.e164;
  const sms = phone && on('sms') ? `sms:${phone}` : null;
  const address = c.noticeChannel === 'email' && on('email') ? normalizeAddress(c.email) : null;
  const preferred = c.noticeChannel === 'email' ? (address ? emailConversationId(address) : null) : c.noticeChannel === 'sms' ? sms : null;
  const conversationId = preferred ?? telegram ?? sms;
  return conversationId ? { conversationId, lang } : null;
}

/** The channel part of a conversation id. */
export const channelOf = (conversationId: string): string => conversationId.slice(0, conversationId.indexOf(':'));

/**
 * A customer-facing text: on SMS with `shortSms` the key's `@sms` variant; elsewhere the full
 * text followed by the `extra` paragraphs (keys with their parameters).
 */
export function noticeText(
  to: Recipient,
  key: string,
  params: Record<string, string | number>,
  shortSms: boolean,
  extra: Array<[string, Record<string, string | number>]> = [],
): string {
  if (shortSms && channelOf(to.conversationId) === 'sms') return t(to.lang, key, params, true);
  return [t(to.lang, key, params), ...extra.map(([k, p]) => t(to.lang, k, p))].join('\n\n');
}

/**
 * Queues `text` to the recipient's conversation; to an e-mail recipient as an e-mail of `asMail`'s
 * kind (its subject), signed with the company's name.
 */
export async function queueNotice(db: DbClient, to: Recipient, text: string, now: Date, asMail?: { kind: NoticeKind; companyName: string }): Promise<void> {
  const address = addressOfConversation(to.conversationId);
  if (address) {
    if (!asMail) throw new Error(`queueNotice: a notice to ${to.conversationId} needs its e-mail's kind`);
    await queueMail(db, { mail: noticeMail(address, asMail.kind, text, to.lang, asMail), now });
    return;
  }
  await enqueue(db, { kind: 'reply', channel: channelOf(to.conversationId), target: to.conversationId, payload: { reply: { text } }, now });
}
