// Discord end to end: the real discord.js REST client against a fake Discord API on 127.0.0.1,
// interactions signed with a key pair made here, Linka in-process with a real database, and
// the customer on Telegram (a fake Bot API) so that what they are told can be seen.
import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCustomId, parseDuration, parseInteraction, renderCard } from '../adapters/discord/index.js';
import { allChannels } from './helpers/all-channels.js';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/observability/logger.js';
import { toTeamChannel } from '../src/services/enqueue-team-posts.js';
import { ticketByNumber } from '../src/store/tickets.js';
import { pgAvailable } from './helpers/db.js';
import { seedCustomers } from './helpers/harness.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { eventually } from './fakes/fake-server.js';
import { APP_ID, startDiscordFake, type DiscordFake } from './fakes/discord-fake.js';
import { startTelegramFake, tg, type TelegramFake } from './fakes/telegram-fake.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PG = await pgAvailable();

const TOKEN = 'discord-test-token';
const GUILD = '900000000000000001';
const QUEUE = '900000000000000010';
const ROLE = '900000000000000020';
const ON_CALL_ROLE = '900000000000000030';
/** A guild member as an interaction carries it. */
interface Member {
  user: { id: string; username: string; global_name: string | null };
  nick: string | null;
  roles: string[];
}
/** A technician by role (with a server nickname), one by user id (no role), and someone else. */
const PETR: Member = { user: { id: '900000000000000101', username: 'petr.n', global_name: 'Petr' }, nick: 'Petr Novotný', roles: ['900000000000000099', ROLE] };
const EVA: Member = { user: { id: '900000000000000102', username: 'eva', global_name: 'Eva Malá' }, nick: null, roles: [] };
const HONZA: Member = { user: { id: '900000000000000103', username: 'honza', global_name: 'Honza' }, nick: null, roles: ['900000000000000099'] };

/** The application's key pair; Discord shows the public key as 64 hex characters. */
function keyPair(): { privateKey: KeyObject; publicHex: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicHex: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex') };
}
const APP_KEY = keyPair();

let interactionSeq = 1300000000000000000n;
const nextId = () => String(++interactionSeq);

/** A button click on a card. */
function click(action: string, number: string, member: Member = PETR, id = nextId()) {
  return {
    id,
    application_id: APP_ID,
    type: 3,
    token: 'interaction-token',
    version: 1,
    guild_id: GUILD,
    channel_id: QUEUE,
    channel: { id: QUEUE, type: 0 },
    member: { ...member, joined_at: '2026-01-01T00:00:00Z' },
    data: { custom_id: `linka:${action}:${number}`, component_type: 2 },
    message: { id: '1', channel_id: QUEUE },
  };
}

/** `/linka <sub> name:value...` typed in `channelId`. */
function command(sub: string, options: Record<string, string> = {}, opts: { member?: Member; channelId?: string; id?: string } = {}) {
  const channelId = opts.channelId ?? QUEUE;
  return {
    id: opts.id ?? nextId(),
    application_id: APP_ID,
    type: 2,
    token: 'interaction-token',
    version: 1,
    guild_id: GUILD,
    channel_id: channelId,
    channel: { id: channelId, type: channelId === QUEUE ? 0 : 11 },
    member: { ...(opts.member ?? PETR), joined_at: '2026-01-01T00:00:00Z' },
    data: {
      id: '1',
      name: 'linka',
      type: 1,
      options: [{ type: 1, name: sub, options: Object.entries(options).map(([name, value]) => ({ type: 3, name, value })) }],
    },
  };
}

type Answer = { status: number; body: { type?: number; data?: { content?: string; flags?: number } } };

describe.each([
  { provider: 'sqlite' as const, skip: false, only: false },
  { provider: 'postgresql' as const, skip: !PG, only: true },
])('Discord on $provider', ({ provider, skip, only }) => {
  let discord: DiscordFake;
  let telegram: TelegramFake;
  let t: TestLinka;
  /** The tests of the PostgreSQL run: the card's round trip (b). */
  const itFull = only ? it.skip : it.skipIf(skip);
  const itPg = it.skipIf(skip);

  beforeEach(async () => {
    if (skip) return;
    discord = await startDiscordFake({ channels: [QUEUE] });
    telegram = await startTelegramFake();
    t = await startTestLinka({
      provider,
      env: {
        TELEGRAM_BOT_TOKEN: '123456:TEST',
        TELEGRAM_WEBHOOK_SECRET: 'tg-secret',
        TELEGRAM_API_ROOT: telegram.url,
        DISCORD_BOT_TOKEN: TOKEN,
        DISCORD_PUBLIC_KEY: APP_KEY.publicHex,
        DISCORD_API_URL: discord.url,
      },
      config: {
        company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' },
        workers: { outboxPollMs: 50, timerPollMs: 50 },
        outbox: { backoffBaseMs: 1000 },
        discord: { queueChannel: QUEUE, technicianRoles: [ROLE], technicians: [EVA.user.id], onCall: [EVA.user.id, `role:${ON_CALL_ROLE}`] },
      },
    });
    await seedCustomers(t.linka.db);
    await t.linka.db.prisma.customer.update({ where: { contractNumber: '2024-0153' }, data: { telegramId: '7001' } });
  });
  afterEach(async () => {
    if (skip) return;
    await t.stop();
    await discord.close();
    await telegram.close();
  });

  /** POSTs an interaction signed with `key` (the application's by default); `null` headers: unsigned. */
  async function interact(payload: unknown, opts: { key?: KeyObject; headers?: Record<string, string> | null; signedBody?: string } = {}): Promise<Answer> {
    const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(timestamp + (opts.signedBody ?? raw)), opts.key ?? APP_KEY.privateKey).toString('hex');
    const headers = opts.headers === null ? {} : (opts.headers ?? { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp });
    const res = await fetch(`${t.base}/discord/interactions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
    const text = await res.text();
    let body: Answer['body'] = {};
    try {
      body = JSON.parse(text) as Answer['body'];
    } catch {
      /* not JSON */
    }
    return { status: res.status, body };
  }
  const customerTexts = () => telegram.calls('sendMessage').map((c) => String(c.text));
  const card = () => discord.inChannel(QUEUE)[0];
  const buttons = () => card()?.components.flatMap((r) => r.components.map((b) => b.custom_id)) ?? [];
  const threadTexts = () => [...discord.threads.keys()].flatMap((id) => discord.inChannel(id).map((m) => m.content));
  const patches = () => discord.calls('PATCH', /^\/channels\/\d+\/messages\/\d+$/);
  const ephemeralText = (a: Answer) => {
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ type: 4, data: { flags: 64 } });
    return a.body.data?.content ?? '';
  };

  /**
   * Fires due timers and delivers the outbox. The running worker may hold items that a drain
   * skips (they are leased), so this also waits until no due item is left pending.
   */
  async function settle(minutes = 0) {
    await t.settle(minutes);
    const due = () => t.linka.db.prisma.outboxItem.count({ where: { status: 'pending', nextAttemptAt: { lte: t.clock.read() } } });
    await eventually(
      async () => {
        await t.linka.runtime.outbox.drain();
        return (await due()) === 0;
      },
      5000,
      'the outbox to be delivered',
    );
  }
  async function say(text: string) {
    expect((await t.post('/telegram/webhook', tg.text(text), { 'x-telegram-bot-api-secret-token': 'tg-secret' })).status).toBe(200);
    await settle();
  }
  async function openTicket(): Promise<string> {
    await say('Dobrý den');
    await say('4');
    await say('Nejde mi odeslat e-mail přes váš server.');
    await say('dnes');
    await say('ano');
    const ticket = await t.linka.db.prisma.ticket.findFirst({ orderBy: { number: 'desc' } });
    expect(ticket?.number).toMatch(/^T-2026-\d{5}$/);
    return ticket?.number as string;
  }

  itFull('posts a new ticket to the queue channel as an embed with its buttons', async () => {
    expect(t.linka.channels).toContain('discord');
    const number = await openTicket();
    expect(discord.inChannel(QUEUE)).toHaveLength(1);
    const posted = discord.calls('POST', new RegExp(`^/channels/${QUEUE}/messages$`))[0];
    expect(posted?.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect((posted?.body as { allowed_mentions?: unknown } | undefined)?.allowed_mentions).toEqual({ parse: [] });
    const embed = card()?.embeds[0];
    expect(embed?.title).toBe(`${number} · Něco jiného`);
    expect(embed?.description).toMatch(/^\*\*Čeká na technika\*\*\n\n/);
    expect(embed?.description).toContain('Nejde mi odeslat e-mail přes váš server.');
    expect(embed?.color).toBe(0xe67e22);
    expect(embed?.fields).toContainEqual({ name: 'Zákazník', value: 'Jan Novák', inline: true });
    expect(embed?.fields).toContainEqual({ name: 'Úroveň podpory', value: 'PLUS', inline: true });
    expect(card()?.components[0]?.components.map((b) => [b.label, b.style, b.custom_id])).toEqual([
      ['Převzít', 1, `linka:claim:${number}`],
      ['Vyřešeno', 2, `linka:resolve:${number}`],
      ['Nabídnout placený výjezd', 4, `linka:offer:${number}`],
    ]);
    const post = await t.linka.db.prisma.teamPost.findFirst({ where: { platform: 'discord' } });
    expect(post).toMatchObject({ channelId: QUEUE, messageId: card()?.id, threadId: null });
  });

  itPg('claims and resolves with signed clicks: the card is edited in place and the customer is told', async () => {
    const number = await openTicket();
    const cardId = card()?.id;
    expect(await interact(click('claim', number))).toEqual({ status: 200, body: { type: 6 } });
    await settle();
    expect(await ticketByNumber(t.linka.db.prisma, number)).toMatchObject({
      status: 'claimed',
      claimedBy: `discord:${PETR.user.id}`,
      claimedByName: 'Petr Novotný',
    });
    expect(customerTexts().at(-1)).toBe(`Váš požadavek ${number} převzal technik Petr Novotný. Ozve se vám zde.`);
    expect(patches().map((r) => r.path)).toEqual([`/api/v10/channels/${QUEUE}/messages/${cardId}`]);
    expect(card()?.embeds[0]?.description).toMatch(/^\*\*Převzal\(a\) Petr Novotný\*\*/);
    expect(card()?.embeds[0]?.color).toBe(0x3498db);
    expect(buttons()).toEqual([`linka:release:${number}`, `linka:resolve:${number}`, `linka:offer:${number}`]);
    // The card's thread: made on the card message, named by the ticket.
    expect([...discord.threads]).toEqual([[cardId, number]]);
    expect(threadTexts()).toEqual(['Petr Novotný převzal(a) požadavek.']);

    expect(await interact(click('resolve', number))).toEqual({ status: 200, body: { type: 6 } });
    await settle();
    expect(await ticketByNumber(t.linka.db.prisma, number)).toMatchObject({ status: 'resolved', resolvedBy: `discord:${PETR.user.id}` });
    expect(customerTexts().at(-1)).toContain(`Váš požadavek ${number} je vyřešen.`);
    expect(card()?.embeds[0]?.description).toMatch(/^\*\*Vyřešeno\*\*/);
    expect(card()?.embeds[0]?.color).toBe(0x2ecc71);
    expect(buttons()).toEqual([]);
    expect(patches()).toHaveLength(2);
    // Never reposted; one thread, reused.
    expect(discord.inChannel(QUEUE)).toHaveLength(1);
    expect(discord.calls('POST', /\/threads$/)).toHaveLength(1);
    expect(threadTexts()).toEqual(['Petr Novotný převzal(a) požadavek.', 'Petr Novotný označil(a) požadavek jako vyřešený.']);
    // A click on the old card after that is answered, not acted on.
    expect(ephemeralText(await interact(click('claim', number)))).toBe(`Požadavek ${number} je už vyřešený.`);

    // The customer was asked to rate the help on Telegram: the answer is stored and shown.
    expect(customerTexts().at(-1)).toContain('Ohodnoťte prosím od 1 (nespokojen) do 5 (velmi spokojen).');
    await say('5');
    expect(await ticketByNumber(t.linka.db.prisma, number)).toMatchObject({ satisfaction: 5 });
    expect(card()?.embeds[0]?.fields).toContainEqual({ name: 'Spokojenost', value: '5/5', inline: true });
    expect(threadTexts().at(-1)).toBe('Zákazník ohodnotil spokojenost: 5/5.');
  });

  itFull('releases a claimed ticket with a signed click: the card shows Claim again, and only the holder may release', async () => {
    const number = await openTicket();
    const cardId = card()?.id;
    await interact(click('claim', number));
    await settle();
    expect(ephemeralText(await interact(click('release', number, EVA)))).toBe(`Požadavek ${number} drží Petr Novotný; vrátit ho může jen on(a).`);
    expect(ephemeralText(await interact(command('release', { ticket: number }, { member: EVA })))).toBe(
      `Požadavek ${number} drží Petr Novotný; vrátit ho může jen on(a).`,
    );
    await settle();
    expect(await ticketByNumber(t.linka.db.prisma, number)).toMatchObject({ status: 'claimed', claimedByName: 'Petr Novotný' });
    expect(patches()).toHaveLength(1);

    expect(await interact(click('release', number))).toEqual({ status: 200, body: { type: 6 } });
    await settle();
    expect(await ticketByNumber(t.linka.db.prisma, number)).toMatchObject({ status: 'open', claimedBy: null });
    expect(patches().map((r) => r.path)).toEqual([1, 2].map(() => `/api/v10/channels/${QUEUE}/messages/${cardId}`));
    expect(card()?.embeds[0]?.description).toMatch(/^\*\*Čeká na technika\*\*/);
    expect(buttons()).toEqual([`linka:claim:${number}`, `linka:resolve:${number}`, `linka:offer:${number}`]);
    expect(threadTexts()).toEqual(['Petr Novotný převzal(a) požadavek.', 'Petr Novotný vrátil(a) požadavek do fronty.']);
    expect(discord.inChannel(QUEUE)).toHaveLength(1);
  });

  itFull('refuses a missing or wrong signature with 401 and changes nothing; answers PING', async () => {
    const number = await openTicket();
    const before = await t.linka.db.prisma.processedInbound.count();
    const payload = click('claim', number);
    const other = keyPair();
    expect((await interact(payload, { headers: null })).status).toBe(401);
    expect((await interact(payload, { key: other.privateKey })).status).toBe(401);
    expect((await interact(payload, { signedBody: JSON.stringify(click('claim', number, HONZA)) })).status).toBe(401);
    expect((await interact(payload, { headers: { 'x-signature-ed25519': 'zz'.repeat(64), 'x-signature-timestamp': '1' } })).status).toBe(401);
    await settle();
    expect(await ticketByNumber(t.linka.db.prisma, number)).toMatchObject({ status: 'open', claimedBy: null });
    expect(await t.linka.db.prisma.processedInbound.count()).toBe(before);
    expect(patches()).toHaveLength(0);

    // Discord's endpoint check: a signed PING gets a PONG, an unsigned one 401.
    expect(await interact({ id: nextId(), application_id: APP_ID, type: 1, token: 'x', version: 1 })).toEqual({ status: 200, body: { type: 1 } });
    expect((await interact({ type: 1 }, { headers: null })).status).toBe(401);
    // Signed but malformed: 400.
    expect((await interact('{not json')).status).toBe(400);
    expect((await interact({ hello: 1 })).status).toBe(400);
  });

  itFull('refuses someone who is not a technician, privately, and changes nothing', async () => {
    const number = await openTicket();
    const refusal = 'S požadavky mohou pracovat jen technici. Požádejte správce o přidání.';
    expect(ephemeralText(await interact(click('claim', number, HONZA)))).toBe(refusal);
    expect(ephemeralText(await interact(command('reply', { text: 'Ahoj', ticket: number }, { member: HONZA })))).toBe(refusal);
    await settle();
    expect(await ticketByNumber(t.linka.db.prisma, number)).toMatchObject({ status: 'open', claimedBy: null });
    expect(patches()).toHaveLength(0);
    expect(customerTexts().some((text) => text.includes('Ahoj'))).toBe(false);
    // A technician listed by user id (no role) may act.
    expect((await interact(click('claim', number, EVA))).body).toEqual({ type: 6 });
    expect(await ticketByNumber(t.linka.db.prisma, number)).toMatchObject({ claimedBy: `discord:${EVA.user.id}`, claimedByName: 'Eva Malá' });
  });

  itFull('shows a ticket claimed on another platform as claimed, and refuses a second claim', async () => {
    const number = await openTicket();
    const r = await t.linka.runtime.queue.claim(number, { id: 'slack:UKAREL', name: 'Karel', platform: 'slack' });
    expect(r.ok).toBe(true);
    await settle();
    expect(card()?.embeds[0]?.description).toMatch(/^\*\*Převzal\(a\) Karel\*\*/);
    expect(buttons()).toEqual([`linka:release:${number}`, `linka:resolve:${number}`, `linka:offer:${number}`]);
    expect(threadTexts()).toEqual(['Karel převzal(a) požadavek.']);
    expect(ephemeralText(await interact(click('claim', number)))).toBe(`Požadavek ${number} už převzal(a) Karel.`);
    expect(ephemeralText(await interact(click('release', number)))).toBe(`Požadavek ${number} drží Karel; vrátit ho může jen on(a).`);
  });

  itFull('runs /linka: reply reaches the customer, time is logged, the thread is made once and reused', async () => {
    const number = await openTicket();
    const done = `Hotovo: ${number}.`;
    expect(ephemeralText(await interact(command('claim', { ticket: number.toLowerCase() })))).toBe(done);
    await settle();
    const threadId = [...discord.threads.keys()][0] as string;
    expect(threadId).toBe(card()?.id);

    expect(ephemeralText(await interact(command('reply', { text: 'Dobrý den, zkuste prosím port 587.', ticket: number })))).toBe(done);
    await settle();
    expect(customerTexts().at(-1)).toBe('Petr Novotný (technik): Dobrý den, zkuste prosím port 587.');

    // Inside the ticket's thread the ticket option may be left out.
    expect(ephemeralText(await interact(command('time', { duration: '1h30m', text: 'Kontrola nastavení pošty' }, { channelId: threadId })))).toBe(
      `Zapsáno 90 min k ${number}.`,
    );
    expect(ephemeralText(await interact(command('time', { duration: 'hodinu', text: 'x', ticket: number })))).toBe('Čas zadejte jako 45m, 1h nebo 1h30m.');
    expect(ephemeralText(await interact(command('note', { text: 'Asi špatné heslo.' }, { channelId: threadId })))).toBe(
      `Interní poznámka uložena k ${number}.`,
    );
    expect(ephemeralText(await interact(command('claim')))).toContain('Použití: /linka claim');
    await settle();
    expect(await t.linka.db.prisma.timeEntry.findMany({ select: { minutes: true, technician: true, activity: true } })).toEqual([
      { minutes: 90, technician: `discord:${PETR.user.id}`, activity: 'Kontrola nastavení pošty' },
    ]);
    expect(threadTexts()).toContain('Petr Novotný zapsal(a) 90 min: Kontrola nastavení pošty');
    // The customer writes back: into the same thread.
    await say('Pořád to nejde.');
    expect(threadTexts().at(-1)).toBe('Zákazník: Pořád to nejde.');
    expect(discord.calls('POST', /\/threads$/)).toHaveLength(1);
    expect((await t.linka.db.prisma.teamPost.findFirst())?.threadId).toBe(threadId);

    const queue = ephemeralText(await interact(command('queue')));
    expect(queue).toContain('Otevřené požadavky (1):');
    expect(queue).toContain(`${number} · Něco jiného · Jan Novák · Převzal(a) Petr Novotný · `);
    expect(queue).toMatch(/ · \d+\. 11\. 2026 \d{1,2}:\d\d \(zbývá \d+ h \d+ min\)$/);
    const unknown = ephemeralText(await interact(command('reboot', { ticket: number })));
    expect(unknown).toContain('Neznámý příkaz „linka reboot“.');
    expect(unknown).toContain('Příkazy /linka:');
    expect(ephemeralText(await interact(command('help', {}, { member: HONZA })))).toContain('Příkazy /linka:');

    // The thread was made but its id was lost (a crash before it was saved): Discord refuses a
    // second thread on the message, and the thread, whose id is the message's, is used.
    await t.linka.db.prisma.teamPost.updateMany({ data: { threadId: null } });
    await say('Už to funguje.');
    expect(discord.calls('POST', /\/threads$/)).toHaveLength(2);
    expect(discord.threads.size).toBe(1);
    expect(threadTexts().at(-1)).toBe('Zákazník: Už to funguje.');
    expect((await t.linka.db.prisma.teamPost.findFirst())?.threadId).toBe(threadId);
  });

  itFull(
    'books a free visit with free:True (issue 16, rule 2: "when the fault is on the provider\'s side, a technician is sent free of charge") and asks the customer to agree to paid work (rule 3)',
    async () => {
      const number = await openTicket();
      const visit = await interact(command('visit', { when: '2026-11-24 14:30', free: 'true', ticket: number }));
      expect(ephemeralText(visit)).toBe(`Hotovo: ${number}.`);
      await settle();
      expect(customerTexts().at(-1)).toBe('Výjezd technika jsme naplánovali na 24. 11. 2026 14:30. Výjezd je bezplatný.');
      expect(threadTexts()).toContain('Petr Novotný naplánoval(a) bezplatný výjezd na 24. 11. 2026 14:30 (závada na naší straně).');
      expect(await t.linka.db.prisma.calloutOffer.count()).toBe(0);
      // Without free:True a visit still needs the customer's consent to a paid call-out.
      expect(ephemeralText(await interact(command('visit', { when: '2026-11-25 9:00', ticket: number })))).toBe(
        `Výjezd k ${number} nelze naplánovat: zákazník nesouhlasil s placeným výjezdem.`,
      );

      // "Paid work is agreed before it is done": reclassified, the customer is asked; time before it is marked.
      expect(ephemeralText(await interact(command('category', { kind: 'configuration', ticket: number })))).toBe(
        `Druh práce u ${number}: konfigurace (placené). Zákazníkovi jsme poslali podmínky a žádost o souhlas.`,
      );
      await settle();
      expect(customerTexts().at(-1)).toContain(`K požadavku ${number}: technik zjistil, že jde o placenou službu (nastavení vašeho zařízení).`);
      expect(ephemeralText(await interact(command('time', { duration: '30m', text: 'Nastavení routeru', ticket: number })))).toBe(
        `Zapsáno 30 min k ${number}. Zákazník s placenou prací zatím nesouhlasil: čas se nebude účtovat, dokud souhlas nedá.`,
      );
      await settle();
      expect(JSON.stringify(card()?.embeds)).toContain('30 min placené práce čeká na souhlas zákazníka (neúčtuje se)');
      await say('ano');
      expect(customerTexts().at(-1)).toContain('Děkujeme, váš souhlas jsme zaznamenali. Technik bude na vašem požadavku pokračovat.');
      await settle();
      expect(JSON.stringify(card()?.embeds)).not.toContain('čeká na souhlas zákazníka');
    },
  );

  itFull(
    'issue 16, rule 6: "/linka ticket shows the summary and the history, privately"; rule 5: /linka emergency marks the card and leads the queue',
    async () => {
      const number = await openTicket();
      expect(ephemeralText(await interact(command('claim', { ticket: number })))).toBe(`Hotovo: ${number}.`);
      expect(ephemeralText(await interact(command('note', { text: 'Zkontrolovat *heslo* <@123>', ticket: number })))).toBe(
        `Interní poznámka uložena k ${number}.`,
      );
      await settle();
      const posted = discord.calls('POST', /\/messages$/).length;
      const answer = await interact(command('ticket', { ticket: number.toLowerCase() }));
      expect(answer.body.data).toMatchObject({ allowed_mentions: { parse: [] } }); // "<@123>" in a note pings nobody
      const shown = ephemeralText(answer);
      expect(shown.split('\n')[0]).toBe(`${number} · Něco jiného · Převzal(a) Petr Novotný`);
      expect(shown).toContain('Historie:');
      expect(shown).toContain('Zákazník: Nejde mi odeslat e-mail přes váš server.');
      expect(shown).toContain('Petr Novotný převzal(a) požadavek.');
      // The technician's words are shown as written, never as Discord markup or a mention.
      expect(shown).toContain('Interní poznámka (Petr Novotný): Zkontrolovat \\*heslo\\*');
      expect(shown.length).toBeLessThanOrEqual(2000);
      expect(discord.calls('POST', /\/messages$/)).toHaveLength(posted);
      expect(ephemeralText(await interact(command('ticket', { ticket: number }, { member: HONZA })))).toBe(
        'S požadavky mohou pracovat jen technici. Požádejte správce o přidání.',
      );

      expect(ephemeralText(await interact(command('emergency', { ticket: number })))).toBe(`Hotovo: ${number}.`);
      await settle();
      expect(patches().at(-1)?.body).toMatchObject({ embeds: [expect.objectContaining({ title: `🚨 ${number} · Něco jiného` })] });
      expect(ephemeralText(await interact(command('queue')))).toContain(`🚨 ${number} · Něco jiného`);
      expect(ephemeralText(await interact(command('emergency', { ticket: number, set: 'off' })))).toBe(`Hotovo: ${number}.`);
      expect((await t.linka.db.prisma.ticket.findFirstOrThrow()).emergency).toBe(false);
    },
  );

  itFull('acts once on an interaction delivered twice', async () => {
    const number = await openTicket();
    const logTime = command('time', { duration: '45m', text: 'Výměna routeru', ticket: number });
    expect(ephemeralText(await interact(logTime))).toBe(`Zapsáno 45 min k ${number}.`);
    expect(ephemeralText(await interact(logTime))).toBe(`Hotovo: ${number}.`);
    const reply = command('reply', { text: 'Zkuste to prosím znovu.', ticket: number });
    await interact(reply);
    await interact(reply);
    const claim = click('claim', number);
    expect((await interact(claim)).body).toEqual({ type: 6 });
    await t.linka.runtime.queue.release(number, { id: `discord:${PETR.user.id}`, name: 'Petr Novotný', platform: 'discord' });
    expect((await interact(claim)).body).toEqual({ type: 6 });
    await settle();
    expect(await t.linka.db.prisma.timeEntry.count()).toBe(1);
    expect(customerTexts().filter((text) => text.includes('Zkuste to prosím znovu.'))).toHaveLength(1);
    // Released after the first click; the replayed click did not claim it again.
    expect(await ticketByNumber(t.linka.db.prisma, number)).toMatchObject({ status: 'open', claimedBy: null });
  });

  itFull('mentions exactly the on-call people where a channel message asks for it, and nobody otherwise', async () => {
    const now = t.clock.read();
    await toTeamChannel(t.linka.db.prisma, ['discord'], '🚨 T-2026-00009 @everyone {onCall}', now, { mentionOnCall: true });
    await toTeamChannel(t.linka.db.prisma, ['discord'], 'Přehled fronty @everyone {onCall}', now);
    await settle();
    expect(discord.calls('POST', new RegExp(`^/channels/${QUEUE}/messages$`)).map((r) => r.body)).toEqual([
      {
        content: `🚨 T-2026-00009 @everyone <@${EVA.user.id}> <@&${ON_CALL_ROLE}>`,
        allowed_mentions: { parse: [], users: [EVA.user.id], roles: [ON_CALL_ROLE] },
      },
      { content: 'Přehled fronty @everyone {onCall}', allowed_mentions: { parse: [] } },
    ]);
  });

  itFull('retries what Discord fails with 5xx and gives up at once on a missing channel', async () => {
    // discord.js retries a 5xx three times itself; the fourth failure reaches the outbox.
    discord.script(/\/messages$/, ...Array.from({ length: 4 }, () => ({ status: 502, body: 'Bad Gateway' })));
    const number = await openTicket();
    const item = () => t.linka.db.prisma.outboxItem.findFirst({ where: { kind: 'team.post' } });
    expect(await item()).toMatchObject({ status: 'pending', attempts: 1 });
    expect(discord.inChannel(QUEUE)).toHaveLength(0);
    await settle(2 / 60);
    expect(await item()).toMatchObject({ status: 'sent' });
    expect(card()?.embeds[0]?.title).toContain(number);

    discord.script(/\/messages\/\d+$/, { status: 403, body: { code: 50001, message: 'Missing Access' } });
    await t.linka.runtime.queue.claim(number, { id: 'slack:UKAREL', name: 'Karel', platform: 'slack' });
    await settle();
    expect(await t.linka.db.prisma.outboxItem.findFirst({ where: { kind: 'team.update' } })).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: expect.stringContaining('Missing Access'),
    });
  });
});

describe('Discord parsing and rendering', () => {
  it('reads durations, button ids and interactions', () => {
    expect(['45m', '1h', '1h30m', '1h 30m', '90min', ' 2H '].map(parseDuration)).toEqual([45, 60, 90, 90, 90, 120]);
    // A bare number is minutes, as on Slack (Discord refused "45" before the rule was shared); "1h30" and "1:30" too.
    expect(['45', '90', '1h30', '1:30'].map(parseDuration)).toEqual([45, 90, 90, 90]);
    expect(['', 'h', '0m', 'hodinu', '25h', '-5m', '1,5h'].map(parseDuration)).toEqual([null, null, null, null, null, null, null]);
    expect(parseCustomId('linka:claim:T-2026-00042')).toEqual({ action: 'claim', number: 'T-2026-00042' });
    expect(parseCustomId('linka:delete:T-2026-00042')).toBeNull();
    expect(parseCustomId('other-bot:claim')).toBeNull();
    expect(parseInteraction({ type: 3, id: '5', user: { id: '7', username: 'dm' }, data: { custom_id: 'x' } })).toEqual({
      kind: 'unsupported',
      id: '5',
      type: 3,
      what: 'x',
    });
    expect(
      parseInteraction({
        type: 3,
        id: '5',
        member: { user: { id: '7', username: 'u', global_name: null }, nick: null, roles: ['1'] },
        data: { custom_id: 'linka:resolve:T-1' },
      }),
    ).toEqual({ kind: 'button', id: '5', actor: { userId: '7', name: 'u', roles: ['1'] }, action: 'resolve', number: 'T-1' });
    expect(parseInteraction([])).toMatchObject({ kind: 'invalid' });
  });

  it('escapes what customers typed and keeps within Discord limits', () => {
    const body = renderCard({
      number: 'T-1',
      status: 'open',
      title: 'T-1 · x',
      state: 'Čeká',
      summary: `Popis: [klikni](https://evil.example) **hned**\n# nadpis\n${'x'.repeat(5000)}`,
      fields: [{ label: 'Zákazník', value: 'A_B' }],
      actions: [],
    });
    const description = body.embeds[0]?.description ?? '';
    expect(description).toContain('\\[klikni](https://evil.example) \\*\\*hned\\*\\*\n\\# nadpis');
    expect(description.length).toBe(4096);
    expect(body.embeds[0]?.fields[0]?.value).toBe('A\\_B');
    expect(body.components).toEqual([]);
  });
});

describe('Discord on or off', () => {
  it('is on with the token, the public key and the queue channel, and says why it is off otherwise', () => {
    const status = (env: Record<string, string>, discord: object = { queueChannel: QUEUE }) =>
      allChannels(env, parseConfig({ discord }), silentLogger()).status.discord;
    const env = { DISCORD_BOT_TOKEN: TOKEN, DISCORD_PUBLIC_KEY: APP_KEY.publicHex };
    expect(status(env)).toBe('on');
    expect(status({})).toBe('off (DISCORD_BOT_TOKEN, DISCORD_PUBLIC_KEY are not set)');
    expect(status({ DISCORD_BOT_TOKEN: TOKEN })).toBe('off (DISCORD_PUBLIC_KEY is not set)');
    expect(status({ ...env, DISCORD_PUBLIC_KEY: 'not-hex' })).toContain('DISCORD_PUBLIC_KEY must be');
    expect(status({ ...env, DISCORD_API_URL: 'discord.local' })).toContain('DISCORD_API_URL must be an http(s) URL');
    expect(status(env, {})).toBe('off (discord.queueChannel is not set in the config)');
  });
});

describe('linka discord register-commands', () => {
  it("registers /linka with its sub-commands for the bot's application", async () => {
    const fake = await startDiscordFake({ channels: [] });
    try {
      const run = (env: Record<string, string>) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
          execFile(
            process.execPath,
            [path.join(root, 'bin/linka.js'), 'discord', 'register-commands'],
            { env: { ...process.env, ...env }, cwd: root },
            (error, stdout, stderr) => {
              resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
            },
          );
        });
      const ok = await run({ DISCORD_BOT_TOKEN: TOKEN, DISCORD_API_URL: fake.url });
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain(
        `Registered /linka (queue, ticket, claim, release, resolve, note, time, reply, visit, category, emergency, help; outage start|update|resolve|list) for the application Linka Test (${APP_ID})`,
      );
      expect(fake.calls('PUT', new RegExp(`^/applications/${APP_ID}/commands$`))).toHaveLength(1);
      const [linka] = fake.commands as Array<{
        name: string;
        options: Array<{ name: string; type: number; options: Array<{ name: string; required: boolean }> }>;
      }>;
      expect(linka?.name).toBe('linka');
      expect(linka?.options.map((o) => [o.name, o.type])).toEqual([
        ...['queue', 'ticket', 'claim', 'release', 'resolve', 'note', 'time', 'reply', 'visit', 'category', 'emergency'].map((n) => [n, 1]),
        ['outage', 2],
        ['help', 1],
      ]);
      expect(linka?.options.find((o) => o.name === 'outage')?.options.map((o) => o.name)).toEqual(['start', 'update', 'resolve', 'list']);
      expect(linka?.options.find((o) => o.name === 'time')?.options.map((o) => [o.name, o.required])).toEqual([
        ['duration', true],
        ['text', true],
        ['ticket', false],
      ]);

      const bad = await run({ DISCORD_BOT_TOKEN: 'wrong', DISCORD_API_URL: fake.url });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('Discord answered');
      const missing = await run({ DISCORD_BOT_TOKEN: '', DISCORD_API_URL: fake.url });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('DISCORD_BOT_TOKEN is not set');
    } finally {
      await fake.close();
    }
  });
});
