// The console's outages and statements pages in a real headless Chromium (Debian's chromium
// through playwright-core, test/helpers/browser.ts) against a real Linka with Telegram and SMS
// on: an admin declares an outage through the form, sees the preview's numbers, declares, and
// exactly that many notices are queued; axe-core finds no serious or critical violation on the
// list, the form, the preview and the statements page; the form fits a phone's width.
// Screenshots go to test-results/screenshots (not committed).
import { parse as parseYaml } from 'yaml';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramFake } from './fakes/telegram-fake.js';
import { startTwilioFake } from './fakes/twilio-fake.js';
import { accessible, signIn, browserAvailable, launchBrowser, screenshot, type TestBrowser } from './helpers/browser.js';
import { addOperator } from './helpers/console-client.js';
import { seedCustomers } from './helpers/harness.js';
import { startTestLinka } from './helpers/linka.js';
import { seedStatementFixture, STATEMENT_CONFIG } from './fixtures/statement-fixture.js';

const HAS_BROWSER = browserAvailable();
const SID = `AC${'8'.repeat(32)}`;

describe.skipIf(!HAS_BROWSER)('the outages and statements pages in Chromium', () => {
  let chrome: TestBrowser;
  beforeAll(async () => {
    chrome = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
  });

  /** Whether the page is no wider than its window (nothing to scroll sideways but the tables' own boxes). */
  const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('an admin fills in the declare form, sees who will be told, declares, and exactly that many notices are queued', async () => {
    const telegram = await startTelegramFake();
    const twilio = await startTwilioFake(SID);
    const t = await startTestLinka({
      env: {
        TELEGRAM_BOT_TOKEN: '123456:TEST',
        TELEGRAM_WEBHOOK_SECRET: 'tg-secret',
        TELEGRAM_API_ROOT: telegram.url,
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: 'twilio-token',
        TWILIO_FROM: '+420700800900',
        TWILIO_API_URL: twilio.url,
        PUBLIC_URL: 'http://127.0.0.1',
      },
    });
    try {
      const prisma = t.linka.db.prisma;
      await seedCustomers(t.linka.db); // Jan: Plzeň-Bory, SMS; Zuzana: Petržalka
      await prisma.customer.create({
        data: { contractNumber: 'EN-1', name: 'John Smith', language: 'en', area: 'Plzeň-Doubravka', telegramId: '5005' },
      });
      await prisma.customer.create({
        data: {
          contractNumber: '2024-0300',
          name: 'Eva Malá',
          language: 'cs',
          area: 'Plzeň-Bory',
          accessPoint: 'AP-Bory-1',
          phones: { create: [{ e164: '+420603777888' }] },
        },
      });
      const password = await addOperator(prisma, 'alena', 'admin');
      const page = await chrome.page({ width: 1280, height: 800 });
      await signIn(page, t.base, 'alena', password);

      await page.goto(`${t.base}/console/outages`);
      expect(await page.textContent('main')).toContain('Žádný výpadek právě neprobíhá.');
      await accessible(page, 'outages list (empty)');
      await Promise.all([page.waitForURL(/\/console\/outages\/new$/), page.click('a[href="/console/outages/new"]')]);
      await accessible(page, 'declare form');
      await screenshot(page, 'outage-form-desktop');

      await page.fill('#o-title', 'Plzeň – výpadek páteře');
      await page.getByLabel('Plzeň-Bory (zákazníků: 2)').check();
      await page.fill('#o-more', 'Plzeň-Doubravka');
      expect(await page.isChecked('#o-s-internet')).toBe(true);
      await page.getByLabel('Telefon (VoIP)').check();
      await page.fill('#o-eta', '2026-11-23T14:00');
      await page.fill('#o-t-cs', 'Opravujeme přerušený kabel.\nDěkujeme za trpělivost.');
      await Promise.all([page.waitForURL(/\/console\/outages\/preview$/), page.click('button:has-text("Zobrazit náhled")')]);

      const expected = await t.linka.runtime.outages.preview({
        title: 'Plzeň – výpadek páteře',
        areas: ['Plzeň-Bory', 'Plzeň-Doubravka'],
        services: ['internet', 'voip'],
        estimatedEndAt: new Date('2026-11-23T13:00:00Z'),
        texts: { cs: 'Opravujeme přerušený kabel.\nDěkujeme za trpělivost.' },
      });
      // Jan and Eva by SMS, John on Telegram.
      expect(expected).toMatchObject({ customers: 3, byChannel: { sms: 2, telegram: 1 } });
      expect(await page.textContent('.preview-line')).toBe(
        `Zákazníků, kterým přijde upozornění: 3 (Telegram: 1, SMS: 2; účtovaných segmentů SMS: přibližně ${expected.smsSegments}).`,
      );
      expect(await prisma.outage.count()).toBe(0);
      await accessible(page, 'preview');
      await screenshot(page, 'outage-preview-desktop');
      // The edit form below keeps what was entered.
      expect(await page.inputValue('#o-title')).toBe('Plzeň – výpadek páteře');
      expect(await page.isChecked('#o-s-voip')).toBe(true);

      await Promise.all([page.waitForURL(/\/console\/outages\/[^/]+\?done=declared$/), page.click('button:has-text("Ohlásit výpadek a upozornit zákazníky")')]);
      expect(await page.textContent('[role=status]')).toContain('Výpadek je ohlášený');
      const outage = await prisma.outage.findFirstOrThrow();
      expect(outage).toMatchObject({
        title: 'Plzeň – výpadek páteře',
        areas: ['Plzeň-Bory', 'Plzeň-Doubravka'],
        services: ['internet', 'voip'],
        source: 'console',
      });
      expect(outage.texts).toEqual({ cs: 'Opravujeme přerušený kabel.\nDěkujeme za trpělivost.' });
      const queued = await prisma.outboxItem.findMany({ where: { kind: 'reply' } });
      expect(queued).toHaveLength(expected.customers);
      expect(await prisma.outageNotice.count({ where: { outageId: outage.id, NOT: { recipient: 'channels' } } })).toBe(expected.customers);
      await accessible(page, 'outage page');

      await page.goto(`${t.base}/console/outages`);
      expect(await page.textContent('main table')).toContain('Plzeň – výpadek páteře');
      await accessible(page, 'outages list');
      await page.goto(`${t.base}/console/maintenance/new`);
      await accessible(page, 'maintenance form');

      // At a phone's width the form is readable: nothing wider than the screen.
      const phone = await chrome.page({ width: 375, height: 812 });
      await signIn(phone, t.base, 'alena', password);
      await phone.goto(`${t.base}/console/outages/new`);
      expect(await fitsWidth(phone)).toBe(true);
      await screenshot(phone, 'outage-form-phone');
      await accessible(phone, 'declare form (phone)');
      await phone.goto(`${t.base}/console/outages`);
      expect(await fitsWidth(phone)).toBe(true);
    } finally {
      await t.stop();
      await telegram.close();
      await twilio.close();
    }
  }, 120_000);

  it("the statements page passes axe and fits a phone; its CSV link downloads the month's statement", async () => {
    const config = { ...(parseYaml(STATEMENT_CONFIG) as object), company: { name: 'Test ISP', helpdeskPhone: '+420 377 000 000' } };
    const t = await startTestLinka({ config });
    try {
      await seedStatementFixture(t.linka.db.prisma);
      const password = await addOperator(t.linka.db.prisma, 'alena', 'admin');
      const page = await chrome.page();
      await signIn(page, t.base, 'alena', password);
      await page.goto(`${t.base}/console/statements`);
      // Last month (October) by default; November chosen in the form.
      expect(await page.inputValue('#s-month')).toBe('2026-10');
      await page.fill('#s-month', '2026-11');
      await page.selectOption('#s-customer', '2025-0042');
      await Promise.all([page.waitForURL(/month=2026-11&customer=2025-0042/), page.click('button:has-text("Zobrazit")')]);
      expect(await page.textContent('section.statement h2')).toBe('2025-0042 · Kovář, s.r.o.');
      await accessible(page, 'statements');
      await screenshot(page, 'statements-desktop');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Stáhnout CSV")')]);
      expect(download.suggestedFilename()).toBe('statement-2026-11-2025-0042.csv');

      await page.goto(`${t.base}/console/statements?month=2026-11`);
      await accessible(page, 'statements (all customers)');
      const phone = await chrome.page({ width: 375, height: 812 });
      await signIn(phone, t.base, 'alena', password);
      await phone.goto(`${t.base}/console/statements?month=2026-11`);
      expect(await fitsWidth(phone)).toBe(true);
      await screenshot(phone, 'statements-phone');
    } finally {
      await t.stop();
    }
  }, 120_000);
});
