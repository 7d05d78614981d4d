// The notice channel preference (docs/email.md, "The channel preference"): set by the customers'
// CSV import, the HTTP API and the console's form (bad values refused with a clear error), and
// honoured by the payment reminders and the "services are back" notice: by e-mail into Dovecot
// for a customer who prefers it and has an address, by SMS otherwise (a preference for e-mail
// without an address falls back). On SQLite and PostgreSQL (where it runs).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { balanceDefaults, checkBalances, importBalances, parseBalancesCsv } from '../src/import/balances-csv.js';
import { importCustomers, parseCustomersCsv } from '../src/import/customers-csv.js';
import { sendPaymentReminders } from '../src/jobs/payment-reminders.js';
import { paymentSettings } from '../src/services/payments.js';
import { addOperator, ConsoleClient, csrfOf } from './helpers/console-client.js';
import { pgAvailable } from './helpers/db.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { type Dovecot, dovecotAvailable, type SmtpSink, startDovecot, startSmtpSink } from './helpers/mail-servers.js';
import { startTwilioFake, type TwilioFake } from './fakes/twilio-fake.js';

const SID = `AC${'7'.repeat(32)}`;
const TOKEN = 'a-long-enough-api-token-for-the-tests-1234';
const PG = await pgAvailable();
const OPTS = { region: 'CZ', defaultLanguage: 'cs' as const };
const CSV = `contract_number;name;phones;language;email;notice_channel
2024-0153;Jana Nováková;+420603123456;cs;Jana@Example.test;email
SK-77;Zuzana Kováčová;+421905123456;sk;;
NOMAIL-1;Petr Bez Adresy;+420777000111;cs;;sms
`;

describe.skipIf(!dovecotAvailable()).each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('the notice channel on $provider', ({ provider, skip }) => {
  let dovecot: Dovecot;
  let sink: SmtpSink;
  let sms: TwilioFake;
  let t: TestLinka;

  beforeAll(async () => {
    if (skip) return;
    dovecot = await startDovecot({ jana: 'x', petr: 'y' });
    sink = await startSmtpSink(dovecot);
  });
  afterAll(async () => {
    await sink?.stop();
    await dovecot?.stop();
  });
  beforeEach(async () => {
    if (skip) return;
    sms = await startTwilioFake(SID);
    t = await startTestLinka({
      provider,
      env: {
        PUBLIC_URL: 'https://linka.example.net',
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: 'twilio-token',
        TWILIO_FROM: '+420700800900',
        TWILIO_API_URL: sms.url,
        SMTP_URL: sink.url,
        LINKA_API_TOKEN: TOKEN,
      },
      config: { company: { name: 'Test ISP' }, workers: { outboxPollMs: 50, timerPollMs: 50 }, mail: { from: 'Podpora <podpora@example.test>' } },
    });
  });
  afterEach(async () => {
    if (skip) return;
    await t.stop();
    await sms.close();
  });

  const db = () => t.linka.db.prisma;
  const put = (contract: string, body: unknown, token = TOKEN) =>
    fetch(`${t.base}/api/customers/${encodeURIComponent(contract)}/notice-channel`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  it.skipIf(skip)('the import sets the preference and the address (lower-cased), and refuses bad values by line', async () => {
    await importCustomers(db(), parseCustomersCsv(CSV, OPTS));
    const rows = await db().customer.findMany({ orderBy: { contractNumber: 'asc' }, select: { contractNumber: true, email: true, noticeChannel: true } });
    expect(rows).toEqual([
      { contractNumber: '2024-0153', email: 'jana@example.test', noticeChannel: 'email' },
      { contractNumber: 'NOMAIL-1', email: null, noticeChannel: 'sms' },
      { contractNumber: 'SK-77', email: null, noticeChannel: null },
    ]);
    // A file without the column leaves the preference as it is.
    await importCustomers(db(), parseCustomersCsv('contract_number;name;phones;email\n2024-0153;Jana Nováková;+420603123456;jana@example.test\n', OPTS));
    expect((await db().customer.findUniqueOrThrow({ where: { contractNumber: '2024-0153' } })).noticeChannel).toBe('email');
    const bad =
      'contract_number;name;email;notice_channel\nA-100;Anna;anna@example.test;fax\nB-200;Bob;;email\nC-300;Cyril;Cyril <cyril@example.test>, evil@example.test;\n';
    expect(() => parseCustomersCsv(bad, OPTS)).toThrow(
      [
        'Nothing was imported; fix these rows:',
        '  line 2: notice_channel must be telegram, sms, email or empty, not "fax"',
        '  line 3: notice_channel email needs an address in the email column',
        '  line 4: email is not an e-mail address',
      ].join('\n'),
    );
  });

  it.skipIf(skip)('the API sets it: 200 with what is stored, 400 on bad input, 404 for an unknown contract, 401 without the token', async () => {
    await importCustomers(db(), parseCustomersCsv(CSV, OPTS));
    expect(await put('SK-77', { noticeChannel: 'email', email: 'Zuzana@Example.test' })).toEqual({
      status: 200,
      body: { contract: 'SK-77', noticeChannel: 'email', email: 'zuzana@example.test' },
    });
    expect(await put('SK-77', { noticeChannel: null })).toEqual({
      status: 200,
      body: { contract: 'SK-77', noticeChannel: null, email: 'zuzana@example.test' },
    });
    const fax = await put('SK-77', { noticeChannel: 'fax' });
    expect(fax.status).toBe(400);
    expect(fax.body.error).toBe('invalid request: noticeChannel: expected one of telegram, sms, email, or null');
    const noAddress = await put('NOMAIL-1', { noticeChannel: 'email' });
    expect(noAddress.status).toBe(400);
    expect(noAddress.body.error).toContain('email: notices by e-mail need an address');
    const injected = await put('SK-77', { noticeChannel: 'email', email: 'a@b.cz\r\nBcc: evil@example.test' });
    expect(injected.status).toBe(400);
    expect(injected.body.error).toContain('email: not one e-mail address');
    expect((await put('NOPE-1', { noticeChannel: 'sms' })).status).toBe(404);
    expect((await put('SK-77', { noticeChannel: 'sms' }, 'wrong-token')).status).toBe(401);
    expect((await db().customer.findUniqueOrThrow({ where: { contractNumber: 'SK-77' } })).noticeChannel).toBeNull();
  });

  it.skipIf(skip)('the console form sets it with a select, and refuses e-mail without an address', async () => {
    await importCustomers(db(), parseCustomersCsv(CSV, OPTS));
    const id = (await db().customer.findUniqueOrThrow({ where: { contractNumber: 'SK-77' } })).id;
    const password = await addOperator(db(), 'admin1', 'admin');
    const admin = new ConsoleClient(t.base);
    expect((await admin.signIn('admin1', password)).status).toBe(303);
    const form = await admin.get(`/console/customers/${id}/edit`);
    expect(form.text).toMatch(
      /<select id="f-notice_channel" name="notice_channel"><option value="" selected>podle dostupnosti \(Telegram, jinak SMS\)<\/option>/,
    );
    const fields = { _csrf: csrfOf(form.text), name: 'Zuzana Kováčová', phones: '+421905123456', language: 'sk', tier: '' };
    const refused = await admin.post(`/console/customers/${id}/edit`, { ...fields, email: '', notice_channel: 'email' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Upozornění e-mailem vyžadují e-mailovou adresu.');
    const saved = await admin.post(`/console/customers/${id}/edit`, { ...fields, email: 'zuzana@example.test', notice_channel: 'email' });
    expect(saved.status).toBe(303);
    expect(await db().customer.findUniqueOrThrow({ where: { id } })).toMatchObject({ noticeChannel: 'email', email: 'zuzana@example.test' });
    expect((await admin.get(`/console/customers/${id}`)).text).toContain('<dt>Kanál upozornění</dt><dd>e-mail</dd>');
  });

  it.skipIf(skip)('payment reminders and the "services are back" notice go by e-mail to who prefers it, by SMS otherwise', async () => {
    await importCustomers(db(), parseCustomersCsv(CSV, OPTS));
    const config = parseConfig({ company: { name: 'Test ISP' } });
    const now = t.clock.read(); // 23 November 2026: past the due date of the 20th
    const balances = 'contract_number;balance;due_date;restricted\n2024-0153;1 234,50;2026-11-20;yes\nSK-77;500;2026-11-20;\nNOMAIL-1;700;2026-11-20;\n';
    const notices = { timezone: config.timezone, customerChannels: [...t.linka.runtime.ports.keys()], shortSms: true, companyName: 'Test ISP' };
    await importBalances(db(), await checkBalances(db(), parseBalancesCsv(balances), balanceDefaults(paymentSettings(config), now)), now, notices);
    const deps = { prisma: db(), clock: t.clock.read, teamPlatforms: [], teamLanguage: 'cs' as const, customerChannels: notices.customerChannels };
    const round = await sendPaymentReminders(deps, config);
    expect([round.reminded.sort(), round.warned]).toEqual([['2024-0153', 'NOMAIL-1', 'SK-77'], []]);
    await t.settle();
    await t.settle();

    const jana = await dovecot.read('jana');
    expect(jana.map((m) => m.subject)).toEqual(['Připomínka platby']);
    expect(jana[0]?.text).toContain('zatím jsme neobdrželi vaši platbu 1 234,50 CZK za smlouvu 2024-0153, splatnou 20. 11. 2026.');
    expect(jana[0]?.headers.get('auto-submitted')).toBe('auto-generated');
    expect(sms.sent.map((m) => m.to).sort()).toEqual(['+420777000111', '+421905123456']);
    const recipients = await db().paymentNotice.findMany({ orderBy: { recipient: 'asc' }, select: { recipient: true } });
    expect(recipients.map((r) => r.recipient)).toEqual(['email:jana@example.test', 'sms:+420777000111', 'sms:+421905123456']);
    // Once per customer and month, as before.
    expect(await sendPaymentReminders(deps, config)).toEqual({ reminded: [], warned: [] });

    // Lifting her restriction tells her by e-mail too.
    await importBalances(
      db(),
      await checkBalances(db(), parseBalancesCsv('contract_number;balance;restricted\n2024-0153;0;no\n'), balanceDefaults(paymentSettings(config), now)),
      now,
      notices,
    );
    await t.settle();
    await t.settle();
    const after = await dovecot.read('jana');
    expect(after.map((m) => m.subject)).toEqual(['Připomínka platby', 'Vaše služby jsou opět v provozu']);
    expect(after[1]?.text).toContain('omezení vašich služeb jsme zrušili');
    expect(sms.sent).toHaveLength(2);
  });
});
