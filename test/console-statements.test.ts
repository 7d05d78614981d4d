// The console's statements (issue 17, "Statements"), over HTTP against a real Linka on the
// statement fixture's month of time entries (test/fixtures/statement-fixture.ts): the CSV
// download is byte for byte what `linka statement --month M --format csv` prints on the same
// database (and the hand-checked file), for everyone and for one customer, with a prepaid
// package too; the lines and totals on screen are the CSV's; a bad month or an unknown customer
// is answered clearly. On SQLite and PostgreSQL.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { JSDOM } from 'jsdom';
import { parse as parseYaml } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/child-linka.js';
import { addOperator, ConsoleClient } from './helpers/console-client.js';
import { pgAvailable } from './helpers/db.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { runLinka } from './helpers/run-linka.js';
import { seedStatementFixture, STATEMENT_CONFIG } from './fixtures/statement-fixture.js';

const PG = await pgAvailable();
const EXPECTED = readFileSync(path.join(ROOT, 'test', 'fixtures', 'statement-2026-11.expected.csv'));
const XSS = '<img src=x onerror=alert(1)>';

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('console statements on $provider', ({ provider, skip }) => {
  let t: TestLinka;
  let dir: string;

  beforeEach(async () => {
    if (skip) return;
    const config = { ...(parseYaml(STATEMENT_CONFIG) as object), company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' } };
    t = await startTestLinka({ provider, config });
    await seedStatementFixture(t.linka.db.prisma);
    dir = mkdtempSync(path.join(tmpdir(), 'linka-console-statement-'));
    writeFileSync(path.join(dir, 'linka.config.yaml'), STATEMENT_CONFIG);
  });
  afterEach(async () => {
    if (skip) return;
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signedIn(username: string, role: 'admin' | 'technician' | 'viewer') {
    const password = await addOperator(t.linka.db.prisma, username, role);
    const browser = new ConsoleClient(t.base);
    expect((await browser.signIn(username, password)).status).toBe(303);
    return browser;
  }
  /** `linka statement ...` on the test's database, its standard output as bytes. */
  async function cli(...args: string[]): Promise<Buffer> {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: t.url, LINKA_CONFIG: path.join(dir, 'linka.config.yaml') };
    for (const k of ['NODE_ENV', 'TELEGRAM_BOT_TOKEN', 'SLACK_BOT_TOKEN', 'DISCORD_BOT_TOKEN', 'TWILIO_ACCOUNT_SID']) delete env[k];
    const run = await runLinka(['statement', ...args], { env, cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    return Buffer.from(run.stdout, 'utf8');
  }
  /** The CSV as the console's download gives it: the bytes and the headers. */
  async function download(browser: ConsoleClient, query: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
    const res = await fetch(`${t.base}/console/statements.csv?${query}`, { headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
  }

  it.skipIf(skip)(
    "the CSV download is byte for byte `linka statement --format csv`'s, for everyone and for one customer, with a prepaid package too",
    async () => {
      const admin = await signedIn('alena', 'admin');
      const all = await download(admin, 'month=2026-11');
      expect(all.status).toBe(200);
      expect(all.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(all.headers.get('content-disposition')).toBe('attachment; filename="statement-2026-11.csv"');
      expect(all.bytes.equals(EXPECTED)).toBe(true);
      expect(all.bytes.equals(await cli('--month', '2026-11', '--format', 'csv'))).toBe(true);

      const one = await download(admin, 'month=2026-11&customer=2025-0042');
      expect(one.headers.get('content-disposition')).toBe('attachment; filename="statement-2026-11-2025-0042.csv"');
      expect(one.bytes.equals(await cli('--month', '2026-11', '--customer', '2025-0042', '--format', 'csv'))).toBe(true);
      expect(one.bytes.toString('utf8')).toContain('"Kovář, s.r.o."');
      expect(one.bytes.toString('utf8')).not.toContain('Jan Novák');

      // Zuzana buys 2 hours on 10 November: her later work comes off the package (package rows and columns).
      const zuzana = await t.linka.db.prisma.customer.findUniqueOrThrow({ where: { contractNumber: 'SK-77' } });
      await t.linka.db.prisma.supportPackage.create({
        data: {
          customerId: zuzana.id,
          package: '2h',
          reference: 'F-2026-0077',
          minutes: 120,
          price: 180000,
          currency: 'CZK',
          boughtOn: '2026-11-10',
          validUntil: '2027-11-09',
          importedAt: new Date('2026-11-10T08:00:00Z'),
        },
      });
      const withPackage = await download(admin, 'month=2026-11');
      expect(withPackage.bytes.toString('utf8')).toContain('package,2026-11,SK-77');
      expect(withPackage.bytes.equals(await cli('--month', '2026-11'))).toBe(true);
      const page = await admin.get('/console/statements?month=2026-11&customer=SK-77');
      expect(page.text).toContain('2h (F-2026-0077)');
      // A month with no time at all: the header and the VAT note, as the CLI prints them.
      expect((await download(admin, 'month=2025-01')).bytes.equals(await cli('--month', '2025-01'))).toBe(true);
    },
    60_000,
  );

  it.skipIf(skip)("the lines and totals on screen are the CSV's, and the included hours used and left are shown", async () => {
    const viewer = await signedIn('vera', 'viewer');
    const page = await viewer.get('/console/statements?month=2026-11');
    expect(page.status).toBe(200);
    const doc = new JSDOM(page.text).window.document;
    const rows = parseCsv(EXPECTED.toString('utf8'), { columns: true }) as Array<Record<string, string>>;
    const cells = (tr: Element) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '');
    const sections = [...doc.querySelectorAll('section.statement')];
    expect(sections.map((s) => s.querySelector('h2')?.textContent)).toEqual(['2024-0153 · Jan Novák', '2025-0042 · Kovář, s.r.o.', 'SK-77 · Zuzana Kováčová']);
    for (const section of sections) {
      const contract = section.querySelector('h2')?.textContent?.split(' · ')[0];
      const lines = rows.filter((r) => r.type === 'line' && r.contract === contract);
      const screen = [...section.querySelectorAll('table.lines tbody tr')].map(cells);
      // The CSV guards a text a spreadsheet would run as a formula with an apostrophe; the screen shows the text as it is.
      const unguarded = (s: string) => (/^'[=+\-@]/.test(s) ? s.slice(1) : s);
      expect(screen).toEqual(
        lines.map((r) => [
          r.date,
          r.time,
          r.ticket,
          r.technician,
          expect.any(String),
          unguarded(r.activity as string),
          r.minutes,
          r.rounded_minutes,
          r.included_minutes,
          r.package_minutes,
          r.billed_minutes,
          r.amount,
        ]),
      );
      const total = rows.find((r) => r.type === 'total' && r.contract === contract) as Record<string, string>;
      const foot = cells(section.querySelector('table.lines tfoot tr') as Element);
      expect(foot).toEqual([total.minutes, total.rounded_minutes, total.included_minutes, total.package_minutes, total.billed_minutes, total.amount]);
    }
    // Jan: PLUS includes 3 hours, 2 h 45 min used, 15 min left (the CSV's 165 and 15).
    expect(sections[0]?.textContent).toContain('vyčerpáno 2 h 45 min z 3 h, zbývá 15 min');
    expect(sections[2]?.textContent).toContain('paušál za výjezd');
    expect(sections[2]?.textContent).toContain('tarif žádné hodiny nezahrnuje');
    expect(page.text).toContain('celkem 4 600,00 CZK');
    expect(page.text).toContain('T-2026-00119'); // time on a ticket without a customer, as the CLI warns
    expect(page.text).toContain('Ceny jsou uvedeny bez DPH.');
    expect(page.text).toContain('href="/console/statements.csv?month=2026-11"');

    // One customer: only theirs; the picker keeps the choice.
    const one = await viewer.get('/console/statements?month=2026-11&customer=SK-77');
    expect(one.text).toContain('<option value="SK-77" selected>');
    expect(new JSDOM(one.text).window.document.querySelectorAll('section.statement')).toHaveLength(1);
    expect(one.text).toContain('href="/console/statements.csv?month=2026-11&amp;customer=SK-77"');
  });

  it.skipIf(skip)('the month defaults to the last one; a bad month or an unknown customer is answered with the reason, never a crash', async () => {
    const petr = await signedIn('petr', 'technician');
    // The test clock is 23 November 2026: October's statement, where Jan had his printer set up.
    const start = await petr.get('/console/statements');
    expect(start.status).toBe(200);
    expect(start.text).toContain('value="2026-10"');
    expect(start.text).toContain('Nastavení tiskárny');

    for (const month of ['2026-13', 'listopad', '2026-1', `${XSS}`]) {
      const page = await petr.get(`/console/statements?month=${encodeURIComponent(month)}`);
      expect(page.status, month).toBe(400);
      expect(page.text).toContain('není měsíc. Zadejte ho ve tvaru RRRR-MM');
      expect(page.text).not.toContain(XSS);
      const csv = await download(petr, `month=${encodeURIComponent(month)}`);
      expect(csv.status).toBe(400);
      expect(csv.headers.get('content-disposition')).toBeNull();
    }
    const unknown = await petr.get(`/console/statements?month=2026-11&customer=${encodeURIComponent(XSS)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Zákazník s číslem smlouvy „&lt;img src=x onerror=alert(1)&gt;“ neexistuje.');
    expect((await download(petr, 'month=2026-11&customer=nobody')).status).toBe(404);
    // A month nobody worked in.
    const empty = await petr.get('/console/statements?month=2025-01');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('V měsíci 2025-01 nemá nikdo vykázaný čas.');
  });
});
