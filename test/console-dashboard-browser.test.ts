// The dashboard in a real headless Chromium (issue 17, "What must be shown"): with a month of
// seeded history, its charts draw (non-blank canvases, Chart.js served by Linka under the strict
// CSP, no script error) and show exactly the seeded numbers; axe-core finds no serious or
// critical violation; screenshots at desktop and phone widths go to test-results/screenshots.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessible, browserAvailable, canvasDrawn, signIn, launchBrowser, screenshot, seriousViolations, type TestBrowser } from './helpers/browser.js';
import { addOperator } from './helpers/console-client.js';
import { seedCustomers } from './helpers/harness.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';

const HAS_BROWSER = browserAvailable();
const at = (iso: string) => new Date(iso);

/** Six sessions in November (3 solved by the checklist, 2 tickets, 1 abandoned) and three tickets, two resolved and rated 4 and 5. */
async function seedMonth(t: TestLinka): Promise<void> {
  const prisma = t.linka.db.prisma;
  await seedCustomers(t.linka.db);
  const jan = await prisma.customer.findUniqueOrThrow({ where: { contractNumber: '2024-0153' } });
  const outcomes = ['resolved_by_customer', 'resolved_by_customer', 'resolved_by_customer', 'ticket_opened', 'ticket_opened', 'abandoned'];
  for (const [i, outcome] of outcomes.entries()) {
    const started = at(`2026-11-${String(10 + i).padStart(2, '0')}T08:00:00Z`);
    await prisma.conversation.create({
      data: {
        id: `telegram:${9000 + i}`,
        channel: 'telegram',
        customerId: jan.id,
        flow: 'main',
        step: 'done',
        flowVersion: 1,
        state: {},
        sessionStartedAt: started,
        messages: {
          create: [
            { direction: 'in', channel: 'telegram', kind: 'text', text: 'Dobrý den', opensSession: true, createdAt: started },
            { direction: 'system', channel: 'telegram', kind: 'system', text: outcome, outcome, createdAt: new Date(started.getTime() + 600_000) },
          ],
        },
      },
    });
  }
  const ticket = (n: number, created: string, extra: object = {}) =>
    prisma.ticket.create({
      data: { number: `T-2026-0000${n}`, customerId: jan.id, category: 'internet', answers: {}, summary: 'Nejde internet', createdAt: at(created), ...extra },
    });
  await ticket(1, '2026-11-13T08:10:00Z', {
    status: 'resolved',
    firstReactionAt: at('2026-11-13T08:40:00Z'),
    resolvedAt: at('2026-11-13T10:00:00Z'),
    satisfaction: 4,
  });
  await ticket(2, '2026-11-14T08:10:00Z', {
    status: 'resolved',
    firstReactionAt: at('2026-11-14T09:10:00Z'),
    resolvedAt: at('2026-11-16T09:00:00Z'),
    satisfaction: 5,
  });
  await ticket(3, '2026-11-16T12:00:00Z');
}

describe.skipIf(!HAS_BROWSER)('the dashboard in Chromium', () => {
  let chrome: TestBrowser;
  let t: TestLinka;
  beforeAll(async () => {
    chrome = await launchBrowser();
    t = await startTestLinka();
    await seedMonth(t);
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    await chrome?.close();
  });

  async function dashboard(width: number, height: number): Promise<{ page: Page; errors: string[] }> {
    const password = await addOperator(t.linka.db.prisma, `viewer${width}`, 'viewer');
    const page = await chrome.page({ width, height });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`);
    });
    await signIn(page, t.base, `viewer${width}`, password);
    await page.goto(`${t.base}/console/dashboard?period=month`);
    await page.waitForFunction(() => document.querySelectorAll('canvas').length === 3 && [...document.querySelectorAll('canvas')].every((c) => c.width > 0));
    return { page, errors };
  }

  /** What Chart.js drew from: each chart's labels and datasets. */
  const chartData = (page: Page, id: string) =>
    page.evaluate((canvasId) => {
      const chart = (
        globalThis as unknown as { Chart: { getChart(el: Element): { data: { labels: string[]; datasets: Array<{ label: string; data: number[] }> } } } }
      ).Chart.getChart(document.getElementById(canvasId) as Element);
      return { labels: chart.data.labels, datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })) };
    }, id);

  it('draws its charts from the seeded month, with the numbers seeded, accessibly, at desktop and phone widths', async () => {
    const { page, errors } = await dashboard(1280, 900);
    for (const id of ['chart-outcomes', 'chart-tickets', 'chart-satisfaction']) expect(await canvasDrawn(page, `#${id}`), id).toBe(true);
    expect(await chartData(page, 'chart-outcomes')).toEqual({
      labels: ['Vyřešeno kontrolním postupem', 'Založen požadavek', 'Zodpovězena častá otázka', 'Nedokončeno'],
      datasets: [{ label: 'Konverzace', data: [3, 2, 0, 1] }],
    });
    const tickets = await chartData(page, 'chart-tickets');
    expect(tickets.labels).toHaveLength(30);
    expect(tickets.datasets.map((d) => d.label)).toEqual(['Založené', 'Vyřešené']);
    const day = (label: string) => tickets.labels.indexOf(label);
    expect([day('13. 11.'), day('14. 11.'), day('16. 11.')].map((i) => tickets.datasets.map((d) => d.data[i]))).toEqual([
      [1, 1],
      [1, 0],
      [1, 1],
    ]);
    expect(tickets.datasets.map((d) => d.data.reduce((a, b) => a + b, 0))).toEqual([3, 2]);
    expect((await chartData(page, 'chart-satisfaction')).datasets[0]?.data).toEqual([0, 0, 0, 1, 1]);
    // The figures beside them.
    const tile = (id: string) => page.textContent(`[data-figure="${id}"] .big`);
    expect(await tile('sessions')).toBe('6');
    expect(await tile('checklistShare')).toBe('60 %');
    expect(await tile('ticketsOpened')).toBe('3 / 2');
    expect(await tile('medianReaction')).toBe('45 min'); // 30 and 60 minutes
    expect(await tile('satisfaction')).toBe('4,5 / 5');
    expect(errors).toEqual([]);
    await accessible(page, 'dashboard');
    await screenshot(page, 'dashboard-desktop');

    const phone = await dashboard(375, 812);
    expect(await canvasDrawn(phone.page, '#chart-outcomes')).toBe(true);
    // Nothing wider than the screen: the page does not scroll sideways on a phone.
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(phone.errors).toEqual([]);
    await screenshot(phone.page, 'dashboard-phone');
  }, 90_000);

  it('the accounts pages pass axe at desktop and phone widths, and an admin adds a user in the browser', async () => {
    const password = await addOperator(t.linka.db.prisma, 'eva', 'admin', { displayName: 'Eva Malá' });
    for (const [width, height] of [
      [1280, 900],
      [375, 812],
    ] as const) {
      const page = await chrome.page({ width, height });
      await signIn(page, t.base, 'eva', password);
      for (const path of ['/console/users', '/console/me']) {
        await page.goto(`${t.base}${path}`);
        await accessible(page, `${path} at ${width}px`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} at ${width}px`).toBeLessThanOrEqual(width);
      }
      if (width === 1280) {
        await page.goto(`${t.base}/console/users`);
        await page.fill('#n-username', 'petr');
        await page.fill('#n-name', 'Petr Novotný');
        await page.selectOption('#n-role', 'technician');
        await Promise.all([page.waitForLoadState('load'), page.click('form[action="/console/users"] button[type=submit]')]);
        expect(await page.textContent('[role=status]')).toContain('Uživatel petr byl vytvořen.');
        const shown = await page.textContent('code.secret');
        expect(shown).toMatch(/^\S{20}$/);
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, 'users-desktop');
      }
    }
  }, 90_000);
});
