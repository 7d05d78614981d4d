// The console's customers (issue 17, "Customers"), over HTTP against a real Linka on SQLite and
// PostgreSQL: the search by every common phone form, by name in any case and without diacritics,
// by contract; the customer page (contact, tier and this month's hours, restriction and balance,
// opt-outs, conversations, tickets); a viewer who can only read; the edit form checked by the
// CSV import's own rules; and the CSV upload: its preview's counts, its apply leaving the
// database exactly as `linka customers import` leaves it, a changed database or a forged form
// refused, a hostile name shown as text, and a too large upload refused with a page.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import { parseConfig } from '../src/config/load.js';
import { applyMigrations } from '../src/store/migrate.js';
import { openDatabase } from '../src/store/client.js';
import type { PrismaClient } from '../src/store/types.js';
import { hoursThisMonth } from '../src/services/hours.js';
import { formatMinutes } from '../src/shared/time.js';
import { createEmptyDatabase, pgAvailable } from './helpers/db.js';
import { seedCustomers } from './helpers/harness.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { addOperator, ConsoleClient, csrfOf } from './helpers/console-client.js';
import { runLinka } from './helpers/run-linka.js';

const PG = await pgAvailable();
const XSS = '<img src=x onerror=alert(1)>';
const XSS_TEXT = '&lt;img src=x onerror=alert(1)&gt;';
const LIMIT = 64 * 1024;

/** Every customer with their phones, as two databases can be compared (no ids, no timestamps). */
async function customersOf(prisma: PrismaClient) {
  const rows = await prisma.customer.findMany({ include: { phones: true }, orderBy: { contractNumber: 'asc' } });
  return rows.map(({ id: _id, createdAt: _c, updatedAt: _u, phones, ...rest }) => ({ ...rest, phones: phones.map((p) => p.e164).sort() }));
}

/** A CSV upload form with the page's CSRF token. */
function upload(csrf: string, text: string, name = 'zakaznici.csv'): FormData {
  const form = new FormData();
  form.set('_csrf', csrf);
  form.set('file', new Blob([text], { type: 'text/csv' }), name);
  return form;
}

/** The hidden fields of the preview's apply form, as the browser would send them back. */
function applyForm(previewHtml: string): FormData {
  const form = new FormData();
  const apply = /<form method="post" action="\/console\/customers\/import\/apply"[\s\S]*?<\/form>/.exec(previewHtml)?.[0];
  if (!apply) throw new Error('the preview has no apply form');
  for (const m of apply.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1] as string, (m[2] as string).replace(/&amp;/g, '&'));
  return form;
}

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('console customers on $provider', ({ provider, skip }) => {
  let t: TestLinka;
  let jan: string;
  let zuzana: string;

  beforeEach(async () => {
    if (skip) return;
    t = await startTestLinka({
      provider,
      config: {
        company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' },
        workers: { outboxPollMs: 50, timerPollMs: 50 },
        server: { bodyLimitBytes: LIMIT },
      },
    });
    await seedCustomers(t.linka.db);
    const prisma = t.linka.db.prisma;
    jan = (await prisma.customer.findUniqueOrThrow({ where: { contractNumber: '2024-0153' } })).id;
    zuzana = (await prisma.customer.findUniqueOrThrow({ where: { contractNumber: 'SK-77' } })).id;
  });
  afterEach(async () => {
    if (skip) return;
    await t.stop();
  });

  async function signedIn(username: string, role: 'admin' | 'technician' | 'viewer') {
    const password = await addOperator(t.linka.db.prisma, username, role);
    const browser = new ConsoleClient(t.base);
    expect((await browser.signIn(username, password)).status).toBe(303);
    return browser;
  }
  const found = (html: string) => ({ jan: html.includes(`href="/console/customers/${jan}"`), zuzana: html.includes(`href="/console/customers/${zuzana}"`) });

  it.skipIf(skip)('finds a customer by phone in any format, by name in any case and without diacritics, and by contract number', async () => {
    const eva = await signedIn('eva', 'viewer');
    for (const q of [
      '603 123 456',
      '+420603123456',
      '00420 603-123-456',
      '+420 603 123 456',
      '(603) 123-456',
      '603 123',
      'jan novák',
      'JAN NOVÁK',
      'jan novak',
      'NOVAK',
      'novák jan',
      '2024-0153',
      '2024-015',
    ]) {
      const page = await eva.get(`/console/customers?q=${encodeURIComponent(q)}`);
      expect([q, page.status, found(page.text)]).toEqual([q, 200, { jan: true, zuzana: false }]);
    }
    for (const q of ['kovacova', 'ZUZANA KOVÁČOVÁ', 'sk-77', '0905 123 456', '+421 905 123 456']) {
      expect([q, found((await eva.get(`/console/customers?q=${encodeURIComponent(q)}`)).text)]).toEqual([q, { jan: false, zuzana: true }]);
    }
    const none = await eva.get('/console/customers?q=Dvořák');
    expect(found(none.text)).toEqual({ jan: false, zuzana: false });
    expect(none.text).toContain('Hledanému výrazu neodpovídá žádný zákazník.');
    // No search: everyone, by name.
    const all = await eva.get('/console/customers');
    expect(found(all.text)).toEqual({ jan: true, zuzana: true });
    expect(all.text.indexOf('Jan Novák')).toBeLessThan(all.text.indexOf('Zuzana Kováčová'));
  });

  it.skipIf(skip)('lists name, contract, tier, area, channels and open tickets, fifty to a page', async () => {
    const prisma = t.linka.db.prisma;
    await prisma.ticket.create({
      data: { number: 'T-2026-00001', customerId: jan, category: 'internet', answers: {}, summary: 'Nejde internet', status: 'open' },
    });
    await prisma.ticket.create({ data: { number: 'T-2026-00002', customerId: jan, category: 'internet', answers: {}, summary: 'Pomalé', status: 'claimed' } });
    await prisma.ticket.create({ data: { number: 'T-2026-00003', customerId: jan, category: 'wifi', answers: {}, summary: 'Vyřešeno', status: 'resolved' } });
    await prisma.customer.update({ where: { id: jan }, data: { telegramId: '7001' } });
    const eva = await signedIn('eva', 'viewer');
    const list = await eva.get('/console/customers?q=novak');
    const row = /<tr>\s*<td><a href="\/console\/customers\/[^"]+">Jan Novák<\/a>[\s\S]*?<\/tr>/.exec(list.text)?.[0] ?? '';
    const cells = [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => (m[1] as string).replace(/<[^>]+>/g, '').trim());
    // Telegram is not on in this Linka (no token): the list says so; open and claimed tickets count, the resolved one does not.
    expect(cells).toEqual(['Jan Novák', '2024-0153', 'PLUS', 'Plzeň-Bory', 'Telegram (kanál je vypnutý), SMS (kanál je vypnutý)', '2']);

    await prisma.customer.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({ contractNumber: `P-${String(i).padStart(3, '0')}`, name: `Pavel Mnohý ${String(i).padStart(2, '0')}` })),
    });
    const first = await eva.get('/console/customers?q=mnohy');
    expect(first.text).toContain('Nalezeno: 60');
    expect(first.text).toContain('Strana 1 z 2');
    expect(first.text).toContain('Pavel Mnohý 49');
    expect(first.text).not.toContain('Pavel Mnohý 50');
    const second = await eva.get('/console/customers?q=mnohy&page=2');
    expect(second.text).toContain('Pavel Mnohý 59');
    expect(second.text).not.toContain('Pavel Mnohý 49<');
  });

  it.skipIf(skip)("shows a customer's contact, tier and hours, restriction and balance, opt-outs, conversations and tickets", async () => {
    const prisma = t.linka.db.prisma;
    const now = t.clock.read();
    await prisma.customer.update({
      where: { id: jan },
      data: { restrictedSince: '2026-11-10', email: 'jan@example.cz', address: 'Sladkovského 12, Plzeň', telegramId: '7001' },
    });
    await prisma.balance.create({ data: { customerId: jan, amount: 125_000, currency: 'CZK', dueDate: '2026-11-05', importedAt: now } });
    await prisma.optOut.create({ data: { conversationId: 'sms:+420603123456', channel: 'sms', createdAt: now } });
    const ticket = await prisma.ticket.create({
      data: {
        number: 'T-2026-00042',
        customerId: jan,
        category: 'internet',
        answers: {},
        summary: 'Nejde internet v kuchyni',
        status: 'claimed',
        claimedByName: 'Petr',
      },
    });
    await prisma.timeEntry.create({
      data: { ticketId: ticket.id, technician: 'slack:U1', technicianName: 'Petr', minutes: 50, activity: 'Nastavení', createdAt: now },
    });
    await prisma.conversation.create({
      data: {
        id: 'telegram:7001',
        channel: 'telegram',
        customerId: jan,
        flow: 'menu',
        step: 'done',
        flowVersion: 1,
        state: { ticketNumber: 'T-2026-00042' },
        sessionStartedAt: now,
        messages: { create: [{ direction: 'in', channel: 'telegram', kind: 'text', text: 'Nejde mi internet v kuchyni', createdAt: now }] },
      },
    });
    const config = parseConfig({});
    const hours = await hoursThisMonth(
      prisma,
      { timezone: config.timezone, prices: config.billing, tiers: config.tiers, freeDiagnosticsMinutes: config.callout.freeDiagnosticsMinutes },
      await prisma.customer.findUniqueOrThrow({ where: { id: jan } }),
      now,
    );
    expect(hours.includedMinutes).toBe(180);
    expect(hours.usedMinutes).toBeGreaterThan(0);

    const eva = await signedIn('eva', 'viewer');
    const page = await eva.get(`/console/customers/${jan}`);
    expect(page.status).toBe(200);
    const text = page.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    for (const shown of [
      'Jan Novák',
      '2024-0153',
      '+420 603 123 456',
      'jan@example.cz',
      'Sladkovského 12, Plzeň',
      'Plzeň-Bory',
      'Úroveň podpory PLUS',
      `Zahrnuto v tomto měsíci ${formatMinutes(hours.includedMinutes)}`,
      `Odpracováno v tomto měsíci ${formatMinutes(hours.usedMinutes)}`,
      `Zbývá ze zahrnutých hodin ${formatMinutes(hours.includedMinutes - hours.usedMinutes)}`,
      'Služby jsou kvůli neplacení omezené od 10. 11. 2026.',
      'Dlužná částka: 1 250,00 CZK, splatné 5. 11. 2026',
      'sms:+420603123456 – odhlášeno',
      'Nejde mi internet v kuchyni',
      'Nejde internet v kuchyni',
    ])
      expect(text).toContain(shown);
    // The conversation's outcome and the ticket list both link to the ticket.
    expect(page.text.match(/href="\/console\/tickets\/T-2026-00042"/g)).toHaveLength(2);
    expect(text).toContain('T-2026-00042 (Převzaté)');
    // The contract number finds the same page; an unknown key is 404.
    expect((await eva.get('/console/customers/2024-0153')).text).toContain('jan@example.cz');
    expect((await eva.get('/console/customers/NOPE-1')).status).toBe(404);
    // Zuzana: no restriction, nothing owed, no opt-out.
    const other = (await eva.get(`/console/customers/${zuzana}`)).text;
    expect(other).toContain('Služby nejsou omezené.');
    expect(other).toContain('Zákazník nic nedluží.');
    expect(other).toContain('Zákazník se z žádného kanálu neodhlásil.');
  });

  it.skipIf(skip)('a viewer or technician sees no edit or upload form, and their forged POSTs get 403 and change nothing', async () => {
    const before = await customersOf(t.linka.db.prisma);
    for (const [name, role] of [
      ['eva', 'viewer'],
      ['petr', 'technician'],
    ] as const) {
      const browser = await signedIn(name, role);
      const list = await browser.get('/console/customers');
      expect(list.text).not.toContain('/console/customers/import');
      const page = await browser.get(`/console/customers/${jan}`);
      expect(page.text).not.toContain(`/console/customers/${jan}/edit`);
      expect(page.text).not.toContain('<form method="post" action="/console/customers');
      expect((await browser.get(`/console/customers/${jan}/edit`)).status).toBe(403);
      expect((await browser.get('/console/customers/import')).status).toBe(403);
      const csrf = csrfOf(page.text);
      const edit = await browser.post(`/console/customers/${jan}/edit`, { _csrf: csrf, name: 'Podvržené jméno', phones: '603 123 456' });
      expect(edit.status).toBe(403);
      expect(edit.text).toContain('K této akci nemáte oprávnění.');
      expect((await browser.postMultipart('/console/customers/import', upload(csrf, 'contract_number,name\nX-001,Podvržený\n'))).status).toBe(403);
      expect((await browser.postMultipart('/console/customers/import/apply', upload(csrf, 'contract_number,name\nX-001,Podvržený\n'))).status).toBe(403);
    }
    expect(await customersOf(t.linka.db.prisma)).toEqual(before);
  });

  it.skipIf(skip)('an admin edit with a bad phone shows the error beside the field and saves nothing; a good one saves', async () => {
    const prisma = t.linka.db.prisma;
    const admin = await signedIn('alena', 'admin');
    const form = await admin.get(`/console/customers/${jan}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="+420 603 123 456"');
    const before = await customersOf(prisma);
    const bad = await admin.post(`/console/customers/${jan}/edit`, {
      _csrf: csrfOf(form.text),
      name: 'Jan Nováček',
      phones: '603 123 456, 12345',
      language: 'cs',
      tier: 'PLUS',
      area: 'Plzeň-Bory',
      email: 'ne-email',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Formulář obsahuje chyby (celkem 2). Nic nebylo uloženo.');
    // Each error beside its own field, tied to the input for screen readers; the typed values kept.
    expect(bad.text).toMatch(
      /<input type="text" id="f-phones"[^>]*aria-describedby="h-phones e-phones" aria-invalid="true">\s*<p class="field-error" id="e-phones">„12345“ není platné telefonní číslo.<\/p>/,
    );
    expect(bad.text).toMatch(/id="f-email"[^>]*aria-invalid="true"><p class="field-error" id="e-email">„ne-email“ není e-mailová adresa.<\/p>/);
    expect(bad.text).toContain('value="Jan Nováček"');
    expect(await customersOf(prisma)).toEqual(before);

    // A phone Zuzana has is refused as the import refuses it.
    const taken = await admin.post(`/console/customers/${jan}/edit`, {
      _csrf: csrfOf(form.text),
      name: 'Jan Novák',
      phones: '+421 905 123 456',
      language: 'cs',
      tier: 'PLUS',
    });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain('Číslo +421905123456 už patří ke smlouvě SK-77; jedno číslo může patřit jen jednomu zákazníkovi.');
    expect(await customersOf(prisma)).toEqual(before);

    const good = await admin.post(`/console/customers/${jan}/edit`, {
      _csrf: csrfOf(form.text),
      name: ' Jan Nováček ',
      phones: '00420 603-123-456, 777 000 111',
      language: 'en',
      tier: 'vip',
      area: 'Plzeň-Bory',
      access_point: '',
      address: 'Sladkovského 12, Plzeň',
      email: 'jan@example.cz',
      telegram_id: '',
      plan_start: '1. 11. 2026',
      plan_end: '',
    });
    expect(good.status).toBe(303);
    expect(good.location).toBe(`/console/customers/${jan}?saved=1`);
    const after = await prisma.customer.findUniqueOrThrow({ where: { id: jan }, include: { phones: true } });
    expect(after).toMatchObject({
      name: 'Jan Nováček',
      language: 'en',
      tier: 'VIP',
      address: 'Sladkovského 12, Plzeň',
      email: 'jan@example.cz',
      planStart: '2026-11-01',
      planEnd: null,
    });
    expect(after.phones.map((p) => p.e164).sort()).toEqual(['+420603123456', '+420777000111']);
    expect((await admin.get(good.location as string)).text).toContain('Změny jsou uložené.');
    // The same again changes nothing, and says so.
    const same = await admin.submit(`/console/customers/${jan}/edit`, `/console/customers/${jan}/edit`, {
      name: 'Jan Nováček',
      phones: '+420 603 123 456, +420 777 000 111',
      language: 'en',
      tier: 'VIP',
      area: 'Plzeň-Bory',
      address: 'Sladkovského 12, Plzeň',
      email: 'jan@example.cz',
      plan_start: '2026-11-01',
    });
    expect(same.location).toBe(`/console/customers/${jan}?saved=0`);
  });

  it.skipIf(skip)('the upload preview counts new, changed, unchanged and bad rows, and lists each change old -> new', async () => {
    const admin = await signedIn('alena', 'admin');
    const before = await customersOf(t.linka.db.prisma);
    const csrf = csrfOf((await admin.get('/console/customers/import')).text);
    const csv = [
      'contract_number,name,phones,language,tier,area',
      '2024-0153,Jan Novák,603 123 456,cs,PLUS,Plzeň-Lochotín', // changed: area
      'SK-77,Zuzana Kováčová,+421 905 123 456,sk,STANDARD,Petržalka', // unchanged
      '2025-0001,Marie Nová,777 123 456,cs,,Doubravka', // new
      '2025-0002,Karel Zlý,12345,cs,,', // bad phone
      '2025-0003,Ota Druhý,603 123 456,cs,,', // Jan's phone
      '2025-0004,,,,,', // no name
      '',
    ].join('\n');
    const preview = await admin.postMultipart('/console/customers/import', upload(csrf, csv));
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Noví zákazníci: 1 · Změny: 1 · Beze změny: 1 · Řádky s chybou: 3');
    expect(preview.text).toMatch(/<tr><td>2<\/td><td>2024-0153<\/td><td>Oblast<\/td><td>Plzeň-Bory<\/td><td>Plzeň-Lochotín<\/td><\/tr>/);
    expect(preview.text).toMatch(/<tr><td>4<\/td><td>2025-0001<\/td><td>Marie Nová<\/td><\/tr>/);
    expect(preview.text).toContain('<tr><td>5</td><td>2025-0002</td><td>Telefonní čísla</td><td>„12345“ není platné telefonní číslo.</td></tr>');
    expect(preview.text).toContain('Číslo +420603123456 je také na řádku 2 (smlouva 2024-0153)');
    expect(preview.text).toContain('<tr><td>7</td><td>2025-0004</td><td>Jméno</td><td>Jméno nesmí být prázdné.</td></tr>');
    // While a row is bad nothing can be imported, as with the command.
    expect(preview.text).toContain('Dokud má některý řádek chybu, neimportuje se nic');
    expect(preview.text).not.toContain('/console/customers/import/apply');
    expect(await customersOf(t.linka.db.prisma)).toEqual(before);

    // A file the command cannot read: said, with the command's own details.
    const broken = await admin.postMultipart('/console/customers/import', upload(csrf, 'contract_number,name,fone\nX-1,A,1\n'));
    expect(broken.status).toBe(400);
    expect(broken.text).toContain('Soubor nelze načíst, nic se neuložilo.');
    expect(broken.text).toContain('Unknown CSV column(s) fone');
    // No file at all.
    const empty = new FormData();
    empty.set('_csrf', csrf);
    expect((await admin.postMultipart('/console/customers/import', empty)).text).toContain('Vyberte, prosím, soubor CSV.');
  });

  it.skipIf(skip)(
    'apply leaves the database exactly as `linka customers import` leaves it with the same file',
    async () => {
      const csv = [
        'contract_number,name,phones,language,tier,area,access_point,address,email,telegram_id,plan_start,plan_end',
        '2024-0153,Jan Novák,603 123 456|+420 777 555 444,cs,PLUS,Plzeň-Lochotín,AP-9,"Lochotínská 5, Plzeň",jan@example.cz,,2026-01-01,',
        'SK-77,Zuzana Kováčová,+421 905 123 456,sk,STANDARD,Petržalka,,,,,,',
        '2025-0001,Marie Nová,777 123 456,,vip,Doubravka,,,,555001,15. 3. 2026,2027-03-14',
        `2025-0002,${XSS},,en,,,,,,,,`,
        '',
      ].join('\n');
      // The command, on a second database seeded the same way.
      const other = await createEmptyDatabase(provider);
      const dir = mkdtempSync(path.join(tmpdir(), 'linka-console-import-'));
      try {
        await applyMigrations(other.url);
        const db = await openDatabase(other.url);
        try {
          await seedCustomers(db);
        } finally {
          await db.close();
        }
        const file = path.join(dir, 'zakaznici.csv');
        writeFileSync(file, csv);
        const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: other.url };
        delete env.LINKA_CONFIG;
        const run = await runLinka(['customers', 'import', file], { env, cwd: dir });
        expect(run.stderr).toBe('');
        expect(run.stdout).toContain(': 2 created, 1 updated, 1 unchanged.');

        // The console: preview, then apply.
        const admin = await signedIn('alena', 'admin');
        const csrf = csrfOf((await admin.get('/console/customers/import')).text);
        const preview = await admin.postMultipart('/console/customers/import', upload(csrf, csv));
        expect(preview.text).toContain('Noví zákazníci: 2 · Změny: 1 · Beze změny: 1 · Řádky s chybou: 0');
        // A hostile name is text in the preview.
        expect(preview.text).not.toContain(XSS);
        expect(preview.text).toContain(XSS_TEXT);
        const applied = await admin.postMultipart('/console/customers/import/apply', applyForm(preview.text));
        expect(applied.status).toBe(303);
        expect(applied.location).toBe('/console/customers/import?created=2&updated=1&unchanged=1');
        expect((await admin.get(applied.location as string)).text).toContain('Import je hotový. Noví zákazníci: 2 · Změny: 1 · Beze změny: 1.');

        const cli = await openDatabase(other.url);
        try {
          expect(await customersOf(t.linka.db.prisma)).toEqual(await customersOf(cli.prisma));
        } finally {
          await cli.close();
        }
        // The same file again: all unchanged, as the command would count it.
        const again = await admin.postMultipart('/console/customers/import', upload(csrf, csv));
        expect(again.text).toContain('Noví zákazníci: 0 · Změny: 0 · Beze změny: 4 · Řádky s chybou: 0');
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await other.drop();
      }
    },
    60_000,
  );

  it.skipIf(skip)("apply refuses a forged file or another sign-in's form, and a database changed since the preview gets a new preview first", async () => {
    const prisma = t.linka.db.prisma;
    const admin = await signedIn('alena', 'admin');
    const csrf = csrfOf((await admin.get('/console/customers/import')).text);
    const csv = 'contract_number,name,phones,tier,area\n2024-0153,Jan Novák,603 123 456,PLUS,Plzeň-Lochotín\n2025-0001,Marie Nová,,,Doubravka\n';
    const preview = await admin.postMultipart('/console/customers/import', upload(csrf, csv));
    const before = await customersOf(prisma);

    // Another file in the sealed form.
    const forged = applyForm(preview.text);
    forged.set('payload', deflateRawSync(Buffer.from('contract_number,name\n2024-0153,Podvržený\n')).toString('base64url'));
    const refused = await admin.postMultipart('/console/customers/import/apply', forged);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Import nelze potvrdit: formulář byl změněn nebo patří k jinému přihlášení.');
    // The right form from another admin's sign-in.
    const other = await signedIn('bohous', 'admin');
    const otherCsrf = csrfOf((await other.get('/console/customers/import')).text);
    const foreign = applyForm(preview.text);
    foreign.set('_csrf', otherCsrf);
    expect((await other.postMultipart('/console/customers/import/apply', foreign)).status).toBe(400);
    expect(await customersOf(prisma)).toEqual(before);

    // Jan's area changes after the preview: the apply shows the new preview and imports nothing.
    await prisma.customer.update({ where: { id: jan }, data: { area: 'Plzeň-Lochotín' } });
    const drifted = await admin.postMultipart('/console/customers/import/apply', applyForm(preview.text));
    expect(drifted.status).toBe(409);
    expect(drifted.text).toContain('Od náhledu se údaje v databázi změnily.');
    expect(drifted.text).toContain('Noví zákazníci: 1 · Změny: 0 · Beze změny: 1 · Řádky s chybou: 0');
    expect(await prisma.customer.findUnique({ where: { contractNumber: '2025-0001' } })).toBeNull();
    // The new preview's own form imports.
    const applied = await admin.postMultipart('/console/customers/import/apply', applyForm(drifted.text));
    expect(applied.location).toBe('/console/customers/import?created=1&updated=0&unchanged=1');
    expect(await prisma.customer.findUnique({ where: { contractNumber: '2025-0001' } })).toMatchObject({ name: 'Marie Nová', area: 'Doubravka' });
  });

  it.skipIf(skip)('a hostile name is text in the list and on the page', async () => {
    const c = await t.linka.db.prisma.customer.create({ data: { contractNumber: 'X-666', name: XSS, area: XSS } });
    const eva = await signedIn('eva', 'viewer');
    for (const path of ['/console/customers', `/console/customers/${c.id}`, `/console/customers?q=${encodeURIComponent('<img')}`]) {
      const page = await eva.get(path);
      expect([path, page.text.includes(XSS)]).toEqual([path, false]);
      expect(page.text).toContain(XSS_TEXT);
    }
  });

  it.skipIf(skip)('a too large upload is refused with 413 and a page that says what to do; nothing is saved', async () => {
    const admin = await signedIn('alena', 'admin');
    const csrf = csrfOf((await admin.get('/console/customers/import')).text);
    const before = await customersOf(t.linka.db.prisma);
    const row = '2025-0001,Marie Nová,777 123 456,cs,,Doubravka\n';
    const huge = `contract_number,name,phones,language,tier,area\n${row.repeat(Math.ceil((2 * LIMIT) / row.length))}`;
    const refused = await admin.postMultipart('/console/customers/import', upload(csrf, huge));
    expect(refused.status).toBe(413);
    expect(refused.headers.get('content-type')).toContain('text/html');
    expect(refused.text).toContain('Odeslaná data jsou příliš velká (nejvýše 64 kB).');
    expect(refused.text).toContain('linka customers import');
    // Under the request limit but over what the upload takes (room for the form around it): the form says so.
    const near = `contract_number,name\n${'X'.repeat(LIMIT - 10 * 1024)}\n`;
    const over = await admin.postMultipart('/console/customers/import', upload(csrf, near));
    expect(over.status).toBe(413);
    expect(over.text).toContain('Soubor je příliš velký: může mít nejvýše 48 kB.');
    expect(await customersOf(t.linka.db.prisma)).toEqual(before);
    // The session is fine afterwards.
    expect((await admin.get('/console/customers')).status).toBe(200);
  });
});
