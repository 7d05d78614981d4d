// The valid payloads of every route Linka serves, and their signatures as each platform makes
// them, for test/fuzz.test.ts to mutate: Telegram updates, Twilio forms (inbound SMS and delivery
// reports), Slack events/clicks/commands, Discord interactions, outage API, Alertmanager and
// balances JSON. Random choices come from the test's seeded Rng.
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import twilio from 'twilio';
import { slackSignature } from '../../adapters/slack/receiver.js';
import { APP_ID } from '../fakes/discord-fake.js';
import { slack as slackBody } from '../fakes/slack-fake.js';
import { tg } from '../fakes/telegram-fake.js';
import { newSid } from '../fakes/twilio-fake.js';
import type { Rng } from './fuzz.js';

export const TG_SECRET = 'tg-fuzz-secret_0123';
export const ACCOUNT_SID = `AC${'7'.repeat(32)}`;
export const AUTH_TOKEN = 'twilio-fuzz-auth-token';
export const PUBLIC_URL = 'https://linka.example.net';
export const SLACK_SECRET = 'slack-fuzz-signing-secret';
export const API_TOKEN = 'fuzz-api-token-0123456789abcdef0123';
export const QUEUE = '900000000000000010';
export const PETR = { user: { id: '900000000000000101', username: 'petr', global_name: 'Petr' }, nick: null, roles: [] as string[] };
const { privateKey: DISCORD_KEY, publicKey } = generateKeyPairSync('ed25519');
/** A key that is not the application's. */
export const OTHER_KEY = generateKeyPairSync('ed25519').privateKey;
export const DISCORD_PUBLIC = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'alertmanager');
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));

export const JSON_TYPE = 'application/json';
export const FORM = 'application/x-www-form-urlencoded';
export const nowSeconds = () => Math.floor(Date.now() / 1000);

// ---- signing as each platform does ----
export const telegramHeaders = (secret: string | null) => ({
  'content-type': JSON_TYPE,
  ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
});
export const twilioSignature = (p: string, params: Record<string, string>, token = AUTH_TOKEN, base = PUBLIC_URL) =>
  twilio.getExpectedTwilioSignature(token, base + p, params);
export const slackHeaders = (body: Buffer, type: string, o: { ts?: string; secret?: string; signature?: string } = {}) => {
  const ts = o.ts ?? String(nowSeconds());
  return {
    'content-type': type,
    'x-slack-request-timestamp': ts,
    'x-slack-signature': o.signature ?? slackSignature(o.secret ?? SLACK_SECRET, ts, body.toString('utf8')),
  };
};
export const discordHeaders = (body: Buffer, o: { key?: typeof DISCORD_KEY; ts?: string; signedTs?: string; signed?: Buffer } = {}) => {
  const ts = o.ts ?? String(nowSeconds());
  const signature = sign(null, Buffer.concat([Buffer.from(o.signedTs ?? ts), o.signed ?? body]), o.key ?? DISCORD_KEY).toString('hex');
  return { 'content-type': JSON_TYPE, 'x-signature-ed25519': signature, 'x-signature-timestamp': ts };
};
export const bearer = { authorization: `Bearer ${API_TOKEN}`, 'content-type': JSON_TYPE };

/** Valid payloads of every route; `sentSids` names the SMS Linka has sent so far (for delivery reports). */
export function corpus(rng: Rng, sentSids: () => string[]) {
  const hex = (n: number) => rng.bytes(n).toString('hex');
  const chats = [7001, 7002, 7003, 7004, 7005];
  return {
    telegram() {
      const chatId = rng.pick(chats);
      return rng.pick([
        () => tg.text(rng.string(60) || 'ahoj', { chatId }),
        () => tg.text('/start 2024-0153', { chatId }),
        () => tg.contact('+420603123456', chatId, { chatId }),
        () => tg.photo('AgAD', 'světla', chatId),
        () => tg.sticker(chatId),
        () => tg.press('menu', 100, 'Co nefunguje?', [{ text: 'Menu', callback_data: 'menu' }], chatId),
      ])();
    },
    sms: (): Record<string, string> => ({
      MessageSid: newSid(),
      AccountSid: ACCOUNT_SID,
      From: rng.pick(['+420603123456', '+420777000111', '+421905123456', '603123456']),
      To: '+420700800900',
      Body: rng.string(80) || 'nejde internet',
      NumMedia: rng.pick(['0', '1']),
      MediaContentType0: 'image/jpeg',
      MediaUrl0: 'https://api.twilio.com/x.jpg',
    }),
    /** A delivery report, mostly about an SMS Linka sent (an unknown id waits a few seconds for the send to be saved). */
    status(): Record<string, string> {
      const sids = sentSids();
      return {
        MessageSid: sids.length && rng.chance(0.9) ? rng.pick(sids) : newSid(),
        MessageStatus: rng.pick(['queued', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'accepted']),
        AccountSid: ACCOUNT_SID,
        ErrorCode: rng.pick(['', '30003', '21610']),
      };
    },
    slack: (): { body: string; type: string } =>
      rng.pick([
        () => ({ body: slackBody.message(rng.string(80) || 'dobrý den', 'UPETR', { threadTs: '1795300001.000100' }), type: JSON_TYPE }),
        () => ({
          body: slackBody.click(rng.pick(['claim', 'release', 'resolve', 'offer']), `T-2026-0000${rng.int(9)}`, rng.pick(['UPETR', 'UNOBODY'])),
          type: FORM,
        }),
        () => ({ body: slackBody.command(rng.pick(['queue', 'help', 'claim T-2026-00001', 'note T-2026-00001 x', 'outage list', '']), 'UPETR'), type: FORM }),
        () => ({ body: JSON.stringify({ type: 'url_verification', token: 'x', challenge: hex(8) }), type: JSON_TYPE }),
      ])(),
    discord: (): Record<string, unknown> =>
      rng.pick([
        () => ({ type: 1, id: String(rng.int(1e9)), application_id: APP_ID }),
        () => ({
          id: String(1e18 + rng.int(1e9)),
          application_id: APP_ID,
          type: 3,
          token: 't',
          version: 1,
          channel_id: QUEUE,
          member: PETR,
          data: { custom_id: `linka:claim:T-2026-0000${rng.int(9)}`, component_type: 2 },
        }),
        () => ({
          id: String(1e18 + rng.int(1e9)),
          application_id: APP_ID,
          type: 2,
          token: 't',
          version: 1,
          channel_id: QUEUE,
          member: PETR,
          data: {
            id: '1',
            name: 'linka',
            type: 1,
            options: [
              {
                type: 1,
                name: rng.pick(['queue', 'note', 'help', 'time']),
                options: [
                  { type: 3, name: 'ticket', value: 'T-2026-00001' },
                  { type: 3, name: 'text', value: 'x' },
                ],
              },
            ],
          },
        }),
      ])(),
    api(route: string): unknown {
      if (route === '/api/outages') return { areas: ['Plzeň-Bory'], title: 'Výpadek', services: ['internet'], key: `k${rng.int(50)}` };
      if (route === '/api/outages/x1') return { status: 'identified', estimatedEnd: '2026-11-24T14:30:00+01:00' };
      if (route === '/alerts/alertmanager') return fixture(rng.pick(['firing', 'resolved', 'firing-repeat']));
      if (route === '/api/balances') return [{ contract: '2024-0153', balance: 123450 }];
      return {};
    },
  };
}
