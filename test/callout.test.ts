// The paid call-out over the real twilio, telegraf and Bolt clients against fakes: the terms
// quoted, an explicit answer required (ambiguous replies asked again), expiry on the server
// (also when the customer wandered off to the menu), cancellation and "too late to cancel",
// the consent stored once with its full record and never changed (the database refuses it),
// the technician told each decision in the ticket's Slack thread, and no visit without it.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { step } from '../src/engine/step.js';
import { CONSENT_WORDS, matchConsent } from '../src/engine/match.js';
import type { ConversationState, StepContext } from '../src/engine/types.js';
import { builtInFlows } from '../src/config/flows.js';

const flows = builtInFlows();
import { ON } from './helpers/capabilities.js';
import { expireDueOffers } from '../src/services/offer-expiry.js';
import { createOffer, recordConsent, type OfferSettings } from '../src/services/offers.js';
import { engineSettings } from '../src/runtime/create-runtime.js';
import { openDatabase, type Provider } from '../src/store/client.js';
import { createTestDatabase, pgAvailable } from './helpers/db.js';
import { seedCustomers } from './helpers/harness.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { deliver, FORM, signed, slack, SIGNING_SECRET, startSlackFake, type SlackFake } from './fakes/slack-fake.js';
import { startTelegramFake, tg, type TelegramFake } from './fakes/telegram-fake.js';
import { postSigned, startTwilioFake, type TwilioFake } from './fakes/twilio-fake.js';

const SID = `AC${'7'.repeat(32)}`;
const TOKEN = 'twilio-token';
const PUBLIC = 'https://linka.example.net';
const JAN = '+420603123456';
const SECRET = 'tg-secret';
const petr = { id: 'slack:UPETR', name: 'Petr', platform: 'slack' };
const TERMS = { currency: 'CZK', hourlyRate: 100000, incrementMinutes: 15, travelFee: 25000, vatNote: 'Ceny jsou bez DPH.' };
// One rate for work and travel time, and a flat amount per visit: the quote says both are charged.
const QUOTED_CS =
  'Cena: 1 000,00 CZK za hodinu práce i času na cestě, účtuje se po započatých 15 minutách, k tomu paušál 250,00 CZK za výjezd. Ceny jsou bez DPH.';
// The terms stored with the offer and the consent: the named rate of the work and of travel, besides the older keys.
const RATE = { name: 'technician', hourlyRate: 100000, incrementMinutes: 15 };
const STORED = { ...TERMS, rate: RATE, travel: { rate: RATE, perVisit: 25000, perKm: 0 } };
const PG = await pgAvailable();

describe('the offer step matches answers strictly', () => {
  const ctx: StepContext = { flows, settings: engineSettings(parseConfig({})), capabilities: ON.telegram, customer: null };
  const atOffer: ConversationState = {
    flow: 'main',
    step: 'offer',
    flowVersion: flows.main?.version ?? 1,
    lang: 'cs',
    langChosen: false,
    customerId: 'c1',
    verified: true,
    idTries: 0,
    answers: {},
    back: [],
    misses: 0,
    timer: null,
    followUps: 0,
    ticketNumber: null,
    lookup: null,
    offer: { id: 'o1', number: 'T-2026-00001', accepted: false },
  };
  const answer = (text: string) => step(atOffer, { kind: 'text', text }, new Date('2026-11-23T09:00:00Z'), ctx);
  const decision = (text: string) => answer(text).effects.find((e) => e.type === 'recordConsent');

  it.each([
    'ano ale nejdriv mi reknete kolik to bude stat, jinak ne',
    'ano ne',
    'yes but how much?',
    'no problem',
    'no idea',
    'ano?',
    'jo',
    'y',
    'sure',
    'hej',
    'yeah',
    'ok',
    'ne vím',
    'nevím',
    'asi ano',
    'ano, ale až zítra',
    'n',
    'nope',
    'kolik to stojí',
    '3',
    '',
  ])('"%s" is asked again, nothing recorded', (text) => {
    const result = answer(text);
    expect(result.effects.find((e) => e.type === 'recordConsent')).toBeUndefined();
    expect(result.state.step).toBe('offer');
    expect(result.effects.find((e) => e.type === 'reply')).toMatchObject({ reply: { key: 'offer.ambiguous' } });
  });

  it.each([
    ['ano', 'accepted'],
    ['ANO', 'accepted'],
    ['Áno', 'accepted'],
    ['ano.', 'accepted'],
    ['souhlasím', 'accepted'],
    ['SÚHLASÍM', 'accepted'],
    ['yes', 'accepted'],
    ['Yes!', 'accepted'],
    ['I agree', 'accepted'],
    ['agree', 'accepted'],
    ['Ano, souhlasím', 'accepted'],
    ['1', 'accepted'],
    ['ne', 'declined'],
    ['NE', 'declined'],
    ['nie', 'declined'],
    ['nesouhlasím', 'declined'],
    ['nesúhlasím', 'declined'],
    ['no', 'declined'],
    ['decline', 'declined'],
    ['No, I do not agree', 'declined'],
    ['Nie, nesúhlasím', 'declined'],
    ['2', 'declined'],
  ])('"%s" is %s', (text, expected) => {
    expect(decision(text)).toMatchObject({ type: 'recordConsent', offerId: 'o1', decision: expected, reply: text.trim() });
  });

  it('has no word in both lists, and the loose "yes" words are in neither', () => {
    expect(CONSENT_WORDS.accept.filter((w) => CONSENT_WORDS.decline.includes(w))).toEqual([]);
    const choices = flows.main?.steps.offer && 'choices' in flows.main.steps.offer ? (flows.main.steps.offer.choices ?? []) : [];
    for (const loose of ['jo', 'jj', 'y', 'yep', 'sure', 'hej', 'urcite', 'n', 'nope']) expect(matchConsent(choices, loose), loose).toBeNull();
  });
});

describe('paid call-out', () => {
  let t: TestLinka;
  let sms: TwilioFake;
  let telegram: TelegramFake;
  let slackFake: SlackFake;
  let seq = 0;

  beforeEach(async () => {
    sms = await startTwilioFake(SID);
    telegram = await startTelegramFake();
    slackFake = await startSlackFake();
    slackFake.users.set('UPETR', 'Petr');
    t = await startTestLinka({
      env: {
        PUBLIC_URL: PUBLIC,
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: TOKEN,
        TWILIO_FROM: '+420700800900',
        TWILIO_API_URL: sms.url,
        TELEGRAM_BOT_TOKEN: '1:T',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_ROOT: telegram.url,
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slackFake.url,
      },
      config: {
        company: { name: 'Test ISP' },
        workers: { outboxPollMs: 50, timerPollMs: 50 },
        billing: TERMS,
        // Linka offers the call-out itself when the checklist points at the customer's side (today's behaviour, kept by this switch).
        callout: { offerExpiresHours: 24, autoOffer: true },
        // The full dialogue over SMS too (the short SMS variants of the checklist are tested elsewhere).
        sms: { shortText: false },
        slack: { queueChannel: 'CQUEUE', technicians: ['UPETR'] },
      },
    });
    await seedCustomers(t.linka.db);
  });
  afterEach(async () => {
    await t.stop();
    await sms.close();
    await telegram.close();
    await slackFake.close();
  });

  const db = () => t.linka.db.prisma;
  /** What the technicians read in the tickets' Slack threads. */
  const thread = () =>
    slackFake
      .calls('chat.postMessage')
      .filter((c) => c.thread_ts)
      .map((c) => String(c.text));
  const count = (lines: string[], part: string) => lines.filter((l) => l.includes(part)).length;

  /** The customer texts Linka; returns what Linka answered (bodies of the new SMS). */
  async function text(body: string): Promise<string> {
    const before = sms.sent.length;
    const res = await postSigned({
      localBase: t.base,
      publicUrl: PUBLIC,
      authToken: TOKEN,
      path: '/sms/twilio',
      params: { MessageSid: `SMcall${++seq}`, AccountSid: SID, From: JAN, To: '+420700800900', Body: body, NumMedia: '0' },
    });
    expect(res.status).toBe(200);
    await t.settle();
    await t.settle();
    return sms.sent
      .slice(before)
      .map((m) => m.body)
      .join('\n---\n');
  }

  async function wifiTicketOverSms(): Promise<string> {
    for (const b of ['Dobry den, nejde wifi', '1']) await text(b);
    await t.settle(3);
    for (const b of ['2', '1', '2', '1', 'od rana', '3', '3', 'Na mobilu ani notebooku se k wifi nepripojim.']) await text(b);
    const opened = await text('1');
    return /T-\d{4}-\d{5}/.exec(opened)?.[0] ?? '';
  }

  const hook = (u: unknown) => t.post('/telegram/webhook', u, { 'x-telegram-bot-api-secret-token': SECRET });
  type TgMessage = { text: string; reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> } };
  const lastTelegram = () => telegram.calls('sendMessage').at(-1) as TgMessage;
  async function tgSay(body: string): Promise<string> {
    const before = telegram.calls('sendMessage').length;
    expect((await hook(tg.text(body))).status).toBe(200);
    await t.settle();
    await t.settle();
    return telegram
      .calls('sendMessage')
      .slice(before)
      .map((c) => String(c.text))
      .join('\n---\n');
  }
  /** Presses a button of the offer message; returns the callback query's id (what the consent stores). */
  async function tgPress(offer: TgMessage, data: string): Promise<string> {
    // The offer under the message id the Bot API gave it.
    const delivered = telegram.messages.filter((m) => m.text === offer.text).at(-1);
    if (!delivered) throw new Error(`the offer "${offer.text.slice(0, 40)}" was not delivered`);
    const update = tg.press(data, delivered.message_id, offer.text, offer.reply_markup?.inline_keyboard.flat() ?? []);
    expect((await hook(update)).status).toBe(200);
    await t.settle();
    await t.settle();
    return update.callback_query.id;
  }
  /** Jan opens a ticket on Telegram ("something else"); a technician offers the call-out. */
  async function telegramOffer(): Promise<{ number: string; offer: TgMessage }> {
    for (const b of ['/start 2024-0153', '4', 'Chci nastavit přesměrování portů na routeru.', 'dnes', 'ano']) await tgSay(b);
    const ticket = await db().ticket.findFirst();
    expect(ticket?.likelyCustomerSide).toBe(false);
    expect(ticket?.workCategory).toBe('diagnostics'); // "something else": free until a technician says otherwise
    expect(await db().calloutOffer.count()).toBe(0);
    expect((await t.linka.runtime.queue.offerCallout(ticket?.number ?? '', petr)).ok).toBe(true);
    await t.settle();
    await t.settle();
    const offer = lastTelegram();
    expect(offer.text).toContain(QUOTED_CS);
    expect(offer.reply_markup?.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(['accept', 'decline']);
    return { number: ticket?.number ?? '', offer };
  }

  describe('over SMS', () => {
    it('offers a paid call-out when the checklist points at the customer side, asks again on an ambiguous reply, and stores the consent once', async () => {
      const number = await wifiTicketOverSms();
      expect(number).not.toBe('');
      const offerSms = sms.sent.at(-1)?.body ?? '';
      // Quoted in GSM-7 (the SMS default): rate, increment, travel fee, VAT note; explicit yes/no asked for.
      expect(offerSms).toContain(`K pozadavku ${number}: zavada je nejspis na vasi strane`);
      expect(offerSms).toContain(
        'Cena: 1 000,00 CZK za hodinu prace i casu na ceste, uctuje se po zapocatych 15 minutach, k tomu pausal 250,00 CZK za vyjezd. Ceny jsou bez DPH.',
      );
      expect(offerSms).toContain('Odpovezte prosim ANO, nebo NE.');
      expect(count(thread(), 'Linka nabídla zákazníkovi placený výjezd')).toBe(1);
      // Likely the customer's side: paid work (time logged on it is billable by default).
      expect((await db().ticket.findFirst())?.workCategory).toBe('customer_fault');

      for (const unclear of ['a kolik to bude celkem?', 'ano ale nejdriv mi reknete kolik to bude stat, jinak ne', 'ano ne', 'jo']) {
        expect(await text(unclear), unclear).toContain('Potrebuji od vas jednoznacnou odpoved');
      }
      expect(await db().consent.count()).toBe(0);
      expect((await db().calloutOffer.findFirst())?.status).toBe('pending');
      t.clock.advance(7);
      const answeredAt = t.clock.read();
      const accepted = await text('SOUHLASÍM');
      expect(accepted).toContain('vas souhlas jsme zaznamenali');

      const offer = await db().calloutOffer.findFirst({ include: { consent: true } });
      expect(offer?.status).toBe('accepted');
      expect(offer?.quotedText).toBe(QUOTED_CS);
      expect(offer?.consent).toEqual({
        id: expect.any(String),
        offerId: offer?.id,
        ticketId: offer?.ticketId,
        decision: 'accepted',
        terms: { ...STORED, lang: 'cs' },
        quotedText: QUOTED_CS,
        reply: 'SOUHLASÍM',
        channel: 'sms',
        conversationId: `sms:${JAN}`,
        platformMessageId: `SMcall${seq}`,
        createdAt: answeredAt,
      });
      // The technician sees the decision in the ticket's thread, once.
      expect(count(thread(), 'Zákazník SOUHLASÍ s placeným výjezdem (odpověď: „SOUHLASÍM“)')).toBe(1);
      const stored = JSON.stringify(offer?.consent);

      // A later "no" changes nothing: the consent is written once.
      await text('NE');
      expect(JSON.stringify(await db().consent.findFirst())).toBe(stored);
      expect(await db().consent.count()).toBe(1);
      expect(count(thread(), 'ODMÍTL')).toBe(0);

      // The visit is booked on the consent and the customer told; cancelling before it works.
      const at = new Date(t.clock.now.getTime() + 26 * 3_600_000);
      expect((await t.linka.runtime.queue.bookVisit(number, petr, at)).ok).toBe(true);
      await t.settle();
      await t.settle();
      expect(sms.sent.at(-1)?.body).toContain('Vyjezd technika jsme naplanovali na');
      expect(await text('zrušit')).toContain('Placeny vyjezd jsme zrusili');
      expect((await db().calloutOffer.findFirst())?.status).toBe('cancelled');
      expect(count(thread(), 'Zákazník placený výjezd ZRUŠIL.')).toBe(1);
      expect(JSON.stringify(await db().consent.findFirst())).toBe(stored);
      // Cancelled: no visit can be booked on it any more.
      expect((await t.linka.runtime.queue.bookVisit(number, petr, at)).message).toContain('nesouhlasil s placeným výjezdem');
    });

    it('refuses to cancel once the visit has begun', async () => {
      const number = await wifiTicketOverSms();
      expect(await text('ano')).toContain('vas souhlas jsme zaznamenali');
      const at = new Date(t.clock.now.getTime() + 2 * 3_600_000);
      expect((await t.linka.runtime.queue.bookVisit(number, petr, at)).ok).toBe(true);
      await t.settle(3 * 60);
      expect(await text('zrušit')).toContain('Vyjezd uz probehl nebo probiha, zrusit ho nelze');
      expect((await db().calloutOffer.findFirst())?.status).toBe('accepted');
      expect(count(thread(), 'ZRUŠIL')).toBe(0);
    });

    it('lets the offer expire on the server even when the customer went back to the menu, tells the customer and the team once, and books no visit without a consent', async () => {
      const number = await wifiTicketOverSms();
      expect(sms.sent.at(-1)?.body).toContain('Odpovezte prosim ANO, nebo NE.');
      expect((await t.linka.runtime.queue.bookVisit(number, petr, new Date())).message).toBe(
        `Výjezd k ${number} nelze naplánovat: zákazník nesouhlasil s placeným výjezdem.`,
      );
      // Back to the menu: the conversation's timers are cleared; the offer must still expire.
      expect(await text('menu')).toContain('S cim vam mohu pomoci?');
      expect(await db().timer.count({ where: { firedAt: null, cancelledAt: null } })).toBe(0);
      await t.settle(23 * 60);
      expect((await db().calloutOffer.findFirst())?.status).toBe('pending');
      await t.settle(61);
      await t.settle();
      await t.settle();
      expect((await db().calloutOffer.findFirst())?.status).toBe('expired');
      const expiredNotices = sms.sent.filter((m) => m.body.includes(`Nabidka placeneho vyjezdu k pozadavku ${number} vyprsela`));
      expect(expiredNotices).toHaveLength(1);
      expect(count(thread(), 'Nabídka placeného výjezdu vypršela bez odpovědi.')).toBe(1);
      // A late "ano" is no consent; nothing more is announced.
      await text('ano');
      await t.settle(60);
      expect(await db().consent.count()).toBe(0);
      expect(count(thread(), 'vypršela')).toBe(1);
      expect(sms.sent.filter((m) => m.body.includes('vyprsela'))).toHaveLength(1);
      // A technician may offer again; the new offer waits for its own answer.
      expect((await t.linka.runtime.queue.offerCallout(number, petr)).ok).toBe(true);
      expect((await t.linka.runtime.queue.offerCallout(number, petr)).message).toContain('už čeká na odpověď');
    });

    it("refuses an answer at the offer's expiry even before the sweep has run, and tells the customer", async () => {
      await wifiTicketOverSms();
      await t.linka.runtime.timers.stop(); // no sweep: the answer itself must see the offer is over
      t.clock.advance(24 * 60);
      const late = await text('ano');
      expect(late).toContain('vyprsela');
      expect(late).not.toContain('souhlas jsme zaznamenali');
      expect(await db().consent.count()).toBe(0);
      expect((await db().calloutOffer.findFirst())?.status).toBe('expired');
      await t.settle(); // a sweep now finds nothing to do
      await t.settle();
      expect(count(thread(), 'vypršela bez odpovědi')).toBe(1);
      expect(sms.sent.filter((m) => m.body.includes('vyprsela'))).toHaveLength(1);
    });
  });

  describe('over Telegram', () => {
    it('asks again on an ambiguous reply, then stores an accepted button press with its full record', async () => {
      const { number, offer } = await telegramOffer();
      expect(count(thread(), 'Petr nabídl(a) zákazníkovi placený výjezd')).toBe(1);
      for (const unclear of ['ano ale kolik to bude stát?', 'yes but how much?', 'jo', 'no problem']) {
        expect(await tgSay(unclear), unclear).toContain('Potřebuji od vás jednoznačnou odpověď');
      }
      expect(await db().consent.count()).toBe(0);
      t.clock.advance(30);
      const answeredAt = t.clock.read();
      const callbackId = await tgPress(offer, 'accept');
      expect(lastTelegram().text).toContain('váš souhlas jsme zaznamenali');
      const stored = await db().calloutOffer.findFirst({ include: { consent: true } });
      expect(stored?.status).toBe('accepted');
      expect(stored?.consent).toEqual({
        id: expect.any(String),
        offerId: stored?.id,
        ticketId: stored?.ticketId,
        decision: 'accepted',
        terms: { ...STORED, lang: 'cs' },
        quotedText: QUOTED_CS,
        reply: 'Ano, souhlasím',
        channel: 'telegram',
        conversationId: 'telegram:7001',
        platformMessageId: `cbq:${callbackId}`,
        createdAt: answeredAt,
      });
      expect(count(thread(), 'Zákazník SOUHLASÍ s placeným výjezdem (odpověď: „Ano, souhlasím“)')).toBe(1);
      // Pressing the other button later changes nothing.
      await tgPress(offer, 'decline');
      expect(await db().consent.count()).toBe(1);
      expect((await db().consent.findFirst())?.decision).toBe('accepted');

      // Cancelled before the visit; the technician sees it.
      const at = new Date(t.clock.now.getTime() + 26 * 3_600_000);
      expect((await t.linka.runtime.queue.bookVisit(number, petr, at)).ok).toBe(true);
      await t.settle();
      expect(await tgSay('zrušit')).toContain('Placený výjezd jsme zrušili');
      expect((await db().calloutOffer.findFirst())?.status).toBe('cancelled');
      expect(count(thread(), 'Zákazník placený výjezd ZRUŠIL.')).toBe(1);
    });

    it('lets an English-speaking customer cancel a booked visit with CANCEL; the technicians see it and no visit can be booked on it', async () => {
      await db().customer.update({ where: { contractNumber: '2024-0153' }, data: { language: 'en' } });
      for (const b of ['/start 2024-0153', '4', 'I would like port forwarding set up on my router.', 'today', 'yes']) await tgSay(b);
      const number = (await db().ticket.findFirstOrThrow()).number;
      const command = async (text: string) => ((await deliver(t.base, signed(slack.command(text, 'UPETR'), FORM))).body as { text: string }).text;
      // A technician offers the call-out from the card; the customer is asked in English.
      expect((await deliver(t.base, signed(slack.click('offer', number, 'UPETR'), FORM))).status).toBe(200);
      await t.settle();
      await t.settle();
      const offer = lastTelegram();
      expect(offer.text).toContain(`About request ${number}: the fault is most likely on your side`);
      expect(offer.text).toContain(
        'Price: 1,000.00 CZK per hour of work and of travel time, charged per started 15 minutes, plus a flat 250.00 CZK per visit.',
      );
      expect(offer.text).toContain('Do you agree to a paid visit on these terms? Please answer YES or NO.');
      expect(offer.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Yes, I agree', 'No, I do not agree']);
      expect(await tgSay('YES')).toContain('You can cancel the visit until it starts by writing CANCEL.');
      expect(await db().consent.findFirst()).toMatchObject({ decision: 'accepted', reply: 'YES', channel: 'telegram' });

      // The visit is booked for tomorrow 14:30 Prague time (13:30 UTC); the customer is told.
      expect(await command(`visit ${number} 2026-11-24 14:30`)).toBe(`Hotovo: ${number}.`);
      await t.settle();
      await t.settle();
      expect(lastTelegram().text).toBe("We have scheduled the technician's visit for 24 Nov 2026, 14:30.");
      expect(await db().calloutOffer.findFirst()).toMatchObject({ status: 'accepted', visitAt: new Date('2026-11-24T13:30:00Z') });
      const stored = JSON.stringify(await db().consent.findFirst());

      // The customer cancels in English, in capitals, before the visit.
      t.clock.advance(60);
      const cancelledAt = t.clock.read();
      expect(await tgSay('CANCEL')).toBe('We have cancelled the paid visit. Your request stays open.');
      expect(await db().calloutOffer.findFirst()).toMatchObject({ status: 'cancelled', cancelledAt, visitAt: new Date('2026-11-24T13:30:00Z') });
      // The technicians read it in the ticket's thread (in the team's language), once; the ticket stays open.
      expect(count(thread(), 'Zákazník placený výjezd ZRUŠIL.')).toBe(1);
      const ticket = await db().ticket.findFirstOrThrow({ include: { events: true } });
      expect(ticket.status).toBe('open');
      expect(ticket.events.filter((e) => e.type === 'callout_cancelled')).toHaveLength(1);
      // The consent itself is not touched, and no visit can be booked on a cancelled call-out.
      expect(JSON.stringify(await db().consent.findFirst())).toBe(stored);
      expect(await command(`visit ${number} 2026-11-25 9:00`)).toBe(`Výjezd k ${number} nelze naplánovat: zákazník nesouhlasil s placeným výjezdem.`);
      expect((await db().calloutOffer.findFirst())?.visitAt).toEqual(new Date('2026-11-24T13:30:00Z'));
    });

    it('says it is too late to cancel once the visit has begun', async () => {
      const { number, offer } = await telegramOffer();
      await tgPress(offer, 'accept');
      expect((await t.linka.runtime.queue.bookVisit(number, petr, new Date(t.clock.now.getTime() + 3_600_000))).ok).toBe(true);
      await t.settle(90);
      expect(await tgSay('zrušit')).toContain('Výjezd už proběhl nebo probíhá, zrušit ho nelze.');
      expect((await db().calloutOffer.findFirst())?.status).toBe('accepted');
      expect(count(thread(), 'ZRUŠIL')).toBe(0);
    });

    it('expires an offer left open while the customer went to the menu; a late button press is no consent', async () => {
      const { number, offer } = await telegramOffer();
      expect(await tgSay('menu')).toContain('S čím vám mohu pomoci?');
      await t.settle(24 * 60 + 1);
      await t.settle();
      await t.settle();
      expect((await db().calloutOffer.findFirst())?.status).toBe('expired');
      const notices = telegram.calls('sendMessage').filter((c) => String(c.text).includes(`Nabídka placeného výjezdu k požadavku ${number} vypršela`));
      expect(notices).toHaveLength(1);
      expect(count(thread(), 'Nabídka placeného výjezdu vypršela bez odpovědi.')).toBe(1);
      await tgPress(offer, 'accept');
      expect(await db().consent.count()).toBe(0);
      expect(count(thread(), 'SOUHLASÍ')).toBe(0);
      expect((await t.linka.runtime.queue.bookVisit(number, petr, new Date(t.clock.now.getTime() + 3_600_000))).ok).toBe(false);
    });

    it('records a declined button press, with its time, and tells the technician', async () => {
      const { offer } = await telegramOffer();
      const answeredAt = t.clock.read();
      const callbackId = await tgPress(offer, 'decline');
      expect(lastTelegram().text).toContain('výjezd neobjednáváme');
      const consent = await db().consent.findFirst();
      expect(consent).toMatchObject({
        decision: 'declined',
        reply: 'Ne, nesouhlasím',
        channel: 'telegram',
        platformMessageId: `cbq:${callbackId}`,
        createdAt: answeredAt,
      });
      expect((await db().calloutOffer.findFirst())?.status).toBe('declined');
      expect(count(thread(), 'Zákazník placený výjezd ODMÍTL (odpověď: „Ne, nesouhlasím“)')).toBe(1);
    });
  });

  describe('from Slack', () => {
    it("offers the call-out on an authorised technician's signed click; the customer gets the terms on Telegram", async () => {
      for (const b of ['/start 2024-0153', '4', 'Chci nastavit přesměrování portů na routeru.', 'dnes', 'ano']) await tgSay(b);
      const ticket = await db().ticket.findFirst();
      const number = ticket?.number ?? '';
      // Someone who is not a technician: nothing is offered.
      const refused = await deliver(t.base, signed(slack.click('offer', number, 'UEVA'), FORM));
      expect(refused.status).toBe(200);
      await t.settle();
      expect(await db().calloutOffer.count()).toBe(0);

      const res = await deliver(t.base, signed(slack.click('offer', number, 'UPETR'), FORM));
      expect(res.status).toBe(200);
      await t.settle();
      await t.settle();
      const offer = await db().calloutOffer.findFirst();
      expect(offer).toMatchObject({ ticketId: ticket?.id, status: 'pending', createdBy: 'slack:UPETR', quotedText: QUOTED_CS });
      expect(offer?.expiresAt.getTime()).toBe(t.clock.now.getTime() + 24 * 3_600_000);
      const sent = lastTelegram();
      expect(sent.text).toContain(`K požadavku ${number}: závada je nejspíš na vaší straně`);
      expect(sent.text).toContain(QUOTED_CS);
      expect(sent.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Ano, souhlasím', 'Ne, nesouhlasím']);
      expect(count(thread(), 'Petr nabídl(a) zákazníkovi placený výjezd')).toBe(1);
    });
  });
});

describe.each([
  { provider: 'sqlite' as Provider, skip: false },
  { provider: 'postgresql' as Provider, skip: !PG },
])('consents in the $provider database', ({ provider, skip }) => {
  const settings: OfferSettings = {
    ...parseConfig({ billing: TERMS }).billing,
    timezone: 'Europe/Prague',
    tiers: {},
    offerExpiresHours: 24,
    repeatCount: 0,
    repeatWindowDays: 30,
    teamLanguage: 'cs',
    defaultLanguage: 'cs',
    teamPlatforms: ['slack'],
  };
  const now = new Date('2026-11-23T09:00:00Z');

  async function withOffer(run: (test: Awaited<ReturnType<typeof createTestDatabase>>, offerId: string) => Promise<void>): Promise<void> {
    const test = await createTestDatabase(provider);
    try {
      const { prisma } = test.db;
      const ticket = await prisma.ticket.create({ data: { number: 'T-2026-00001', category: 'wifi', answers: {}, summary: 's', createdAt: now } });
      const offer = await prisma.$transaction((tx) => createOffer(tx, settings, ticket, null, now));
      await run(test, offer?.id ?? '');
    } finally {
      await test.drop();
    }
  }

  it.skipIf(skip)('refuse UPDATE and DELETE (database triggers), through Prisma and raw SQL', async () => {
    await withOffer(async ({ db, url }, offerId) => {
      const { prisma } = db;
      // Prisma reports SQLite's RAISE(ABORT) as a constraint violation without its text; the
      // trigger's own message is checked through the driver below.
      const refused = provider === 'sqlite' ? /Consent is immutable|constraint/i : /Consent is immutable/;
      const recorded = await prisma.$transaction((tx) =>
        recordConsent(tx, settings, {
          offerId,
          decision: 'accepted',
          reply: 'ano',
          channel: 'sms',
          conversationId: 'sms:+420603123456',
          platformMessageId: 'SM1',
          now,
        }),
      );
      expect(recorded.outcome).toBe('accepted');
      const consent = await prisma.consent.findFirstOrThrow();
      await expect(prisma.consent.update({ where: { id: consent.id }, data: { decision: 'declined' } })).rejects.toThrow(refused);
      await expect(prisma.consent.updateMany({ data: { reply: 'ne' } })).rejects.toThrow(refused);
      await expect(prisma.consent.delete({ where: { id: consent.id } })).rejects.toThrow(refused);
      await expect(prisma.consent.deleteMany({})).rejects.toThrow(refused);
      await expect(prisma.$executeRawUnsafe(`UPDATE "Consent" SET "reply" = 'x'`)).rejects.toThrow(refused);
      await expect(prisma.$executeRawUnsafe(`DELETE FROM "Consent"`)).rejects.toThrow(refused);
      expect(await prisma.consent.findFirstOrThrow()).toEqual(consent);
      if (provider === 'sqlite') {
        const raw = new Database(url.slice('file:'.length));
        try {
          expect(() => raw.prepare(`UPDATE "Consent" SET "reply" = 'x'`).run()).toThrow(/Consent is immutable: a stored consent cannot be updated/);
          expect(() => raw.prepare(`DELETE FROM "Consent"`).run()).toThrow(/Consent is immutable: a stored consent cannot be deleted/);
        } finally {
          raw.close();
        }
      } else {
        await expect(prisma.$executeRawUnsafe(`TRUNCATE "Consent" CASCADE`)).rejects.toThrow(/Consent is immutable/);
      }
      expect(await prisma.consent.count()).toBe(1);
      // The offer around it still moves on (cancel, visit): only the consent is frozen.
      await prisma.calloutOffer.update({ where: { id: offerId }, data: { status: 'cancelled', cancelledAt: now } });
    });
  });

  // Two processes share a database only on PostgreSQL; on SQLite two sweeps of one process race.
  it.skipIf(skip)('expire a due offer once when two sweeps run at the same moment', async () => {
    await withOffer(async (test, offerId) => {
      const other = provider === 'postgresql' ? await openDatabase(test.url) : test.db;
      try {
        const later = () => new Date(now.getTime() + 24 * 3_600_000);
        const [a, b] = await Promise.all([
          expireDueOffers({ prisma: test.db.prisma, offers: settings, clock: later }),
          expireDueOffers({ prisma: other.prisma, offers: settings, clock: later }),
        ]);
        expect([...a, ...b]).toEqual([offerId]);
        const { prisma } = test.db;
        expect((await prisma.calloutOffer.findUniqueOrThrow({ where: { id: offerId } })).status).toBe('expired');
        expect(await prisma.ticketEvent.count({ where: { type: 'callout_expired' } })).toBe(1);
        const thread = await prisma.outboxItem.findMany({ where: { kind: 'team.thread' } });
        expect(thread.map((i) => (i.payload as { text?: string }).text).filter((x) => x?.includes('vypršela'))).toHaveLength(1);
        // A late answer is refused, and announces nothing more.
        const late = await prisma.$transaction((tx) =>
          recordConsent(tx, settings, {
            offerId,
            decision: 'accepted',
            reply: 'ano',
            channel: 'sms',
            conversationId: 'sms:+420603123456',
            platformMessageId: 'SM2',
            now: later(),
          }),
        );
        expect(late).toEqual({ outcome: 'expired', number: 'T-2026-00001' });
        expect(await prisma.consent.count()).toBe(0);
        expect(await prisma.ticketEvent.count({ where: { type: 'callout_expired' } })).toBe(1);
      } finally {
        if (other !== test.db) await other.close();
      }
    });
  });
});
