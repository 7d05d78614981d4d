/**
 * The operator console (docs/console.md): a Hono app for every path under /console, served
 * from the same node:http server as the webhooks (src/server/http.ts hands these requests over).
 * Security headers and a strict Content-Security-Policy on every answer; sign-in, CSRF and the
 * role guard in auth.ts.
 */
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../observability/logger.js';
import type { LinkaConfig } from '../config/schema.js';
import type { Maintenances } from '../services/maintenance.js';
import type { Outages } from '../services/outages.js';
import type { Queue } from '../services/queue.js';
import { isDatabaseUnavailable } from '../store/availability.js';
import type { PrismaClient } from '../store/types.js';
import { ASSETS } from './assets.js';
import { type AuthSettings, checkCsrf, type ConsoleEnv, currentSession, langOf, requireSession } from './auth.js';
import { messagePage } from './layout.js';
import { maintenancePages } from './maintenance.js';
import { outagePages } from './outages.js';
import { signInRoutes } from './sign-in.js';
import { customerEdit } from './customer-edit.js';
import { customerImport, sizeText } from './customer-import.js';
import { customerPages } from './customers.js';
import { dashboardPages } from './dashboard.js';
import { statementPages } from './statements.js';
import { ticketActions } from './ticket-actions.js';
import { ticketPages } from './tickets.js';
import { attachmentRoutes } from './attachments.js';
import { userPages } from './users.js';
import { ct } from './texts.js';

export interface ConsoleDeps {
  prisma: PrismaClient;
  clock: () => Date;
  log: Logger;
  queue: Queue;
  outages: Outages;
  maintenance: Maintenances;
  config: LinkaConfig;
  /** The customer channels that are on (Telegram, SMS): who can be told what. */
  customerChannels: readonly string[];
  timezone: string;
  idleMinutes: number;
  sessionHours: number;
  publicUrl: string | null;
  bodyLimitBytes: number;
  /** How often a live ticket page looks for new messages (default 1 s). */
  pollMs?: number;
}

export interface ConsoleApp {
  /** The node:http listener for requests under /console. */
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  /** Ends the live streams (server-sent events), so the server can close. */
  stop(): void;
  /** The answer to a body declared larger than the limit, which the server gives before the console sees the request: a page, not the API's JSON. */
  tooLarge(): { status: number; headers: Record<string, string>; body: string };
}

/** The Content-Security-Policy: nothing inline, nothing from elsewhere. */
export const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  baseUri: ["'none'"],
};

/** The Content-Security-Policy header's value. */
export function cspHeader(): string {
  const kebab = (name: string) => name.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
  return Object.entries(CSP)
    .map(([k, v]) => `${kebab(k)} ${v.join(' ')}`)
    .join('; ');
}

/** The page a too large request gets (413): before sign-in is checked, so in Czech, the console's first language. */
function tooLargePage(limit: number): string {
  const markup = messagePage('cs', ct('cs', 'customers.tooLarge.title'), ct('cs', 'customers.tooLarge', { size: sizeText(limit, 'cs') }));
  return String(markup);
}

export function createConsoleApp(deps: ConsoleDeps): ConsoleApp {
  const stopping = new AbortController();
  const auth: AuthSettings = {
    prisma: deps.prisma,
    clock: deps.clock,
    idleMinutes: deps.idleMinutes,
    sessionHours: deps.sessionHours,
    publicUrl: deps.publicUrl,
  };
  const app = new Hono<ConsoleEnv>().basePath('/console');

  app.use(secureHeaders({ contentSecurityPolicy: CSP, referrerPolicy: 'same-origin', crossOriginEmbedderPolicy: false }));
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    // How long the server took (the browser's developer tools and bench/console.ts read it).
    c.header('server-timing', `app;dur=${(performance.now() - started).toFixed(1)}`);
    // Pages hold customers' data: never kept by shared caches or the browser's back-forward store.
    if (!c.req.path.startsWith('/console/assets/')) c.header('cache-control', 'no-store');
  });
  app.use(
    bodyLimit({
      maxSize: deps.bodyLimitBytes,
      onError: (c) => c.html(tooLargePage(deps.bodyLimitBytes), 413),
    }),
  );

  app.get('/assets/:name', (c) => {
    const asset = ASSETS[c.req.param('name')];
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=31536000, immutable' });
  });

  app.get('/', async (c) => c.redirect((await currentSession(c, auth)) ? '/console/tickets' : '/console/login', 302));
  signInRoutes(app, auth);

  // Everything else is behind sign-in, and every POST carries the session's CSRF token (the
  // handlers above answered their own paths, so these run for the pages below only).
  app.use('*', requireSession(auth));
  app.use('*', checkCsrf(auth));
  dashboardPages(app, { ...auth, config: deps.config });
  ticketPages(app, { ...auth, timezone: deps.timezone });
  attachmentRoutes(app, auth);
  // The upload's paths before the customer page's /customers/:key, which would take "import" for a key.
  customerImport(app, { ...auth, config: deps.config, bodyLimitBytes: deps.bodyLimitBytes });
  customerEdit(app, { ...auth, config: deps.config });
  customerPages(app, { ...auth, timezone: deps.timezone, config: deps.config, customerChannels: deps.customerChannels });
  userPages(app, auth);
  ticketActions(app, { ...auth, queue: deps.queue, timezone: deps.timezone, pollMs: deps.pollMs, stopping: stopping.signal });
  outagePages(app, { ...auth, outages: deps.outages, maintenance: deps.maintenance, timezone: deps.timezone, customerChannels: deps.customerChannels });
  maintenancePages(app, { ...auth, maintenance: deps.maintenance, timezone: deps.timezone });
  statementPages(app, { ...auth, config: deps.config });

  app.notFound((c) => c.html(messagePage(langOf(c.get('user')), ct('cs', 'error.notFound.title'), ct(langOf(c.get('user')), 'error.notFound')), 404));
  app.onError((err, c) => {
    const lang = langOf(c.get('user'));
    if (isDatabaseUnavailable(err)) {
      deps.log.warn({ err: err.message, path: c.req.path }, 'console request refused: the database is unavailable');
      c.header('retry-after', '5');
      return c.html(messagePage(lang, ct(lang, 'error.internal'), ct(lang, 'error.unavailable')), 503);
    }
    deps.log.error({ err: err.message, path: c.req.path }, 'console request failed');
    return c.html(messagePage(lang, ct(lang, 'error.internal'), ct(lang, 'error.internal')), 500);
  });

  const listener = getRequestListener((req, env) => app.fetch(req, env as HttpBindings));
  const tooLarge = tooLargePage(deps.bodyLimitBytes);
  return {
    listener: (req, res) => void listener(req, res),
    stop: () => stopping.abort(),
    tooLarge: () => ({
      status: 413,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': cspHeader(),
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'same-origin',
        'cache-control': 'no-store',
      },
      body: tooLarge,
    }),
  };
}
