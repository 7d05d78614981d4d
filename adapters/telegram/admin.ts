/**
 * `linka telegram set-webhook` and `linka telegram info`: register the webhook (with the
 * secret token) for PUBLIC_URL, and show what Telegram has registered and its last error.
 * A silently unregistered webhook is the most common failure of Telegram bots.
 */
import type { Telegraf } from 'telegraf';
import { TELEGRAM_WEBHOOK_PATH } from './index.js';

/** The webhook URL Linka expects Telegram to call. */
export function expectedWebhookUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`;
}

export async function setWebhook(bot: Telegraf, publicUrl: string, secret: string): Promise<string> {
  const url = expectedWebhookUrl(publicUrl);
  await bot.telegram.setWebhook(url, { secret_token: secret, allowed_updates: ['message', 'callback_query'] });
  return url;
}

/**
 * A human-readable report of the registered webhook; `ok` is false when something needs fixing.
 * `timeOf` writes the time of Telegram's last error (the CLI's format for operators).
 */
export async function webhookReport(bot: Telegraf, publicUrl: string | null, timeOf: (date: Date) => string): Promise<{ ok: boolean; lines: string[] }> {
  const info = await bot.telegram.getWebhookInfo();
  const expected = publicUrl ? expectedWebhookUrl(publicUrl) : null;
  const lines = [
    `registered URL:   ${info.url || '(none: Telegram will not deliver any update)'}`,
    `expected URL:     ${expected ?? '(PUBLIC_URL is not set)'}`,
    `pending updates:  ${info.pending_update_count}`,
  ];
  if (info.allowed_updates) lines.push(`allowed updates:  ${info.allowed_updates.join(', ')}`);
  if (info.max_connections) lines.push(`max connections:  ${info.max_connections}`);
  let ok = Boolean(info.url) && (expected === null || info.url === expected);
  if (info.last_error_date) {
    lines.push(`last error:       ${timeOf(new Date(info.last_error_date * 1000))} ${info.last_error_message ?? ''}`.trimEnd());
    ok = false;
  } else lines.push('last error:       none');
  if (!info.url) lines.push('-> run `linka telegram set-webhook` to register it.');
  else if (expected && info.url !== expected) lines.push('-> the registered URL is not this Linka: run `linka telegram set-webhook`.');
  return { ok, lines };
}
