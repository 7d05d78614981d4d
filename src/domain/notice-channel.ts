/**
 * A customer's notice channel (Customer.noticeChannel, docs/email.md "The channel preference"):
 * which of Telegram, SMS and e-mail their notices go by. The same rules wherever it is set: the
 * customers' CSV import, the HTTP API and the console's form.
 */
import { mailboxAddress } from './mail.js';

/** The values of Customer.noticeChannel; none chosen is null. */
export const NOTICE_CHANNELS = ['telegram', 'sms', 'email'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

/** `value` as a notice channel: null for empty (none chosen), undefined when it is none of them. */
export function parseNoticeChannel(value: string): NoticeChannel | null | undefined {
  const v = value.trim().toLowerCase();
  if (v === '') return null;
  return (NOTICE_CHANNELS as readonly string[]).includes(v) ? (v as NoticeChannel) : undefined;
}

/** A customer's e-mail address as stored: the address alone, lower-cased; null for empty; undefined when it is not one address. */
export function parseCustomerEmail(value: string): string | null | undefined {
  const v = value.trim();
  if (v === '') return null;
  return mailboxAddress(v)?.address;
}
