// The console's customers in a real headless Chromium (test/helpers/browser.ts): the search typed
// into the page's box finds a customer by a phone written the way people write it, the
// customer page, the edit form (with an error beside its field), the CSV upload's preview and its
// import; each page checked with axe-core (no serious or critical violation), at desktop and at
// phone width. Screenshots go to test-results/screenshots (not committed).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accessible, browserAvailable, launchBrowser, screenshot, type TestBrowser } from './helpers/browser.js';
import { addOperator } from './helpers/console-client.js';
import { seedCustomers } from './helpers/harness.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';

const HAS_BROWSER = browserAvailable();
const XSS = '<img src=x onerror=alert(1)>';

describe.skipIf(!HAS_BROWSER)('the customers pages in Chromium', () => {
  let chrome: TestBrowser;
  let t: TestLinka;
  beforeAll(async () => {
    chrome = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
  });
  beforeEach(async () => {
    t = await startTestLinka({
      config: {
        company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' },
        workers: { outboxPollMs: 50, timerPollMs: 50 },
        server: { bodyLimitBytes: 64 * 1024 },
      },
    });
    await seedCustomers(t.linka.db);
    await t.linka.db.prisma.customer.create({ data: { contractNumber: 'X-666', name: XSS } });
  }, 60_000);
  afterEach(async () => {
    await t.stop();
  });

  async function signedIn(role: 'admin' | 'viewer', opts: { width?: number } = {}) {
    const password = await addOperator(t.linka.db.prisma, role === 'admin' ? 'alena' : 'eva', role);
    const page = await chrome.page(opts.width ? { width: opts.width, height: 800 } : {});
    let dialogs = 0;
    page.on('dialog', async (d) => {
      dialogs++;
      await d.dismiss();
    });
    await page.goto(`${t.base}/console/login`);
    await page.fill('#username', role === 'admin' ? 'alena' : 'eva');
    await page.fill('#password', password);
    await Promise.all([page.waitForURL(/\/console\/tickets$/), page.click('button[type=submit]')]);
    return { page, dialogs: () => dialogs };
  }
  const names = (page: Page) => page.$$eval('table.customers tbody tr td:first-child a', (as) => as.map((a) => a.textContent));

  it('the search finds a customer typed as a phone, a name without diacritics or a contract; the list and the customer page pass axe', async () => {
    const { page, dialogs } = await signedIn('viewer');
    await page.goto(`${t.base}/console/customers`);
    await accessible(page, 'customers list');
    // By name, as Czech sorts: the punctuation first.
    expect(await names(page)).toEqual([XSS, 'Jan Novák', 'Zuzana Kováčová']);
    expect(await page.$$('main img')).toHaveLength(0);
    await screenshot(page, 'customers-desktop');

    for (const [typed, expected] of [
      ['00420 603-123-456', ['Jan Novák']],
      ['kovacova', ['Zuzana Kováčová']],
      ['sk-77', ['Zuzana Kováčová']],
      ['<img', [XSS]],
    ] as const) {
      await page.fill('#c-q', typed);
      await Promise.all([page.waitForURL(/\/console\/customers\?q=/), page.press('#c-q', 'Enter')]);
      expect([typed, await names(page)]).toEqual([typed, expected]);
      expect(await page.inputValue('#c-q')).toBe(typed);
    }
    await Promise.all([page.waitForURL(/\/console\/customers\/c/), page.click('table.customers a')]);
    expect(await page.textContent('h1')).toBe(XSS);
    await page.goto(`${t.base}/console/customers?q=novak`);
    await Promise.all([page.waitForURL(/\/console\/customers\/c/), page.click('table.customers a')]);
    expect(await page.textContent('h1')).toBe('Jan Novák');
    expect(await page.textContent('main')).toContain('+420 603 123 456');
    await accessible(page, 'customer page');
    // A viewer has nothing to edit or upload.
    expect(await page.$$('a[href$="/edit"], a[href="/console/customers/import"], main form[method=post]')).toHaveLength(0);
    expect(dialogs()).toBe(0);
  }, 90_000);

  it('at phone width the list and a customer page pass axe and need no sideways scrolling of the page', async () => {
    const { page } = await signedIn('viewer', { width: 375 });
    await page.goto(`${t.base}/console/customers`);
    await accessible(page, 'customers list (phone)');
    await screenshot(page, 'customers-phone');
    const wide = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await wide()).toBeLessThanOrEqual(0);
    await Promise.all([page.waitForURL(/\/console\/customers\/c/), page.click('table.customers a')]);
    await accessible(page, 'customer page (phone)');
    const over = await page.evaluate(() =>
      [...document.querySelectorAll('main *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth)
        .map((e) => `${e.tagName}.${e.className} ${e.getBoundingClientRect().right}`),
    );
    expect(over).toEqual([]);
    expect(await wide()).toBeLessThanOrEqual(0);
    await screenshot(page, 'customer-phone');
  }, 90_000);

  it('an admin edits a customer (an error beside its field first), and uploads a CSV: the preview and the import pass axe', async () => {
    const { page, dialogs } = await signedIn('admin');
    await page.goto(`${t.base}/console/customers?q=novak`);
    await Promise.all([page.waitForURL(/\/console\/customers\/c/), page.click('table.customers a')]);
    await Promise.all([page.waitForURL(/\/edit$/), page.click('a[href$="/edit"]')]);
    await accessible(page, 'edit form');
    await page.fill('#f-phones', '603 123 456, 12345');
    await Promise.all([page.waitForLoadState('load'), page.click('form.edit button[type=submit]')]);
    expect(await page.textContent('#e-phones')).toBe('„12345“ není platné telefonní číslo.');
    expect(await page.getAttribute('#f-phones', 'aria-invalid')).toBe('true');
    await accessible(page, 'edit form with an error');
    await screenshot(page, 'customer-edit-error');
    await page.fill('#f-phones', '603 123 456, 777 000 111');
    await page.fill('#f-area', 'Plzeň-Lochotín');
    await Promise.all([page.waitForURL(/\?saved=1$/), page.click('form.edit button[type=submit]')]);
    expect(await page.textContent('main')).toContain('Změny jsou uložené.');
    expect(await page.textContent('main')).toContain('+420 777 000 111');

    await page.goto(`${t.base}/console/customers`);
    await Promise.all([page.waitForURL(/\/import$/), page.click('a[href="/console/customers/import"]')]);
    await accessible(page, 'upload form');
    // A file larger than the server takes is stopped in the page, before it is sent.
    await page.setInputFiles('#i-file', { name: 'velky.csv', mimeType: 'text/csv', buffer: Buffer.alloc(200 * 1024, 'a') });
    expect(await page.$eval('#i-file', (el) => (el as HTMLInputElement).validationMessage)).toContain('Soubor je příliš velký');
    const csv = [
      'contract_number,name,phones,language,tier,area',
      '2024-0153,Jan Novák,603 123 456|777 000 111,cs,PLUS,Plzeň-Bory',
      'SK-77,Zuzana Kováčová,+421 905 123 456,sk,STANDARD,Petržalka',
      `2025-0001,Marie Nová ${XSS},777 123 456,cs,,Doubravka`,
      '',
    ].join('\n');
    await page.setInputFiles('#i-file', { name: 'zakaznici.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await Promise.all([page.waitForLoadState('load'), page.click('form.upload button[type=submit]')]);
    expect(await page.textContent('h1')).toBe('Náhled importu');
    expect(await page.textContent('.counts')).toBe('Noví zákazníci: 1 · Změny: 1 · Beze změny: 1 · Řádky s chybou: 0');
    expect(await page.textContent('table.changed')).toContain('Plzeň-Lochotín');
    expect(await page.$$('main img')).toHaveLength(0);
    await accessible(page, 'import preview');
    await screenshot(page, 'customers-import-preview');
    await Promise.all([page.waitForURL(/\/console\/customers\/import\?created=1/), page.click('form.apply button[type=submit]')]);
    expect(await page.textContent('main')).toContain('Import je hotový. Noví zákazníci: 1 · Změny: 1 · Beze změny: 1.');
    await accessible(page, 'import done');
    expect(await t.linka.db.prisma.customer.findUnique({ where: { contractNumber: '2025-0001' } })).toMatchObject({ name: `Marie Nová ${XSS}` });
    expect(await t.linka.db.prisma.customer.findUnique({ where: { contractNumber: '2024-0153' } })).toMatchObject({ area: 'Plzeň-Bory' });
    expect(dialogs()).toBe(0);
  }, 90_000);
});
