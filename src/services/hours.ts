/**
 * "How many hours have I used?": this month's rounded work and the tier's allowance for a
 * customer, from the billing rules (src/domain/billing.ts) and the time entries.
 */
import { billMonth, includedMinutesOf } from '../domain/billing.js';
import { monthOf, monthRange } from '../domain/billing-month.js';
import { timeEntriesBetween } from '../store/time-entries.js';
import type { DbClient } from '../store/types.js';

/** What the hours question needs from the configuration. */
export interface HoursSettings {
  timezone: string;
  billing: { hourlyRate: number; incrementMinutes: number; travelFee: number };
  tiers: Readonly<Record<string, { includedHours?: number }>>;
}

/** Work used this month (rounded per case, as billed) and the tier's included minutes, at `now`. */
export async function hoursThisMonth(
  db: DbClient,
  settings: HoursSettings,
  customer: { id: string; tier: string },
  now: Date,
): Promise<{ usedMinutes: number; includedMinutes: number }> {
  const month = monthOf(now, settings.timezone);
  const { start, end } = monthRange(month, settings.timezone);
  const entries = await timeEntriesBetween(db, start, end, customer.id);
  const includedMinutes = includedMinutesOf(settings.tiers, customer.tier);
  const { totals } = billMonth(entries, { ...settings.billing, includedMinutes }, month, settings.timezone);
  return { usedMinutes: totals.roundedWorkMinutes, includedMinutes };
}
