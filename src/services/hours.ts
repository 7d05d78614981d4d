/**
 * "How many hours have I used?": this month's rounded work, the tier's allowance on the days
 * the customer's plan covers, and what their prepaid packages have left, from the billing rules
 * (src/domain/billing.ts) as the statement applies them (src/services/statements.ts).
 */
import { localDateTime, monthOf } from '../domain/billing-month.js';
import { planStatus } from '../domain/entitlement.js';
import type { DbClient } from '../store/types.js';
import { customerMonths, type StatementSettings } from './statements.js';

/** What the hours question needs from the configuration. */
export type HoursSettings = StatementSettings;

/**
 * Work used this month (rounded per case, as billed), the included minutes (none while the plan
 * does not cover today), and the packages' minutes left, at `now`.
 */
export async function hoursThisMonth(
  db: DbClient,
  settings: HoursSettings,
  customer: { id: string; contractNumber: string; name: string; tier: string; planStart: string | null; planEnd: string | null },
  now: Date,
): Promise<{ usedMinutes: number; includedMinutes: number; packageLeftMinutes: number }> {
  const { id, contractNumber, name, tier, planStart, planEnd } = customer;
  const { customers } = await customerMonths(db, settings, monthOf(now, settings.timezone), { id, contractNumber, name, tier, planStart, planEnd });
  const month = customers[0];
  const totals = month?.statement.totals;
  // After the plan's end (or before its start) nothing is included any more, whatever the month's first days had.
  const covered = month ? planStatus(month.plan, localDateTime(now, settings.timezone).date) === 'active' : true;
  return {
    usedMinutes: totals?.roundedWorkMinutes ?? 0,
    includedMinutes: covered ? (totals?.includedMinutes ?? 0) : 0,
    packageLeftMinutes: totals?.packageLeftMinutes ?? 0,
  };
}
