// A fake Telegram Bot API on 127.0.0.1 for telegraf: POST /bot<token>/<method>.
import type { FakeServer, RecordedRequest } from './fake-server.js';
import { startFakeServer } from './fake-server.js';

export interface TelegramFake extends FakeServer {
  /** Calls of one Bot API method, in order. */
  calls(method: string): Array<Record<string, unknown>>;
  /**
   * The messages the fake accepted (sendMessage answered ok), with the message_id it gave each:
   * what a button press refers to. Refused calls (a scripted 429, say) are not in it.
   */
  messages: Array<{ message_id: number; chat_id: number | string; text: string; reply_markup?: unknown }>;
  /** What setWebhook registered (getWebhookInfo reports it). */
  webhook: { url: string; secret?: string; lastError?: string };
}

export async function startTelegramFake(): Promise<TelegramFake> {
  let messageId = 100;
  const webhook: TelegramFake['webhook'] = { url: '' };
  const messages: TelegramFake['messages'] = [];
  const methodOf = (r: RecordedRequest) => /^\/bot[^/]+\/(\w+)/.exec(r.path)?.[1] ?? '';
  const server = await startFakeServer((req) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const ok = (result: unknown) => ({ status: 200, body: { ok: true, result } });
    switch (methodOf(req)) {
      case 'getMe':
        return ok({ id: 42, is_bot: true, first_name: 'Linka', username: 'linka_test_bot' });
      case 'sendMessage': {
        const message = {
          message_id: ++messageId,
          chat_id: body.chat_id as number | string,
          text: String(body.text),
          ...(body.reply_markup ? { reply_markup: body.reply_markup } : {}),
        };
        messages.push(message);
        return ok({ message_id: message.message_id, date: 0, chat: { id: Number(body.chat_id), type: 'private' }, text: body.text });
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup':
        return ok({ message_id: body.message_id, date: 0, chat: { id: Number(body.chat_id), type: 'private' }, text: body.text ?? '' });
      case 'answerCallbackQuery':
        return ok(true);
      case 'setWebhook':
        webhook.url = String(body.url);
        webhook.secret = body.secret_token as string | undefined;
        return ok(true);
      case 'getWebhookInfo':
        return ok({
          url: webhook.url,
          has_custom_certificate: false,
          pending_update_count: 3,
          ...(webhook.lastError ? { last_error_date: 1795300000, last_error_message: webhook.lastError } : {}),
        });
      default:
        return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found: method not found' } };
    }
  });
  return Object.assign(server, {
    webhook,
    messages,
    calls: (method: string) => server.requests.filter((r) => methodOf(r) === method).map((r) => (r.body ?? {}) as Record<string, unknown>),
  });
}

let updateId = 5000;

export const tg = {
  user: (id = 7001, lang = 'cs') => ({ id, is_bot: false, first_name: 'Jan', language_code: lang }),
  text(text: string, opts: { chatId?: number; lang?: string; chatType?: string } = {}) {
    const chatId = opts.chatId ?? 7001;
    return {
      update_id: ++updateId,
      message: { message_id: updateId, date: 1795300000, chat: { id: chatId, type: opts.chatType ?? 'private' }, from: tg.user(chatId, opts.lang), text },
    };
  },
  contact(phone: string, userId: number, opts: { chatId?: number } = {}) {
    const chatId = opts.chatId ?? 7001;
    return {
      update_id: ++updateId,
      message: {
        message_id: updateId,
        date: 1795300000,
        chat: { id: chatId, type: 'private' },
        from: tg.user(chatId),
        contact: { phone_number: phone, first_name: 'Jan', user_id: userId },
      },
    };
  },
  photo(fileId: string, caption?: string, chatId = 7001) {
    return {
      update_id: ++updateId,
      message: {
        message_id: updateId,
        date: 1795300000,
        chat: { id: chatId, type: 'private' },
        from: tg.user(chatId),
        photo: [
          { file_id: `${fileId}-small`, file_unique_id: 'a', width: 90, height: 90 },
          { file_id: fileId, file_unique_id: 'b', width: 1280, height: 960 },
        ],
        ...(caption ? { caption } : {}),
      },
    };
  },
  sticker(chatId = 7001) {
    return {
      update_id: ++updateId,
      message: {
        message_id: updateId,
        date: 1795300000,
        chat: { id: chatId, type: 'private' },
        from: tg.user(chatId),
        sticker: { file_id: 'st', file_unique_id: 'st', width: 1, height: 1, is_animated: false, is_video: false, type: 'regular' },
      },
    };
  },
  /** A button press on the bot's message `messageId` whose buttons are `buttons` ([label, data]). */
  press(data: string, messageId: number, text: string, buttons: Array<{ text: string; callback_data: string }>, chatId = 7001) {
    return {
      update_id: ++updateId,
      callback_query: {
        id: `cb${updateId}`,
        from: tg.user(chatId),
        chat_instance: 'x',
        data,
        message: {
          message_id: messageId,
          date: 1795300000,
          chat: { id: chatId, type: 'private' },
          from: { id: 42, is_bot: true, first_name: 'Linka' },
          text,
          reply_markup: { inline_keyboard: buttons.map((b) => [b]) },
        },
      },
    };
  },
};
