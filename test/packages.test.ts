// Prepaid hour packages (the telecom operator's "další 4 hodiny podpory za cenu 3 800 Kč"): bought
// with `linka packages import`, used after the month's included hours and before anything is
// billed, carried from one month to the next; `linka statement` shows the included, package and
// billed minutes of every line and what each package has left; the customer can ask in the chat.
// A file with an unknown customer, an unknown package or a bad date imports nothing and says why.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Db } from '../src/store/client.js';
import { createTestDatabase } from './helpers/db.js';
import { Clock, createHarness } from './helpers/harness.js';
import { type LinkaRun, runLinka } from './helpers/run-linka.js';

const CONFIG = {
  company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' },
  timezone: 'Europe/Prague',
  tiers: { none: { reactionHours: null, includedHours: 0 }, STANDARD: { reactionHours: 24, includedHours: 1 } },
  billing: {
    currency: 'CZK',
    rates: { technician: { hourlyRate: 100_000, incrementMinutes: 15 } },
    packages: { '4h': { hours: 4, price: 380_000 }, '10h': { hours: 10, price: 900_000, validMonths: 12 } },
    vatNote: 'Ceny jsou uvedeny bez DPH.',
  },
};

let db: Db;
let url: string;
let dir: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ db, url, drop } = await createTestDatabase('sqlite'));
  dir = path.dirname(url.slice('file:'.length));
  const kovar = await db.prisma.customer.create({
    data: { contractNumber: '2025-0042', name: 'Kovář, s.r.o.', language: 'cs', tier: 'STANDARD', phones: { create: [{ e164: '+420777000042' }] } },
  });
  // Work on paid tickets (local times in Prague, UTC+1 in autumn... +2 until 25 October).
  const cases: Array<[string, string, number, string]> = [
    ['T-2026-00201', '2026-10-12T08:00:00Z', 30, 'Nastavení tiskárny (před koupí balíčku)'],
    ['T-2026-00202', '2026-10-20T08:00:00Z', 100, 'Konfigurace VPN'],
    ['T-2026-00203', '2026-11-04T09:00:00Z', 200, 'Migrace ústředny'],
    ['T-2026-00204', '2026-11-18T09:00:00Z', 60, 'Nastavení routeru'],
  ];
  for (const [number, at, minutes, activity] of cases) {
    const ticket = await db.prisma.ticket.create({
      data: { number, customerId: kovar.id, category: 'other', workCategory: 'configuration', answers: {}, summary: activity, tier: 'STANDARD' },
    });
    await db.prisma.timeEntry.create({
      data: { ticketId: ticket.id, technician: 'slack:U1', technicianName: 'Petr', minutes, activity, billable: true, travel: false, createdAt: new Date(at) },
    });
  }
});
afterAll(async () => {
  await drop();
});

function linka(args: string[]): Promise<LinkaRun> {
  const file = path.join(dir, 'linka.config.yaml');
  writeFileSync(file, stringify(CONFIG));
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, LINKA_CONFIG: file };
  delete env.NODE_ENV;
  return runLinka(args, { env });
}

function csvFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The statement's rows as objects by column name. */
function rowsOf(csv: string): Array<Record<string, string>> {
  return parse(csv, { columns: true }) as Array<Record<string, string>>;
}

describe('prepaid packages', () => {
  it('refuses a file with an unknown customer, an unknown package or a bad date, naming each, and imports nothing', async () => {
    const bad = csvFile(
      'bad-packages.csv',
      'contract_number,package,bought_on,valid_until\n2025-0042,4h,2026-10-15,\nNOPE-1,4h,2026-10-15,\n2025-0042,8h,2026-10-15,\n2025-0042,4h,2026-02-30,\n2025-0042,10h,2026-10-15,2026-10-01\n',
    );
    const run = await linka(['packages', 'import', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      [
        'linka: Nothing was imported; fix these rows:',
        '  line 3: no customer with contract_number NOPE-1',
        '  line 4: package "8h" is not one of billing.packages (4h, 10h)',
        '  line 5: bought_on "2026-02-30" is not a date (YYYY-MM-DD or 10. 11. 2026)',
        '  line 6: valid_until 2026-10-01 is before bought_on 2026-10-15',
        '',
      ].join('\n'),
    );
    expect(await db.prisma.supportPackage.count()).toBe(0);
  }, 30_000);

  it('are used after the included hours, carried into the next month, and shown with what they have left', async () => {
    const file = csvFile('packages.csv', 'contract_number;package;bought_on;reference\n2025-0042;4h;15. 10. 2026;FV-2026-1187\n');
    const imported = await linka(['packages', 'import', file]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe(`Imported 1 package(s) from ${file}: 1 created, 0 updated, 0 unchanged.\n`);
    // The same file again changes nothing.
    expect((await linka(['packages', 'import', file])).stdout).toContain('0 created, 0 updated, 1 unchanged.');

    // October: the work on the 12th is before the purchase: 30 min of the hour included. On the
    // 20th: 100 -> 105 min, the other 30 included, 75 from the package (165 left).
    const october = rowsOf((await linka(['statement', '--month', '2026-10'])).stdout);
    const cols = (r: Record<string, string>) => [r.ticket, r.rounded_minutes, r.included_minutes, r.package_minutes, r.billed_minutes, r.amount_minor];
    expect(october.filter((r) => r.type === 'line').map(cols)).toEqual([
      ['T-2026-00201', '30', '30', '0', '0', '0'],
      ['T-2026-00202', '105', '30', '75', '0', '0'],
    ]);
    expect(october.find((r) => r.type === 'package')).toMatchObject({
      date: '2026-10-15',
      kind: '4h',
      activity: 'Předplacený balíček 4h (FV-2026-1187) za 3 800,00 CZK',
      minutes: '240',
      package_minutes: '75',
      package_left_minutes: '165',
      valid_until: '',
    });

    // November starts with a full hour again and the package's 165 minutes: 200 -> 210: 60
    // included, 150 from the package (15 left); 60 on the 18th: the last 15, 45 billed (750 CZK).
    const november = rowsOf((await linka(['statement', '--month', '2026-11'])).stdout);
    expect(november.filter((r) => r.type === 'line').map(cols)).toEqual([
      ['T-2026-00203', '210', '60', '150', '0', '0'],
      ['T-2026-00204', '60', '0', '15', '45', '75000'],
    ]);
    expect(november.find((r) => r.type === 'total')).toMatchObject({
      included_minutes: '60',
      package_minutes: '165',
      package_left_minutes: '0',
      amount_minor: '75000',
    });
    expect(november.find((r) => r.type === 'package')).toMatchObject({ package_minutes: '165', package_left_minutes: '0' });

    const json = JSON.parse((await linka(['statement', '--month', '2026-11', '--format', 'json'])).stdout);
    expect(json.customers[0].packages).toEqual([
      {
        name: '4h',
        reference: 'FV-2026-1187',
        boughtOn: '2026-10-15',
        validUntil: null,
        minutes: 240,
        price: 380000,
        priceFormatted: '3 800,00 CZK',
        leftAtStartMinutes: 165,
        usedMinutes: 165,
        leftMinutes: 0,
        usableAfter: true,
      },
    ]);
  }, 60_000);

  it('tells the customer in the chat what their packages have left', async () => {
    const h = createHarness(db, { config: CONFIG, clock: new Clock(new Date('2026-10-25T09:00:00Z')) });
    await h.say('Dobrý den', { phone: '+420777000042' });
    const answer = (await h.say('kolik hodin', { phone: '+420777000042' })).texts.join();
    expect(answer).toContain('Tento měsíc jsme pro vás odpracovali 2 h 15 min. Vaše služba zahrnuje 1 h podpory měsíčně, zbývá vám 0 h.');
    expect(answer).toContain('Z předplacených balíčků hodin vám zbývá 2 h 45 min.');
  }, 30_000);
});
