// Payment reminders (docs/domain.md, "Payments"): the balances import (line numbers, all-or-nothing), the daily job
// under fake timers (reminder on the 21st at 9:00, the month-end warning, each once), a later
// import with 0 stopping them, "zaplatil jsem" opening a billing ticket instead, and nothing
// reaching a number that sent STOP.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseTwilioInbound } from '../adapters/twilio/index.js';
import { balanceRoutes } from '../src/server/api/balances.js';
import { bearerGuard } from '../src/server/api/common.js';
import { balancesImport } from '../src/cli/balances.js';
import { parseConfig } from '../src/config/load.js';
import type { RouteRequest } from '../src/server/http.js';
import { balanceDefaults, checkBalances, importBalances, parseBalancesCsv } from '../src/import/balances-csv.js';
import { startScheduler, type Scheduler } from '../src/jobs/scheduler.js';
import { silentLogger } from '../src/observability/logger.js';
import { paymentSettings } from '../src/services/payments.js';
import { createRuntime, type Runtime } from '../src/runtime/create-runtime.js';
import type { Db } from '../src/store/client.js';
import { createTestDatabase } from './helpers/db.js';
import { recordingPort, seedCustomers } from './helpers/harness.js';
import { recordingTeam } from './helpers/team.js';

const JAN = 'sms:+420603123456';
const ZUZANA = 'sms:+421905123456';

describe('payment reminders', () => {
  let db: Db;
  let url: string;
  let drop: () => Promise<void>;
  let runtime: Runtime;
  let scheduler: Scheduler | null = null;
  let sms: ReturnType<typeof recordingPort>;
  const config = parseConfig({ payments: { dueDay: 20, reminderHour: 9, restrictionWarningDaysBeforeMonthEnd: 3 } });

  beforeEach(async () => {
    const made = await createTestDatabase('sqlite');
    ({ db, url, drop } = made);
    await seedCustomers(db);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-11-20T10:00:00Z'));
    sms = Object.assign(recordingPort(), { channel: 'sms' as const });
    runtime = createRuntime({ prisma: db.prisma, config, log: silentLogger(), ports: [sms], teamPorts: [recordingTeam('slack')], clock: () => new Date() });
  });
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = null;
    vi.useRealTimers();
    await drop();
  });

  /** (Re)starts the schedules at `at` (a process started then), and runs them `minutes` on. */
  async function runAt(at: string, minutes: number) {
    await scheduler?.stop();
    vi.setSystemTime(new Date(at));
    scheduler = startScheduler(
      config,
      { prisma: db.prisma, clock: () => new Date(), teamPlatforms: [], teamLanguage: 'cs', customerChannels: ['sms'] },
      silentLogger(),
    );
    await vi.advanceTimersByTimeAsync(minutes * 60_000);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  }

  async function importCsv(csv: string) {
    const now = new Date();
    return importBalances(db.prisma, await checkBalances(db.prisma, parseBalancesCsv(csv), balanceDefaults(paymentSettings(config), now)), now, {
      timezone: config.timezone,
      customerChannels: ['sms'],
      shortSms: true,
    });
  }
  const to = async (target: string) =>
    (await db.prisma.outboxItem.findMany({ where: { kind: 'reply', target }, orderBy: { id: 'asc' } })).map(
      (i) => (i.payload as { reply: { text: string } }).reply.text,
    );

  it('checks every row first: errors name their lines, and a bad row imports nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'linka-balances-'));
    const file = path.join(dir, 'balances.csv');
    writeFileSync(file, 'contract_number;balance;due_date;currency\n2024-0153;1 234,50;;\n1999-0001;100;;\nSK-77;12,345;;\n2024-0153;0;31. 11. 2026;CZK\n');
    writeFileSync(path.join(dir, 'linka.config.yaml'), 'timezone: Europe/Prague\n');
    const env = { DATABASE_URL: url, LINKA_CONFIG: path.join(dir, 'linka.config.yaml') };
    // The CLI opens the database itself. Its migration check (better-sqlite3 12) and Prisma's
    // adapter (its own better-sqlite3 11) are two SQLite libraries in this one process, whose
    // file locks do not see each other: the test's connection is closed around it (it reopens
    // on the next query), as a separate `linka` process would not need.
    const cli = async (out: (line: string) => void) => {
      await db.prisma.$disconnect();
      return balancesImport(file, { env, out, write: out, err: out, writeErr: out });
    };
    const err = await cli(() => {}).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message.split('\n')).toEqual([
      'Nothing was imported; fix these rows:',
      '  line 3: no customer with contract_number 1999-0001',
      '  line 4: balance "12,345" is not an amount (minor units such as 123450, or 1 234,50)',
      '  line 5: contract_number 2024-0153 already appears on line 2; due_date "31. 11. 2026" is not a date (YYYY-MM-DD or 20. 11. 2026)',
    ]);
    expect(await db.prisma.balance.count()).toBe(0);

    writeFileSync(file, 'contract_number;balance;due_date;currency\n2024-0153;1 234,50;;\nsk-77;0;2026-11-20;eur\n');
    const lines: string[] = [];
    expect(await cli((l) => lines.push(l))).toBe(0);
    expect(lines).toEqual([`Imported 2 balance(s) from ${file}: 1 outstanding, 1 paid.`]);
    const rows = await db.prisma.balance.findMany({ include: { customer: { select: { contractNumber: true } } } });
    expect(rows.map((b) => [b.customer.contractNumber, b.amount, b.currency, b.dueDate]).sort()).toEqual([
      ['2024-0153', 123450, 'CZK', '2026-11-20'],
      ['SK-77', 0, 'EUR', '2026-11-20'],
    ]);
  });

  it('says which line and column an unquoted decimal comma split, and how to write the amount', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'linka-balances-'));
    const file = path.join(dir, 'balances.csv');
    // What a spreadsheet writes when the amount column is formatted as text in a comma-separated export.
    writeFileSync(file, 'contract_number,balance,due_date\n2024-0153,"1 234,50",\nSK-77,1234,50,2026-11-20\n');
    writeFileSync(path.join(dir, 'linka.config.yaml'), 'timezone: Europe/Prague\n');
    const io = {
      env: { DATABASE_URL: url, LINKA_CONFIG: path.join(dir, 'linka.config.yaml') },
      out: () => {},
      write: () => {},
      err: () => {},
      writeErr: () => {},
    };
    const err = await balancesImport(file, io).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      'The CSV file cannot be read: line 3, column 2 (balance): the decimal comma of 1234,50 splits the amount into two columns ' +
        '(the line has 4 values, the header 3 columns: contract_number, balance, due_date). Write it in quotes ("1234,50") or with a dot (1234.50)',
    );
    expect(await db.prisma.balance.count()).toBe(0);
    // Another value too many: the line, the column where the extra values begin, and both ways to write an amount.
    expect(() => parseBalancesCsv('contract_number,balance\n2024-0153,1234,-\n')).toThrow(
      'The CSV file cannot be read: line 2, column 3: more values than the header has columns, from "-" on (the line has 3 values, the header 2 columns: contract_number, balance). ' +
        'A "," inside a value splits it in two: write a decimal amount in quotes ("1234,50") or with a dot (1234.50), and put any other such value in double quotes',
    );
  });

  it('takes balances over the API too (bearer token, each bad item by its index)', async () => {
    const [route] = balanceRoutes({
      prisma: db.prisma,
      clock: () => new Date(),
      settings: paymentSettings(config),
      guard: bearerGuard('s3cret-token-for-the-tests-only'),
      customerChannels: ['sms'],
      shortSms: true,
    });
    const post = (body: unknown, token = 's3cret-token-for-the-tests-only') =>
      route!.handler({
        req: { headers: { authorization: `Bearer ${token}` } },
        url: new URL('http://localhost/api/balances'),
        body: Buffer.from(JSON.stringify(body)),
        params: {},
      } as unknown as RouteRequest);
    expect((await post([{ contract: '2024-0153', balance: 100 }], 'wrong')).status).toBe(401);
    const bad = await post([
      { contract: '2024-0153', balance: 50000 },
      { contract: 'NOPE-1', balance: '1 234,50' },
    ]);
    expect(bad.status).toBe(400);
    expect(JSON.parse(String(bad.body)).issues).toEqual([{ path: '[1]', message: 'no customer with contract_number NOPE-1' }]);
    expect(await db.prisma.balance.count()).toBe(0);
    const ok = await post([
      { contract: '2024-0153', balance: 50000 },
      { contract: 'SK-77', balance: '0' },
    ]);
    expect([ok.status, JSON.parse(String(ok.body))]).toEqual([200, { imported: 2, outstanding: 1, paid: 1, restricted: 0, lifted: [], liftedUnreachable: [] }]);
  });

  it('reminds on the 21st at 9:00 and warns before month end, each once; a later 0 stops them', async () => {
    await importCsv('contract_number,balance\n2024-0153,"1 234,50"\nSK-77,0\n');

    await runAt('2026-11-20T07:59:00Z', 2); // 9:00 on the due day itself: not overdue yet
    expect(await to(JAN)).toEqual([]);
    await runAt('2026-11-21T07:55:00Z', 4); // 8:59 in Prague
    expect(await to(JAN)).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000); // 9:00
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(await to(JAN)).toEqual(['Neevidujeme platbu 1 234,50 CZK splatnou 20. 11. 2026 (smlouva 2024-0153). Placeno? Pošlete ZAPLACENO.']);
    expect(await to(ZUZANA)).toEqual([]); // paid

    await runAt('2026-11-22T07:59:00Z', 2); // the next day's round: no second reminder
    await runAt('2026-11-26T07:59:00Z', 2);
    expect(await to(JAN)).toHaveLength(1);

    await runAt('2026-11-27T07:59:00Z', 2); // 3 days before the 30th
    expect((await to(JAN)).at(-1)).toBe('Platbu 1 234,50 CZK neevidujeme. Neuhradíte-li do 30. 11. 2026, omezíme služby. Placeno? Pošlete ZAPLACENO.');
    await runAt('2026-11-28T07:59:00Z', 2);
    expect(await to(JAN)).toHaveLength(2);

    // December: a new balance is reminded; paid (0) before the warning, it is not warned.
    vi.setSystemTime(new Date('2026-12-01T08:00:00Z'));
    await importCsv('contract_number,balance\n2024-0153,99900\n');
    await runAt('2026-12-21T07:59:00Z', 2);
    expect(await to(JAN)).toHaveLength(3);
    await importCsv('contract_number,balance\n2024-0153,0\n');
    await runAt('2026-12-28T07:59:00Z', 2);
    expect(await to(JAN)).toHaveLength(3);
    expect(await to(ZUZANA)).toEqual([]);
  });

  it('"zaplatil jsem" opens a billing ticket and stops the reminders until the next import', async () => {
    const reminders = async () => (await to(JAN)).filter((text) => /^(Neevidujeme|Platbu)/.test(text));
    await importCsv('contract_number,balance\n2024-0153,123450\n');
    await runAt('2026-11-21T07:59:00Z', 2);
    expect(await reminders()).toHaveLength(1);

    const say = (text: string) =>
      runtime.dispatch({
        dedupeId: `sms:${text}:${Date.now()}`,
        conversationId: JAN,
        channel: 'sms',
        event: { kind: 'text', text },
        sender: { phone: '+420603123456' },
      });
    const first = await say('Zaplatil jsem');
    const ticket = await db.prisma.ticket.findFirstOrThrow({ where: { category: 'billing' } });
    expect(ticket.summary).toBe('Zákazník uvádí, že zaplatil. V evidenci: dluh 1 234,50 CZK, splatnost 20. 11. 2026.');
    expect(first.replies.map((r) => r.text).join('\n')).toContain(`Děkujeme, platbu ověříme (požadavek ${ticket.number}). Upomínky do té doby neposíláme.`);
    expect(await db.prisma.outboxItem.count({ where: { kind: 'team.post' } })).toBe(1);

    const again = await say('už jsem platil');
    expect(again.replies.at(-1)?.text).toContain(`Vaši platbu už ověřujeme v požadavku ${ticket.number}`);
    expect(await db.prisma.ticket.count({ where: { category: 'billing' } })).toBe(1);

    await runAt('2026-11-27T07:59:00Z', 2); // the warning's day: nothing, the payment is being checked
    expect(await reminders()).toHaveLength(1);

    // Someone the bot does not know yet is asked who they are first; no ticket.
    const stranger = await runtime.dispatch({
      dedupeId: 'sms:stranger',
      conversationId: 'sms:+420999888777',
      channel: 'sms',
      event: { kind: 'text', text: 'paid' },
      sender: { phone: '+420999888777' },
    });
    expect(stranger.replies.at(-1)?.text).toContain('Abych mohla vaši platbu ověřit, potřebuji nejdřív vědět, kdo jste.');
    expect(await db.prisma.ticket.count({ where: { category: 'billing' } })).toBe(1);
  });

  it('reminds and warns nobody whose number sent STOP, while the others get theirs; the outbox marks those suppressed', async () => {
    await importCsv('contract_number,balance,due_date,currency\n2024-0153,"1 234,50",,\nSK-77,4990,,EUR\n');
    // Zuzana texts STOP (as Twilio's webhook brings it); Jan does not.
    const parsed = parseTwilioInbound({ MessageSid: 'SM0000000000000000000000000000stop', From: '+421905123456', Body: 'Stop' }, 'CZ');
    if (parsed.kind !== 'event') throw new Error(`the STOP webhook was not an event: ${parsed.reason}`);
    await runtime.dispatch(parsed.envelope);
    await runtime.outbox.drain();
    const stopConfirmation = 'Odhlásili ste sa zo správ od Linky, nič ďalšie vám už nepošleme. Ak chcete správy znova dostávať, pošlite START.';
    const delivered = () => sms.sent.map((x) => [x.to, x.reply.text]);
    expect(delivered()).toEqual([[ZUZANA, stopConfirmation]]);

    const reminder = 'Neevidujeme platbu 1 234,50 CZK splatnou 20. 11. 2026 (smlouva 2024-0153). Placeno? Pošlete ZAPLACENO.';
    await runAt('2026-11-21T07:59:00Z', 2); // the reminders' round at 9:00
    await runtime.outbox.drain();
    expect(delivered()).toEqual([
      [ZUZANA, stopConfirmation],
      [JAN, reminder],
    ]);

    const warning = 'Platbu 1 234,50 CZK neevidujeme. Neuhradíte-li do 30. 11. 2026, omezíme služby. Placeno? Pošlete ZAPLACENO.';
    await runAt('2026-11-27T07:59:00Z', 2); // the restriction warnings' round
    await runtime.outbox.drain();
    expect(delivered()).toEqual([
      [ZUZANA, stopConfirmation],
      [JAN, reminder],
      [JAN, warning],
    ]);

    // Nothing left to send: Zuzana's reminder and warning were written and marked suppressed.
    const items = async (target: string) =>
      (await db.prisma.outboxItem.findMany({ where: { kind: 'reply', target }, orderBy: { id: 'asc' } })).map((i) => [
        i.status,
        (i.payload as { reply: { text: string } }).reply.text,
      ]);
    expect(await items(ZUZANA)).toEqual([
      ['sent', stopConfirmation],
      ['suppressed', 'Neevidujeme platbu 49,90 EUR splatnú 20. 11. 2026 (zmluva SK-77). Zaplatené? Pošlite ZAPLATENE.'],
      ['suppressed', 'Platbu 49,90 EUR neevidujeme. Ak neuhradíte do 30. 11. 2026, obmedzíme služby. Zaplatené? Pošlite ZAPLATENE.'],
    ]);
    expect(await items(JAN)).toEqual([
      ['sent', reminder],
      ['sent', warning],
    ]);
  });
});
