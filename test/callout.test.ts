// The paid call-out over the real twilio and telegraf clients against fakes: the terms quoted,
// an explicit answer required (ambiguous replies asked again), expiry, cancellation, the
// consent stored once and never changed, and no visit booked without it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedCustomers } from './helpers/harness.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { startTelegramFake, tg, type TelegramFake } from './fakes/telegram-fake.js';
import { postSigned, startTwilioFake, type TwilioFake } from './fakes/twilio-fake.js';

const SID = `AC${'7'.repeat(32)}`;
const TOKEN = 'twilio-token';
const PUBLIC = 'https://linka.example.net';
const JAN = '+420603123456';
const SECRET = 'tg-secret';
const petr = { id: 'slack:UPETR', name: 'Petr', platform: 'slack' };

describe('paid call-out', () => {
  let t: TestLinka;
  let sms: TwilioFake;
  let telegram: TelegramFake;
  let seq = 0;

  beforeEach(async () => {
    sms = await startTwilioFake(SID);
    telegram = await startTelegramFake();
    t = await startTestLinka({
      env: {
        PUBLIC_URL: PUBLIC, TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_FROM: '+420700800900', TWILIO_API_URL: sms.url,
        TELEGRAM_BOT_TOKEN: '1:T', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: telegram.url,
      },
      config: {
        company: { name: 'Test ISP' }, workers: { outboxPollMs: 50, timerPollMs: 50 },
        billing: { currency: 'CZK', hourlyRate: 100000, incrementMinutes: 15, travelFee: 25000, vatNote: 'Ceny jsou bez DPH.' },
        callout: { offerExpiresHours: 24 },
      },
    });
    await seedCustomers(t.linka.db);
  });
  afterEach(async () => {
    await t.stop();
    await sms.close();
    await telegram.close();
  });

  /** The customer texts Linka; returns what Linka answered (bodies of the new SMS). */
  async function text(body: string): Promise<string> {
    const before = sms.sent.length;
    const res = await postSigned({
      localBase: t.base, publicUrl: PUBLIC, authToken: TOKEN, path: '/sms/twilio',
      params: { MessageSid: `SMcall${++seq}`, AccountSid: SID, From: JAN, To: '+420700800900', Body: body, NumMedia: '0' },
    });
    expect(res.status).toBe(200);
    await t.settle();
    await t.settle();
    return sms.sent.slice(before).map((m) => m.body).join('\n---\n');
  }

  async function wifiTicketOverSms(): Promise<string> {
    for (const b of ['Dobry den, nejde wifi', '1']) await text(b);
    await t.settle(3);
    for (const b of ['2', '1', '2', '1', 'od rana', '3', '3', 'Na mobilu ani notebooku se k wifi nepripojim.']) await text(b);
    const opened = await text('1');
    return /T-\d{4}-\d{5}/.exec(opened)?.[0] ?? '';
  }

  it('offers a paid call-out when the checklist points at the customer side, asks again on an ambiguous reply, and stores the consent once', async () => {
    const number = await wifiTicketOverSms();
    expect(number).not.toBe('');
    const offerSms = sms.sent.at(-1)?.body ?? '';
    // Quoted in GSM-7 (the SMS default): rate, increment, travel fee, VAT note; explicit yes/no asked for.
    expect(offerSms).toContain(`K pozadavku ${number}: zavada je nejspis na vasi strane`);
    expect(offerSms).toContain('Cena: 1 000,00 CZK za hodinu prace, uctuje se po zapocatych 15 minutach, cestovne 250,00 CZK. Ceny jsou bez DPH.');
    expect(offerSms).toContain('Odpovezte prosim ANO, nebo NE.');

    expect(await text('a kolik to bude celkem?')).toContain('Potrebuji od vas jednoznacnou odpoved');
    expect(await t.linka.db.prisma.consent.count()).toBe(0);
    const accepted = await text('SOUHLASÍM');
    expect(accepted).toContain('vas souhlas jsme zaznamenali');

    const offer = await t.linka.db.prisma.calloutOffer.findFirst({ include: { consent: true } });
    expect(offer?.status).toBe('accepted');
    expect(offer?.quotedText).toBe('Cena: 1 000,00 Kč za hodinu práce, účtuje se po započatých 15 minutách, cestovné 250,00 Kč. Ceny jsou bez DPH.'.replaceAll('Kč', 'CZK'));
    expect(offer?.consent).toMatchObject({
      decision: 'accepted', reply: 'SOUHLASÍM', channel: 'sms', conversationId: `sms:${JAN}`, platformMessageId: `SMcall${seq}`,
      quotedText: offer?.quotedText, terms: { hourlyRate: 100000, incrementMinutes: 15, travelFee: 25000, currency: 'CZK' },
    });
    const stored = JSON.stringify(offer?.consent);

    // A later "no" changes nothing: the consent is written once.
    await text('NE');
    const again = await t.linka.db.prisma.consent.findFirst();
    expect(JSON.stringify(again)).toBe(stored);
    expect(await t.linka.db.prisma.consent.count()).toBe(1);

    // The visit is booked on the consent and the customer told; cancelling before it works.
    const at = new Date(t.clock.now.getTime() + 26 * 3_600_000);
    expect((await t.linka.runtime.queue.bookVisit(number, petr, at)).ok).toBe(true);
    await t.settle();
    await t.settle();
    expect(sms.sent.at(-1)?.body).toContain('Technik k vam prijede');
    expect(await text('zrušit')).toContain('Placeny vyjezd jsme zrusili');
    expect((await t.linka.db.prisma.calloutOffer.findFirst())?.status).toBe('cancelled');
    expect(JSON.stringify(await t.linka.db.prisma.consent.findFirst())).toBe(stored);
    // Cancelled: no visit can be booked on it any more.
    expect((await t.linka.runtime.queue.bookVisit(number, petr, at)).message).toContain('nesouhlasil s placeným výjezdem');
  });

  it('lets the offer expire, and books no visit without a consent', async () => {
    const number = await wifiTicketOverSms();
    expect(sms.sent.at(-1)?.body).toContain('Odpovezte prosim ANO, nebo NE.');
    expect((await t.linka.runtime.queue.bookVisit(number, petr, new Date())).message).toBe(`Výjezd k ${number} nelze naplánovat: zákazník nesouhlasil s placeným výjezdem.`);
    await t.settle(23 * 60);
    expect(sms.sent.at(-1)?.body).toContain('Odpovezte prosim ANO, nebo NE.');
    await t.settle(61);
    await t.settle();
    expect(sms.sent.at(-1)?.body).toContain(`Nabidka placeneho vyjezdu k pozadavku ${number} vyprsela`);
    expect((await t.linka.db.prisma.calloutOffer.findFirst())?.status).toBe('expired');
    await text('ano');
    expect(await t.linka.db.prisma.consent.count()).toBe(0);
    // A technician may offer again; the new offer waits for its own answer.
    expect((await t.linka.runtime.queue.offerCallout(number, petr)).ok).toBe(true);
    expect((await t.linka.runtime.queue.offerCallout(number, petr)).message).toContain('už čeká na odpověď');
  });

  it('takes a technician-made offer on Telegram with buttons, and records a decline', async () => {
    const hook = (u: unknown) => t.post('/telegram/webhook', u, { 'x-telegram-bot-api-secret-token': SECRET });
    await hook(tg.text('/start 2024-0153'));
    for (const step of [tg.text('4'), tg.text('Chci nastavit přesměrování portů na routeru.'), tg.text('dnes'), tg.text('ano')]) {
      await hook(step);
      await t.settle();
    }
    const ticket = await t.linka.db.prisma.ticket.findFirst();
    expect(ticket?.likelyCustomerSide).toBe(false);
    expect(await t.linka.db.prisma.calloutOffer.count()).toBe(0);
    expect((await t.linka.runtime.queue.offerCallout(ticket?.number ?? '', petr)).ok).toBe(true);
    await t.settle();
    await t.settle();
    const offer = telegram.calls('sendMessage').at(-1) as { text: string; reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> } };
    expect(offer.text).toContain('Cena: 1 000,00 CZK za hodinu práce');
    expect(offer.reply_markup?.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(['accept', 'decline']);
    const buttons = offer.reply_markup?.inline_keyboard.flat() ?? [];
    await hook(tg.press('decline', 200, offer.text, buttons));
    await t.settle();
    expect(telegram.calls('sendMessage').at(-1)?.text).toContain('výjezd neobjednáváme');
    const consent = await t.linka.db.prisma.consent.findFirst();
    expect(consent).toMatchObject({ decision: 'declined', reply: 'Ne, nesouhlasím', channel: 'telegram' });
    expect((await t.linka.db.prisma.calloutOffer.findFirst())?.status).toBe('declined');
  });
});
