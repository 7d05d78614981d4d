// Every route's answer to hostile input, route by route (test/fuzz.test.ts throws thousands of
// random requests; this is the table of what each one must answer): no or forged credentials
// 401/403, a malformed body 400, a body over server.bodyLimitBytes 413 (declared or chunked),
// an unknown path 404, a wrong method 405; and the helpers behind them: JSON parsing that makes
// lone surrogates harmless, and the recognition of a database that is down (503, not 500).
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson } from '../src/server/http.js';
import { isDatabaseUnavailable } from '../src/store/availability.js';
import { send, type RawRequest } from './helpers/fuzz.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { signed, startSlackFake, type SlackFake } from './fakes/slack-fake.js';
import { startTelegramFake, type TelegramFake } from './fakes/telegram-fake.js';
import { startTwilioFake, type TwilioFake } from './fakes/twilio-fake.js';
import twilio from 'twilio';

const LIMIT = 16 * 1024;
const TG_SECRET = 'tg-secret';
const ACCOUNT_SID = `AC${'4'.repeat(32)}`;
const AUTH_TOKEN = 'twilio-hostile-auth-token';
const PUBLIC_URL = 'https://linka.example.net';
const API_TOKEN = 'hostile-api-token-0123456789abcdef';
const { privateKey: DISCORD_KEY, publicKey } = generateKeyPairSync('ed25519');
const JSON_TYPE = 'application/json';
const FORM = 'application/x-www-form-urlencoded';
const b = (s: string) => Buffer.from(s);

/** Valid credentials for each route, for a given body. */
const auth: Record<string, (body: Buffer) => Record<string, string>> = {
  '/telegram/webhook': () => ({ 'content-type': JSON_TYPE, 'x-telegram-bot-api-secret-token': TG_SECRET }),
  '/sms/twilio': (body) => ({
    'content-type': FORM,
    'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/sms/twilio`, Object.fromEntries(new URLSearchParams(body.toString()))),
  }),
  '/sms/twilio/status': (body) => ({
    'content-type': FORM,
    'x-twilio-signature': twilio.getExpectedTwilioSignature(
      AUTH_TOKEN,
      `${PUBLIC_URL}/sms/twilio/status`,
      Object.fromEntries(new URLSearchParams(body.toString())),
    ),
  }),
  '/slack/events': (body) => ({ 'content-type': JSON_TYPE, ...signed(body.toString(), JSON_TYPE).headers }),
  '/discord/interactions': (body) => {
    const ts = String(Math.floor(Date.now() / 1000));
    return {
      'content-type': JSON_TYPE,
      'x-signature-timestamp': ts,
      'x-signature-ed25519': sign(null, Buffer.concat([b(ts), body]), DISCORD_KEY).toString('hex'),
    };
  },
  '/api/outages': () => ({ 'content-type': JSON_TYPE, authorization: `Bearer ${API_TOKEN}` }),
  '/api/outages/nope': () => ({ 'content-type': JSON_TYPE, authorization: `Bearer ${API_TOKEN}` }),
  '/alerts/alertmanager': () => ({ 'content-type': JSON_TYPE, authorization: `Bearer ${API_TOKEN}` }),
  '/api/balances': () => ({ 'content-type': JSON_TYPE, authorization: `Bearer ${API_TOKEN}` }),
};
/** A plausible body for each route (valid or not: only the credentials are under test). */
const bodyOf: Record<string, Buffer> = {
  '/telegram/webhook': b('{"update_id":1,"message":{"message_id":1,"date":0,"chat":{"id":1,"type":"private"},"from":{"id":1},"text":"hi"}}'),
  '/sms/twilio': b(new URLSearchParams({ MessageSid: 'SM1', From: '+420603123456', To: '+420700800900', Body: 'ahoj' }).toString()),
  '/sms/twilio/status': b(new URLSearchParams({ MessageSid: 'SM1', MessageStatus: 'delivered' }).toString()),
  '/slack/events': b('{"type":"url_verification","challenge":"c"}'),
  '/discord/interactions': b('{"type":1}'),
  '/api/outages': b('{"areas":["Plzeň-Bory"]}'),
  '/api/outages/nope': b('{"status":"identified"}'),
  '/alerts/alertmanager': b('{"version":"4","status":"firing","alerts":[]}'),
  '/api/balances': b('[{"contract":"x","balance":1}]'),
};
/** What each route answers without credentials, and with forged ones. */
const refusal: Record<string, number> = {
  '/telegram/webhook': 403,
  '/sms/twilio': 403,
  '/sms/twilio/status': 403,
  '/slack/events': 401,
  '/discord/interactions': 401,
  '/api/outages': 401,
  '/api/outages/nope': 401,
  '/alerts/alertmanager': 401,
  '/api/balances': 401,
};
const forge = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [
      k,
      k === 'content-type' || k === 'x-slack-request-timestamp' || k === 'x-signature-timestamp'
        ? v
        : k === 'x-signature-ed25519'
          ? 'ab'.repeat(64)
          : k === 'x-slack-signature'
            ? `v0=${'0'.repeat(64)}`
            : `${v.slice(0, -2)}xx`,
    ]),
  );
const routes = Object.keys(auth);

let t: TestLinka;
let telegram: TelegramFake;
let sms: TwilioFake;
let slackFake: SlackFake;
const post = (path: string, headers: Record<string, string>, body: Buffer, extra: Partial<RawRequest> = {}) =>
  send(t.linka.address.port, { method: 'POST', path, headers, body, ...extra });

beforeAll(async () => {
  [telegram, sms, slackFake] = await Promise.all([startTelegramFake(), startTwilioFake(ACCOUNT_SID), startSlackFake()]);
  t = await startTestLinka({
    config: { server: { bodyLimitBytes: LIMIT }, slack: { queueChannel: 'CQUEUE' }, discord: { queueChannel: '900000000000000010' } },
    env: {
      TELEGRAM_BOT_TOKEN: '123456:TEST',
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TELEGRAM_API_ROOT: telegram.url,
      PUBLIC_URL,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: '+420700800900',
      TWILIO_API_URL: sms.url,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      SLACK_API_URL: slackFake.url,
      DISCORD_BOT_TOKEN: 'discord-test-token',
      DISCORD_PUBLIC_KEY: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'),
      DISCORD_API_URL: 'http://127.0.0.1:9',
      LINKA_API_TOKEN: API_TOKEN,
    },
  });
});
afterAll(async () => {
  await t?.stop();
  await Promise.all([telegram?.close(), sms?.close(), slackFake?.close()]);
});

describe('every route refuses hostile input with the right 4xx', () => {
  it('no credentials, or forged ones: 401 or 403, and nothing stored', async () => {
    const answers: Record<string, number[]> = {};
    for (const route of routes) {
      const body = bodyOf[route] as Buffer;
      const good = (auth[route] as (b: Buffer) => Record<string, string>)(body);
      answers[route] = [(await post(route, { 'content-type': good['content-type'] as string }, body)).status, (await post(route, forge(good), body)).status];
    }
    expect(answers).toEqual(Object.fromEntries(routes.map((r) => [r, [refusal[r], refusal[r]]])));
    const prisma = t.linka.db.prisma;
    expect(await Promise.all([prisma.processedInbound.count(), prisma.message.count(), prisma.outage.count(), prisma.outboxItem.count()])).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it('a malformed body with valid credentials: 400', async () => {
    const malformed: Array<[string, Buffer]> = [
      ['/telegram/webhook', b('{"update_id":')],
      ['/telegram/webhook', b('{"update_id":7,"message":{"chat":"x"}}')],
      ['/telegram/webhook', b('[]')],
      ['/sms/twilio', b('MessageSid=SM1&Body=%zz')],
      ['/sms/twilio', b('From=%2B420603123456&Body=x')],
      ['/sms/twilio/status', b('MessageSid=SM1&x=%C3%28')],
      ['/slack/events', b('{"type":')],
      ['/slack/events', b('{"type":"event_callback","event_id":"E1","event":{"type":"message","channel":null}}')],
      ['/discord/interactions', b('{"type":')],
      ['/discord/interactions', b('{"type":2}')],
      ['/api/outages', b('{"areas":')],
      ['/api/outages', b('{"areas":[]}')],
      ['/alerts/alertmanager', b('{"version":"3"}')],
      ['/api/balances', b('{}')],
    ];
    const statuses = [];
    for (const [route, body] of malformed)
      statuses.push([route, (await post(route, (auth[route] as (b: Buffer) => Record<string, string>)(body), body)).status]);
    expect(statuses).toEqual(malformed.map(([route]) => [route, 400]));
    // The wrong content type for a form or a Slack request.
    expect(
      (
        await post(
          '/sms/twilio',
          { ...(auth['/sms/twilio'] as (b: Buffer) => Record<string, string>)(bodyOf['/sms/twilio'] as Buffer), 'content-type': JSON_TYPE },
          bodyOf['/sms/twilio'] as Buffer,
        )
      ).status,
    ).toBe(400);
    const text = signed('{"type":"url_verification","challenge":"c"}', 'text/plain');
    expect((await post('/slack/events', { ...text.headers, 'content-type': 'text/plain' }, b(text.body))).status).toBe(400);
  });

  it('a body over the limit: 413 whether its length is declared or it comes chunked', async () => {
    for (const route of routes) {
      const huge = Buffer.alloc(LIMIT + 1, 'a');
      const headers = (auth[route] as (b: Buffer) => Record<string, string>)(huge);
      expect([route, (await post(route, headers, huge)).status]).toEqual([route, 413]);
      expect([route, (await post(route, headers, Buffer.alloc(3 * LIMIT, 'a'), { chunked: true })).status]).toEqual([route, 413]);
    }
  });

  it('an unknown path: 404; a wrong method: 405 with Allow', async () => {
    for (const path of ['/', '/telegram', '/telegram/webhook/x', '/api/outages/a/b/c', '/%zz', '/api/outages/%zz/resolve']) {
      expect([path, (await send(t.linka.address.port, { method: 'POST', path, headers: {} })).status]).toEqual([path, 404]);
    }
    for (const route of [...routes.filter((r) => r !== '/api/outages'), '/api/outages/x/resolve']) {
      const answer = await send(t.linka.address.port, { method: 'GET', path: route, headers: {} });
      expect([route, answer.status, answer.headers.allow]).toEqual([route, 405, 'POST']);
    }
    expect((await send(t.linka.address.port, { method: 'POST', path: '/healthz', headers: {} })).status).toBe(405);
  });
});

describe('parseJson', () => {
  it('parses as JSON.parse does, with lone surrogates replaced and pairs kept', () => {
    expect(parseJson('{"a":"x\\ud800y","\\udc00k":["\\ud83d\\udca5"]}')).toEqual({ a: 'x\ufffdy', '\ufffdk': ['💥'] });
    expect(parseJson('{"a":[1,{"b":null}]}')).toEqual({ a: [1, { b: null }] });
    expect(() => parseJson('{"a":')).toThrow(SyntaxError);
  });
});

describe('isDatabaseUnavailable', () => {
  it('recognises Prisma, driver adapter and socket errors of a database that cannot be reached, wrapped or not', () => {
    const prismaError = Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: 'P1001' });
    const adapterError = Object.assign(new Error('Raw query failed.'), {
      code: 'P2010',
      meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } },
    });
    const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    for (const err of [
      prismaError,
      adapterError,
      socket,
      { code: 'P1017' },
      { code: 'P2024' },
      { code: 'P1002' },
      new Error('Connection terminated unexpectedly'),
      { code: '57P01' },
      new Error('outer', { cause: socket }),
      { original: prismaError },
      { originals: [new Error('x'), adapterError] },
      new AggregateError([socket]),
    ])
      expect(isDatabaseUnavailable(err), String((err as Error).message ?? JSON.stringify(err))).toBe(true);
  });

  it('does not take a failed request for an outage', () => {
    for (const err of [
      new Error('boom'),
      { code: 'P2002' },
      { code: 'P2025' },
      Object.assign(new Error('unique'), { code: 'P2002', meta: { driverAdapterError: { cause: { kind: 'UniqueConstraintViolation' } } } }),
      null,
      undefined,
      'ECONNREFUSED',
      42,
    ]) {
      expect(isDatabaseUnavailable(err)).toBe(false);
    }
  });
});
