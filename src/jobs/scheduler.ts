/**
 * The schedules (node-cron, in the configured time zone): the queue digest at the
 * configured times, and every minute the re-announcement of unclaimed tickets and the
 * SLA watch (warning and escalation of tickets nobody reacted to, or not resolved by the
 * resolution deadline their tier promises); every minute the planned
 * maintenance notices, every day at payments.reminderHour the payment reminders, and on
 * mail.statementDay at that hour last month's statements by e-mail.
 * Each run takes a lease row per (job, tick) first, so with several processes on one
 * database each job runs once per tick.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import cron, { type ScheduledTask, type TaskContext } from 'node-cron';
import { claimJobRun, tickOf } from '../store/job-runs.js';
import type { LinkaConfig } from '../config/schema.js';
import type { Logger } from '../observability/logger.js';
import { postDigest, type TeamJobDeps } from './digest.js';
import { reannounceUnclaimed } from './reannounce.js';
import { watchResolution, watchSla } from './sla-watch.js';
import { sendMaintenanceNotices, type NoticeJobDeps } from './maintenance-notices.js';
import { paymentCron, sendPaymentReminders } from './payment-reminders.js';
import { sendMonthlyStatements, statementCron } from './statement-mails.js';
import type { Metrics } from '../observability/metrics.js';
import { slaCalendar } from '../runtime/create-runtime.js';

export interface Scheduler {
  tasks: ScheduledTask[];
  stop(): Promise<void>;
}

/**
 * Starts the schedules; `guard` wraps each job: it runs only in the process that wins the
 * job's lease row for the tick (`owner`, default a name unique to this scheduler), and its
 * errors are logged (the schedule goes on).
 */
export function startScheduler(config: LinkaConfig, deps: TeamJobDeps & NoticeJobDeps & { metrics?: Metrics; owner?: string }, log: Logger): Scheduler {
  const owner = deps.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const guard = (name: string, job: () => Promise<unknown>) => async (ctx?: TaskContext) => {
    try {
      const tick = tickOf(ctx?.date ?? deps.clock());
      if (!(await claimJobRun(deps.prisma, { name, tick, owner, now: deps.clock() }))) {
        log.debug({ job: name, tick }, 'scheduled job taken by another process');
        return;
      }
      await job();
    } catch (err) {
      log.error({ job: name, err: err instanceof Error ? err.message : String(err) }, 'scheduled job failed');
    }
  };
  const options = { timezone: config.timezone, noOverlap: true, logger: cronLogger(log) };
  const tasks = config.team.digest.map((expr, i) =>
    cron.schedule(
      expr,
      guard(`digest-${i}`, () => postDigest({ ...deps, timezone: config.timezone })),
      { ...options, name: `digest-${i}` },
    ),
  );
  tasks.push(
    cron.schedule(
      '* * * * *',
      guard('reannounce', () => reannounceUnclaimed(deps, { everyMinutes: config.team.reannounceMinutes, max: config.team.reannounceMax })),
      { ...options, name: 'reannounce' },
    ),
  );
  tasks.push(
    cron.schedule(
      '* * * * *',
      guard('sla-watch', async () => {
        const settings = { tiers: config.tiers, calendar: slaCalendar(config), warnAt: config.sla.warnAt };
        await watchSla(deps, settings);
        await watchResolution(deps, settings);
      }),
      { ...options, name: 'sla-watch' },
    ),
  );
  tasks.push(
    cron.schedule(
      '* * * * *',
      guard('maintenance', () => sendMaintenanceNotices(deps, config)),
      { ...options, name: 'maintenance' },
    ),
  );
  tasks.push(
    cron.schedule(
      paymentCron(config),
      guard('payment-reminders', () => sendPaymentReminders(deps, config)),
      { ...options, name: 'payment-reminders' },
    ),
  );
  const statements = statementCron(config);
  if (statements)
    tasks.push(
      cron.schedule(
        statements,
        guard('statement-mails', () => sendMonthlyStatements(deps, config)),
        { ...options, name: 'statement-mails' },
      ),
    );
  return {
    tasks,
    async stop() {
      await Promise.all(tasks.map((task) => task.destroy()));
    },
  };
}

/** What node-cron logs through (its `logger` option). */
export interface CronLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error, err?: Error): void;
  debug(message: string | Error, err?: Error): void;
}

/**
 * node-cron's own messages through Linka's logger instead of the console. "missed execution"
 * (the event loop was busy at the minute) is routine under load and harmless: each job takes
 * its tick's lease and the next tick does the work; it goes to debug. node-cron's errors stay errors.
 */
export function cronLogger(log: Logger): CronLogger {
  const text = (m: string | Error) => (m instanceof Error ? m.message : m);
  return {
    info: (message) => log.debug({ source: 'node-cron' }, message),
    warn: (message) => log.debug({ source: 'node-cron' }, message),
    error: (message, err) => log.error({ source: 'node-cron', err: err?.message }, text(message)),
    debug: (message) => log.debug({ source: 'node-cron' }, text(message)),
  };
}
