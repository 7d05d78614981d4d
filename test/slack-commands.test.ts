// The /linka slash command through the real Bolt app (signed form posts to /slack/events),
// and the Slack adapter's pure parts: durations, ticket ids, Slack markup, the card layout,
// and how Web API failures reach the outbox.
import { createServer, type AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseDuration, parseTicketNumber, renderTicketCard, slackTextToPlain, toPlatformError } from '../adapters/slack/index.js';
import { createSlackTeamPort } from '../adapters/slack/port.js';
import { allChannels } from './helpers/all-channels.js';
import { parseConfig } from '../src/config/load.js';
import { LinkaError } from '../src/errors.js';
import { silentLogger } from '../src/observability/logger.js';
import { startTestLinka } from './helpers/linka.js';
import { startSlackWorld, type SlackWorld } from './helpers/slack-world.js';
import { eventually } from './fakes/fake-server.js';
import { FORM, SIGNING_SECRET, deliver, signed, slack, startSlackFake, type SlackFake } from './fakes/slack-fake.js';

describe('/linka', () => {
  let w: SlackWorld;
  beforeEach(async () => {
    w = await startSlackWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  it('lists the queue most urgent first, claims, logs time, and explains bad ids, unknown commands and usage', async () => {
    expect((await w.command('queue', 'UPETR')).text).toBe('Fronta je prázdná.');
    // Zuzana (STANDARD, 24 h) first, then Jan (PLUS, 8 h): Jan's deadline is earlier.
    const zuzana = await w.openTicketDirect('telegram:9001', '+421905123456');
    const jan = await w.openTicketDirect('telegram:9002', '+420603123456');
    const queue = (await w.command('queue', 'UPETR')).text.split('\n');
    expect(queue[0]).toBe('Otevřené požadavky (2):');
    expect(queue[1]).toMatch(new RegExp(`^${jan} · Něco jiného · Jan Novák · Čeká na technika · \\d`));
    expect(queue[2]).toMatch(new RegExp(`^${zuzana} · Něco jiného · Zuzana Kováčová · Čeká na technika · \\d`));

    expect((await w.command(`claim ${jan}`, 'UPETR')).text).toBe(`Hotovo: ${jan}.`);
    expect(await w.ticket(jan)).toMatchObject({ status: 'claimed', claimedBy: 'slack:UPETR', claimedByName: 'Petr' });
    expect((await w.command(`claim ${jan.toLowerCase()}`, 'URACE1')).text).toBe(`Požadavek ${jan} už převzal(a) Petr.`);
    expect((await w.command('queue', 'UPETR')).text).toContain(`${jan} · Něco jiného · Jan Novák · Převzal(a) Petr`);

    expect((await w.command(`time ${jan} 45m Kontrola nastavení pošty`, 'UPETR')).text).toBe(`Zapsáno 45 min k ${jan}.`);
    expect((await w.command(`time ${jan} 1h30m Výjezd`, 'UPETR')).text).toBe(`Zapsáno 90 min k ${jan}.`);
    expect((await w.command(`time ${jan} hodinu Výjezd`, 'UPETR')).text).toBe('Čas zadejte jako 45m, 1h nebo 1h30m.');
    expect((await w.command(`time ${jan} 45m`, 'UPETR')).text).toMatch(/^Použití: \/linka time /);
    expect((await w.command(`time ${jan} 30m cesta: Plzeň a zpět`, 'UPETR')).text).toBe(`Zapsáno 30 min k ${jan}.`);
    // The ticket is basic diagnostics (free) until a technician says otherwise: not billable.
    expect(await w.t.linka.db.prisma.timeEntry.findFirst({ where: { travel: true } })).toMatchObject({
      minutes: 30,
      activity: 'Plzeň a zpět',
      billable: false,
    });
    // No paid visit without the customer's consent; a bad time is explained.
    expect((await w.command(`visit ${jan} 2026-11-24 14:30`, 'UPETR')).text).toBe(
      `Výjezd k ${jan} nelze naplánovat: zákazník nesouhlasil s placeným výjezdem.`,
    );
    expect((await w.command(`visit ${jan} zítra`, 'UPETR')).text).toBe('Termín zadejte jako 2026-11-24 14:30.');
    const entries = await w.t.linka.db.prisma.timeEntry.findMany({ where: { travel: false }, orderBy: { minutes: 'asc' } });
    expect(entries.map((e) => [e.minutes, e.activity, e.technician, e.technicianName])).toEqual([
      [45, 'Kontrola nastavení pošty', 'slack:UPETR', 'Petr'],
      [90, 'Výjezd', 'slack:UPETR', 'Petr'],
    ]);

    expect((await w.command('claim 42x', 'UPETR')).text).toBe('Požadavek 42x neexistuje.\nPoužití: /linka claim T-2026-00042');
    expect((await w.command('claim', 'UPETR')).text).toBe('Použití: /linka claim T-2026-00042');
    expect((await w.command('claim T-2026-99999', 'UPETR')).text).toBe('Požadavek T-2026-99999 neexistuje.');
    expect((await w.command(`note ${jan}`, 'UPETR')).text).toBe('Použití: /linka note T-2026-00042 text');
    const unknown = (await w.command('frobnicate start Bory', 'UPETR')).text;
    expect(unknown).toMatch(/^Neznámý příkaz „frobnicate“\.\nPříkazy \/linka: queue/);
    expect((await w.command('help', 'UPETR')).text).toMatch(
      /^Příkazy \/linka: queue \(fronta\), ticket ID \(požadavek a jeho historie, vidíte jen vy\), claim ID/,
    );
    expect((await w.command('', 'UPETR')).text).toMatch(/^Příkazy \/linka:/);
  });

  it('sets the kind of work, which decides whether logged time is billable; prefixes combine in any order and override it', async () => {
    const prisma = w.t.linka.db.prisma;
    const number = await w.openTicketDirect('telegram:9101');
    const entry = async (activity: string) => prisma.timeEntry.findFirstOrThrow({ where: { activity } });
    const log = async (text: string) => (await w.command(`time ${number} ${text}`, 'UPETR')).text;
    expect((await w.ticket(number))?.workCategory).toBe('diagnostics');
    const cardFields = () =>
      w.slackFake
        .calls('chat.postMessage')
        .concat(w.slackFake.calls('chat.update'))
        .filter((c) => String(c.text).startsWith(`${number} `))
        .map((c) => JSON.stringify(c.blocks));
    expect(cardFields().at(-1)).toContain('*Druh práce*\\nzákladní diagnostika (zdarma)');

    // Free work: not billable by default; "placene:" forces billing; prefixes combine either way.
    expect(await log('20m Kontrola linky')).toBe(`Zapsáno 20 min k ${number}.`);
    expect(await entry('Kontrola linky')).toMatchObject({ billable: false, travel: false });
    expect(await log('30m cesta: zdarma: Cesta na Bory')).toBe(`Zapsáno 30 min k ${number}.`);
    expect(await entry('Cesta na Bory')).toMatchObject({ billable: false, travel: true });
    expect(await log('15m placené: Nastavení na přání')).toBe(`Zapsáno 15 min k ${number}.`);
    expect(await entry('Nastavení na přání')).toMatchObject({ billable: true, travel: false });
    expect(await log('15m cesta: billable: Cesta pro zákazníka')).toBe(`Zapsáno 15 min k ${number}.`);
    expect(await entry('Cesta pro zákazníka')).toMatchObject({ billable: true, travel: true });

    // A technician makes it paid work: billable by default from now on; the card and thread show it.
    expect((await w.command(`category ${number} konfigurace`, 'UEVA')).text).toBe('S požadavky mohou pracovat jen technici. Požádejte správce o přidání.');
    expect((await w.command(`category ${number} levné`, 'UPETR')).text).toMatch(/^Druh práce zadejte jako outage, diagnostics/);
    expect((await w.command(`category ${number}`, 'UPETR')).text).toBe('Použití: /linka category T-2026-00042 configuration');
    // Paid work is agreed first (issue 16, rule 3): the customer is sent the terms and asked.
    expect((await w.command(`category ${number} konfigurace`, 'UPETR')).text).toBe(
      `Druh práce u ${number}: konfigurace (placené). Zákazníkovi jsme poslali podmínky a žádost o souhlas.`,
    );
    expect((await w.ticket(number))?.workCategory).toBe('configuration');
    await w.t.settle();
    expect(cardFields().at(-1)).toContain('*Druh práce*\\nkonfigurace (placené)');
    expect(
      w.slackFake
        .calls('chat.postMessage')
        .filter((c) => c.thread_ts)
        .map((c) => String(c.text)),
    ).toContain('Petr změnil(a) druh práce na: konfigurace (placené).');
    expect(await log('45m Nastavení routeru')).toBe(
      `Zapsáno 45 min k ${number}. Zákazník s placenou prací zatím nesouhlasil: čas se nebude účtovat, dokud souhlas nedá.`,
    );
    expect(await entry('Nastavení routeru')).toMatchObject({ billable: true, travel: false });
    expect(await log('30m zdarma: cesta: Cesta zpět')).toBe(`Zapsáno 30 min k ${number}.`);
    expect(await entry('Cesta zpět')).toMatchObject({ billable: false, travel: true });
    expect(await log('25m cesta: Cesta tam')).toBe(
      `Zapsáno 25 min k ${number}. Zákazník s placenou prací zatím nesouhlasil: čas se nebude účtovat, dokud souhlas nedá.`,
    );
    expect(await entry('Cesta tam')).toMatchObject({ billable: true, travel: true });
    expect(await log('10m free: Omluva za zdržení')).toBe(`Zapsáno 10 min k ${number}.`);
    expect(await entry('Omluva za zdržení')).toMatchObject({ billable: false });
    expect((await w.command(`category ${number} customer_fault`, 'UPETR')).text).toBe(
      `Druh práce u ${number}: závada na straně zákazníka (placené). Na souhlas zákazníka už čeká dřívější nabídka.`,
    );
    expect((await w.command(`category ${number} outage`, 'UPETR')).text).toBe(`Druh práce u ${number}: výpadek na naší straně (zdarma).`);
    expect(await log('5m Ověření výpadku')).toBe(`Zapsáno 5 min k ${number}.`);
    expect(await entry('Ověření výpadku')).toMatchObject({ billable: false });
    // Only prefixes, no activity: the usage.
    expect(await log('30m cesta: zdarma:')).toMatch(/^Použití: \/linka time /);
    // The trail keeps every change of category.
    const events = (await w.ticket(number))?.events.filter((e) => e.type === 'category').map((e) => e.data);
    expect(events).toEqual([
      { name: 'Petr', from: 'diagnostics', to: 'configuration' },
      { name: 'Petr', from: 'configuration', to: 'customer_fault' },
      { name: 'Petr', from: 'customer_fault', to: 'outage' },
    ]);
  });

  it('logs time with the day of the work; a future or too old day is refused', async () => {
    const prisma = w.t.linka.db.prisma;
    const number = await w.openTicketDirect('telegram:9102');
    const log = async (text: string) => (await w.command(`time ${number} ${text}`, 'UPETR')).text;
    // The clock stands at 2026-11-23 10:00 in Prague.
    expect(await log('45m 2026-11-20 Nastavení routeru')).toBe(`Zapsáno 45 min k ${number}.`);
    expect(await prisma.timeEntry.findFirstOrThrow({ where: { activity: 'Nastavení routeru' } })).toMatchObject({
      workedAt: new Date('2026-11-20T11:00:00Z'),
      createdAt: w.t.clock.read(),
      minutes: 45,
    });
    expect(await log('30m @2026-11-22 cesta: placene: Cesta k zákazníkovi')).toBe(`Zapsáno 30 min k ${number}.`);
    expect(await prisma.timeEntry.findFirstOrThrow({ where: { activity: 'Cesta k zákazníkovi' } })).toMatchObject({
      workedAt: new Date('2026-11-22T11:00:00Z'),
      travel: true,
      billable: true,
    });
    expect(await log('15m zdarma: @2026-11-23 Dnešní kontrola')).toBe(`Zapsáno 15 min k ${number}.`);
    expect(await prisma.timeEntry.findFirstOrThrow({ where: { activity: 'Dnešní kontrola' } })).toMatchObject({
      workedAt: new Date('2026-11-23T11:00:00Z'),
      billable: false,
    });
    expect(await log('20m Bez data')).toBe(`Zapsáno 20 min k ${number}.`);
    expect(await prisma.timeEntry.findFirstOrThrow({ where: { activity: 'Bez data' } })).toMatchObject({ workedAt: null });
    const bad = 'Den práce zadejte jako 2026-11-30 nebo @2026-11-30: ne v budoucnosti a nejvýše 62 dní zpět.';
    for (const when of ['2026-11-24', '2026-02-30', '2026-09-01', '@2027-01-01']) expect(await log(`15m ${when} Práce`), when).toBe(bad);
    expect(await prisma.timeEntry.count({ where: { activity: 'Práce' } })).toBe(0);
    // A number that is no date stays in the activity.
    expect(await log('15m 20261120 upgrade')).toBe(`Zapsáno 15 min k ${number}.`);
    expect(await prisma.timeEntry.findFirstOrThrow({ where: { activity: '20261120 upgrade' } })).toMatchObject({ workedAt: null });
  });

  it('lets technicians resolve, note and reply, and refuses everyone else (help is open to all)', async () => {
    const number = await w.openTicketDirect('telegram:9003');
    expect((await w.command('queue', 'UEVA')).text).toBe('S požadavky mohou pracovat jen technici. Požádejte správce o přidání.');
    expect((await w.command(`claim ${number}`, 'UEVA')).text).toContain('jen technici');
    expect(await w.ticket(number)).toMatchObject({ status: 'open' });
    expect((await w.command('help', 'UEVA')).text).toMatch(/^Příkazy \/linka:/);

    expect((await w.command(`note ${number} Zákazník má starý router <TP-Link> & co.`, 'UPETR')).text).toBe(`Interní poznámka uložena k ${number}.`);
    const before = w.customerGot().length;
    expect((await w.command(`reply ${number} Dobrý den, ozvu se odpoledne.`, 'UPETR')).text).toBe(`Hotovo: ${number}.`);
    await w.t.settle();
    expect(w.customerGot().slice(before)).toEqual(['Petr (technik): Dobrý den, ozvu se odpoledne.']);
    expect((await w.command(`resolve ${number} Vyměněn router.`, 'UPETR')).text).toBe(`Hotovo: ${number}.`);
    expect(await w.ticket(number)).toMatchObject({ status: 'resolved', resolutionNote: 'Vyměněn router.', resolvedBy: 'slack:UPETR' });
    expect((await w.command(`resolve ${number}`, 'UPETR')).text).toBe(`Požadavek ${number} je už vyřešený.`);
    // The answer is escaped for Slack's mrkdwn.
    expect((await w.command('frob <b>', 'UPETR')).text).toMatch(/^Neznámý příkaz „frob“/);
    expect((await w.command('claim <@U1>', 'UPETR')).text).toBe('Požadavek &lt;@U1&gt; neexistuje.\nPoužití: /linka claim T-2026-00042');
  });
});

describe('/linka outage', () => {
  let w: SlackWorld;
  beforeAll(async () => {
    w = await startSlackWorld();
    await w.t.linka.db.prisma.customer.update({ where: { contractNumber: '2024-0153' }, data: { telegramId: '7001' } });
    await w.t.linka.db.prisma.customer.update({ where: { contractNumber: 'SK-77' }, data: { telegramId: '7002' } });
  });
  afterAll(async () => {
    await w.stop();
  });

  it('declares, updates, lists and resolves outages for technicians; customers of the areas and the queue channel are told', async () => {
    expect((await w.command('outage list', 'UPETR')).text).toBe('Žádný výpadek neprobíhá.');
    expect((await w.command('outage start Plzeň-Bory', 'UEVA')).text).toBe('S požadavky mohou pracovat jen technici. Požádejte správce o přidání.');
    expect((await w.command('outage start  | jen název', 'UPETR')).text).toBe('Použití: /linka outage start Bory, Doubravka [| title]');
    expect((await w.command('outage', 'UPETR')).text.split('\n')).toHaveLength(4);

    const started = (await w.command('outage start Plzeň-Bory, Doubravka | Přerušené vlákno &amp; switch', 'UPETR')).text;
    const id = /^Výpadek (\S+) vyhlášen: Přerušené vlákno &amp; switch · oblasti Plzeň-Bory, Doubravka · zjišťujeme příčinu\. Upozorněno zákazníků: 1\.$/.exec(
      started,
    )?.[1];
    expect(id, started).toBeTruthy();
    expect(await w.t.linka.db.prisma.outage.findUnique({ where: { id } })).toMatchObject({
      title: 'Přerušené vlákno & switch',
      source: 'slack',
      createdBy: 'slack:UPETR',
    });

    expect((await w.command(`outage update ${id} broken`, 'UPETR')).text).toBe(
      'Stav výpadku zadejte jako investigating, identified, monitoring nebo resolved.',
    );
    expect((await w.command(`outage update ${id} identified zítra`, 'UPETR')).text).toBe('Termín zadejte jako 2026-11-24 14:30.');
    expect((await w.command(`outage update ${id} identified 2026-11-23 14:30`, 'UPETR')).text).toBe(
      `Výpadek ${id} upraven: Přerušené vlákno &amp; switch · příčinu známe a opravujeme. Předpokládaný konec: 23. 11. 2026 14:30. Upozorněno zákazníků: 1.`,
    );
    expect((await w.command(`outage update ${id} identified`, 'UPETR')).text).toBe(`Výpadek ${id}: beze změny.`);
    expect((await w.command('outage list', 'UPETR')).text).toBe(
      `Probíhající výpadky (1):\n${id} · Přerušené vlákno &amp; switch · oblasti Plzeň-Bory, Doubravka · služby internet · příčinu známe a opravujeme · od 23. 11. 2026 10:00. Předpokládaný konec: 23. 11. 2026 14:30.`,
    );
    expect((await w.command(`outage resolve ${id}`, 'UPETR')).text).toBe(`Výpadek ${id} je vyřešen. Upozorněno zákazníků: 1.`);
    expect((await w.command(`outage resolve ${id}`, 'UPETR')).text).toBe(`Výpadek ${id} už je vyřešený.`);
    expect((await w.command('outage resolve nope', 'UPETR')).text).toBe('Výpadek nope neexistuje. Probíhající výpadky vypíše /linka outage list.');
    expect((await w.command(`outage update ${id} monitoring`, 'UPETR')).text).toBe(`Výpadek ${id} už je vyřešený.`);

    await w.t.settle();
    expect(w.tgFake.calls('sendMessage').map((c) => String(c.chat_id))).toEqual(['7001', '7001', '7001']);
    expect(w.customerGot()[0]).toMatch(/^Hlásíme výpadek: Přerušené vlákno & switch\. Stav: zjišťujeme příčinu\./);
    const channel = w.slackFake
      .calls('chat.postMessage')
      .filter((c) => c.channel === 'CQUEUE' && String(c.text).startsWith('Výpadek'))
      .map((c) => String(c.text));
    expect(channel).toHaveLength(3);
    expect(channel[0]).toBe(
      'Výpadek: Přerušené vlákno &amp; switch · oblasti Plzeň-Bory, Doubravka · služby internet · zjišťujeme příčinu. Upozorněno zákazníků: 1.',
    );
  }, 60_000);
});

describe('Slack parsing and rendering', () => {
  it('reads durations as minutes and refuses anything else', () => {
    expect(['45m', '1h', '1h30m', '1h 30m', '90', '2h5min', ' 15 '].map(parseDuration)).toEqual([45, 60, 90, 90, 90, 125, 15]);
    for (const bad of ['', 'h', 'm', '0', '0m', '1.5h', '-5', '45s', 'abc', '25h', '1h90x']) expect(parseDuration(bad), bad).toBeNull();
  });

  it('reads ticket numbers in any case and refuses other prefixes', () => {
    expect(parseTicketNumber('t-2026-00042', 'T')).toBe('T-2026-00042');
    expect(parseTicketNumber('T-2026-42', 'T')).toBe('T-2026-00042');
    expect(parseTicketNumber('T-2026-000042', 'T')).toBe('T-2026-00042');
    expect(parseTicketNumber('T-2026-123456', 'T')).toBe('T-2026-123456');
    for (const bad of ['42', 'X-2026-00042', 'T-26-00042', 'T-2026-', 'T-2026-00042x']) expect(parseTicketNumber(bad, 'T'), bad).toBeNull();
  });

  it("turns Slack's markup into plain text for the customer", () => {
    expect(slackTextToPlain('Viz <https://a.example/x|návod> a <https://b.example>, píšu <mailto:p@a.example|p@a.example>, <@U123> &amp; &lt;3 &gt;')).toBe(
      'Viz návod (https://a.example/x) a https://b.example, píšu p@a.example, @U123 & <3 >',
    );
  });

  it('lays a resolved card out without buttons and escapes what people typed', () => {
    const { text, blocks } = renderTicketCard({
      number: 'T-2026-00001',
      status: 'resolved',
      title: 'T-2026-00001 · Nefunguje internet',
      state: 'Vyřešeno',
      fields: [{ label: 'Zákazník', value: 'A <b> & B' }],
      summary: 'Popis: <script>',
      actions: [],
    });
    expect(text).toBe('T-2026-00001 · Nefunguje internet · Vyřešeno');
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section']);
    expect(JSON.stringify(blocks)).toContain('A &lt;b&gt; &amp; B');
    expect(JSON.stringify(blocks)).toContain('Popis: &lt;script&gt;');
  });
});

describe('Slack Web API failures', () => {
  let fake: SlackFake;
  let port: ReturnType<typeof createSlackTeamPort>;
  const card = { number: 'T-2026-00001', status: 'open' as const, title: 'T', state: 'S', fields: [], summary: '', actions: [] };
  beforeAll(async () => {
    fake = await startSlackFake();
    const app = new App({
      token: 'xoxb-test',
      signingSecret: 's',
      deferInitialization: true,
      receiver: { init: () => undefined, start: async () => undefined, stop: async () => undefined },
      clientOptions: { slackApiUrl: `${fake.url}/api/`, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true },
    });
    port = createSlackTeamPort(app.client, 'CQUEUE');
  });
  afterAll(async () => {
    await fake.close();
  });

  async function failure(p: Promise<unknown>): Promise<LinkaError> {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LinkaError);
    return err as LinkaError;
  }

  it('carries Retry-After on 429, and marks a missing channel or a bad token permanent', async () => {
    fake.script(/chat.postMessage/, { status: 429, headers: { 'retry-after': '7' }, body: { ok: false, error: 'ratelimited' } });
    expect(await failure(port.postTicket(card))).toMatchObject({ code: 'rate_limited', platform: 'slack', retryAfterMs: 7000, permanent: false });
    for (const error of ['channel_not_found', 'not_in_channel', 'invalid_auth']) {
      fake.script(/chat.postMessage/, { status: 200, body: { ok: false, error } });
      expect(await failure(port.postToChannel('x')), error).toMatchObject({ code: 'undeliverable', platform: 'slack', permanent: true });
    }
    fake.script(/chat.update/, { status: 200, body: { ok: false, error: 'internal_error' } });
    expect(await failure(port.updateTicket({ channelId: 'CQUEUE', messageId: '1.2', threadId: '1.2' }, card))).toMatchObject({
      code: 'platform_failed',
      permanent: false,
    });
    fake.script(/chat.postMessage/, { status: 503, body: 'down' });
    expect(await failure(port.postToThread({ channelId: 'CQUEUE', messageId: '1.2', threadId: '1.2' }, 'x'))).toMatchObject({
      code: 'platform_failed',
      permanent: false,
    });
    expect(toPlatformError(new Error('boom'))).toMatchObject({ code: 'platform_failed' });
    // And when it works: the card's ts is its thread.
    expect(await port.postTicket(card)).toEqual({
      channelId: 'CQUEUE',
      messageId: expect.stringMatching(/^\d+\.\d+$/),
      threadId: expect.stringMatching(/^\d+\.\d+$/),
    });
  });
});

describe('switching Slack on', () => {
  const env = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET };
  const status = (e: Record<string, string>, slackConfig: unknown = { queueChannel: 'CQUEUE' }) =>
    allChannels(e, parseConfig({ slack: slackConfig }), silentLogger()).status.slack;

  it('is on with the token, the signing secret and a queue channel, and says why it is off otherwise', () => {
    expect(status(env)).toBe('on');
    expect(status({})).toBe('off (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET are not set)');
    expect(status({ SLACK_BOT_TOKEN: 'xoxb-test' })).toBe('off (SLACK_SIGNING_SECRET is not set)');
    expect(status(env, {})).toMatch(/^off \(slack\.queueChannel is not set/);
    expect(status({ ...env, SLACK_API_URL: 'slack.example' })).toMatch(/^off \(SLACK_API_URL must be an http\(s\) URL/);
  });

  it('keeps serving when Slack cannot be reached at start-up, and answers 503 so Slack retries', async () => {
    // Bolt constructed with a token calls auth.test at once, and its rejection is unhandled:
    // the whole process would exit. Linka defers it to the first request.
    // A Slack that cannot be reached: every connection is dropped at once, and counted.
    let connections = 0;
    const dead = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
    const t = await startTestLinka({ config: { slack: { queueChannel: 'CQUEUE', technicians: ['UPETR'] } }, env: { ...env, SLACK_API_URL: url } });
    try {
      expect(t.linka.channels).toContain('slack');
      // The eager auth.test and its two retries fail...
      await eventually(() => connections >= 3, 10_000, 'the eager auth.test and its retries');
      // ...and a click is answered 503 (Slack retries it). Once the eager attempt has given up (and
      // its failure was handled, not thrown at the process), a click asks Slack again itself.
      await eventually(
        async () => {
          const seen = connections;
          const res = await deliver(t.base, signed(slack.click('claim', 'T-2026-00001', 'UPETR'), FORM));
          expect(res.status).toBe(503);
          return connections > seen;
        },
        15_000,
        'a click that asks Slack again',
      );
      expect((await fetch(`${t.base}/healthz`)).status).toBe(200);
    } finally {
      await t.stop();
      await new Promise((resolve) => dead.close(resolve));
    }
  });
});
