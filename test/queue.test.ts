// The technicians' queue on a real database: cards posted and updated through a team port,
// one winner among simultaneous claims, the customer told, thread relay both ways, rating.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/observability/logger.js';
import { createRuntime, type Runtime } from '../src/runtime/create-runtime.js';
import type { Db, PrismaClient } from '../src/store/client.js';
import { read } from '../src/store/sql.js';
import { ticketByNumber } from '../src/store/tickets.js';
import { createTestDatabase, pgAvailable } from './helpers/db.js';
import { Clock, recordingPort, seedCustomers } from './helpers/harness.js';
import { recordingTeam } from './helpers/team.js';

const PG = await pgAvailable();
const CLAIMS = Number(process.env.CLAIMS ?? 20);

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('the queue on $provider', ({ provider, skip }) => {
  let db: Db;
  let drop: () => Promise<void>;
  let runtime: Runtime;
  let customer: ReturnType<typeof recordingPort>;
  let slack: ReturnType<typeof recordingTeam>;
  let discord: ReturnType<typeof recordingTeam>;
  const clock = new Clock();

  async function say(text: string) {
    const before = customer.sent.length;
    await runtime.dispatch({
      dedupeId: `t:${Math.random()}`,
      conversationId: 'console:jan',
      channel: 'console',
      event: { kind: 'text', text },
      sender: { phone: '+420603123456' },
    });
    await runtime.outbox.drain();
    return customer.sent
      .slice(before)
      .map((s) => s.reply.text)
      .join('\n');
  }
  async function openTicket(): Promise<string> {
    await say('Dobrý den');
    await say('4');
    await say('Nejde mi odeslat e-mail přes váš server.');
    await say('dnes');
    await say('ano');
    const t = await db.prisma.ticket.findFirst({ orderBy: { number: 'desc' } });
    return t?.number ?? '';
  }

  const makeRuntime = (prisma: PrismaClient) =>
    createRuntime({
      prisma,
      log: silentLogger(),
      clock: clock.read,
      ports: [customer],
      teamPorts: [slack, discord],
      config: parseConfig({ company: { name: 'Test ISP' }, tiers: { PLUS: { reactionHours: 8, hours: 'always' }, none: { reactionHours: null } } }),
    });

  beforeEach(async () => {
    if (skip) return;
    const made = await createTestDatabase(provider);
    db = made.db;
    drop = made.drop;
    await seedCustomers(db);
    customer = recordingPort();
    slack = recordingTeam('slack');
    discord = recordingTeam('discord');
    runtime = makeRuntime(db.prisma);
  });
  afterEach(async () => {
    if (!skip) await drop();
  });

  it.skipIf(skip)('posts a new ticket to every team platform with its deadline and buttons', async () => {
    const number = await openTicket();
    const card = [...slack.cards.values()][0];
    expect(card).toMatchObject({ number, status: 'open', state: 'Čeká na technika' });
    expect(card?.fields).toContainEqual({ label: 'Zákazník', value: 'Jan Novák' });
    expect(card?.fields).toContainEqual({ label: 'Telefon', value: '+420 603 ••• 456' });
    expect(card?.fields).toContainEqual({ label: 'Úroveň podpory', value: 'PLUS' });
    // Opened at 09:00 UTC = 10:00 in Prague; PLUS reacts within 8 hours.
    expect(card?.fields.find((f) => f.label === 'Reakce do')?.value).toBe('23. 11. 2026 18:00');
    expect(card?.actions.map((a) => a.action)).toEqual(['claim', 'resolve', 'offer']);
    expect(discord.cards.size).toBe(1);
    const ticket = await ticketByNumber(db.prisma, number);
    expect(ticket?.deadline?.toISOString()).toBe('2026-11-23T17:00:00.000Z');
  });

  it.skipIf(skip)(
    'lets exactly one of twenty simultaneous claims win, twenty times over',
    async () => {
      for (let round = 0; round < 20; round++) {
        const number = await openTicket();
        await say('menu');
        const results = await Promise.all(
          Array.from({ length: CLAIMS }, (_, i) => runtime.queue.claim(number, { id: `slack:U${i}`, name: `Tech ${i}`, platform: 'slack' })),
        );
        const winners = results.filter((r) => r.ok);
        expect(winners).toHaveLength(1);
        const losers = results.filter((r) => !r.ok);
        const winnerIndex = results.findIndex((r) => r.ok);
        for (const l of losers) expect(l.message).toBe(`Požadavek ${number} už převzal(a) Tech ${winnerIndex}.`);
        const t = await ticketByNumber(db.prisma, number);
        expect(t).toMatchObject({ status: 'claimed', claimedBy: `slack:U${winnerIndex}` });
        expect(t?.events.filter((e) => e.type === 'claimed')).toHaveLength(1);
      }
    },
    120_000,
  ); // 20 rounds of 20 claims: seconds idle, far more on a busy machine

  // The interleaving the conditional UPDATE is there for, made to happen every time (on SQLite the
  // adapter runs one transaction at a time, so twenty simultaneous clicks never interleave): the
  // claim has read the ticket, still open, and before it writes, another technician's claim lands.
  // On PostgreSQL that is Alena's whole claim, committed from another connection (READ COMMITTED:
  // the second claim's UPDATE sees it). On SQLite nothing can commit beside the open transaction
  // (one connection, one writer), so her claim's rows are written on that very connection, inside
  // it, between the read and the write: what a committed concurrent claim would look like there.
  it.skipIf(skip)('tells the second of two interleaved claims who has the ticket, and leaves it with the first', async () => {
    const alena = { id: 'slack:UALENA', name: 'Alena', platform: 'slack' };
    const bohdan = { id: 'discord:778899', name: 'Bohdan', platform: 'discord' };
    let race: { number: string; landed: boolean } | null = null;
    const competingClaim = async (number: string) => {
      if (provider === 'postgresql') {
        expect((await runtime.queue.claim(number, alena)).ok).toBe(true);
        return;
      }
      const now = clock.read();
      // read() runs on the one better-sqlite3 connection Prisma's adapter holds: the one inside the open transaction.
      const onConnection = read<{ id: string }>(db.prisma);
      const [row] =
        await onConnection`UPDATE "Ticket" SET "status" = 'claimed', "claimedBy" = ${alena.id}, "claimedByName" = ${alena.name}, "claimedAt" = ${now},
        "firstReactionAt" = COALESCE("firstReactionAt", ${now}), "updatedAt" = ${now} WHERE "number" = ${number} AND "status" = 'open' AND "claimedBy" IS NULL RETURNING "id"`;
      expect(row).toBeDefined();
      await onConnection`INSERT INTO "TicketEvent" ("id", "ticketId", "type", "actor", "data", "createdAt")
        VALUES (${randomUUID()}, ${row?.id ?? ''}, 'claimed', ${alena.id}, ${JSON.stringify({ name: alena.name })}, ${now}) RETURNING "id"`;
    };
    const racing = db.prisma.$extends({
      query: {
        ticket: {
          async findUnique({ args, query }) {
            const found = await query(args);
            const armed = race;
            // Once, for the claim's read of the whole row (not its later look-up of the holder's name).
            if (armed && !armed.landed && args.where.number === armed.number && !args.select) {
              armed.landed = true;
              await competingClaim(armed.number);
            }
            return found;
          },
        },
      },
    }) as unknown as PrismaClient;
    runtime = makeRuntime(racing);

    const number = await openTicket();
    race = { number, landed: false };
    const second = await runtime.queue.claim(number, bohdan);
    expect(race.landed).toBe(true);
    expect(second).toEqual({ ok: false, message: `Požadavek ${number} už převzal(a) Alena.` });
    await runtime.outbox.drain();
    const t = await ticketByNumber(db.prisma, number);
    expect(t).toMatchObject({ status: 'claimed', claimedBy: 'slack:UALENA', claimedByName: 'Alena' });
    expect(t?.events.filter((e) => e.type === 'claimed').map((e) => e.actor)).toEqual(['slack:UALENA']);
    expect(customer.sent.map((s) => s.reply.text).filter((text) => text.includes('Bohdan'))).toEqual([]);
    expect([...slack.cards.values(), ...discord.cards.values()].map((c) => c.state).filter((state) => state.includes('Bohdan'))).toEqual([]);
  });

  it.skipIf(skip)('tells the customer, relays both ways, keeps notes internal, and asks for a rating on resolution', async () => {
    const number = await openTicket();
    const petr = { id: 'slack:UPETR', name: 'Petr', platform: 'slack' };
    expect((await runtime.queue.claim(number, petr)).ok).toBe(true);
    await runtime.outbox.drain();
    expect(customer.sent.at(-1)?.reply.text).toBe(`Váš požadavek ${number} převzal technik Petr. Ozve se vám zde.`);
    const [cardId] = [...slack.cards.keys()];
    expect(slack.cards.get(cardId as string)?.state).toBe('Převzal(a) Petr');
    expect(discord.cards.get([...discord.cards.keys()][0] as string)?.actions.map((a) => a.action)).toEqual(['release', 'resolve', 'offer']);
    expect(slack.threads.get(cardId as string)).toContain('Petr převzal(a) požadavek.');

    // Technician -> customer, signed; shown on the other platform's thread too.
    await runtime.queue.reply(number, petr, 'Dobrý den, zkuste prosím jiný SMTP port 587.');
    await runtime.outbox.drain();
    expect(customer.sent.at(-1)?.reply.text).toBe('Petr (technik): Dobrý den, zkuste prosím jiný SMTP port 587.');
    expect([...discord.threads.values()].flat()).toContain('Petr: Dobrý den, zkuste prosím jiný SMTP port 587.');
    // Customer -> thread.
    await say('Pořád to nejde, píše to chybu 535.');
    expect(slack.threads.get(cardId as string)).toContain('Zákazník: Pořád to nejde, píše to chybu 535.');
    // Notes stay internal.
    const sentBefore = customer.sent.length;
    await runtime.queue.note(number, petr, 'Asi špatné heslo.');
    await runtime.queue.logTime(number, petr, 20, 'Kontrola nastavení pošty');
    await runtime.outbox.drain();
    expect(customer.sent.length).toBe(sentBefore);
    expect([...discord.threads.values()].flat()).toContain('Poznámka (Petr): Asi špatné heslo.');
    expect(await db.prisma.timeEntry.findFirst()).toMatchObject({ minutes: 20, technicianName: 'Petr', activity: 'Kontrola nastavení pošty' });

    expect((await runtime.queue.release(number, { id: 'slack:UOTHER', name: 'Eva', platform: 'slack' })).message).toContain('drží Petr');
    const resolved = await runtime.queue.resolve(number, petr, 'Heslo bylo špatně, opraveno.');
    expect(resolved.ok).toBe(true);
    await runtime.outbox.drain();
    const notice = customer.sent.at(-1)?.reply;
    expect(notice?.text).toContain(`Váš požadavek ${number} je vyřešen.`);
    expect(notice?.text).toContain('Technik k tomu píše: Heslo bylo špatně, opraveno.');
    expect(notice?.choices?.map((c) => c.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(await say('5')).toContain('Děkujeme za hodnocení');
    const t = await ticketByNumber(db.prisma, number);
    expect(t).toMatchObject({ status: 'resolved', satisfaction: 5, resolvedBy: 'slack:UPETR', resolutionNote: 'Heslo bylo špatně, opraveno.' });
    expect(slack.threads.get(cardId as string)).toContain('Zákazník ohodnotil spokojenost: 5/5.');
    expect(slack.cards.get(cardId as string)?.fields).toContainEqual({ label: 'Spokojenost', value: '5/5' });
    expect((await runtime.queue.resolve(number, petr)).message).toBe(`Požadavek ${number} je už vyřešený.`);
    // The next message starts a new session, not a reply to the old ticket.
    expect(await say('Dobrý den')).toContain('S čím vám mohu pomoci?');
  });

  it.skipIf(skip)('refuses actions on unknown tickets', async () => {
    const r = await runtime.queue.claim('T-2026-99999', { id: 'slack:U1', name: 'A', platform: 'slack' });
    expect(r).toEqual({ ok: false, message: 'Požadavek T-2026-99999 neexistuje.' });
  });
});
