/** Reply -> Telegram messages: text split at Telegram's limit, choices as inline buttons. */
import type { Reply } from '../../src/engine/types.js';

/** Telegram's limit for one message's text. */
export const TELEGRAM_MAX_TEXT = 4096;

export interface TelegramMessage {
  text: string;
  reply_markup?:
    | { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }
    | { keyboard: Array<Array<{ text: string; request_contact: true }>>; one_time_keyboard: true; resize_keyboard: true };
}

/** Splits text into parts of at most `max` characters, at paragraph, line or word ends where possible. */
export function splitText(text: string, max = TELEGRAM_MAX_TEXT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const cut = [window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf(' ')].find((i) => i > max / 2) ?? max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** The messages to send for one reply; the buttons go with the last part. */
export function renderTelegram(reply: Reply, max = TELEGRAM_MAX_TEXT): TelegramMessage[] {
  const messages: TelegramMessage[] = splitText(reply.text, max).map((text) => ({ text }));
  const last = messages[messages.length - 1] as TelegramMessage;
  if (reply.choices?.length) {
    last.reply_markup = { inline_keyboard: reply.choices.map((c) => [{ text: c.label, callback_data: c.id.slice(0, 64) }]) };
  } else if (reply.contactButton) {
    last.reply_markup = { keyboard: [[{ text: reply.contactButton, request_contact: true }]], one_time_keyboard: true, resize_keyboard: true };
  }
  return messages;
}

/** The text of a message whose button was pressed, showing the chosen answer. */
export function answeredText(original: string, label: string): string {
  return splitText(`${original}\n\n✅ ${label}`)[0] as string;
}
