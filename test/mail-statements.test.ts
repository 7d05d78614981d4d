// `linka statement --send` (docs/email.md, "Statements by e-mail"): the real CLI (a child process)
// queues one e-mail per customer with an address and activity, a serving Linka delivers them
// through a real SMTP server into Dovecot, and each INBOX holds the customer's lines, amount and
// a CSV attachment byte for byte equal to `linka statement --format csv --customer C`. A dry run
// queues nothing; a second --send sends nothing new; --send without SMTP_URL is refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/client.js';
import { applyMigrations } from '../src/store/migrate.js';
import { seedStatementFixture, STATEMENT_CONFIG } from './fixtures/statement-fixture.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { type Dovecot, dovecotAvailable, type SmtpSink, startDovecot, startSmtpSink } from './helpers/mail-servers.js';
import { type LinkaRun, runLinka } from './helpers/run-linka.js';

const ACTIVITY = 'Kontrola <script>alert("x")</script> & router';

describe.skipIf(!dovecotAvailable())('linka statement --send', () => {
  let dir: string;
  let url: string;
  let configFile: string;
  let dovecot: Dovecot;
  let sink: SmtpSink;
  let serving: TestLinka | null = null;

  beforeAll(async () => {
    dovecot = await startDovecot({ jan: 'a', zuzana: 'b', idle: 'c' });
    sink = await startSmtpSink(dovecot);
    dir = mkdtempSync(path.join(tmpdir(), 'linka-statement-mail-'));
    url = `file:${path.join(dir, 'linka.db')}`;
    configFile = path.join(dir, 'linka.config.yaml');
    writeFileSync(configFile, `${STATEMENT_CONFIG}company:\n  name: Test ISP\nmail:\n  from: "Podpora <podpora@example.test>"\n`);
    await applyMigrations(url);
    const db = await openDatabase(url);
    try {
      await seedStatementFixture(db.prisma);
      await db.prisma.customer.update({ where: { contractNumber: '2024-0153' }, data: { email: 'jan@example.test' } });
      await db.prisma.customer.update({ where: { contractNumber: 'SK-77' }, data: { email: 'Zuzana@Example.test' } });
      await db.prisma.customer.create({ data: { contractNumber: 'IDLE-1', name: 'Bez Práce', email: 'idle@example.test' } });
      await db.prisma.timeEntry.updateMany({ where: { activity: 'Kontrola po nastavení' }, data: { activity: ACTIVITY } });
    } finally {
      await db.close();
    }
  });
  afterAll(async () => {
    await serving?.stop();
    await sink?.stop();
    await dovecot?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function linka(args: string[], env: Record<string, string> = { SMTP_URL: sink.url }): Promise<LinkaRun> {
    const all: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, LINKA_CONFIG: configFile, ...env };
    delete all.NODE_ENV;
    return runLinka(['statement', ...args], { env: all, cwd: dir });
  }
  async function outboxCount(): Promise<number> {
    const db = await openDatabase(url);
    try {
      return await db.prisma.outboxItem.count({ where: { kind: 'mail' } });
    } finally {
      await db.close();
    }
  }
  /** A Linka serving the same database delivers what the command queued. */
  async function deliver(): Promise<void> {
    serving ??= await startTestLinka({
      databaseUrl: url,
      env: { SMTP_URL: sink.url },
      config: { company: { name: 'Test ISP' }, workers: { outboxPollMs: 50, timerPollMs: 50 }, mail: { from: 'Podpora <podpora@example.test>' } },
    });
    // The command queued them at the real time; the test's clock starts in November 2026.
    serving.clock.now = new Date(Math.max(Date.now(), serving.clock.now.getTime()) + 60_000);
    await serving.settle();
    await serving.settle();
  }

  it('refuses --send while e-mail is off, and --dry-run lists what would go without queuing', async () => {
    const off = await linka(['--month', '2026-11', '--send'], { SMTP_URL: '' });
    expect(off.code).not.toBe(0);
    expect(off.stderr).toContain('e-mail is off (SMTP_URL is not set): statements cannot be sent');

    const dry = await linka(['--month', '2026-11', '--send', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout.split('\n')).toEqual([
      'Statements for 2026-11 (dry run: nothing is queued):',
      '  2024-0153  Jan Novák <jan@example.test> (cs): 4 line(s), 0.00 CZK',
      '  2025-0042  Kovář, s.r.o.: 7 line(s), 1,500.00 CZK; no e-mail address on record: not sent',
      '  SK-77      Zuzana Kováčová <zuzana@example.test> (sk): 7 line(s), 3,100.00 CZK',
      '1 customer(s) with an address had no activity in 2026-11 and get no statement: IDLE-1',
      'Would queue 2 e-mail(s).',
      '',
    ]);
    expect(await outboxCount()).toBe(0);
  }, 60_000);

  it('--send: one e-mail per customer with the lines, the amount and the CSV `--customer` prints; a second --send sends nothing new', async () => {
    const sent = await linka(['--month', '2026-11', '--send']);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/Queued 2 statement e-mail\(s\); the running `(\.\/)?linka serve` sends them\./);
    expect(await outboxCount()).toBe(2);
    await deliver();

    const jan = await dovecot.read('jan');
    expect(jan.map((m) => m.subject)).toEqual(['Přehled práce techniků za listopad 2026']);
    const mail = jan[0];
    expect(mail?.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail?.text).toContain('posíláme vám přehled práce našich techniků za listopad 2026 ke smlouvě 2024-0153.');
    expect(mail?.text).toMatch(/2\. 11\. 2026 +9:15 +T-2026-00101 +Petr Dvořák +Nastavení Wi-Fi routeru na dálku +40 min +0,00 CZK/);
    expect(mail?.text).toMatch(/9\. 11\. 2026 +16:00 +T-2026-00105 +Eva Malá +Ověření výpadku na straně poskytovatele +30 min +0,00 CZK/);
    expect(mail?.text).toMatch(/Celkem +2 h 55 min +0,00 CZK/);
    expect(mail?.text).toContain('Hodiny zahrnuté ve vašem tarifu: využito 2 h 45 min z 3 h, zbývá 15 min');
    expect(mail?.text).toContain('Celkem za měsíc: 0,00 CZK. Ceny jsou uvedeny bez DPH.');
    // A technician's words are text in the HTML table, never markup.
    expect(mail?.html).toContain('Kontrola &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; router');
    expect(mail?.html).not.toContain('<script>');
    expect(mail?.text).toContain(ACTIVITY);
    const janCsv = await linka(['--month', '2026-11', '--customer', '2024-0153', '--format', 'csv'], {});
    expect(mail?.attachments.map((a) => [a.filename, a.contentType])).toEqual([['statement-2026-11-2024-0153.csv', 'text/csv']]);
    expect(mail?.attachments[0]?.content.toString('utf8')).toBe(janCsv.stdout);

    // Zuzana reads Slovak; her address was stored as written and is sent to lower-cased.
    const zuzana = await dovecot.read('zuzana');
    expect(zuzana.map((m) => m.subject)).toEqual(['Prehľad práce technikov za november 2026']);
    expect(zuzana[0]?.text).toContain('Spolu za mesiac: 3 100,00 CZK.');
    expect(zuzana[0]?.text).toMatch(/16\. 11\. 2026 +8:30 +T-2026-00112 +Petr Dvořák +Cesta k zákazníkovi +25 min/);
    const zuzanaCsv = await linka(['--month', '2026-11', '--customer', 'SK-77'], {});
    expect(zuzana[0]?.attachments[0]?.content.toString('utf8')).toBe(zuzanaCsv.stdout);
    expect(await dovecot.read('idle')).toHaveLength(0);

    const again = await linka(['--month', '2026-11', '--send']);
    expect(again.stdout).toContain('  2024-0153  Jan Novák <jan@example.test> (cs): 4 line(s), 0.00 CZK; sent before: not sent again');
    expect(again.stdout).toContain('Queued 0 statement e-mail(s)');
    await deliver();
    expect(await dovecot.read('jan')).toHaveLength(1);
    expect(await dovecot.read('zuzana')).toHaveLength(1);
  }, 90_000);
});
