/**
 * The channels an environment turns on, decided synchronously with every adapter imported: for
 * tests that ask what `linka serve` would decide (src/channels.ts, `buildChannels`; the server
 * itself uses `loadChannels`, which imports only the adapters whose secrets are set).
 */
import * as discord from '../../adapters/discord/index.js';
import * as email from '../../adapters/email/index.js';
import * as slack from '../../adapters/slack/index.js';
import * as telegram from '../../adapters/telegram/index.js';
import * as twilio from '../../adapters/twilio/index.js';
import { buildChannels, type ChannelSetup } from '../../src/channels.js';
import type { LinkaConfig } from '../../src/config/schema.js';
import type { Logger } from '../../src/observability/logger.js';
import type { Metrics } from '../../src/observability/metrics.js';

export function allChannels(env: NodeJS.ProcessEnv, config: LinkaConfig, log: Logger, metrics?: Metrics): ChannelSetup {
  return buildChannels(env, config, log, metrics, { telegram, twilio, slack, discord, email });
}
