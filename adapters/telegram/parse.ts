/**
 * Telegram update -> InboundEnvelope. Conversation ids are "telegram:<chat id>"; only
 * private chats are conversations. No business decisions here: the engine makes them.
 */
import type { Update } from 'telegraf/types';
import { z } from 'zod';
import type { CoreEvent } from '../../src/engine/types.js';
import { toE164 } from '../../src/domain/phone.js';
import type { InboundEnvelope } from '../../src/runtime/dispatch.js';

export function telegramConversationId(chatId: number | string): string {
  return `telegram:${chatId}`;
}

/** The chat id of a Telegram conversation id, or null when it is not one. */
export function telegramChatIdOf(conversationId: string): string | null {
  const m = /^telegram:(-?\d+)$/.exec(conversationId);
  return m ? (m[1] as string) : null;
}

/** A button press to acknowledge after dispatching it. */
export interface CallbackAck {
  id: string;
  chatId: number;
  messageId: number | null;
  /** The text of the message that carried the buttons, and the label of the pressed one. */
  messageText: string | null;
  label: string | null;
}

export type ParsedUpdate = { kind: 'event'; envelope: InboundEnvelope; callback?: CallbackAck } | { kind: 'ignored'; reason: string; callbackId?: string };

const MEDIA_KINDS = [
  ['sticker', 'sticker'],
  ['voice', 'voice'],
  ['audio', 'voice'],
  ['video', 'video'],
  ['video_note', 'video'],
  ['animation', 'video'],
  ['document', 'document'],
] as const;

// The fields parseTelegramUpdate reads, with the types Telegram gives them; anything else may be there.
const id = z.number().int();
const user = z.looseObject({ id, language_code: z.string().max(35).optional() });
const chat = z.looseObject({ id, type: z.string() });
const button = z.looseObject({ text: z.string(), callback_data: z.string().optional() });
const keyboard = z.looseObject({ inline_keyboard: z.array(z.array(button)) });
const updateShape = z.looseObject({
  update_id: id,
  message: z
    .looseObject({
      message_id: id,
      chat,
      from: user.optional(),
      text: z.string().optional(),
      caption: z.string().optional(),
      contact: z.looseObject({ phone_number: z.string().max(40), user_id: id.optional() }).optional(),
      photo: z.array(z.looseObject({ file_id: z.string(), width: z.number(), height: z.number() })).optional(),
    })
    .optional(),
  callback_query: z
    .looseObject({
      id: z.string(),
      from: user,
      data: z.string().optional(),
      message: z.looseObject({ message_id: id, chat, text: z.string().optional(), reply_markup: keyboard.optional() }).optional(),
    })
    .optional(),
});

/**
 * Why a parsed JSON body is not a Telegram update parseTelegramUpdate can read (a field it
 * reads missing or of the wrong type), or null when it is one. Telegram never sends such a
 * body; whoever does gets a 400 rather than an error deep in the dispatcher.
 */
export function telegramUpdateProblem(body: unknown): string | null {
  const parsed = updateShape.safeParse(body);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  return `not a Telegram update: ${issue ? `${issue.path.join('.') || '(body)'}: ${issue.message}` : 'unreadable'}`;
}

/** Translates one update; anything that is not a private message or button press is ignored. */
export function parseTelegramUpdate(update: Update, phoneRegion: string): ParsedUpdate {
  const dedupeId = `telegram:update:${update.update_id}`;
  if ('callback_query' in update) {
    const q = update.callback_query;
    const msg = q.message;
    if (msg?.chat.type !== 'private' || !('data' in q) || typeof q.data !== 'string') {
      return { kind: 'ignored', reason: 'callback without a private message or data', callbackId: q.id };
    }
    const keyboard = 'reply_markup' in msg ? (msg.reply_markup?.inline_keyboard ?? []) : [];
    const button = keyboard.flat().find((b) => 'callback_data' in b && b.callback_data === q.data);
    return {
      kind: 'event',
      envelope: {
        dedupeId,
        conversationId: telegramConversationId(msg.chat.id),
        channel: 'telegram',
        event: { kind: 'choice', choiceId: q.data },
        sender: { telegramId: String(q.from.id), langHint: q.from.language_code },
        // A button press is no message of its own: its callback query id names it (a consent
        // given by a button is stored with it); the message with the button is callback.messageId.
        platformMessageId: `cbq:${q.id}`,
        buttonMessageId: String(msg.message_id),
      },
      callback: { id: q.id, chatId: msg.chat.id, messageId: msg.message_id, messageText: 'text' in msg ? msg.text : null, label: button?.text ?? null },
    };
  }
  if (!('message' in update)) return { kind: 'ignored', reason: 'not a message' };
  const m = update.message;
  if (m.chat.type !== 'private') return { kind: 'ignored', reason: `${m.chat.type} chat` };
  if (!m.from) return { kind: 'ignored', reason: 'no sender' };
  let event: CoreEvent | null = null;
  if ('text' in m) {
    const start = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/.exec(m.text);
    event = start ? (start[1] ? { kind: 'start', payload: start[1] } : { kind: 'start' }) : { kind: 'text', text: m.text };
  } else if ('contact' in m) {
    const raw = m.contact.phone_number.startsWith('+') ? m.contact.phone_number : `+${m.contact.phone_number}`;
    const phone = toE164(raw, phoneRegion) ?? raw;
    event = { kind: 'contact', phone, own: m.contact.user_id === m.from.id };
  } else if ('photo' in m) {
    const largest = [...m.photo].sort((a, b) => b.width * b.height - a.width * a.height)[0];
    event = { kind: 'media', mediaKind: 'photo', fileId: largest?.file_id, caption: m.caption };
  } else {
    const found = MEDIA_KINDS.find(([field]) => field in m);
    event = { kind: 'media', mediaKind: found ? found[1] : 'other', caption: 'caption' in m ? m.caption : undefined };
  }
  return {
    kind: 'event',
    envelope: {
      dedupeId,
      conversationId: telegramConversationId(m.chat.id),
      channel: 'telegram',
      event,
      sender: { telegramId: String(m.from.id), langHint: m.from.language_code },
      platformMessageId: String(m.message_id),
    },
  };
}
