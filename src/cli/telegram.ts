/** `linka telegram set-webhook | info`: manage the bot's webhook registration. */
import { setWebhook, webhookReport } from '../../adapters/telegram/admin.js';
import { createTelegraf, SECRET_TOKEN_RE } from '../../adapters/telegram/index.js';
import { operatorTime } from '../domain/date-format.js';
import { LinkaError } from '../errors.js';
import { type CliIo, configOf } from './command.js';

function need(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new LinkaError('env_missing', `${name} is not set (see README.md, "Connecting a Telegram bot")`);
  return value;
}

/** Runs `linka telegram set-webhook` or `linka telegram info`; returns the exit code. */
export async function telegramCommand(sub: 'set-webhook' | 'info', { env, out }: CliIo): Promise<number> {
  const bot = createTelegraf(need(env, 'TELEGRAM_BOT_TOKEN'), env.TELEGRAM_API_ROOT || undefined);
  try {
    if (sub === 'set-webhook') {
      const publicUrl = need(env, 'PUBLIC_URL');
      const secret = need(env, 'TELEGRAM_WEBHOOK_SECRET');
      if (!SECRET_TOKEN_RE.test(secret))
        throw new LinkaError('env_invalid', 'TELEGRAM_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -, at most 256 characters');
      const url = await setWebhook(bot, publicUrl, secret);
      out(`Telegram will now send updates to ${url} (with the secret token).`);
    }
    // The configuration (its time zone) is read only to show when Telegram last failed.
    const report = await webhookReport(bot, env.PUBLIC_URL || null, (date) => operatorTime(date, configOf({ env }).timezone));
    for (const line of report.lines) out(line);
    return report.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof LinkaError) throw err;
    throw new LinkaError('telegram_failed', `Telegram answered: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
