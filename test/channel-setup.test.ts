// `linka serve` builds its channels with loadChannels, which imports only the adapters whose
// secrets are set; it must decide exactly as createChannels (every adapter imported) does.
import { describe, expect, it } from 'vitest';
import { adaptersWanted, loadChannels } from '../src/channel-setup.js';
import { createChannels } from '../src/channels.js';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/runtime/logger.js';

const DEAD = 'http://127.0.0.1:9';
const telegram = { TELEGRAM_BOT_TOKEN: '123456:TEST', TELEGRAM_WEBHOOK_SECRET: 'secret_1', TELEGRAM_API_ROOT: DEAD };
const twilio = { TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'x'.repeat(32), TWILIO_FROM: '+420700800900', TWILIO_API_URL: DEAD, PUBLIC_URL: 'https://linka.example.net' };
const slack = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'signing', SLACK_API_URL: `${DEAD}/api/` };
const discord = { DISCORD_BOT_TOKEN: 'bot', DISCORD_PUBLIC_KEY: 'a'.repeat(64), DISCORD_API_URL: `${DEAD}/api` };

describe('loadChannels', () => {
  const config = parseConfig({ slack: { queueChannel: 'C0QUEUE' }, discord: { queueChannel: '1300000000000000001' } });
  const cases: Array<[string, Record<string, string>]> = [
    ['no channel', {}],
    ['telegram only', telegram],
    ['a bad telegram secret', { ...telegram, TELEGRAM_WEBHOOK_SECRET: 'bad secret!' }],
    ['sms without PUBLIC_URL', { ...twilio, PUBLIC_URL: '' }],
    ['every channel', { ...telegram, ...twilio, ...slack, ...discord }],
    ['discord with a bad key', { ...discord, DISCORD_PUBLIC_KEY: 'nothex' }],
  ];
  it.each(cases)('decides as createChannels does: %s', async (_name, env) => {
    const loaded = await loadChannels(env, config, silentLogger());
    const created = createChannels(env, config, silentLogger());
    expect(loaded.status).toEqual(created.status);
    expect(loaded.adapters.map((a) => a.port?.channel ?? a.team?.platform)).toEqual(created.adapters.map((a) => a.port?.channel ?? a.team?.platform));
  });

  it('wants only the adapters whose secrets are set', () => {
    expect(adaptersWanted({})).toEqual([]);
    expect(adaptersWanted(telegram)).toEqual(['telegram']);
    expect(adaptersWanted({ ...slack, TWILIO_ACCOUNT_SID: 'AC1' })).toEqual(['slack']);
    expect(adaptersWanted({ ...telegram, ...twilio, ...slack, ...discord })).toEqual(['telegram', 'twilio', 'slack', 'discord']);
  });
});
