// The per-sender flood limit (config `flood`, src/runtime/flood.ts), shared by Telegram and SMS:
// over the limit within a minute a sender gets ONE polite notice in their language (the short
// variant on SMS); their further messages that minute are acknowledged (200) but dropped: not
// dispatched, not recorded, counted in linka_inbound_dropped_total. Others are not affected,
// a redelivery of an accepted message is not counted twice, STOP always passes, and a minute
// later the sender is heard again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { FloodCounter } from '../src/runtime/flood.js';
import { seedCustomers } from './helpers/harness.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { postSigned, startTwilioFake, type TwilioFake } from './fakes/twilio-fake.js';
import { startTelegramFake, tg, type TelegramFake } from './fakes/telegram-fake.js';

const SECRET = 'tg-secret';
const ACCOUNT_SID = `AC${'9'.repeat(32)}`;
const AUTH_TOKEN = 'twilio-flood-auth-token';
const PUBLIC_URL = 'https://linka.example.net';
const JAN = '+420603123456';
const HELPDESK = '+420 377 000 000';
/** The notices as a flooding sender reads them (the message catalogue's common.slowDown today). */
const SLOW_DOWN = {
  cs: 'Píšete rychleji, než stíhám odpovídat. Počkejte prosím minutu – zprávy poslané do té doby nezpracuji. Spěchá-li to, volejte +420 377 000 000.',
  en: 'You are writing faster than I can answer. Please wait a minute: messages sent until then will not be processed. If it is urgent, call +420 377 000 000.',
  /** By SMS: the short wording (common.slowDown@sms), transliterated to GSM-7. */
  csSms: 'Pisete prilis rychle. Pockejte prosim minutu, zpravy poslane do te doby nezpracuji.',
};

describe('FloodCounter', () => {
  it('lets the limit through in a sliding minute, then one notice, then drops; a repeated id passes uncounted', () => {
    const c = new FloodCounter({ sms: 2, telegram: 0 });
    const at = (s: number) => s * 1000;
    expect(['a', 'b', 'c', 'd'].map((id, i) => c.check('sms', 'sms:+1', id, at(i)))).toEqual(['pass', 'pass', 'notice', 'drop']);
    expect(c.check('sms', 'sms:+1', 'a', at(5))).toBe('pass'); // a redelivery of an accepted one
    expect(c.check('sms', 'sms:+2', 'x', at(5))).toBe('pass'); // someone else
    expect(c.check('telegram', 'telegram:1', 'y', at(5))).toBe('pass'); // 0: no limit
    expect(c.check('sms', 'sms:+1', 'e', at(60))).toBe('drop'); // "a" (at 0 s) has left the window, but the notice (at 2 s) has not
    expect(c.check('sms', 'sms:+1', 'f', at(61.9))).toBe('drop');
    expect(c.check('sms', 'sms:+1', 'g', at(62.5))).toBe('pass'); // a minute after the notice: heard again
    expect(c.check('sms', 'sms:+1', 'h', at(63))).toBe('pass');
    expect(c.check('sms', 'sms:+1', 'i', at(63.5))).toBe('notice'); // and told again, at most once a minute
  });

  it('forgets senders that went quiet', () => {
    const c = new FloodCounter({ sms: 5 });
    for (let i = 0; i < 999; i++) c.check('sms', `sms:+${i}`, 'x', 0);
    expect(c.size).toBe(999);
    c.check('sms', 'sms:+late', 'x', 120_000); // the 1000th check sweeps
    expect(c.size).toBe(1);
  });

  it('is configured per channel, defaults 10 SMS and 20 Telegram messages a minute, 0 for none', () => {
    expect(parseConfig({}).flood).toEqual({ smsPerMinute: 10, telegramPerMinute: 20 });
    expect(parseConfig({ flood: { smsPerMinute: 0 } }).flood).toEqual({ smsPerMinute: 0, telegramPerMinute: 20 });
    expect(() => parseConfig({ flood: { smsPerMinute: -1 } })).toThrow(/flood\.smsPerMinute/);
  });
});

describe('a flooding sender on Telegram and SMS', () => {
  let t: TestLinka;
  let telegram: TelegramFake;
  let sms: TwilioFake;
  let sid = 0;
  const webhook = (update: unknown) => t.post('/telegram/webhook', update, { 'x-telegram-bot-api-secret-token': SECRET });
  const smsFrom = (from: string, body: string) =>
    postSigned({
      localBase: t.base,
      publicUrl: PUBLIC_URL,
      authToken: AUTH_TOKEN,
      path: '/sms/twilio',
      params: { MessageSid: `SMflood${++sid}`, AccountSid: ACCOUNT_SID, From: from, To: '+420700800900', Body: body, NumMedia: '0' },
    });
  const telegramTexts = (chatId: number) =>
    telegram
      .calls('sendMessage')
      .filter((c) => String(c.chat_id) === String(chatId))
      .map((c) => String(c.text));
  const inbound = (conversationId: string) => t.linka.db.prisma.message.count({ where: { conversationId, direction: 'in' } });
  const dropped = async (channel: string) => {
    const metrics = await (await fetch(`${t.base}/metrics`)).text();
    return Number(new RegExp(`^linka_inbound_dropped_total\\{channel="${channel}",reason="flood"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
  };

  beforeAll(async () => {
    [telegram, sms] = await Promise.all([startTelegramFake(), startTwilioFake(ACCOUNT_SID)]);
    t = await startTestLinka({
      config: {
        company: { name: 'Test ISP', helpdeskPhone: HELPDESK },
        workers: { outboxPollMs: 50, timerPollMs: 50 },
        flood: { telegramPerMinute: 3, smsPerMinute: 2 },
      },
      env: {
        TELEGRAM_BOT_TOKEN: '123456:TEST',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_ROOT: telegram.url,
        PUBLIC_URL,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_FROM: '+420700800900',
        TWILIO_API_URL: sms.url,
      },
    });
    await seedCustomers(t.linka.db);
  });
  afterAll(async () => {
    await t?.stop();
    await telegram?.close();
    await sms?.close();
  });

  it('tells a Telegram sender once to slow down, drops the rest of the minute, and hears them again after it', async () => {
    const updates = Array.from({ length: 6 }, (_, i) => tg.text(i === 0 ? '/start' : `zpráva ${i}`, { chatId: 7201 }));
    for (const u of updates.slice(0, 3)) expect((await webhook(u)).status).toBe(200);
    expect((await webhook(updates[0])).status).toBe(200); // Telegram redelivering an accepted update: not counted again
    for (const u of updates.slice(3)) expect((await webhook(u)).status).toBe(200); // over the limit: acknowledged all the same
    expect((await webhook(tg.text('/start', { chatId: 7202 }))).status).toBe(200); // another customer
    await t.settle();
    const notice = SLOW_DOWN.cs;
    expect(telegramTexts(7201).at(-1)).toBe(notice); // after the answers to the three let through
    expect(telegramTexts(7201).filter((m) => m === notice)).toHaveLength(1);
    expect(telegramTexts(7202).length).toBeGreaterThan(0);
    expect(telegramTexts(7202)).not.toContain(notice);
    expect(await inbound('telegram:7201')).toBe(3);
    const prisma = t.linka.db.prisma;
    expect(await prisma.processedInbound.count({ where: { id: { in: updates.slice(3).map((u) => `telegram:update:${u.update_id}`) } } })).toBe(0);
    expect(await dropped('telegram')).toBe(3);
    // The notice is in the history too.
    expect(await prisma.message.count({ where: { conversationId: 'telegram:7201', direction: 'out', text: notice } })).toBe(1);

    t.clock.advance(1.1);
    const before = telegramTexts(7201).length;
    expect((await webhook(tg.text('menu', { chatId: 7201 }))).status).toBe(200);
    await t.settle();
    expect(await inbound('telegram:7201')).toBe(4);
    expect(telegramTexts(7201).length).toBeGreaterThan(before);
  });

  it("speaks the sender's language: English for an English Telegram client", async () => {
    for (let i = 0; i < 4; i++) expect((await webhook(tg.text(`hello ${i}`, { chatId: 7203, lang: 'en' }))).status).toBe(200);
    await t.settle();
    expect(telegramTexts(7203)).toContain(SLOW_DOWN.en);
  });

  it('sends the short notice by SMS, once, and still takes STOP from a flooding number', async () => {
    for (const body of ['nejde internet', 'halo', 'haloo', 'haloooo']) expect((await smsFrom(JAN, body)).status).toBe(200);
    await t.settle();
    const notice = SLOW_DOWN.csSms;
    const toJan = sms.sent.filter((s) => s.to === JAN).map((s) => s.body);
    expect(toJan.at(-1)).toBe(notice); // after the answers to the two let through
    expect(toJan.filter((b) => b === notice)).toHaveLength(1);
    expect((await smsFrom(JAN, 'STOP')).status).toBe(200);
    await t.settle();
    expect(await inbound(`sms:${JAN}`)).toBe(2); // the two under the limit (STOP is recorded as opting out)
    expect(await t.linka.db.prisma.optOut.count({ where: { conversationId: `sms:${JAN}` } })).toBe(1);
    expect(await dropped('sms')).toBe(2);
  });
});
