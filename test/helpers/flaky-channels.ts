// The four platforms as fakes on 127.0.0.1 (Telegram and Twilio answering 429 and 500 some of the
// time), and Linka's real adapters pointed at them: for the fan-out tests.
import { allChannels } from './all-channels.js';
import type { LinkaConfig } from '../../src/config/schema.js';
import type { Logger } from '../../src/observability/logger.js';
import type { ChannelAdapter } from '../../src/runtime/ports.js';
import { startFlakyTelegram, startFlakyTwilio, type FlakyOptions, type FlakyPlatform } from '../fakes/flaky-platforms.js';
import { startDiscordFake, type DiscordFake } from '../fakes/discord-fake.js';
import { startSlackFake, type SlackFake } from '../fakes/slack-fake.js';

export interface FlakyChannels {
  telegram: FlakyPlatform;
  twilio: FlakyPlatform;
  slack: SlackFake;
  discord: DiscordFake;
  adapters: ChannelAdapter[];
  /** Which channels allChannels turned on (as the server would decide). */
  status: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the fakes and builds the adapters from an environment like an operator's. */
export async function startFlakyChannels(opts: {
  telegram: FlakyOptions;
  twilio: FlakyOptions;
  accountSid: string;
  from: string;
  discordChannels: string[];
  config: LinkaConfig;
  log: Logger;
}): Promise<FlakyChannels> {
  const telegram = await startFlakyTelegram(opts.telegram);
  const twilio = await startFlakyTwilio(opts.accountSid, opts.twilio);
  const slack = await startSlackFake();
  const discord = await startDiscordFake({ channels: opts.discordChannels });
  const { adapters, status } = allChannels(
    {
      TELEGRAM_BOT_TOKEN: '123456:TEST',
      TELEGRAM_WEBHOOK_SECRET: 'fanout',
      TELEGRAM_API_ROOT: telegram.url,
      TWILIO_ACCOUNT_SID: opts.accountSid,
      TWILIO_AUTH_TOKEN: 'twilio-token',
      TWILIO_FROM: opts.from,
      TWILIO_API_URL: twilio.url,
      PUBLIC_URL: 'https://linka.example.net',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'slack-secret',
      SLACK_API_URL: slack.url,
      DISCORD_BOT_TOKEN: 'discord-test-token',
      DISCORD_PUBLIC_KEY: 'ab'.repeat(32),
      DISCORD_API_URL: discord.url,
    },
    opts.config,
    opts.log,
  );
  return {
    telegram,
    twilio,
    slack,
    discord,
    adapters,
    status: status as unknown as Record<string, string>,
    close: async () => {
      await Promise.all([telegram.close(), twilio.close(), slack.close(), discord.close()]);
    },
  };
}
