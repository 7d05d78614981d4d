// Hostile input against one running Linka with every channel on (fakes on 127.0.0.1): 5,000
// random and mutated requests at every route. Mutations start from real, valid payloads of each
// route (Telegram updates, Twilio forms, Slack events/clicks/commands, Discord interactions,
// outage API and Alertmanager JSON, balances), plus random bytes, bodies over the limit (declared
// and chunked), wrong content types, bad UTF-8, deep JSON, unknown paths and wrong methods.
//   Phase 1, refused: unsigned, forged, stale or malformed requests. Each must get a 4xx (never a
//   5xx, never a dropped connection) and nothing may be stored.
//   Phase 2, signed: mutated payloads that carry a valid signature/secret/token. They may be
//   accepted (counted) or refused, but never answered with a 5xx.
// At the end the process still serves: /healthz is 200 and a customer still gets an answer.
// The seed is fixed (LINKA_FUZZ_SEED picks another); a failure prints the seed and samples.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deep, mutateBytes, mutateForm, mutateJson, pool, Rng, send, sendRaw, type RawAnswer, type RawRequest } from './helpers/fuzz.js';
import {
  ACCOUNT_SID,
  API_TOKEN,
  AUTH_TOKEN,
  bearer,
  corpus,
  DISCORD_PUBLIC,
  discordHeaders,
  FORM,
  JSON_TYPE,
  nowSeconds,
  OTHER_KEY,
  PETR,
  PUBLIC_URL,
  QUEUE,
  SLACK_SECRET,
  slackHeaders,
  TG_SECRET,
  telegramHeaders,
  twilioSignature,
} from './helpers/fuzz-corpus.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { startDiscordFake, type DiscordFake } from './fakes/discord-fake.js';
import { eventually } from './fakes/fake-server.js';
import { startSlackFake, type SlackFake } from './fakes/slack-fake.js';
import { startTelegramFake, tg, type TelegramFake } from './fakes/telegram-fake.js';
import { startTwilioFake, type TwilioFake } from './fakes/twilio-fake.js';

const SEED = Number(process.env.LINKA_FUZZ_SEED ?? 20261123);
const REFUSED = 3000;
const SIGNED = 2000;
const LIMIT = 32 * 1024; // server.bodyLimitBytes: "huge" bodies stay cheap to send

const POST_ROUTES = [
  '/telegram/webhook',
  '/sms/twilio',
  '/sms/twilio/status',
  '/slack/events',
  '/discord/interactions',
  '/api/outages',
  '/api/outages/x1',
  '/api/outages/x1/resolve',
  '/alerts/alertmanager',
  '/api/balances',
];

const rng = new Rng(SEED);
const buf = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
const hex = (n: number) => rng.bytes(n).toString('hex');
const valid = corpus(rng, () => sms?.sent.map((s) => s.sid) ?? []);
const { telegram: validTelegram, sms: validSms, status: validStatus, slack: validSlack, discord: validDiscord, api: validApi } = valid;

/** A body that is certainly not JSON (nor a form Twilio could have signed). */
const notJson = (from: Buffer) => Buffer.concat([Buffer.from('{"'), mutateBytes(from, rng), Buffer.from([0xc3, 0x28])]);
/** Valid JSON that is no payload of any route. */
const notPayload = (): unknown =>
  rng.pick([null, 5, 'x', [], {}, [[[]]], { update_id: '1' }, { update_id: 1.5 }, { type: 'nope' }, { version: '3' }, deep(3000)]);

// ---- phase 1: requests that must be refused ----
function refused(): RawRequest {
  const route = rng.pick([...POST_ROUTES, 'http', 'http', 'huge']);
  const mutated = rng.chance(0.5);
  switch (route) {
    case '/telegram/webhook': {
      const body = mutated ? (rng.chance(0.5) ? buf(mutateJson(validTelegram(), rng)) : mutateBytes(buf(validTelegram()), rng)) : buf(validTelegram());
      return rng.pick([
        () => ({ method: 'POST', path: route, headers: telegramHeaders(null), body }),
        () => ({
          method: 'POST',
          path: route,
          headers: telegramHeaders(rng.pick([`${TG_SECRET}x`, TG_SECRET.slice(0, -1), TG_SECRET.toUpperCase(), hex(10), `${TG_SECRET} x`, '-'])),
          body,
        }),
        () => ({ method: 'POST', path: route, headers: telegramHeaders(TG_SECRET), body: notJson(body) }),
        () => ({ method: 'POST', path: route, headers: telegramHeaders(TG_SECRET), body: buf(notPayload()) }),
      ])();
    }
    case '/sms/twilio':
    case '/sms/twilio/status': {
      const params = route === '/sms/twilio' ? validSms() : validStatus();
      const sent = mutated ? mutateForm(params, rng) : params;
      const form = (p: Record<string, string>) => buf(new URLSearchParams(p).toString());
      return rng.pick([
        () => ({ method: 'POST', path: route, headers: { 'content-type': FORM }, body: form(sent) }),
        () => ({ method: 'POST', path: route, headers: { 'content-type': FORM, 'x-twilio-signature': rng.bytes(20).toString('base64') }, body: form(sent) }),
        () => ({
          method: 'POST',
          path: route,
          headers: { 'content-type': FORM, 'x-twilio-signature': twilioSignature(route, sent, 'another-token') },
          body: form(sent),
        }),
        () => ({
          method: 'POST',
          path: route,
          headers: { 'content-type': FORM, 'x-twilio-signature': twilioSignature(route, sent, AUTH_TOKEN, 'http://127.0.0.1:3000') },
          body: form(sent),
        }),
        () => ({
          method: 'POST',
          path: route,
          headers: { 'content-type': FORM, 'x-twilio-signature': twilioSignature(route, params) },
          body: form({ ...params, Body: `${params.Body ?? ''}!`, Extra: hex(3) }),
        }),
        () => ({
          method: 'POST',
          path: route,
          headers: {
            'content-type': rng.pick([JSON_TYPE, 'text/plain', 'multipart/form-data; boundary=x']),
            'x-twilio-signature': twilioSignature(route, params),
          },
          body: form(params),
        }),
        () => ({
          method: 'POST',
          path: route,
          headers: { 'content-type': FORM, 'x-twilio-signature': twilioSignature(route, params) },
          body: Buffer.concat([form(params), Buffer.from(rng.pick(['&Body=%zz', '&Body=%C3%28', '&x=%', '&Body=%E2%82']))]),
        }),
      ])();
    }
    case '/slack/events': {
      const v = validSlack();
      const body = mutated ? mutateBytes(buf(v.body), rng) : buf(v.body);
      const old = String(nowSeconds() - 301 - rng.int(100_000));
      const future = String(nowSeconds() + 301 + rng.int(100_000));
      return rng.pick([
        () => ({ method: 'POST', path: route, headers: { 'content-type': v.type }, body }),
        () => ({ method: 'POST', path: route, headers: slackHeaders(body, v.type, { signature: `v0=${hex(32)}` }), body }),
        () => ({ method: 'POST', path: route, headers: slackHeaders(body, v.type, { secret: 'not-the-secret' }), body }),
        () => ({ method: 'POST', path: route, headers: slackHeaders(body, v.type, { ts: rng.pick([old, future]) }), body }),
        () => ({ method: 'POST', path: route, headers: slackHeaders(body, v.type, { ts: rng.pick(['abc', '-5', '1e9', '', '99999999999999']) }), body }),
        () => ({ method: 'POST', path: route, headers: { ...slackHeaders(buf(validSlack().body), v.type) }, body }),
        () => {
          // Signed, but not a Slack request: wrong content type, not JSON, neither payload nor command.
          const [b, type] = rng.pick<[Buffer, string]>([
            [body, rng.pick(['text/plain', 'application/xml', 'multipart/form-data'])],
            [notJson(body), JSON_TYPE],
            [buf('payload=%7Bnot-json'), FORM],
            [buf(`x=${hex(4)}`), FORM],
            [buf(JSON.stringify(notPayload())), JSON_TYPE],
            [buf(JSON.stringify({ type: 'event_callback', event: { type: 'message' } })), JSON_TYPE],
          ]);
          return { method: 'POST', path: route, headers: slackHeaders(b, type), body: b };
        },
      ])();
    }
    case '/discord/interactions': {
      const v = validDiscord();
      const body = mutated ? buf(mutateJson(v, rng)) : buf(v);
      const ts = String(nowSeconds());
      return rng.pick([
        () => ({ method: 'POST', path: route, headers: { 'content-type': JSON_TYPE }, body }),
        () => ({ method: 'POST', path: route, headers: { 'content-type': JSON_TYPE, 'x-signature-ed25519': hex(64), 'x-signature-timestamp': ts }, body }),
        () => ({ method: 'POST', path: route, headers: discordHeaders(body, { key: OTHER_KEY }), body }),
        () => ({ method: 'POST', path: route, headers: discordHeaders(body, { signed: buf(validDiscord()) }), body }),
        () => ({ method: 'POST', path: route, headers: discordHeaders(body, { signedTs: String(Number(ts) - 1) }), body }),
        () => ({
          method: 'POST',
          path: route,
          headers: { 'content-type': JSON_TYPE, 'x-signature-ed25519': rng.pick(['zz', hex(63), `${hex(64)}00`, '']), 'x-signature-timestamp': ts },
          body,
        }),
        () => {
          const b = rng.chance(0.5) ? notJson(body) : buf(rng.pick([null, 5, {}, [], { type: 'x' }, { type: 2 }, { type: 3, id: '' }, deep(2000)]));
          return { method: 'POST', path: route, headers: discordHeaders(b), body: b };
        },
      ])();
    }
    case 'http': {
      const known = [...POST_ROUTES, '/healthz', '/metrics'];
      return rng.pick([
        () => ({
          method: rng.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']),
          path: rng.pick([
            '/',
            '/telegram',
            '/telegram/webhook/x',
            '/TELEGRAM/WEBHOOK',
            '/telegram//webhook',
            '/sms',
            '/api',
            '/api/outages/a/b/c',
            '/api/outages/%zz/resolve',
            '/%',
            '/..%2f..%2fetc%2fpasswd',
            `/${hex(12)}`,
            '/healthz/x',
            '/slack/events/',
            '/discord',
          ]),
          headers: {},
          body: rng.bytes(rng.int(50)),
        }),
        () => ({
          method: rng.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']),
          path: rng.pick(POST_ROUTES.filter((r) => r !== '/api/outages')),
          headers: bearer,
          body: buf(validApi('/api/outages')),
        }),
        () => ({ method: rng.pick(['POST', 'PUT', 'DELETE']), path: rng.pick(['/healthz', '/metrics']), headers: {}, body: rng.bytes(10) }),
        () => ({ method: 'GET', path: `/${'a'.repeat(20_000)}`, headers: {} }),
        () => ({ method: 'POST', path: rng.pick(known), headers: { 'content-type': JSON_TYPE, 'x-custom': 'x'.repeat(17_000) }, body: buf('{}') }),
      ])();
    }
    case 'huge': {
      const target = rng.pick(POST_ROUTES);
      const body = rng.chance(0.5)
        ? Buffer.alloc(LIMIT + 1 + rng.int(3 * LIMIT), 'a')
        : Buffer.concat([buf('{"update_id":1,"message":{"text":"'), Buffer.alloc(LIMIT, 'x'), buf('"}}')]);
      const headers =
        target === '/telegram/webhook'
          ? telegramHeaders(TG_SECRET)
          : target.startsWith('/api') || target.startsWith('/alerts')
            ? bearer
            : { 'content-type': JSON_TYPE };
      return { method: 'POST', path: target, headers, body, chunked: rng.chance(0.5) };
    }
    default: {
      // The token-protected API: wrong or missing token, or the right one with a body that is not a valid request.
      const body = mutated ? buf(mutateJson(validApi(route), rng)) : buf(validApi(route));
      return rng.pick([
        () => ({ method: 'POST', path: route, headers: { 'content-type': JSON_TYPE }, body }),
        () => ({
          method: 'POST',
          path: route,
          headers: {
            'content-type': JSON_TYPE,
            authorization: rng.pick([
              `Bearer ${API_TOKEN}x`,
              `Bearer ${API_TOKEN.slice(1)}`,
              `Basic ${Buffer.from(`a:${API_TOKEN}`).toString('base64')}`,
              'Bearer',
              `Token ${API_TOKEN}`,
              `Bearer ${hex(16)}`,
            ]),
          },
          body,
        }),
        () => ({ method: 'GET', path: '/api/outages', headers: { authorization: `Bearer ${hex(20)}` } }),
        () => {
          if (route.endsWith('/resolve') || route === '/api/outages/x1') return { method: 'POST', path: route, headers: bearer, body }; // no such outage: 404 or 400
          const b = rng.pick([
            () => notJson(body),
            () => buf(notPayload()),
            () => buf({ ...(validApi(route) as object), version: '3' }),
            () => buf(route === '/api/balances' ? [{ contract: 'NOPE-1', balance: 1 }] : { areas: [] }),
          ])();
          return { method: 'POST', path: route, headers: bearer, body: b };
        },
      ])();
    }
  }
}

// ---- phase 2: mutated payloads with a valid signature, secret or token ----
function signed(): RawRequest {
  const route = rng.pick(POST_ROUTES);
  const raw = rng.chance(0.15); // damage the bytes, then sign them
  switch (route) {
    case '/telegram/webhook': {
      const v = validTelegram();
      return {
        method: 'POST',
        path: route,
        headers: telegramHeaders(TG_SECRET),
        body: raw ? mutateBytes(buf(v), rng) : buf(rng.chance(0.2) ? v : mutateJson(v, rng)),
      };
    }
    case '/sms/twilio':
    case '/sms/twilio/status': {
      const params = mutateForm(route === '/sms/twilio' ? validSms() : validStatus(), rng);
      return {
        method: 'POST',
        path: route,
        headers: { 'content-type': FORM, 'x-twilio-signature': twilioSignature(route, params) },
        body: buf(new URLSearchParams(params).toString()),
      };
    }
    case '/slack/events': {
      const v = validSlack();
      let body: Buffer;
      if (raw) body = mutateBytes(buf(v.body), rng);
      else if (v.type === JSON_TYPE) body = buf(mutateJson(JSON.parse(v.body), rng));
      else {
        const form = Object.fromEntries(new URLSearchParams(v.body));
        if (form.payload) form.payload = JSON.stringify(mutateJson(JSON.parse(form.payload), rng));
        body = buf(new URLSearchParams(form.payload ? form : mutateForm(form, rng)).toString());
      }
      return { method: 'POST', path: route, headers: slackHeaders(body, v.type), body };
    }
    case '/discord/interactions': {
      const body = raw ? mutateBytes(buf(validDiscord()), rng) : buf(mutateJson(validDiscord(), rng));
      return { method: 'POST', path: route, headers: discordHeaders(body), body };
    }
    default: {
      const body = raw ? mutateBytes(buf(validApi(route)), rng) : buf(rng.chance(0.2) ? validApi(route) : mutateJson(validApi(route), rng));
      return { method: 'POST', path: route, headers: bearer, body };
    }
  }
}

let t: TestLinka;
let telegram: TelegramFake;
let sms: TwilioFake;
let slackFake: SlackFake;
let discord: DiscordFake;
let port: number;

const counts = async () => {
  const p = t.linka.db.prisma;
  const [processedInbound, message, conversation, ticket, outage, outboxItem] = await Promise.all([
    p.processedInbound.count(),
    p.message.count(),
    p.conversation.count(),
    p.ticket.count(),
    p.outage.count(),
    p.outboxItem.count(),
  ]);
  return { processedInbound, message, conversation, ticket, outage, outboxItem };
};

const describeRequest = (r: RawRequest, a: RawAnswer) =>
  `${r.method} ${r.path.slice(0, 80)} [${r.headers['content-type'] ?? '-'}; ${Object.keys(r.headers).join(',')}] ${r.body?.length ?? 0}B${r.chunked ? ' chunked' : ''} -> ${a.status} ${a.text.slice(0, 120)} | ${r.body?.subarray(0, 160).toString('utf8') ?? ''}`;

beforeAll(async () => {
  [telegram, sms, slackFake, discord] = await Promise.all([
    startTelegramFake(),
    startTwilioFake(ACCOUNT_SID),
    startSlackFake(),
    startDiscordFake({ channels: [QUEUE] }),
  ]);
  slackFake.users.set('UPETR', 'Petr');
  t = await startTestLinka({
    config: {
      company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' },
      workers: { outboxPollMs: 50, timerPollMs: 50 },
      server: { bodyLimitBytes: LIMIT },
      flood: { smsPerMinute: 10, telegramPerMinute: 20 }, // the defaults: mutated floods meet them
      slack: { queueChannel: 'CQUEUE', technicians: ['UPETR'] },
      discord: { queueChannel: QUEUE, technicians: [PETR.user.id] },
    },
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
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: slackFake.url,
      DISCORD_BOT_TOKEN: 'discord-test-token',
      DISCORD_PUBLIC_KEY: DISCORD_PUBLIC,
      DISCORD_API_URL: discord.url,
      LINKA_API_TOKEN: API_TOKEN,
    },
  });
  port = t.linka.address.port;
  expect([...t.linka.channels].sort()).toEqual(['discord', 'slack', 'sms', 'telegram']);
});
afterAll(async () => {
  await t?.stop();
  await Promise.all([telegram?.close(), sms?.close(), slackFake?.close(), discord?.close()]);
});

describe(`fuzz (seed ${SEED}; LINKA_FUZZ_SEED=<n> for another)`, () => {
  it('refuses unsigned, forged and malformed requests with a 4xx and stores nothing', async () => {
    const before = await counts();
    const requests = Array.from({ length: REFUSED }, () => refused());
    const answers = await pool(
      requests.map((r) => () => send(port, r)),
      8,
    );
    // Not HTTP at all, or broken HTTP: the server answers 400 (or hangs up) and goes on.
    const garbage = await Promise.all(
      [
        rng.bytes(200),
        Buffer.from('POST /telegram/webhook HTTP/1.1\r\nContent-Length: -5\r\n\r\n'),
        Buffer.from('GET / HTTP/9.9\r\n\r\n'),
        Buffer.from('POST /sms/twilio HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'),
      ].map((b) => sendRaw(port, b)),
    );
    const bad = answers.map((a, i) => ({ a, r: requests[i] as RawRequest })).filter(({ a }) => a.status < 400 || a.status > 499);
    expect(
      bad.slice(0, 10).map(({ r, a }) => describeRequest(r, a)),
      `seed ${SEED}: ${bad.length} of ${REFUSED} refused requests were not answered with a 4xx`,
    ).toEqual([]);
    for (const g of garbage) expect(g === '' || /^HTTP\/1\.1 4\d\d/.test(g), g.slice(0, 80)).toBe(true);
    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 401, 403, 404, 405, 413]));
    expect(await counts()).toEqual(before);
  }, 120_000);

  it('answers mutated but validly signed payloads without a 5xx, accepting some', async () => {
    // Made when sent, so that delivery reports can name the SMS Linka has sent by then.
    const requests: RawRequest[] = [];
    const answers = await pool(
      Array.from({ length: SIGNED }, (_, i) => () => send(port, (requests[i] = signed()))),
      16,
    );
    const bad = answers.map((a, i) => ({ a, r: requests[i] as RawRequest })).filter(({ a }) => a.status >= 500 || a.status === 0);
    expect(
      bad.slice(0, 10).map(({ r, a }) => describeRequest(r, a)),
      `seed ${SEED}: ${bad.length} of ${SIGNED} signed requests got a 5xx or no answer`,
    ).toEqual([]);
    const accepted = answers.filter((a) => a.status >= 200 && a.status < 300).length;
    // Enough get through to the dispatcher and the queue to have exercised them.
    expect(accepted).toBeGreaterThan(SIGNED / 5);
    expect(await t.linka.db.prisma.processedInbound.count()).toBeGreaterThan(50);
    console.info(`fuzz seed ${SEED}: ${accepted} of ${SIGNED} signed requests accepted, ${SIGNED - accepted} refused with a 4xx`);
  }, 120_000);

  it('still serves: /healthz is 200 and a new customer gets an answer', async () => {
    const health = await send(port, { method: 'GET', path: '/healthz', headers: {} });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toMatchObject({ database: 'up' });
    const before = telegram.calls('sendMessage').length;
    const update = tg.text('/start', { chatId: 8999 });
    expect((await send(port, { method: 'POST', path: '/telegram/webhook', headers: telegramHeaders(TG_SECRET), body: buf(update) })).status).toBe(200);
    await eventually(
      () =>
        telegram
          .calls('sendMessage')
          .slice(before)
          .some((c) => String(c.chat_id) === '8999'),
      10_000,
      'an answer to the new customer',
    );
  });
});
