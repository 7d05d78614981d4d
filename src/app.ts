/**
 * The composition root of `linka serve`: config, database (migrated), runtime,
 * HTTP routes, workers; and a clean stop on SIGTERM.
 */
import type { LinkaConfig } from './config/schema.js';
import { cliName, readServerEnv } from './config/env.js';
import { apiRoutes } from './server/api/index.js';
import { createConsoleApp } from './console/app.js';
import { announceFirstRun } from './console/first-run.js';
import { loadChannels } from './channels.js';
import { startScheduler } from './jobs/scheduler.js';
import { createHttpServer, json, type HttpServer } from './server/http.js';
import { createConsoleLogger, logFormatFor, type Logger } from './observability/logger.js';
import { guardFlood } from './runtime/flood.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { recordDelivery } from './runtime/delivery-status.js';
import type { Lang } from './shared/lang.js';
import type { DispatchResult, InboundEnvelope } from './runtime/dispatch.js';
import type { AdapterDeps, MailInbox } from './runtime/ports.js';
import { createMailInbox } from './runtime/mail-inbox.js';
import type { Outages } from './services/outages.js';
import type { Queue } from './services/queue.js';
import { rateRules, separateStatusChannels } from './runtime/rate-limit.js';
import { createRuntime, type Runtime } from './runtime/create-runtime.js';
import { isDatabaseUnavailable } from './store/availability.js';
import { databaseAnswers, defaultDatabaseUrl, openDatabase, type Db } from './store/client.js';
import { forgetProcessed, markProcessed } from './store/inbound.js';
import { applyMigrations } from './store/migrate.js';
import { outboxDepth, releaseLeases as releaseOutboxLeases } from './store/outbox.js';
import { ticketOfThread } from './store/team-threads.js';
import { releaseLeases as releaseTimerLeases } from './store/timers.js';
import type { PrismaClient } from './store/types.js';

export interface Linka {
  db: Db;
  runtime: Runtime;
  http: HttpServer;
  metrics: Metrics;
  log: Logger;
  /** The address the server listens on. */
  address: { host: string; port: number };
  /** Channels that are on (their secrets are set). */
  channels: string[];
  /** What the adapters' routes were given (tests drive an adapter's handlers with it). */
  adapterDeps: AdapterDeps;
  stop(): Promise<void>;
}

/**
 * The ports the adapters act through (src/runtime/ports.ts), on the database: adapters get
 * these, never `prisma`.
 */
export function createAdapterDeps(a: {
  prisma: PrismaClient;
  dispatch: (env: InboundEnvelope) => Promise<DispatchResult>;
  log: Logger;
  metrics?: Metrics;
  clock: () => Date;
  queue: Queue;
  outages: Outages;
  /** The language of the history's system lines (config teamLanguage). */
  teamLanguage: Lang;
  /** The support mailbox's handling (when e-mail is on). */
  mailInbox?: MailInbox;
}): AdapterDeps {
  const { prisma, log, metrics, clock, teamLanguage } = a;
  return {
    ...(a.mailInbox ? { mailInbox: a.mailInbox } : {}),
    dispatch: a.dispatch,
    log,
    metrics,
    clock,
    queue: a.queue,
    outages: a.outages,
    inbound: {
      markProcessed: (id) => markProcessed(prisma, id),
      forgetProcessed: (id) => forgetProcessed(prisma, id),
    },
    teamThreads: { ticketOfThread: (platform, thread) => ticketOfThread(prisma, platform, thread) },
    deliveries: { record: (report, policy) => recordDelivery({ prisma, clock, log, metrics, teamLanguage, ...policy }, report) },
    isUnavailable: isDatabaseUnavailable,
  };
}

/** How long stopping waits for the database connections to close. */
const DB_CLOSE_TIMEOUT_MS = 5000;

export async function startLinka(opts: { config: LinkaConfig; env?: NodeJS.ProcessEnv; log?: Logger; clock?: () => Date }): Promise<Linka> {
  const { config } = opts;
  const env = readServerEnv(opts.env ?? process.env);
  const log = opts.log ?? (await createConsoleLogger(config.log.level, logFormatFor(env.logFormat, Boolean(process.stdout.isTTY))));
  const url = env.databaseUrl ?? defaultDatabaseUrl();
  const migrated = await applyMigrations(url);
  if (migrated.applied.length) log.info({ migrations: migrated.applied }, 'database migrated');
  const db = await openDatabase(url);
  const metrics = createMetrics(() => outboxDepth(db.prisma));
  const setup = await loadChannels(opts.env ?? process.env, config, log, metrics);
  const mailPort = setup.adapters.find((a) => a.mail)?.mail ?? null;
  const runtime = createRuntime({
    prisma: db.prisma,
    config,
    log,
    metrics,
    clock: opts.clock,
    ports: setup.adapters.flatMap((a) => (a.port ? [a.port] : [])),
    teamPorts: setup.adapters.flatMap((a) => (a.team ? [a.team] : [])),
    mail: mailPort,
    mailbox: setup.status.mailbox === 'on',
    rateLimits: rateRules(config.rateLimits, separateStatusChannels(config)),
  });
  const http = createHttpServer({ log, metrics, bodyLimitBytes: config.server.bodyLimitBytes });

  http.add(
    {
      method: 'GET',
      path: '/healthz',
      handler: async () => ((await databaseAnswers(db)) ? json(200, { status: 'ok', database: 'up' }) : json(503, { status: 'unavailable', database: 'down' })),
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: async () => ({ status: 200, headers: { 'content-type': metrics.registry.contentType }, body: await metrics.registry.metrics() }),
    },
  );

  // The webhooks' dispatcher, behind the per-sender flood limit every customer channel shares.
  const dispatch = guardFlood({
    dispatch: runtime.dispatch,
    prisma: db.prisma,
    clock: runtime.dispatchDeps.clock,
    config,
    log,
    metrics,
    onQueued: runtime.dispatchDeps.onQueued,
  });
  const adapterDeps = createAdapterDeps({
    dispatch,
    prisma: db.prisma,
    log,
    metrics,
    clock: runtime.dispatchDeps.clock,
    queue: runtime.queue,
    outages: runtime.outages,
    teamLanguage: config.teamLanguage,
    // The support mailbox (docs/email.md, "Receiving"): read by the e-mail adapter when IMAP_URL is set.
    mailInbox: mailPort
      ? createMailInbox({
          prisma: db.prisma,
          dispatch,
          clock: runtime.dispatchDeps.clock,
          log,
          ownAddress: mailPort.address,
          ticketPrefix: config.tickets.prefix,
          perSenderPerHour: config.mail.perSenderPerHour,
          maxAttachmentBytes: config.mail.maxAttachmentBytes,
          teamLanguage: config.teamLanguage,
          teamPlatforms: runtime.dispatchDeps.teamPlatforms,
          publicUrl: env.publicUrl,
        })
      : undefined,
  });
  for (const adapter of setup.adapters) http.add(...adapter.routes(adapterDeps));

  // The outage API and the Alertmanager webhook (src/api), behind LINKA_API_TOKEN.
  const api = apiRoutes({
    env: opts.env ?? process.env,
    config,
    outages: runtime.outages,
    log,
    prisma: db.prisma,
    clock: runtime.dispatchDeps.clock,
    customerChannels: [...runtime.ports.keys()],
    onQueued: runtime.dispatchDeps.onQueued,
  });
  http.add(...api.routes);

  // The operator console (src/console, docs/console.md): every path under /console.
  const consoleApp = createConsoleApp({
    prisma: db.prisma,
    clock: runtime.dispatchDeps.clock,
    log,
    queue: runtime.queue,
    outages: runtime.outages,
    maintenance: runtime.maintenance,
    config,
    customerChannels: [...runtime.ports.keys()],
    timezone: config.timezone,
    idleMinutes: config.console.idleMinutes,
    sessionHours: config.console.sessionHours,
    publicUrl: env.publicUrl,
    bodyLimitBytes: config.server.bodyLimitBytes,
  });
  http.mount('/console', consoleApp.listener, { tooLarge: consoleApp.tooLarge });
  const channels = Object.entries(setup.status)
    .filter(([, s]) => s === 'on')
    .map(([name]) => name);
  await new Promise<void>((resolve, reject) => {
    http.server.once('error', reject);
    http.server.listen(env.port, env.host, () => resolve());
  });
  const addr = http.server.address();
  const address = typeof addr === 'object' && addr ? { host: addr.address, port: addr.port } : { host: env.host, port: env.port };
  runtime.start();
  // What adapters read on their own (the support mailbox over IMAP) starts with the workers.
  for (const adapter of setup.adapters) adapter.start?.(adapterDeps);
  // No admin yet: the one-time link to create the first one, in the log (docs/console.md, "First run").
  await announceFirstRun({ prisma: db.prisma, clock: runtime.dispatchDeps.clock, log, baseUrl: env.publicUrl ?? `http://${env.host}:${address.port}` });
  const scheduler = startScheduler(
    config,
    {
      prisma: db.prisma,
      owner: runtime.owner,
      clock: runtime.dispatchDeps.clock,
      teamPlatforms: runtime.dispatchDeps.teamPlatforms,
      teamLanguage: config.teamLanguage,
      onQueued: runtime.dispatchDeps.onQueued,
      metrics,
      customerChannels: [...runtime.ports.keys()],
      mailbox: setup.status.mailbox === 'on',
    },
    log,
  );
  // Without a helpdesk number, the texts that offer one leave that sentence out: say so once,
  // while customers can write in (src/messages/index.ts, helpdeskParams).
  if (!config.company.helpdeskPhone && runtime.ports.size > 0)
    log.warn(
      { customerChannels: [...runtime.ports.keys()] },
      'company.helpdeskPhone is not set: customers are offered no number to call when a human should take over (see linka.config.example.yaml)',
    );
  log.info(
    {
      host: address.host,
      port: address.port,
      runs: process.env.LINKA_RUNS ?? 'source',
      owner: runtime.owner,
      provider: db.provider,
      channels: channels.length ? channels : [`none (try \`${cliName(opts.env ?? process.env)} shell\`)`],
      channelStatus: setup.status,
      api: api.status,
    },
    'linka is serving',
  );

  let stopping: Promise<void> | null = null;
  return {
    db,
    runtime,
    http,
    metrics,
    log,
    address,
    channels,
    adapterDeps,
    stop() {
      stopping ??= (async () => {
        // New requests get 503 while those in flight, the workers' ticks and the jobs finish;
        // then the leases this process holds are given back, so another process takes them at
        // once. At the deadline it stops anyway (the leases left then expire by themselves).
        // The deadline's timer keeps the process alive: a step that never settles (and holds
        // nothing else open) must end in "shutdown timed out", not in a silent exit.
        let timedOut = false;
        let deadlineTimer: NodeJS.Timeout | undefined;
        const deadline = new Promise<void>((resolve) => {
          deadlineTimer = setTimeout(() => {
            timedOut = true;
            resolve();
          }, config.server.shutdownTimeoutMs);
        });
        const drained = (async () => {
          consoleApp.stop();
          await Promise.all([http.close(), runtime.stop(), scheduler.stop(), ...setup.adapters.map((adapter) => adapter.stop?.())]);
          const released = { outbox: await releaseOutboxLeases(db.prisma, runtime.owner), timers: await releaseTimerLeases(db.prisma, runtime.owner) };
          log.info({ owner: runtime.owner, released }, 'stopped; leases released');
        })();
        await Promise.race([drained.catch((err: unknown) => log.error({ err: String(err) }, 'shutdown step failed')), deadline]);
        clearTimeout(deadlineTimer);
        if (timedOut) log.warn({ timeoutMs: config.server.shutdownTimeoutMs }, 'shutdown timed out; the leases still held expire by themselves');
        // Closing waits for the driver's connections; one stuck on a database that went away must
        // not keep the process from exiting (the server closes it on its side).
        let closeTimer: NodeJS.Timeout | undefined;
        const closed = await Promise.race([
          db.close().then(
            () => true,
            (err: unknown) => {
              log.error({ err: String(err) }, 'closing the database failed');
              return true;
            },
          ),
          new Promise<boolean>((resolve) => {
            closeTimer = setTimeout(() => resolve(false), DB_CLOSE_TIMEOUT_MS);
            closeTimer.unref();
          }),
        ]);
        clearTimeout(closeTimer);
        if (!closed) log.warn({ timeoutMs: DB_CLOSE_TIMEOUT_MS }, 'the database connections did not close in time; exiting without them');
      })();
      return stopping;
    },
  };
}
