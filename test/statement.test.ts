// `linka statement`: a month of fixture data through the real CLI (a child process on a temp
// SQLite database and a temp config), compared byte for byte with a hand-checked file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/child-linka.js';
import { type LinkaRun, runLinka } from './helpers/run-linka.js';
import { openDatabase } from '../src/store/client.js';
import { applyMigrations } from '../src/store/migrate.js';
import { seedStatementFixture, STATEMENT_CONFIG } from './fixtures/statement-fixture.js';

const EXPECTED = readFileSync(path.join(ROOT, 'test', 'fixtures', 'statement-2026-11.expected.csv'), 'utf8');

let dir: string;
let url: string;
let configFile: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'linka-statement-'));
  url = `file:${path.join(dir, 'linka.db')}`;
  configFile = path.join(dir, 'linka.config.yaml');
  writeFileSync(configFile, STATEMENT_CONFIG);
  await applyMigrations(url);
  const db = await openDatabase(url);
  try {
    await seedStatementFixture(db.prisma);
  } finally {
    await db.close();
  }
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function linka(args: string[]): Promise<LinkaRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, LINKA_CONFIG: configFile };
  delete env.NODE_ENV;
  return runLinka(['statement', ...args], { env, cwd: dir });
}

const rowsOf = (csv: string) => csv.split('\n').filter(Boolean);

describe('linka statement', () => {
  it('prints November 2026 as CSV exactly as the hand-checked file, and warns about time on tickets without a customer', async () => {
    const { code, stdout, stderr } = await linka(['--month', '2026-11', '--format', 'csv']);
    expect(stderr).toBe('linka: 1 ticket(s) with time in 2026-11 have no customer and are on no statement: T-2026-00119\n');
    expect(code).toBe(0);
    expect(stdout).toBe(EXPECTED);
    // CSV is the default format.
    expect((await linka(['--month', '2026-11'])).stdout).toBe(EXPECTED);
  }, 60_000);

  it('--format json: the same numbers, integers in minor units, each amount also formatted', async () => {
    const { code, stdout } = await linka(['--month', '2026-11', '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      month: string;
      timezone: string;
      currency: string;
      hourlyRate: number;
      incrementMinutes: number;
      travelFee: number;
      vatNote: string;
      vatRatePercent: number;
      customers: Array<{ contractNumber: string; name: string; tier: string; lines: Array<Record<string, unknown>>; totals: Record<string, unknown> }>;
    };
    expect(report).toMatchObject({
      month: '2026-11',
      timezone: 'Europe/Prague',
      currency: 'CZK',
      hourlyRate: 100000,
      incrementMinutes: 15,
      travelFee: 35000,
      vatNote: 'Ceny jsou uvedeny bez DPH.',
      vatRatePercent: 21,
    });
    expect(report.customers.map((c) => [c.contractNumber, c.name, c.tier, c.lines.length])).toEqual([
      ['2024-0153', 'Jan Novák', 'PLUS', 4],
      ['2025-0042', 'Kovář, s.r.o.', 'STANDARD', 7],
      ['SK-77', 'Zuzana Kováčová', 'none', 7],
    ]);
    const zuzana = report.customers[2];
    expect(zuzana?.lines[0]).toEqual({
      kind: 'work',
      ticket: 'T-2026-00110',
      date: '2026-11-01',
      time: '00:40',
      at: '2026-10-31T23:40:00.000Z',
      technician: 'slack:U01PETR',
      technicianName: 'Petr Dvořák',
      activity: 'Noční výpadek, restart routeru',
      rate: 'technician',
      minutes: 12,
      km: 0,
      roundedMinutes: 15,
      includedMinutes: 0,
      packageMinutes: 0,
      freeMinutes: 0,
      billedMinutes: 15,
      amount: 25000,
      amountFormatted: '250,00 CZK',
    });
    expect(zuzana?.lines[4]).toMatchObject({ kind: 'travel-fee', activity: 'Paušál za výjezd', amount: 35000 });
    expect(zuzana?.totals).toMatchObject({
      minutes: 174,
      roundedMinutes: 165,
      includedUsedMinutes: 0,
      includedLeftMinutes: 0,
      billedMinutes: 165,
      travelFees: 1,
      travelFeeAmount: 35000,
      amount: 310000,
      amountFormatted: '3 100,00 CZK',
    });
    expect(report.customers[0]?.totals).toMatchObject({ includedMinutes: 180, includedUsedMinutes: 165, includedLeftMinutes: 15, amount: 0 });
    // Logged on 1 December for work on 30 November: November's, with its day and no time of day.
    expect(report.customers[1]?.lines.at(-1)).toMatchObject({
      ticket: 'T-2026-00121',
      date: '2026-11-30',
      time: '',
      at: '2026-11-30T11:00:00.000Z',
      minutes: 25,
      roundedMinutes: 30,
      billedMinutes: 30,
      amount: 50000,
    });
    for (const c of report.customers) {
      for (const l of c.lines) expect(Number.isInteger(l.amount)).toBe(true);
      expect(c.totals.amount).toBe(c.lines.reduce((sum, l) => sum + (l.amount as number), 0));
    }
  });

  it("--customer: one customer's lines (contract matched case-insensitively); the boundary entry is on December's", async () => {
    const only = await linka(['--month', '2026-11', '--customer', 'sk-77']);
    expect(only.code).toBe(0);
    expect(only.stderr).toBe('');
    const expected = rowsOf(EXPECTED).filter((row, i) => i === 0 || row.includes(',SK-77,') || row.startsWith('note,'));
    expect(rowsOf(only.stdout)).toEqual(expected);

    const december = await linka(['--month', '2026-12', '--customer', '2024-0153']);
    expect(rowsOf(december.stdout).slice(1, 3)).toEqual([
      'line,2026-12,2024-0153,Jan Novák,PLUS,2026-12-01,00:30,T-2026-00120,Petr Dvořák,work,Noční kontrola připojení,20,30,30,,0,0,"0,00 CZK",CZK,technician,,0,,,,,',
      // December starts with the full 180 minutes: November's 15 left over are gone.
      'total,2026-12,2024-0153,Jan Novák,PLUS,,,,,,,20,30,30,150,0,0,"0,00 CZK",CZK,,0,0,0,,,,',
    ]);
    // The 30 November work logged on 1 December is not on December's statement.
    const kovar = await linka(['--month', '2026-12', '--customer', '2025-0042']);
    expect(kovar.stdout).not.toContain('T-2026-00121');
  }, 60_000);

  it('rejects a bad --month or --format with the usage (exit 2), and an unknown customer clearly (exit 1)', async () => {
    const bad = [['--month', '2026-13'], ['--month', '11/2026'], [], ['--month', '2026-11', '--format', 'xlsx']];
    const [results, unknown] = await Promise.all([Promise.all(bad.map((args) => linka(args))), linka(['--month', '2026-11', '--customer', 'NOPE-1'])]);
    results.forEach((r, i) => {
      expect(r.code, bad[i]?.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/\nusage: linka statement \[options\]\nsee `linka statement --help`/);
    });
    expect(results[0]?.stderr).toContain('--month must be a month as YYYY-MM (e.g. 2026-11), not "2026-13"');
    expect(results[2]?.stderr).toContain("required option '--month <YYYY-MM>' not specified");
    expect(results[3]?.stderr).toContain("option '--format <format>' argument 'xlsx' is invalid. Allowed choices are csv, json.");
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe('linka: no customer with contract number "NOPE-1"\n');
  }, 60_000);
});
