// Every inbound kind, delivered twice against one Linka (every channel on, fakes on 127.0.0.1),
// has one effect: a Telegram update (same update_id), an inbound SMS (same MessageSid), a Twilio
// delivery report (same MessageSid + status), a Slack event and its retry (same event_id, with
// X-Slack-Retry-Num), a Discord interaction (same id), an Alertmanager notification (same
// fingerprint + status). The two deliveries race each other where a platform can do that (a
// retry after a timeout arrives while the first is still being handled); both are answered 2xx.
// On SQLite, and on PostgreSQL when it is available (there the races are real).
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgAvailable } from './helpers/db.js';
import { seedCustomers } from './helpers/harness.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { APP_ID, startDiscordFake, type DiscordFake } from './fakes/discord-fake.js';
import { eventually } from './fakes/fake-server.js';
import { deliver, signed, slack, startSlackFake, JSON_TYPE, SIGNING_SECRET, type SlackFake } from './fakes/slack-fake.js';
import { startTelegramFake, tg, type TelegramFake } from './fakes/telegram-fake.js';
import { postSigned, startTwilioFake, type TwilioFake } from './fakes/twilio-fake.js';

const PG = await pgAvailable();
const TG_SECRET = 'tg-secret';
const ACCOUNT_SID = `AC${'3'.repeat(32)}`;
const AUTH_TOKEN = 'twilio-idem-auth-token';
const PUBLIC_URL = 'https://linka.example.net';
const API_TOKEN = 'idempotency-api-token-0123456789abcdef';
const QUEUE = '900000000000000010';
const PETR = { user: { id: '900000000000000101', username: 'petr', global_name: 'Petr' }, nick: null, roles: [] as string[] };
const { privateKey: DISCORD_KEY, publicKey } = generateKeyPairSync('ed25519');
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'alertmanager');
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
const OLT = 'am:8c1f3e7a9b2d4f60'; // the firing fixture's outage, in Plzeň-Bory where Jan Novák (Telegram 7001) lives

const twice = <T>(send: () => Promise<T>) => Promise.all([send(), send()]);

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('each inbound kind delivered twice has one effect, on $provider', ({ provider, skip }) => {
  let t: TestLinka;
  let telegram: TelegramFake;
  let sms: TwilioFake;
  let slackFake: SlackFake;
  let discord: DiscordFake;
  let ticket: string;
  const itOn = it.skipIf(skip);

  const webhook = (update: unknown) => t.post('/telegram/webhook', update, { 'x-telegram-bot-api-secret-token': TG_SECRET });
  const smsIn = (params: Record<string, string>, p = '/sms/twilio') =>
    postSigned({ localBase: t.base, publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, path: p, params });
  const telegramTexts = (chatId: number) =>
    telegram
      .calls('sendMessage')
      .filter((c) => String(c.chat_id) === String(chatId))
      .map((c) => String(c.text));
  const smsTexts = (to: string) => sms.sent.filter((s) => s.to === to).map((s) => s.body);
  /** Posts a signed interaction; returns the HTTP status and the interaction response Discord would show. */
  const interact = async (payload: unknown) => {
    const body = JSON.stringify(payload);
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${t.base}/discord/interactions`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-signature-timestamp': ts,
        'x-signature-ed25519': sign(null, Buffer.from(ts + body), DISCORD_KEY).toString('hex'),
      },
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  /** `/linka <sub>` typed by Petr in the queue channel. */
  const linkaCommand = (id: string, sub: string, options: Record<string, string>) => ({
    id,
    application_id: APP_ID,
    type: 2,
    token: 't',
    version: 1,
    channel_id: QUEUE,
    channel: { id: QUEUE, type: 0 },
    member: PETR,
    data: {
      id: '1',
      name: 'linka',
      type: 1,
      options: [{ type: 1, name: sub, options: Object.entries(options).map(([name, value]) => ({ type: 3, name, value })) }],
    },
  });
  /** A private answer to the technician, as Linka's interaction response carries it. */
  const privately = (content: string) => ({ type: 4, data: { content, flags: 64, allowed_mentions: { parse: [] } } });
  /**
   * Every delivery was answered, and the platforms' handlers finish their work before they
   * answer: whatever a duplicate did is in the outbox by now. Delivers it all; the work is done
   * when nothing is left pending in the outbox (no sleeping: a late duplicate would have to be
   * in the outbox already, and is delivered before anything is asserted).
   */
  const settle = async () => {
    await t.settle();
    await eventually(async () => (await t.linka.db.prisma.outboxItem.count({ where: { status: 'pending' } })) === 0, 5000, 'the outbox drained');
  };
  const events = (type: string) => t.linka.db.prisma.ticketEvent.count({ where: { type, ticket: { number: ticket } } });

  beforeAll(async () => {
    if (skip) return;
    [telegram, sms, slackFake, discord] = await Promise.all([
      startTelegramFake(),
      startTwilioFake(ACCOUNT_SID),
      startSlackFake(),
      startDiscordFake({ channels: [QUEUE] }),
    ]);
    slackFake.users.set('UPETR', 'Petr');
    t = await startTestLinka({
      provider,
      config: {
        company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' },
        workers: { outboxPollMs: 50, timerPollMs: 50 },
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
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slackFake.url,
        DISCORD_BOT_TOKEN: 'discord-test-token',
        DISCORD_PUBLIC_KEY: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'),
        DISCORD_API_URL: discord.url,
        LINKA_API_TOKEN: API_TOKEN,
      },
    });
    await seedCustomers(t.linka.db);
    await t.linka.db.prisma.customer.update({ where: { contractNumber: '2024-0153' }, data: { telegramId: '7001' } });
    // A ticket of Jan Novák's, with its card in Slack and in Discord, for the technicians' deliveries.
    for (const [i, text] of ['menu', '4', 'Nejde mi odeslat e-mail přes váš server.', 'dnes', 'ano'].entries()) {
      await t.linka.runtime.dispatch({
        dedupeId: `setup:${i}`,
        conversationId: 'telegram:7001',
        channel: 'telegram',
        event: { kind: 'text', text },
        sender: { telegramId: '7001' },
      });
    }
    ticket = (await t.linka.db.prisma.ticket.findFirstOrThrow({ where: { conversationId: 'telegram:7001' } })).number;
    await settle();
    await eventually(() => t.linka.db.prisma.teamPost.count({ where: { ticket: { number: ticket } } }).then((n) => n === 2), 5000, 'the cards');
  });
  afterAll(async () => {
    if (skip) return;
    await t?.stop();
    await Promise.all([telegram?.close(), sms?.close(), slackFake?.close(), discord?.close()]);
  });

  itOn('Telegram: one update_id, delivered twice at once, is answered once', async () => {
    const update = tg.text('/start', { chatId: 7101 });
    const answers = await twice(() => webhook(update));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await webhook(tg.text('/start', { chatId: 7102 })); // the same message once, for comparison
    await settle();
    expect(telegramTexts(7101).length).toBeGreaterThan(0);
    expect(telegramTexts(7101)).toEqual(telegramTexts(7102));
    const prisma = t.linka.db.prisma;
    expect(await prisma.processedInbound.count({ where: { id: `telegram:update:${update.update_id}` } })).toBe(1);
    expect(await prisma.message.count({ where: { conversationId: 'telegram:7101', direction: 'in' } })).toBe(1);
  });

  itOn('SMS: one MessageSid, delivered twice at once, is answered once; one delivery report, twice, redelivers once', async () => {
    const params = (from: string, sid: string) => ({
      MessageSid: sid,
      AccountSid: ACCOUNT_SID,
      From: from,
      To: '+420700800900',
      Body: 'Dobrý den, nejde mi internet',
      NumMedia: '0',
    });
    const answers = await twice(() => smsIn(params('+420777000111', 'SMidem0001')));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await smsIn(params('+420777000222', 'SMidem0002'));
    await settle();
    expect(smsTexts('+420777000111').length).toBeGreaterThan(0);
    expect(smsTexts('+420777000111')).toEqual(smsTexts('+420777000222'));
    const prisma = t.linka.db.prisma;
    expect(await prisma.message.count({ where: { conversationId: 'sms:+420777000111', direction: 'in' } })).toBe(1);

    // Twilio reports the reply undelivered, twice: one history line, one more attempt.
    const reply = sms.sent.find((s) => s.to === '+420777000111');
    const report = { MessageSid: reply?.sid ?? '', MessageStatus: 'undelivered', ErrorCode: '30003', AccountSid: ACCOUNT_SID };
    const reports = await twice(() => smsIn(report, '/sms/twilio/status'));
    expect(reports.map((a) => a.status)).toEqual([200, 200]);
    await t.settle(6); // the redelivery delay (sms.redeliveryDelayMinutes: 5)
    await settle();
    expect(sms.sent.filter((s) => s.to === '+420777000111' && s.body === reply?.body)).toHaveLength(2);
    expect(
      await prisma.message.count({ where: { conversationId: 'sms:+420777000111', direction: 'system', text: { startsWith: 'Zprávu se nepodařilo doručit' } } }),
    ).toBe(1);
  });

  itOn('Slack: one event_id, delivered and retried (X-Slack-Retry-Num) at once, and retried again, reaches the customer once', async () => {
    const post = await t.linka.db.prisma.teamPost.findFirstOrThrow({ where: { platform: 'slack', ticket: { number: ticket } } });
    const body = slack.message('Dobrý den, zítra v 9 u vás bude technik.', 'UPETR', { threadTs: post.messageId, eventId: 'EvIDEMPOTENT1' });
    const first = deliver(t.base, signed(body, JSON_TYPE));
    const retry = deliver(t.base, signed(body, JSON_TYPE, { extra: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }));
    expect((await Promise.all([first, retry])).map((a) => a.status)).toEqual([200, 200]);
    expect((await deliver(t.base, signed(body, JSON_TYPE, { extra: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } }))).status).toBe(200);
    await settle();
    expect(telegramTexts(7001).filter((text) => text.includes('zítra v 9 u vás bude technik'))).toHaveLength(1);
    expect(await events('technician_message')).toBe(1);
  });

  const discordId = (n: number) => String(1300000000000000000n + BigInt(n));

  itOn("Discord: one /linka note, delivered twice at once, is one note in the ticket's trail and its threads", async () => {
    const note = linkaCommand(discordId(1), 'note', { text: 'Router vyměněn.', ticket });
    const answers = await twice(() => interact(note));
    await settle();
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    // The delivery that acted says the note is saved; the replay, that it is done.
    expect(answers.map((a) => a.body).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      privately(`Hotovo: ${ticket}.`),
      privately(`Interní poznámka uložena k ${ticket}.`),
    ]);
    expect(await events('note')).toBe(1);
    expect([...discord.messages.values()].filter((m) => m.content === 'Poznámka (Petr): Router vyměněn.')).toHaveLength(1);
    expect(slackFake.calls('chat.postMessage').filter((c) => c.text === 'Poznámka (Petr): Router vyměněn.')).toHaveLength(1);
  });

  itOn('Discord: one /linka reply, delivered twice at once, reaches the customer once', async () => {
    // Unlike a claim (a second claim is refused anyway), a reply acted on twice would be seen:
    // the customer would get the technician's words twice.
    const words = 'Technik k vám dorazí zítra mezi 8 a 10.';
    const reply = linkaCommand(discordId(2), 'reply', { text: words, ticket });
    const answers = await twice(() => interact(reply));
    await settle();
    expect(answers).toEqual([0, 1].map(() => ({ status: 200, body: privately(`Hotovo: ${ticket}.`) })));
    expect(telegramTexts(7001).filter((text) => text.includes(words))).toEqual([`Petr (technik): ${words}`]);
    const prisma = t.linka.db.prisma;
    expect(await prisma.ticketEvent.count({ where: { type: 'technician_message', actor: `discord:${PETR.user.id}`, ticket: { number: ticket } } })).toBe(1);
    // The team sees it once in each ticket thread (Discord's and Slack's).
    expect([...discord.messages.values()].filter((m) => m.content === `Petr: ${words}`)).toHaveLength(1);
    expect(slackFake.calls('chat.postMessage').filter((c) => c.text === `Petr: ${words}`)).toHaveLength(1);
  });

  itOn('Discord: one card click (claim), delivered twice at once, claims once and answers both as done', async () => {
    const claim = {
      id: discordId(3),
      application_id: APP_ID,
      type: 3,
      token: 't',
      version: 1,
      channel_id: QUEUE,
      member: PETR,
      data: { custom_id: `linka:claim:${ticket}`, component_type: 2 },
    };
    // Both deliveries are acknowledged silently (deferred update): acted on twice, one of them
    // would show Petr "already claimed by Petr".
    const answers = await twice(() => interact(claim));
    await settle();
    expect(answers).toEqual([
      { status: 200, body: { type: 6 } },
      { status: 200, body: { type: 6 } },
    ]);
    expect(await events('claimed')).toBe(1);
    expect(telegramTexts(7001).filter((text) => text.startsWith(`Váš požadavek ${ticket} převzal`))).toEqual([
      `Váš požadavek ${ticket} převzal technik Petr. Ozve se vám zde.`,
    ]);
  });

  itOn('Alertmanager: one notification (fingerprint + status), delivered twice at once, opens and resolves once', async () => {
    const alert = (body: unknown) => t.post('/alerts/alertmanager', body, { authorization: `Bearer ${API_TOKEN}` });
    const prisma = t.linka.db.prisma;
    const notices = (notice: string) => prisma.outageNotice.count({ where: { notice, recipient: 'telegram:7001', outage: { key: OLT } } });
    const before = telegramTexts(7001).length;
    expect((await twice(() => alert(fixture('firing')))).map((a) => a.status)).toEqual([200, 200]);
    await settle();
    expect(await prisma.outage.count({ where: { key: OLT } })).toBe(1);
    expect(await notices('start')).toBe(1);
    expect(telegramTexts(7001).slice(before)).toEqual([expect.stringContaining('Přerušené optické vlákno')]);
    expect((await twice(() => alert(fixture('resolved')))).map((a) => a.status)).toEqual([200, 200]);
    await settle();
    expect(await prisma.outage.count({ where: { key: OLT, status: 'resolved' } })).toBe(1);
    expect(await notices('resolved')).toBe(1);
    expect(telegramTexts(7001).length).toBe(before + 2);
  });
});
