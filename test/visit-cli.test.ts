// `linka visit` (issue 16, rule 2: "when the fault is on the provider's side, a technician is sent
// free of charge"): a technician without Slack or Discord books the free visit from the command
// line; the customer's notice waits in the outbox for `linka serve`, and a paid visit still needs
// the customer's consent. The ticket is opened the way a customer opens one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/store/client.js';
import { openDatabase } from '../src/store/client.js';
import { createTestDatabase } from './helpers/db.js';
import { createHarness, seedCustomers } from './helpers/harness.js';
import { type LinkaRun, runLinka } from './helpers/run-linka.js';

let db: Db;
let url: string;
let drop: () => Promise<void>;
let number: string;

beforeAll(async () => {
  const made = await createTestDatabase('sqlite');
  ({ db, url, drop } = made);
  await seedCustomers(db);
  const h = createHarness(db);
  for (const text of ['Dobrý den', '4', 'Potřebuji změnit nastavení routeru.', 'dnes']) await h.say(text, { phone: '+420603123456' });
  number = (await h.say('ano', { phone: '+420603123456' })).ticketNumber as string;
  await db.close();
});
afterAll(async () => {
  await drop();
});

function linka(args: string[]): Promise<LinkaRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url };
  for (const k of ['LINKA_CONFIG', 'NODE_ENV', 'TELEGRAM_BOT_TOKEN', 'TWILIO_ACCOUNT_SID', 'SLACK_BOT_TOKEN', 'DISCORD_BOT_TOKEN']) delete env[k];
  return runLinka(args, { env });
}

describe('linka visit', () => {
  it("refuses a paid visit without the consent, books a free one with --free, and queues the customer's notice that it is free", async () => {
    const paid = await linka(['visit', '1', '2026-11-24', '14:30', '--technician', 'Petr Novák']);
    expect(paid.code).toBe(1);
    expect(paid.stderr).toBe(`linka: Výjezd k ${number} nelze naplánovat: zákazník nesouhlasil s placeným výjezdem.\n`);

    const free = await linka(['visit', '1', '2026-11-24', '14:30', '--free', '--technician', 'Petr Novák']);
    expect(free.stderr).toBe('');
    expect(free.code).toBe(0);
    expect(free.stdout).toBe(`Hotovo: ${number}.\n`);

    const check = await openDatabase(url);
    try {
      const ticket = await check.prisma.ticket.findUniqueOrThrow({ where: { number }, include: { events: true } });
      expect(ticket.events.filter((e) => e.type === 'visit_booked').map((e) => [e.actor, e.data])).toEqual([
        ['cli:Petr Novák', { free: true, at: '2026-11-24T13:30:00.000Z' }],
      ]);
      // The customer is told by the running server, through the conversation: the date, and that it is free.
      const queued = await check.prisma.outboxItem.findMany({ where: { kind: 'dispatch' } });
      const events = queued.map((i) => (i.payload as { envelope: { event: Record<string, unknown> } }).envelope.event);
      expect(events).toContainEqual({ kind: 'visitBooked', number, time: '24. 11. 2026 14:30', free: true });
      expect(await check.prisma.calloutOffer.count()).toBe(0);
    } finally {
      await check.close();
    }
  });

  it('explains a bad ticket or time (exit 2) and lists --free in its help', async () => {
    const bad = await linka(['visit', '1', 'zítra']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"zítra" is not a local date and time such as 2026-11-24 14:30');
    const help = await linka(['visit', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--free               a free visit: the fault is on the provider's side");
  });
});
