/**
 * The Telegram channel (telegraf, webhook mode): `POST /telegram/webhook` checks the
 * secret token, translates updates and hands them to the dispatcher; replies go out
 * through the outbox with telegraf's client (TELEGRAM_API_ROOT for a self-hosted Bot API).
 */
import { timingSafeEqual } from 'node:crypto';
import { Telegraf, TelegramError } from 'telegraf';
import type { Opts, Telegram as BotApi, Update } from 'telegraf/types';
import { platformError } from '../../src/errors.js';
import { json, parseJson, type Route } from '../../src/runtime/routes.js';
import type { Logger } from '../../src/observability/logger.js';
import type { AdapterDeps, ChannelAdapter, ChannelPort } from '../../src/runtime/ports.js';
import { parseTelegramUpdate, telegramChatIdOf, telegramUpdateProblem, type CallbackAck } from './parse.js';
import { answeredText, renderTelegram } from './render.js';

export { parseTelegramUpdate, telegramConversationId } from './parse.js';
export { renderTelegram, splitText } from './render.js';

export interface TelegramConfig {
  token: string;
  webhookSecret: string;
  /** A self-hosted Bot API server (or a fake in tests). */
  apiRoot?: string;
  phoneRegion: string;
  log: Logger;
  /**
   * Time limit of each Bot API call (default 15 s). It must stay well under the outbox lease
   * (workers.leaseSeconds): a send still hanging when its lease expires could be claimed and
   * sent again by another process. A call that times out is retried by the outbox, like a 5xx.
   */
  timeoutMs?: number;
}

/** The default time limit of a Bot API call (telegraf's own is 500 s). */
export const TELEGRAM_TIMEOUT_MS = 15_000;

/** The path Telegram posts updates to. */
export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';

/** Telegram's rule for the webhook secret token. */
export const SECRET_TOKEN_RE = /^[A-Za-z0-9_-]{1,256}$/;

/** A telegraf instance aimed at the configured API root, used only as a client. */
export function createTelegraf(token: string, apiRoot?: string): Telegraf {
  const root = apiRoot ? (apiRoot.endsWith('/') ? apiRoot : `${apiRoot}/`) : undefined;
  const bot = new Telegraf(token, { telegram: { webhookReply: false, ...(root ? { apiRoot: root } : {}) } });
  bot.catch(() => undefined); // telegraf's default handler would set process.exitCode
  return bot;
}

/**
 * Wraps a telegraf failure: 429 carries retry-after; a blocked bot or missing chat cannot be retried.
 * The outbox keeps the per-chat limit of private chats, so a 429 there is the bot's overall flood
 * limit and holds back the whole channel; groups and channels (negative ids) have their own,
 * lower limits (about 20 a minute), so a 429 there holds back that chat only.
 */
function wrap(err: unknown, chatId: string): Error {
  if (err instanceof TimedOut) return platformError('telegram', err); // retried with back-off, like a 5xx
  if (err instanceof TelegramError) {
    if (err.code === 429) {
      return platformError('telegram', err, {
        retryAfterMs: (err.parameters?.retry_after ?? 1) * 1000,
        rateLimitScope: chatId.startsWith('-') ? 'target' : 'channel',
      });
    }
    if (err.code === 403 || err.code === 400) return platformError('telegram', err, { permanent: true });
  }
  return platformError('telegram', err);
}

/** A Bot API call that got no answer within the adapter's time limit (aborted). */
class TimedOut extends Error {
  constructor(method: string, ms: number, cause: unknown) {
    super(`${method} got no answer within ${ms} ms (timed out)`, { cause });
    this.name = 'TimedOut';
  }
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createTelegramAdapter(config: TelegramConfig): ChannelAdapter & { bot: Telegraf } {
  const bot = createTelegraf(config.token, config.apiRoot);
  const { log } = config;
  const timeoutMs = config.timeoutMs ?? TELEGRAM_TIMEOUT_MS;

  /** One Bot API call, aborted after `timeoutMs` (telegraf itself would wait 500 s). */
  async function call<M extends keyof BotApi>(method: M, payload: Opts<M>): Promise<ReturnType<BotApi[M]>> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      // telegraf types the signal with the abort-controller shim; node-fetch takes the native one.
      return await bot.telegram.callApi(method, payload, { signal: signal as never });
    } catch (err) {
      if (signal.aborted) throw new TimedOut(method, timeoutMs, err);
      throw err;
    }
  }

  const port: ChannelPort = {
    channel: 'telegram',
    async send(conversationId, reply) {
      const chatId = telegramChatIdOf(conversationId);
      if (chatId === null) throw platformError('telegram', new Error(`not a Telegram conversation: ${conversationId}`), { permanent: true });
      let last: number | null = null;
      for (const part of renderTelegram(reply)) {
        try {
          const sent = await call('sendMessage', { chat_id: chatId, text: part.text, ...(part.reply_markup ? { reply_markup: part.reply_markup } : {}) });
          last = sent.message_id;
        } catch (err) {
          throw wrap(err, chatId);
        }
      }
      return { platformMessageId: last === null ? null : String(last) };
    },
  };

  /** Stops the button spinning. Best effort. */
  async function answerQuery(id: string): Promise<void> {
    await call('answerCallbackQuery', { callback_query_id: id }).catch((err: unknown) =>
      log.warn({ err: String(err) }, 'telegram: answerCallbackQuery failed'),
    );
  }

  /** Stops the button spinning and shows the chosen answer in place of the buttons. Best effort. */
  async function acknowledge(ack: CallbackAck): Promise<void> {
    await answerQuery(ack.id);
    if (ack.messageId === null) return;
    const edit =
      ack.messageText !== null && ack.label !== null
        ? call('editMessageText', { chat_id: ack.chatId, message_id: ack.messageId, text: answeredText(ack.messageText, ack.label) })
        : call('editMessageReplyMarkup', { chat_id: ack.chatId, message_id: ack.messageId, reply_markup: undefined });
    await edit.catch((err: unknown) => log.warn({ err: String(err) }, 'telegram: editing the answered message failed'));
  }

  function routes(deps: AdapterDeps): Route[] {
    return [
      {
        method: 'POST',
        path: TELEGRAM_WEBHOOK_PATH,
        async handler({ req, body }) {
          const secret = req.headers['x-telegram-bot-api-secret-token'];
          if (!sameSecret(Array.isArray(secret) ? secret[0] : secret, config.webhookSecret)) {
            return json(403, { error: 'wrong or missing secret token' });
          }
          let update: Update;
          try {
            update = parseJson(body.toString('utf8')) as Update;
          } catch {
            return json(400, { error: 'body is not JSON' });
          }
          if (typeof update !== 'object' || update === null || !Number.isSafeInteger(update.update_id)) {
            return json(400, { error: 'not a Telegram update (no update_id)' });
          }
          const problem = telegramUpdateProblem(update);
          if (problem) return json(400, { error: problem });
          const parsed = parseTelegramUpdate(update, config.phoneRegion);
          if (parsed.kind === 'ignored') {
            if (parsed.callbackId) await answerQuery(parsed.callbackId);
            return json(200, { ok: true, ignored: parsed.reason });
          }
          const result = await deps.dispatch(parsed.envelope);
          // The message shows the chosen answer only when the press was taken: one dropped by the
          // flood limit, a repeated delivery, or a button of an older question only stops the spinner.
          if (parsed.callback && (result.dropped || result.duplicate || result.accepted === false)) await answerQuery(parsed.callback.id);
          else if (parsed.callback) await acknowledge(parsed.callback);
          return json(200, { ok: true });
        },
      },
    ];
  }

  return { port, routes, bot };
}
