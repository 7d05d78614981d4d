// An outage declared for an area with 2,000 customers (1,200 on Telegram, 800 by SMS, in
// Czech, Slovak and English), delivered by the real runtime and adapters to fake platforms
// that answer 429 and 500 some of the time, then resolved. Every customer gets the start
// notice and the resolution notice exactly once, in their language; opted-out customers and
// customers elsewhere get nothing; the status channels (Slack, Discord, a Telegram group) get
// each notice once; no platform ever sees its limit exceeded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { smsSegments } from '../src/domain/sms.js';
import type { Lang } from '../src/shared/lang.js';
import { silentLogger } from '../src/observability/logger.js';
import type { OutageRow } from '../src/services/outages.js';
import { rateRules, separateStatusChannels } from '../src/runtime/rate-limit.js';
import { createRuntime, type Runtime } from '../src/runtime/create-runtime.js';
import type { Db } from '../src/store/client.js';
import { createTestDatabase } from './helpers/db.js';
import { maxInWindow, maxPerKeyInWindow, type FlakyPlatform } from './fakes/flaky-platforms.js';
import type { DiscordFake } from './fakes/discord-fake.js';
import type { SlackFake } from './fakes/slack-fake.js';
import { startFlakyChannels, type FlakyChannels } from './helpers/flaky-channels.js';

const TELEGRAM_CUSTOMERS = 1200;
const SMS_CUSTOMERS = 800;
const OPTED_OUT = 20;
const ELSEWHERE = 100;
const AREA = 'Plzeň-Bory';
const GROUP = '-1001999888777';
const ACCOUNT_SID = `AC${'5'.repeat(32)}`;
const FROM = '+420700800901';
const DISCORD_QUEUE = '1300000000000000011';
const DISCORD_STATUS = '1300000000000000012';
const LIMITS = {
  telegram: { perSecond: 250, perChatPerSecond: 1 },
  sms: { perNumberPerSecond: 200 },
  slack: { perChannelPerSecond: 1 },
  discord: { perChannel: 5, windowSeconds: 5 },
};

/**
 * The start and resolution notices as customers read them, by language (the message
 * catalogue's outage.notice and outage.resolved today): on Telegram the full wording; by SMS
 * the short one (sms.shortText, on by default), transliterated to GSM-7.
 */
const NOTICES: Record<Lang, { telegram: [string, string]; sms: [string, string] }> = {
  cs: {
    telegram: [
      'Hlásíme výpadek: Výpadek optiky Plzeň-Bory. Stav: zjišťujeme příčinu. Na odstranění pracujeme, nemusíte nic restartovat; o opravě vám dáme vědět.',
      'Výpadek Výpadek optiky Plzeň-Bory je odstraněn a služby by měly opět fungovat. Pokud vám stále něco nejde, napište nám.',
    ],
    sms: [
      'Vypadek: Vypadek optiky Plzen-Bory. Stav: zjistujeme pricinu. Opravujeme, nic nerestartujte, ozveme se.',
      'Vypadek Vypadek optiky Plzen-Bory je odstranen. Kdyz vam neco nejde, napiste nam.',
    ],
  },
  sk: {
    telegram: [
      'Hlásime výpadok: Výpadek optiky Plzeň-Bory. Stav: zisťujeme príčinu. Na odstránení pracujeme, nemusíte nič reštartovať; o oprave vám dáme vedieť.',
      'Výpadok Výpadek optiky Plzeň-Bory je odstránený a služby by mali opäť fungovať. Ak vám stále niečo nejde, napíšte nám.',
    ],
    sms: [
      'Vypadok: Vypadek optiky Plzen-Bory. Stav: zistujeme pricinu. Opravujeme, nic nerestartujte, ozveme sa.',
      'Vypadok Vypadek optiky Plzen-Bory je odstraneny. Ak vam nieco nejde, napiste nam.',
    ],
  },
  en: {
    telegram: [
      'Outage: Výpadek optiky Plzeň-Bory. Status: investigating. We are working on it; you do not need to restart anything. We will let you know when it is fixed.',
      'The outage Výpadek optiky Plzeň-Bory is over and services should work again. If something still does not work, write to us.',
    ],
    sms: [
      'Outage: Vypadek optiky Plzen-Bory. Status: investigating. We are fixing it, no need to restart. We will tell you.',
      'The outage Vypadek optiky Plzen-Bory is over. If something still fails, write to us.',
    ],
  },
};

const langOf = (i: number): Lang => (i % 10 === 7 ? 'sk' : i % 20 === 3 ? 'en' : 'cs');
const chatOf = (i: number) => String(700_000 + i);
const numberOf = (i: number) => `+420602${String(i).padStart(6, '0')}`;

describe('an outage declared for 2,000 customers, against flaky platforms', () => {
  let db: Db;
  let drop: () => Promise<void>;
  let telegram: FlakyPlatform;
  let twilio: FlakyPlatform;
  let slack: SlackFake;
  let discord: DiscordFake;
  let runtime: Runtime;
  let fakes: FlakyChannels;
  let declared: { notified: number; again: { changed: boolean; notified: number }; resolved: number };
  let outage: OutageRow;

  async function deliverAll(): Promise<void> {
    const started = Date.now();
    while ((await db.prisma.outboxItem.count({ where: { status: 'pending' } })) > 0) {
      if (Date.now() - started > 60_000) throw new Error('the notices were not all delivered within a minute');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  beforeAll(async () => {
    ({ db, drop } = await createTestDatabase('sqlite'));
    const config = parseConfig({
      workers: { outboxPollMs: 100 },
      outbox: { backoffBaseMs: 100, backoffMaxMs: 1000 },
      rateLimits: LIMITS,
      outages: { telegramChannel: GROUP },
      slack: { queueChannel: 'CQUEUE', statusChannel: 'CSTATUS' },
      discord: { queueChannel: DISCORD_QUEUE, statusChannel: DISCORD_STATUS },
    });
    const log = silentLogger();
    fakes = await startFlakyChannels({
      telegram: { rate429: 0.004, rate500: 0.03, retryAfterSeconds: 0.4, latencyMs: 20, seed: 7, scripted: { [GROUP]: [500] } },
      twilio: { rate429: 0.005, rate500: 0.03, retryAfterSeconds: 0.3, latencyMs: 20, seed: 8 },
      accountSid: ACCOUNT_SID,
      from: FROM,
      discordChannels: [DISCORD_QUEUE, DISCORD_STATUS],
      config,
      log,
    });
    ({ telegram, twilio, slack, discord } = fakes);
    const { adapters } = fakes;
    runtime = createRuntime({
      prisma: db.prisma,
      config,
      log,
      rateLimits: rateRules(config.rateLimits, separateStatusChannels(config)),
      ports: adapters.flatMap((a) => (a.port ? [a.port] : [])),
      teamPorts: adapters.flatMap((a) => (a.team ? [a.team] : [])),
    });

    // The customers: in the area on Telegram, in the area by SMS, opted out of SMS, elsewhere.
    const customers = [
      ...Array.from({ length: TELEGRAM_CUSTOMERS }, (_, i) => ({
        contractNumber: `TG-${i}`,
        name: `Telegram ${i}`,
        language: langOf(i),
        area: AREA,
        telegramId: chatOf(i),
      })),
      ...Array.from({ length: SMS_CUSTOMERS + OPTED_OUT }, (_, i) => ({ contractNumber: `SMS-${i}`, name: `SMS ${i}`, language: langOf(i), area: AREA })),
      ...Array.from({ length: ELSEWHERE }, (_, i) => ({
        contractNumber: `ELSE-${i}`,
        name: `Jinde ${i}`,
        language: 'cs',
        area: i % 2 ? 'Praha-Žižkov' : 'Plzeň-Doubravka',
        telegramId: chatOf(100_000 + i),
      })),
    ];
    await db.prisma.customer.createMany({ data: customers });
    const ids = new Map(
      (await db.prisma.customer.findMany({ where: { contractNumber: { startsWith: 'SMS-' } }, select: { id: true, contractNumber: true } })).map((c) => [
        c.contractNumber,
        c.id,
      ]),
    );
    await db.prisma.customerPhone.createMany({
      data: Array.from({ length: SMS_CUSTOMERS + OPTED_OUT }, (_, i) => ({ customerId: ids.get(`SMS-${i}`) as string, e164: numberOf(i) })),
    });
    await db.prisma.optOut.createMany({
      data: Array.from({ length: OPTED_OUT }, (_, k) => ({ conversationId: `sms:${numberOf(SMS_CUSTOMERS + k)}`, channel: 'sms' })),
    });

    // Declared (by an Alertmanager-like key), declared again unchanged, delivered, resolved, delivered.
    const input = { key: 'fp-plzen-bory', title: 'Výpadek optiky Plzeň-Bory', areas: [AREA], services: ['internet'], source: 'api', actor: 'test' };
    const first = await runtime.outages.declare(input);
    outage = first.outage;
    const again = await runtime.outages.declare(input);
    runtime.start();
    await deliverAll();
    const resolved = await runtime.outages.resolve(outage.id, 'test');
    outage = resolved.outage;
    await deliverAll();
    await runtime.stop();
    declared = { notified: first.notified, again: { changed: again.changed, notified: again.notified }, resolved: resolved.notified };
  }, 150_000);

  afterAll(async () => {
    await runtime?.stop();
    await fakes?.close();
    await drop?.();
  });

  it('tells every affected customer once, in their language, and the resolution once', () => {
    expect(declared).toEqual({
      notified: TELEGRAM_CUSTOMERS + SMS_CUSTOMERS,
      again: { changed: false, notified: 0 },
      resolved: TELEGRAM_CUSTOMERS + SMS_CUSTOMERS,
    });
    const chats = [...telegram.accepted.keys()].filter((k) => k !== GROUP).sort();
    expect(chats).toEqual(Array.from({ length: TELEGRAM_CUSTOMERS }, (_, i) => chatOf(i)).sort());
    for (let i = 0; i < TELEGRAM_CUSTOMERS; i++) expect(telegram.accepted.get(chatOf(i)), chatOf(i)).toEqual(NOTICES[langOf(i)].telegram);

    const numbers = [...twilio.accepted.keys()].sort();
    expect(numbers).toEqual(Array.from({ length: SMS_CUSTOMERS }, (_, i) => numberOf(i)).sort());
    for (let i = 0; i < SMS_CUSTOMERS; i++) expect(twilio.accepted.get(numberOf(i)), numberOf(i)).toEqual(NOTICES[langOf(i)].sms);
    // By SMS each notice is one billed segment, in every language.
    const bodies = [...new Set([...twilio.accepted.values()].flat())];
    expect(bodies.map((body) => smsSegments(body).segments)).toEqual(bodies.map(() => 1));
  });

  it('posts each notice once to the status channels, none to the ticket queue', () => {
    expect(telegram.accepted.get(GROUP)).toHaveLength(2);
    expect(telegram.arrivals.filter((a) => a.key === GROUP).length).toBeGreaterThan(2); // its first try met a 500
    const slackPosts = slack.calls('chat.postMessage');
    expect(slackPosts.map((c) => c.channel)).toEqual(['CSTATUS', 'CSTATUS']);
    expect(String(slackPosts[0]?.text)).toContain('Výpadek optiky Plzeň-Bory');
    expect(String(slackPosts[0]?.text)).toContain(`: ${TELEGRAM_CUSTOMERS + SMS_CUSTOMERS}.`);
    expect(discord.inChannel(DISCORD_STATUS)).toHaveLength(2);
    expect(discord.inChannel(DISCORD_QUEUE)).toEqual([]);
  });

  it('met 429s and 500s on the way and never exceeded a limit', async () => {
    for (const fake of [telegram, twilio]) {
      expect(fake.pauses.length).toBeGreaterThan(0);
      expect(fake.arrivals.filter((a) => a.status === 500).length).toBeGreaterThan(10);
    }
    expect(
      maxInWindow(
        telegram.arrivals.map((a) => a.at),
        1000,
      ),
    ).toBeLessThanOrEqual(LIMITS.telegram.perSecond);
    expect(maxPerKeyInWindow(telegram.arrivals, 1000)).toBeLessThanOrEqual(LIMITS.telegram.perChatPerSecond);
    expect(maxPerKeyInWindow(twilio.arrivals, 1000, (a) => a.from)).toBeLessThanOrEqual(LIMITS.sms.perNumberPerSecond);
    const items = await db.prisma.outboxItem.findMany({ select: { status: true } });
    expect(items.filter((i) => i.status !== 'sent')).toEqual([]);
    // Two notices for each customer and the group, two for each status channel.
    expect(items).toHaveLength(2 * (TELEGRAM_CUSTOMERS + SMS_CUSTOMERS + 1) + 4);
  });
});
