// A real headless Chromium for the console's browser tests: Debian's `chromium` driven by
// playwright-core (which never downloads a browser of its own), launched with the flags that
// keep it off every network but loopback, a fresh profile per launch; axe-core run inside the
// page for the accessibility check; screenshots under test-results/ (not committed).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the run's screenshots go (git ignores it). */
export const SCREENSHOTS = path.join(root, 'test-results', 'screenshots');

/** The Chromium executable: `LINKA_CHROMIUM`, else `chromium` (Debian) or `chromium-browser` on the PATH; null when none. */
export function chromiumPath(): string | null {
  const given = process.env.LINKA_CHROMIUM;
  if (given) return existsSync(given) ? given : null;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      /* not on the PATH */
    }
  }
  return null;
}

/**
 * Whether the browser suites can run. Under CI they must (`.ci/run` installs Debian's chromium
 * when it is missing): a missing browser fails them instead of skipping.
 */
export function browserAvailable(): boolean {
  const found = chromiumPath() !== null;
  if (!found && process.env.CI) throw new Error('Chromium is not installed (apt-get install chromium): the console browser tests must run under CI');
  return found;
}

/** The flags of shared/notes/browser-and-mail.md: headless, no sandbox as root, no background networking. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface TestBrowser {
  browser: Browser;
  /** A new page in a fresh context (its own cookies) at `width` x `height`. */
  page(opts?: { width?: number; height?: number }): Promise<Page>;
  close(): Promise<void>;
}

/** Launches Debian's Chromium; playwright gives each launch a fresh, empty profile of its own. */
export async function launchBrowser(): Promise<TestBrowser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('no Chromium: install Debian\'s "chromium" package or set LINKA_CHROMIUM');
  const browser = await chromium.launch({ executablePath, args: FLAGS, headless: true });
  return {
    browser,
    async page(opts = {}) {
      const ctx = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 } });
      return ctx.newPage();
    },
    async close() {
      await browser.close();
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One accessibility violation as axe-core reports it. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * Runs axe-core in the page (evaluated through the DevTools protocol, so the page's strict
 * Content-Security-Policy does not need loosening) and returns the serious and critical violations.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const result = (await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  })) as AxeViolation[];
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Saves a screenshot of the whole page (or only what the screen shows) under test-results/screenshots/NAME.png. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? true });
  return file;
}

/** Whether a canvas in the page has any pixel drawn (a chart that drew). */
export async function canvasDrawn(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (el) => {
    const canvas = el as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0 || canvas.height === 0) return false;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < data.length; i += 4) if ((data[i] as number) !== 0) return true;
    return false;
  });
}

/** Fails on any serious or critical accessibility violation on the page, naming them and `what` was checked. */
export async function accessible(page: Page, what: string): Promise<void> {
  const found = await seriousViolations(page);
  expect(found.map((v) => `${what}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Signs in through the console's login form, as a person would, and waits for the page that answers. */
export async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/console/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
}
