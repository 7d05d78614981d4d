// `linka serve` builds its channels with loadChannels, which imports only the adapters whose
// secrets are set: it must decide as when every adapter is imported, and need no other adapter.
import { describe, expect, it } from 'vitest';
import * as discordModule from '../adapters/discord/index.js';
import * as emailModule from '../adapters/email/index.js';
import * as slackModule from '../adapters/slack/index.js';
import * as telegramModule from '../adapters/telegram/index.js';
import * as twilioModule from '../adapters/twilio/index.js';
import { type AdapterModules, adaptersWanted, buildChannels, loadChannels } from '../src/channels.js';
import { allChannels } from './helpers/all-channels.js';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/observability/logger.js';

const DEAD = 'http://127.0.0.1:9';
const telegram = { TELEGRAM_BOT_TOKEN: '123456:TEST', TELEGRAM_WEBHOOK_SECRET: 'secret_1', TELEGRAM_API_ROOT: DEAD };
const twilio = {
  TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'x'.repeat(32),
  TWILIO_FROM: '+420700800900',
  TWILIO_API_URL: DEAD,
  PUBLIC_URL: 'https://linka.example.net',
};
const slack = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'signing', SLACK_API_URL: `${DEAD}/api/` };
const discord = { DISCORD_BOT_TOKEN: 'bot', DISCORD_PUBLIC_KEY: 'a'.repeat(64), DISCORD_API_URL: `${DEAD}/api` };

describe('loadChannels', () => {
  const config = parseConfig({ slack: { queueChannel: 'C0QUEUE' }, discord: { queueChannel: '1300000000000000001' } });
  const NO_TELEGRAM = 'off (TELEGRAM_BOT_TOKEN is not set)';
  const NO_SMS = 'off (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM are not set)';
  const NO_SLACK = 'off (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET are not set)';
  const NO_DISCORD = 'off (DISCORD_BOT_TOKEN, DISCORD_PUBLIC_KEY are not set)';
  const NO_EMAIL = { email: 'off (SMTP_URL is not set; mail.from is not set in the config)', mailbox: 'off (e-mail is off)' };
  // Each case: the environment, the channels that must come up and what `linka serve` reports.
  const cases: Array<[string, Record<string, string>, string[], Record<string, string>]> = [
    ['no channel', {}, [], { telegram: NO_TELEGRAM, sms: NO_SMS, slack: NO_SLACK, discord: NO_DISCORD, ...NO_EMAIL }],
    ['telegram only', telegram, ['telegram'], { telegram: 'on', sms: NO_SMS, slack: NO_SLACK, discord: NO_DISCORD, ...NO_EMAIL }],
    [
      'a bad telegram secret',
      { ...telegram, TELEGRAM_WEBHOOK_SECRET: 'bad secret!' },
      [],
      { telegram: 'off (TELEGRAM_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -)', sms: NO_SMS, slack: NO_SLACK, discord: NO_DISCORD, ...NO_EMAIL },
    ],
    [
      'sms without PUBLIC_URL',
      { ...twilio, PUBLIC_URL: '' },
      [],
      {
        telegram: NO_TELEGRAM,
        sms: 'off (PUBLIC_URL is not set: Twilio signs the public URL, so webhooks cannot be verified without it)',
        slack: NO_SLACK,
        discord: NO_DISCORD,
        ...NO_EMAIL,
      },
    ],
    [
      'every channel',
      { ...telegram, ...twilio, ...slack, ...discord },
      ['telegram', 'sms', 'slack', 'discord'],
      { telegram: 'on', sms: 'on', slack: 'on', discord: 'on', ...NO_EMAIL },
    ],
    [
      'discord with a bad key',
      { ...discord, DISCORD_PUBLIC_KEY: 'nothex' },
      [],
      {
        telegram: NO_TELEGRAM,
        sms: NO_SMS,
        slack: NO_SLACK,
        discord: "off (DISCORD_PUBLIC_KEY must be the application's public key: 64 hex characters)",
        ...NO_EMAIL,
      },
    ],
  ];
  it.each(cases)('decides as with every adapter imported: %s', async (_name, env, on, status) => {
    const loaded = await loadChannels(env, config, silentLogger());
    const all = allChannels(env, config, silentLogger());
    expect(loaded.status).toEqual(status);
    expect(loaded.adapters.map((a) => a.port?.channel ?? a.team?.platform)).toEqual(on);
    expect(all.status).toEqual(status);
    expect(all.adapters.map((a) => a.port?.channel ?? a.team?.platform)).toEqual(on);
    // Built from the wanted adapters alone: nothing else had to be imported.
    const every: AdapterModules = { telegram: telegramModule, twilio: twilioModule, slack: slackModule, discord: discordModule, email: emailModule };
    const only = Object.fromEntries(adaptersWanted(env).map((name) => [name, every[name]]));
    expect(buildChannels(env, config, silentLogger(), undefined, only).status).toEqual(status);
  });

  it('wants only the adapters whose secrets are set', () => {
    expect(adaptersWanted({})).toEqual([]);
    expect(adaptersWanted(telegram)).toEqual(['telegram']);
    expect(adaptersWanted({ ...slack, TWILIO_ACCOUNT_SID: 'AC1' })).toEqual(['slack']);
    expect(adaptersWanted({ ...telegram, ...twilio, ...slack, ...discord })).toEqual(['telegram', 'twilio', 'slack', 'discord']);
  });

  it('says why e-mail is off, or whether mail is only sent or also received', async () => {
    const withFrom = parseConfig({ mail: { from: 'Podpora <podpora@example.cz>' } });
    const smtp = { SMTP_URL: 'smtp://linka:heslo@127.0.0.1:2525' };
    const imap = { IMAP_URL: 'imap://podpora:heslo@127.0.0.1:1143' };
    const statusOf = async (env: Record<string, string>, cfg = withFrom) => {
      const { status, adapters } = await loadChannels(env, cfg, silentLogger());
      const mail = adapters.find((a) => a.mail);
      await mail?.stop?.();
      return { email: status.email, mailbox: status.mailbox, port: mail?.port?.channel ?? null };
    };
    expect(await statusOf({})).toEqual({ email: 'off (SMTP_URL is not set)', mailbox: 'off (e-mail is off)', port: null });
    expect(await statusOf(smtp, config)).toEqual({
      email: 'off (mail.from is not set in the config: there is no sender address)',
      mailbox: 'off (e-mail is off)',
      port: null,
    });
    expect((await statusOf({ SMTP_URL: 'http://127.0.0.1:25' })).email).toBe('off (SMTP_URL must start with smtp:// or smtps://, not http://)');
    expect(await statusOf(smtp)).toEqual({ email: 'on', mailbox: 'off (IMAP_URL is not set: e-mail is sent, not received)', port: 'email' });
    expect(await statusOf({ ...smtp, IMAP_URL: 'pop3://x@127.0.0.1' })).toMatchObject({
      mailbox: 'off (IMAP_URL must start with imap:// or imaps://, not pop3://)',
    });
    expect(await statusOf({ ...smtp, ...imap })).toEqual({ email: 'on', mailbox: 'on', port: 'email' });
    // A literal "%" in a password (not an escape) is told, not thrown at start-up.
    const percent = /percent-encode % as %25/;
    expect((await statusOf({ SMTP_URL: 'smtp://linka:50%sleva@127.0.0.1:2525' })).email).toMatch(percent);
    expect((await statusOf({ ...smtp, IMAP_URL: 'imap://podpora:100%@127.0.0.1:1143' })).mailbox).toMatch(percent);
    expect(await statusOf({ ...smtp, IMAP_URL: 'imap://podpora:100%25@127.0.0.1:1143' })).toEqual({ email: 'on', mailbox: 'on', port: 'email' });
    expect(adaptersWanted({ ...telegram, ...smtp })).toEqual(['telegram', 'email']);
  });
});
