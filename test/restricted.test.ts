// Issue 16, rule 1, "Restricted for non-payment": "fees are due on the 20th; unpaid by the end of
// the month, services are restricted." A restricted customer reporting a fault is told that the
// service is restricted for an unpaid balance, the amount, how to pay and how quickly it comes
// back: no checklist, no ticket, no paid offer (unless they say they have paid: then the payment
// report path). Lifting the restriction tells them it is back. Customers who opted out or have no
// channel are listed for the operator. Through the real dispatcher, the real Twilio and Telegram
// clients against their fakes, on SQLite and PostgreSQL (this writes a new column).
import { afterEach, describe, expect, it } from 'vitest';
import { parseTwilioInbound } from '../adapters/twilio/index.js';
import { balancesUnreachable } from '../src/cli/balances.js';
import { smsSegments } from '../src/domain/sms.js';
import { balanceDefaults, checkBalances, importBalances, parseBalancesCsv } from '../src/import/balances-csv.js';
import { paymentSettings, sendPaymentNotices } from '../src/services/payments.js';
import { parseConfig } from '../src/config/load.js';
import { startTelegramFake, tg, type TelegramFake } from './fakes/telegram-fake.js';
import { databaseForEachTest, pgAvailable } from './helpers/db.js';
import { createHarness, seedCustomers } from './helpers/harness.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { ACCOUNT_SID, AUTH_TOKEN, FROM, JAN, PUBLIC_URL, ask, startWorld, stopWorld, type SmsWorld } from './helpers/sms-world.js';

const PG = await pgAvailable();
const TOKEN = 'restricted-test-token-0123456789abcdef';
const providers = [
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
];

/** A call of the token-protected API on a running Linka. */
async function api(base: string, method: 'GET' | 'POST', path: string, body?: unknown, token = TOKEN) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

describe.each(providers)('restricted for non-payment, over SMS on $provider', ({ provider, skip }) => {
  afterEach(stopWorld);

  it.skipIf(skip)(
    '"nejde internet" from a restricted customer gets the restriction, the amount, how to pay and when it is back, in at most 2 billed segments; no checklist, ticket or offer; lifting tells them',
    async () => {
      const w: SmsWorld = await startWorld(provider, { LINKA_API_TOKEN: TOKEN });
      const restricted = await api(w.base, 'POST', '/api/balances', [
        { contract: '2024-0153', balance: '1 234,50', dueDate: '2026-11-20', restricted: true, restrictedSince: '2026-12-01' },
      ]);
      expect(restricted).toMatchObject({ status: 200, body: { imported: 1, outstanding: 1, restricted: 1, lifted: [] } });

      // "The restricted-customer path over SMS costs at most 2 billed segments."
      const told = await ask(w, 'Dobrý den, nejde mi internet');
      expect(told).toBe(
        'Dobry den, tady Linka (Test ISP).\n\n' +
          'Sluzby mate omezene kvuli neuhrazene castce 1 234,50 CZK splatne 20. 11. 2026, nejde o poruchu.\n\n' +
          'Platte na ucet a s VS z faktury.\n\n' +
          'Obnovime je po pripsani platby.\n\n' +
          'Placeno? Poslete ZAPLACENO. Jina vec? Poslete JINE.',
      );
      await w.settle();
      const path = w.fake.sent.filter((s) => s.to === JAN);
      expect(path).toHaveLength(1);
      expect(path.reduce((n, s) => n + smsSegments(s.body).segments, 0)).toBeLessThanOrEqual(2);
      // No checklist, no ticket, no paid offer.
      const prisma = w.linka.db.prisma;
      expect(await prisma.ticket.count()).toBe(0);
      expect(await prisma.calloutOffer.count()).toBe(0);
      // Asked again, told again (never the checklist).
      expect(await ask(w, 'internet')).toMatch(/^Sluzby mate omezene kvuli neuhrazene castce 1 234,50 CZK/);
      expect(await prisma.ticket.count()).toBe(0);

      // "Unless they say they have paid: then the existing payment report path."
      const reported = await ask(w, 'Zaplatil jsem');
      const billing = await prisma.ticket.findFirstOrThrow({ where: { category: 'billing' } });
      expect(reported).toContain(`Dekujeme, platbu overime (pozadavek ${billing.number}).`);
      expect(billing.summary).toBe('Zákazník uvádí, že zaplatil. V evidenci: dluh 1 234,50 CZK, splatnost 20. 11. 2026. Služby má omezené od 1. 12. 2026.');

      // "Lifting the restriction tells them it is back" (one segment), and a fault is a fault again.
      const lifted = await api(w.base, 'POST', '/api/balances', [{ contract: '2024-0153', balance: 0, dueDate: '2026-11-20' }]);
      expect(lifted).toMatchObject({ status: 200, body: { paid: 1, restricted: 0, lifted: ['2024-0153'], liftedUnreachable: [] } });
      await w.settle();
      const back = w.fake.sent.at(-1)?.body ?? '';
      expect(back).toBe('Omezeni sluzeb jsme zrusili, opet bezi v plnem rozsahu.');
      expect(smsSegments(back).segments).toBe(1);
      expect(await ask(w, 'nejde mi internet')).toMatch(/^Odpojte ze zasuvky vse/);
      // A second import without a restriction tells nobody again.
      await api(w.base, 'POST', '/api/balances', [{ contract: '2024-0153', balance: 0, dueDate: '2026-11-20' }]);
      await w.settle();
      expect(w.fake.sent.filter((s) => s.body.startsWith('Omezeni sluzeb'))).toHaveLength(1);
    },
  );
});

describe.each(providers)('restricted for non-payment, on Telegram on $provider', ({ provider, skip }) => {
  let fake: TelegramFake;
  let t: TestLinka;
  afterEach(async () => {
    if (skip) return;
    await t.stop();
    await fake.close();
  });

  it.skipIf(skip)(
    'tells the restriction in full with the configured variable symbol and restoration time; "jiné" still reaches a technician; lifting tells them',
    async () => {
      fake = await startTelegramFake();
      t = await startTestLinka({
        provider,
        env: { TELEGRAM_BOT_TOKEN: '123456:TEST', TELEGRAM_WEBHOOK_SECRET: 'test-secret_123', TELEGRAM_API_ROOT: fake.url, LINKA_API_TOKEN: TOKEN },
        config: {
          company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' },
          workers: { outboxPollMs: 50, timerPollMs: 50 },
          payments: { variableSymbol: 'contract', restoreWithinHours: 24 },
        },
      });
      await seedCustomers(t.linka.db);
      await t.linka.db.prisma.customer.update({ where: { contractNumber: '2024-0153' }, data: { telegramId: '7001' } });
      const say = async (text: string) => {
        expect((await t.post('/telegram/webhook', tg.text(text), { 'x-telegram-bot-api-secret-token': 'test-secret_123' })).status).toBe(200);
        await t.settle();
        return (fake.calls('sendMessage') as unknown as Array<{ text: string }>).at(-1)?.text ?? '';
      };

      // Restricted without a date: since the day of the import.
      expect(await api(t.base, 'POST', '/api/balances', [{ contract: '2024-0153', balance: 99900, dueDate: '2026-11-20', restricted: true }])).toMatchObject({
        status: 200,
        body: { restricted: 1 },
      });
      expect((await t.linka.db.prisma.customer.findUniqueOrThrow({ where: { contractNumber: '2024-0153' } })).restrictedSince).toBe('2026-11-23');

      const told = await say('nejde mi internet');
      expect(told).toContain(
        'Vaše služby jsou omezeny, protože evidujeme neuhrazenou částku 999,00 CZK se splatností 20. 11. 2026. Nejde o poruchu, kontrola zařízení ani technik proto nepomohou.\n\n' +
          'Zaplatit můžete převodem na účet uvedený na faktuře, jako variabilní symbol uveďte číslo smlouvy 2024-0153.\n\n' +
          'Po připsání platby na náš účet služby obnovíme nejpozději do 24 h.\n\n' +
          'Pokud jste již zaplatili, odpovězte „zaplaceno“ a platbu ověříme. Potřebujete-li pomoc s něčím jiným, napište „jiné“.',
      );
      expect(told).not.toContain('Odpojte');
      expect(await t.linka.db.prisma.ticket.count()).toBe(0);
      // Something other than a fault of a service still reaches the team.
      expect(await say('jiné')).toContain('Popište mi prosím, s čím potřebujete pomoci.');

      expect(await api(t.base, 'POST', '/api/balances', [{ contract: '2024-0153', balance: 0, restricted: false }])).toMatchObject({
        status: 200,
        body: { lifted: ['2024-0153'] },
      });
      await t.settle();
      expect((fake.calls('sendMessage') as unknown as Array<{ chat_id: number | string; text: string }>).at(-1)).toMatchObject({
        chat_id: '7001',
        text: 'Dobrý den, omezení vašich služeb jsme zrušili a služby vám opět běží v plném rozsahu.',
      });
    },
  );
});

describe.each(providers)('restricted for non-payment, identified in the conversation, on $provider', ({ provider, skip }) => {
  const db = databaseForEachTest(provider, seedCustomers);

  it.skipIf(skip)(
    'the CSV import restricts; a customer identified after naming the fault is told, without claiming the contract number is the variable symbol',
    async () => {
      const h = createHarness(db());
      const now = h.clock.read();
      const csv = 'contract_number;balance;due_date;restricted;restricted_since\n2024-0153;0;2026-11-20;ano;1. 12. 2026\nSK-77;4990;;;\n';
      const rows = await checkBalances(db().prisma, parseBalancesCsv(csv), balanceDefaults(paymentSettings(h.config), now));
      const counts = await importBalances(db().prisma, rows, now, { timezone: h.config.timezone, customerChannels: [], shortSms: true });
      expect(counts).toMatchObject({ outstanding: 1, paid: 1, restricted: 1 });

      expect((await h.say('nejde mi internet')).texts.join('\n')).toContain('napište mi prosím číslo své smlouvy');
      const told = (await h.say('2024-0153')).texts.join('\n');
      // Paid (0 on record) but not lifted yet: restricted for non-payment, no amount.
      expect(told).toContain('Děkuji, vaši smlouvu jsem našla (Jan Novák).');
      expect(told).toContain('Vaše služby jsou omezeny kvůli neuhrazené platbě. Nejde o poruchu');
      expect(told).toContain('Zaplatit můžete převodem na účet uvedený na faktuře, variabilní symbol najdete tamtéž. Číslo vaší smlouvy je 2024-0153.');
      expect(told).toContain('Služby obnovíme, jakmile platbu připíšeme na náš účet.');
      expect(told).not.toMatch(/variabilní symbol uveďte číslo smlouvy/);
      expect(told).not.toContain('Odpojte');
      expect(await db().prisma.ticket.count()).toBe(0);
      // The team's history says why no checklist was walked.
      const history = await db().prisma.message.findMany({ where: { direction: 'system' }, select: { text: true } });
      expect(history.map((m) => m.text)).toContain('Zákazník má služby omezené pro neuhrazenou platbu: sděleno místo kontroly zařízení.');
    },
  );

  it.skipIf(skip)(
    'the warning says what the terms say (restricted *if* unpaid by the end of the month); how to pay names the contract number as the variable symbol only when configured',
    async () => {
      await db().prisma.customer.update({ where: { contractNumber: '2024-0153' }, data: { telegramId: '7001' } });
      await db().prisma.balance.create({
        data: {
          customerId: (await db().prisma.customer.findUniqueOrThrow({ where: { contractNumber: '2024-0153' } })).id,
          amount: 123450,
          currency: 'CZK',
          dueDate: '2026-11-20',
          importedAt: new Date(),
        },
      });
      const texts = async () =>
        (await db().prisma.outboxItem.findMany({ where: { kind: 'reply' }, orderBy: { id: 'asc' } })).map(
          (i) => (i.payload as { reply: { text: string } }).reply.text,
        );
      const round = (at: string, variableSymbol: 'invoice' | 'contract', channels: string[]) =>
        sendPaymentNotices(
          { prisma: db().prisma, clock: () => new Date(at), customerChannels: channels, shortSms: true },
          paymentSettings(parseConfig({ payments: { variableSymbol } })),
        );
      await round('2026-11-27T08:00:00Z', 'invoice', ['telegram', 'sms']);
      expect(await texts()).toEqual([
        'Dobrý den, platbu 1 234,50 CZK za smlouvu 2024-0153, splatnou 20. 11. 2026, stále neevidujeme. Pokud ji neobdržíme do 30. 11. 2026, budou vaše služby na konci měsíce omezeny. Pokud jste již zaplatili, odpovězte „zaplaceno“.\n\n' +
          'Zaplatit můžete převodem na účet uvedený na faktuře, variabilní symbol najdete tamtéž. Číslo vaší smlouvy je 2024-0153.',
      ]);
      // Over SMS: "Neuhradíte-li do …, omezíme služby", as the terms say.
      await db().prisma.paymentNotice.deleteMany();
      await db().prisma.outboxItem.deleteMany();
      await db().prisma.customer.update({ where: { contractNumber: '2024-0153' }, data: { telegramId: null } });
      await round('2026-11-27T08:00:00Z', 'contract', ['sms']);
      expect(await texts()).toEqual(['Platbu 1 234,50 CZK neevidujeme. Neuhradíte-li do 30. 11. 2026, omezíme služby. Placeno? Pošlete ZAPLACENO.']);
      // payments.variableSymbol: contract on Telegram: the contract number is the variable symbol.
      await db().prisma.paymentNotice.deleteMany();
      await db().prisma.outboxItem.deleteMany();
      await db().prisma.customer.update({ where: { contractNumber: '2024-0153' }, data: { telegramId: '7001' } });
      await round('2026-11-27T08:00:00Z', 'contract', ['telegram']);
      expect((await texts())[0]).toMatch(/\n\nZaplatit můžete převodem na účet uvedený na faktuře, jako variabilní symbol uveďte číslo smlouvy 2024-0153\.$/);
    },
  );

  it.skipIf(skip)('refuses restriction values it cannot read, naming the line, and imports nothing', async () => {
    const h = createHarness(db());
    const csv = 'contract_number,balance,restricted,restricted_since\n2024-0153,100,maybe,\nSK-77,100,no,2026-12-01\n2024-0153,100,,31. 11. 2026\n';
    await expect(checkBalances(db().prisma, parseBalancesCsv(csv), balanceDefaults(paymentSettings(h.config), h.clock.read()))).rejects.toThrow(
      [
        'Nothing was imported; fix these rows:',
        '  line 2: restricted "maybe" is not yes or no',
        '  line 3: restricted is "no" but restricted_since is 2026-12-01',
        '  line 4: contract_number 2024-0153 already appears on line 2; restricted_since "31. 11. 2026" is not a date (YYYY-MM-DD or 1. 12. 2026)',
      ].join('\n'),
    );
  });
});

describe.each(providers)('customers payment notices cannot reach, on $provider', ({ provider, skip }) => {
  let t: TestLinka;
  afterEach(async () => {
    if (!skip) await t.stop();
  });

  it.skipIf(skip)(
    '"Customers who opted out of SMS or have no channel are listed for the operator": linka balances unreachable and GET /api/balances/unreachable',
    async () => {
      const env = { LINKA_API_TOKEN: TOKEN, TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: FROM, PUBLIC_URL };
      t = await startTestLinka({ provider, env });
      const prisma = t.linka.db.prisma;
      await seedCustomers(t.linka.db);
      await prisma.customer.create({ data: { contractNumber: 'NOPHONE-1', name: 'Petr Bez Telefonu', language: 'cs' } });
      await api(t.base, 'POST', '/api/balances', [
        { contract: '2024-0153', balance: 123450, dueDate: '2026-11-20' },
        { contract: 'SK-77', balance: 4990, dueDate: '2026-11-20', currency: 'EUR' },
        { contract: 'NOPHONE-1', balance: 0, dueDate: '2026-11-20', restricted: true, restrictedSince: '2026-12-01' },
      ]);
      // Jan texts STOP.
      const stop = parseTwilioInbound({ MessageSid: 'SM00000000000000000000000000000stop', From: '+420603123456', Body: 'STOP' }, 'CZ');
      if (stop.kind !== 'event') throw new Error('STOP was not an event');
      await t.linka.runtime.dispatch(stop.envelope);

      expect((await api(t.base, 'GET', '/api/balances/unreachable', undefined, 'wrong')).status).toBe(401);
      const listed = await api(t.base, 'GET', '/api/balances/unreachable');
      const expected = [
        {
          contract: '2024-0153',
          name: 'Jan Novák',
          reason: 'opted_out',
          address: 'sms:+420603123456',
          amount: 123450,
          currency: 'CZK',
          dueDate: '2026-11-20',
          restrictedSince: null,
        },
        {
          contract: 'NOPHONE-1',
          name: 'Petr Bez Telefonu',
          reason: 'no_channel',
          address: null,
          amount: 0,
          currency: null,
          dueDate: null,
          restrictedSince: '2026-12-01',
        },
      ];
      expect(listed).toEqual({ status: 200, body: { customerChannels: ['sms'], customers: expected } });

      // The same from the command line (its own connection: SQLite's is closed around it, as in test/payments.test.ts).
      const lines: string[] = [];
      let doc = '';
      const io = {
        env: { ...env, DATABASE_URL: t.linka.db.url },
        out: (l: string) => lines.push(l),
        write: (s: string) => (doc += s),
        err: () => {},
        writeErr: () => {},
      };
      await prisma.$disconnect();
      expect(await balancesUnreachable({ format: 'text' }, io)).toBe(0);
      expect(lines).toEqual([
        '2 customer(s) who owe or are restricted get no payment notice (customer channels on: sms):',
        '  2024-0153  Jan Novák: opted out (sms:+420603123456); owes 1,234.50 CZK due 20 Nov 2026',
        '  NOPHONE-1  Petr Bez Telefonu: no channel; nothing owed on record; restricted since 1 Dec 2026',
      ]);
      await prisma.$disconnect();
      expect(await balancesUnreachable({ format: 'json' }, io)).toBe(0);
      expect(JSON.parse(doc)).toEqual({ customerChannels: ['sms'], customers: expected });
    },
  );
});
