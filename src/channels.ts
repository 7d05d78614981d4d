/**
 * Which customer channels are on: a channel whose secrets are set in the environment is
 * built here; one whose secrets are missing is off (the start-up log says so).
 *
 * The adapters come in as modules. `loadChannels` (`linka serve`, `linka outage`) imports only
 * the adapters whose secrets are set, so the SDKs of channels that are off (discord.js,
 * @slack/bolt, twilio: most of the start-up time under tsx) are never loaded; `buildChannels`
 * decides from the modules it is given.
 */
import type { LinkaConfig } from './config/schema.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { ChannelAdapter } from './runtime/ports.js';
import { isPublicKeyHex } from '../adapters/discord/verify.js';

/** The adapter modules a setup may need, by channel. */
export interface AdapterModules {
  telegram: Pick<typeof import('../adapters/telegram/index.js'), 'createTelegramAdapter' | 'SECRET_TOKEN_RE'>;
  twilio: Pick<typeof import('../adapters/twilio/index.js'), 'createTwilioAdapter'>;
  slack: Pick<typeof import('../adapters/slack/index.js'), 'createSlackAdapter'>;
  discord: Pick<typeof import('../adapters/discord/index.js'), 'createDiscordAdapter'>;
  email: Pick<typeof import('../adapters/email/index.js'), 'createEmailAdapter' | 'smtpUrlProblem' | 'imapUrlProblem'>;
}

/** The adapters whose secrets are set, so they may be on (the rest of their settings is checked when built). */
export function adaptersWanted(env: NodeJS.ProcessEnv): Array<keyof AdapterModules> {
  const wanted: Array<keyof AdapterModules> = [];
  if (env.TELEGRAM_BOT_TOKEN && env.TELEGRAM_WEBHOOK_SECRET) wanted.push('telegram');
  if (env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM) wanted.push('twilio');
  if (env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET) wanted.push('slack');
  if (env.DISCORD_BOT_TOKEN && env.DISCORD_PUBLIC_KEY) wanted.push('discord');
  if (env.SMTP_URL) wanted.push('email');
  return wanted;
}

const importers: { [K in keyof AdapterModules]: () => Promise<AdapterModules[K]> } = {
  telegram: () => import('../adapters/telegram/index.js'),
  twilio: () => import('../adapters/twilio/index.js'),
  slack: () => import('../adapters/slack/index.js'),
  discord: () => import('../adapters/discord/index.js'),
  email: () => import('../adapters/email/index.js'),
};

/** Builds the adapters whose secrets are present, importing only those adapters. */
export async function loadChannels(env: NodeJS.ProcessEnv, config: LinkaConfig, log: Logger, metrics?: Metrics): Promise<ChannelSetup> {
  const modules: Partial<AdapterModules> = {};
  await Promise.all(
    adaptersWanted(env).map(async (name) => {
      (modules as Record<string, unknown>)[name] = await importers[name]();
    }),
  );
  return buildChannels(env, config, log, metrics, modules);
}

export interface ChannelSetup {
  adapters: ChannelAdapter[];
  /** Channel name -> "on" or why it is off. */
  status: Record<string, string>;
}

/** Builds the adapters whose secrets are present, from the given modules. Secrets come only from the environment. */
export function buildChannels(
  env: NodeJS.ProcessEnv,
  config: LinkaConfig,
  log: Logger,
  metrics: Metrics | undefined,
  modules: Partial<AdapterModules>,
): ChannelSetup {
  const need = <K extends keyof AdapterModules>(name: K): AdapterModules[K] => {
    const m = modules[name];
    if (!m) throw new Error(`channel setup: the ${name} adapter was not loaded`);
    return m;
  };
  const adapters: ChannelAdapter[] = [];
  const status: Record<string, string> = {};

  if (env.TELEGRAM_BOT_TOKEN && env.TELEGRAM_WEBHOOK_SECRET && !need('telegram').SECRET_TOKEN_RE.test(env.TELEGRAM_WEBHOOK_SECRET)) {
    status.telegram = 'off (TELEGRAM_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -)';
  } else if (env.TELEGRAM_BOT_TOKEN && env.TELEGRAM_WEBHOOK_SECRET) {
    adapters.push(
      need('telegram').createTelegramAdapter({
        token: env.TELEGRAM_BOT_TOKEN,
        webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
        apiRoot: env.TELEGRAM_API_ROOT || undefined,
        phoneRegion: config.phoneRegion,
        log,
        timeoutMs: platformCallTimeoutMs(config),
      }),
    );
    status.telegram = 'on';
  } else {
    status.telegram = env.TELEGRAM_BOT_TOKEN ? 'off (TELEGRAM_WEBHOOK_SECRET is not set)' : 'off (TELEGRAM_BOT_TOKEN is not set)';
  }

  // SMS (Twilio): on when the account, token and sending number are set; signatures need PUBLIC_URL.
  if (env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM) {
    const wrong = twilioEnvProblem(env);
    if (wrong) {
      status.sms = `off (${wrong})`;
    } else if (env.PUBLIC_URL) {
      adapters.push(
        need('twilio').createTwilioAdapter({
          accountSid: env.TWILIO_ACCOUNT_SID,
          authToken: env.TWILIO_AUTH_TOKEN,
          from: env.TWILIO_FROM,
          apiUrl: env.TWILIO_API_URL || undefined,
          publicUrl: env.PUBLIC_URL,
          phoneRegion: config.phoneRegion,
          sms: config.sms,
          log,
          metrics,
          timeoutMs: platformCallTimeoutMs(config),
        }),
      );
      status.sms = 'on';
    } else {
      status.sms = 'off (PUBLIC_URL is not set: Twilio signs the public URL, so webhooks cannot be verified without it)';
    }
  } else {
    const missing = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'].filter((k) => !env[k]);
    status.sms = `off (${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set)`;
  }
  // Slack (team queue): on when the bot token and signing secret are set and the config names the queue channel.
  if (env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET) {
    if (!config.slack.queueChannel) {
      status.slack = 'off (slack.queueChannel is not set in the config: there is nowhere to post tickets)';
    } else if (env.SLACK_API_URL && !isHttpUrl(env.SLACK_API_URL)) {
      status.slack = `off (SLACK_API_URL must be an http(s) URL, not "${env.SLACK_API_URL}")`;
    } else {
      adapters.push(
        need('slack').createSlackAdapter({
          token: env.SLACK_BOT_TOKEN,
          signingSecret: env.SLACK_SIGNING_SECRET,
          apiUrl: env.SLACK_API_URL || undefined,
          slack: config.slack,
          notePrefix: config.team.notePrefix,
          teamLanguage: config.teamLanguage,
          timezone: config.timezone,
          ticketPrefix: config.tickets.prefix,
          log,
        }),
      );
      status.slack = 'on';
    }
  } else {
    const missing = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'].filter((k) => !env[k]);
    status.slack = `off (${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set)`;
  }

  // Discord (team queue): on when the bot token, the application's public key and the queue channel are set.
  status.discord = discordProblem(env, config) ?? 'on';
  if (status.discord === 'on') {
    adapters.push(
      need('discord').createDiscordAdapter({
        token: env.DISCORD_BOT_TOKEN as string,
        publicKey: env.DISCORD_PUBLIC_KEY as string,
        apiUrl: env.DISCORD_API_URL || undefined,
        queueChannel: config.discord.queueChannel,
        statusChannel: config.discord.statusChannel,
        technicians: config.discord.technicians,
        technicianRoles: config.discord.technicianRoles,
        onCall: config.discord.onCall,
        teamLanguage: config.teamLanguage,
        timezone: config.timezone,
        ticketPrefix: config.tickets.prefix,
        log,
      }),
    );
    if (!config.discord.technicians.length && !config.discord.technicianRoles.length) {
      log.warn('discord: neither discord.technicians nor discord.technicianRoles is set, so nobody may act on tickets');
    }
  }

  // E-mail (docs/email.md): sending needs SMTP_URL and mail.from; reading the support mailbox IMAP_URL too.
  const mailProblem = !env.SMTP_URL
    ? `off (SMTP_URL is not set${config.mail.from ? '' : '; mail.from is not set in the config'})`
    : !config.mail.from
      ? 'off (mail.from is not set in the config: there is no sender address)'
      : need('email').smtpUrlProblem(env.SMTP_URL);
  if (mailProblem) {
    status.email = mailProblem.startsWith('off') ? mailProblem : `off (${mailProblem})`;
    status.mailbox = 'off (e-mail is off)';
  } else {
    const imapProblem = env.IMAP_URL ? need('email').imapUrlProblem(env.IMAP_URL) : 'IMAP_URL is not set: e-mail is sent, not received';
    adapters.push(
      need('email').createEmailAdapter({
        smtpUrl: env.SMTP_URL as string,
        imapUrl: imapProblem ? null : (env.IMAP_URL as string),
        mail: config.mail,
        companyName: config.company.name,
        defaultLanguage: config.defaultLanguage,
        ticketPrefix: config.tickets.prefix,
        log,
        timeoutMs: platformCallTimeoutMs(config),
      }),
    );
    status.email = 'on';
    status.mailbox = imapProblem ? `off (${imapProblem})` : 'on';
  }

  return { adapters, status };
}

/**
 * How long one customer-channel platform call (Telegram, Twilio) may take: 15 s, or a quarter
 * of the outbox lease when that is shorter. A send still hanging when its lease expires could
 * be claimed again and sent twice by another process; one that times out is retried instead.
 */
export function platformCallTimeoutMs(config: Pick<LinkaConfig, 'workers'>): number {
  return Math.min(15_000, Math.floor((config.workers.leaseSeconds * 1000) / 4));
}

const isHttpUrl = (s: string) => /^https?:\/\/[^/\s]+/i.test(s) && URL.canParse(s);

/** Why Discord is off ("off (...)"), or null when it can be on. */
function discordProblem(env: NodeJS.ProcessEnv, config: LinkaConfig): string | null {
  const missing = ['DISCORD_BOT_TOKEN', 'DISCORD_PUBLIC_KEY'].filter((k) => !env[k]);
  if (missing.length) return `off (${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set)`;
  if (!isPublicKeyHex(env.DISCORD_PUBLIC_KEY as string)) return "off (DISCORD_PUBLIC_KEY must be the application's public key: 64 hex characters)";
  if (env.DISCORD_API_URL && !isHttpUrl(env.DISCORD_API_URL)) return `off (DISCORD_API_URL must be an http(s) URL, not "${env.DISCORD_API_URL}")`;
  if (!config.discord.queueChannel) return 'off (discord.queueChannel is not set in the config)';
  return null;
}

/** What is wrong with the Twilio settings that are set, if anything. */
function twilioEnvProblem(env: NodeJS.ProcessEnv): string | null {
  if (!env.TWILIO_ACCOUNT_SID?.startsWith('AC')) return 'TWILIO_ACCOUNT_SID must start with AC';
  if (env.PUBLIC_URL && !isHttpUrl(env.PUBLIC_URL)) return `PUBLIC_URL must be an http(s) URL, not "${env.PUBLIC_URL}"`;
  if (env.TWILIO_API_URL && !isHttpUrl(env.TWILIO_API_URL)) return `TWILIO_API_URL must be an http(s) URL, not "${env.TWILIO_API_URL}"`;
  return null;
}
