/**
 * Which customer channels are on, answered synchronously with every adapter imported (the CLI's
 * outage command, tests). `linka serve` uses `loadChannels` (channel-setup.ts), which imports
 * only the adapters whose secrets are set.
 */
import type { LinkaConfig } from './config/schema.js';
import type { Logger } from './runtime/logger.js';
import type { Metrics } from './runtime/metrics.js';
import * as telegram from '../adapters/telegram/index.js';
import * as twilio from '../adapters/twilio/index.js';
import * as slack from '../adapters/slack/index.js';
import * as discord from '../adapters/discord/index.js';
import { buildChannels, type ChannelSetup } from './channel-setup.js';

export type { ChannelSetup } from './channel-setup.js';
export { loadChannels } from './channel-setup.js';

/** Builds the adapters whose secrets are present. Secrets come only from the environment. */
export function createChannels(env: NodeJS.ProcessEnv, config: LinkaConfig, log: Logger, metrics?: Metrics): ChannelSetup {
  return buildChannels(env, config, log, metrics, { telegram, twilio, slack, discord });
}
