/**
 * On config mail.statementDay (1-28; null: off) at payments.reminderHour, company time: last
 * month's statements by e-mail to every customer with an address and activity, as
 * `linka statement --send` does (src/services/statement-mail.ts; once per customer and month).
 * Only while e-mail is on.
 */
import type { LinkaConfig } from '../config/schema.js';
import { localParts } from '../domain/billing-month.js';
import { type PlannedStatement, sendStatementMails } from '../services/statement-mail.js';
import type { NoticeJobDeps } from './maintenance-notices.js';

/** The cron expression of the monthly round, in config.timezone; null when it is off. */
export function statementCron(config: LinkaConfig): string | null {
  return config.mail.statementDay === null ? null : `0 ${config.payments.reminderHour} ${config.mail.statementDay} * *`;
}

/** The month before the one `now` falls in, in the company's time zone (YYYY-MM). */
export function previousMonth(now: Date, timeZone: string): string {
  const p = localParts(now, timeZone);
  const [y, m] = p.month === 1 ? [p.year - 1, 12] : [p.year, p.month - 1];
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

/** One round: last month's statements; returns the contracts whose e-mail was queued (none while e-mail is off). */
export async function sendMonthlyStatements(deps: NoticeJobDeps, config: LinkaConfig): Promise<string[]> {
  if (!deps.customerChannels?.includes('email')) return [];
  const now = deps.clock();
  const { planned } = await sendStatementMails(deps.prisma, config, previousMonth(now, config.timezone), {
    now,
    dryRun: false,
    repliesRead: deps.mailbox === true,
  });
  const queued = planned.filter((p: PlannedStatement) => p.outcome === 'queue').map((p) => p.contract);
  if (queued.length) deps.onQueued?.();
  return queued;
}
