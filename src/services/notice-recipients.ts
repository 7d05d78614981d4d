/**
 * Where a notice to a customer goes, as for outage notices: their Telegram chat when they are
 * known there and Telegram is on, else an SMS to their first phone number when SMS is on.
 * The notice is an outbox `reply` to that conversation id, so opted-out addresses are
 * suppressed by the outbox and the SMS adapter applies its own length rules.
 */
import type { Lang } from '../engine/types.js';
import { t } from '../messages/index.js';
import { enqueue } from '../store/outbox.js';
import type { DbClient } from '../store/types.js';

/** A customer as a notice needs them. */
export interface NoticeCustomer {
  language: string;
  telegramId: string | null;
  phones: ReadonlyArray<{ e164: string }>;
}

/** One recipient: the conversation id ("telegram:123", "sms:+420...") and the language. */
export interface Recipient {
  conversationId: string;
  lang: Lang;
}

export const asLang = (value: string | null | undefined): Lang => (value === 'sk' || value === 'en' ? value : 'cs');

/** The conversation to tell `c` on, or null when none of their channels is on. */
export function recipientOf(c: NoticeCustomer, customerChannels: readonly string[]): Recipient | null {
  const lang = asLang(c.language);
  if (c.telegramId && customerChannels.includes('telegram')) return { conversationId: `telegram:${c.telegramId}`, lang };
  const phone = c.phones[0]?.e164;
  if (phone && customerChannels.includes('sms')) return { conversationId: `sms:${phone}`, lang };
  return null;
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

/** Queues `text` to the recipient's conversation. */
export async function queueNotice(db: DbClient, to: Recipient, text: string, now: Date): Promise<void> {
  await enqueue(db, { kind: 'reply', channel: channelOf(to.conversationId), target: to.conversationId, payload: { reply: { text } }, now });
}
