/**
 * Support entitlements with dates (docs/domain.md, "Support entitlements with dates"): a
 * customer's plan (their tier) may start and end, and may have a minimum term. Pure.
 *
 * - The plan's days are local dates, both ends included: from `planStart` (say a licence's
 *   activation) to `planEnd`. A tier that lasts months from the start (`termMonths`, the
 *   access-control software maker's "HOTLINE START ... od data aktivace licence po dobu 6
 *   měsíců") ends, when no `planEnd` is given, on the day of the same number that many months
 *   later, or the month's last day when it has no such day (15 January + 6 months: 15 July;
 *   31 August + 6 months: 28 February): how a period of months is counted in Czech law.
 * - Outside its days the customer is served without support: as the tier `none` (no guaranteed
 *   reaction, no included hours), and is told so, with the terms of paid help, before any paid work.
 * - A minimum term (`minimumTermMonths`, the billing-software vendor's VIP "Minimální doba trvání
 *   ... je 6 měsíců") is counted the same way from the start; it is for the operator: ending a
 *   plan before it is shown, never refused.
 */
import type { Lang } from '../shared/lang.js';

/** The tier a customer is served as outside their plan's days: without support. */
export const WITHOUT_SUPPORT_TIER = 'none';

/** What a tier says about how long it lasts. */
export interface TierTerm {
  /** The plan's name for customers: one text, or one per language (cs required); default: the tier's name. */
  label?: string | { cs: string; sk?: string; en?: string };
  /** The plan lasts this many months from its start when no end is given; null: until further notice. */
  termMonths?: number | null;
  /** The customer committed to at least this many months from the start; null: no minimum. */
  minimumTermMonths?: number | null;
}

/** A customer's plan as recorded: their tier and its dates (local YYYY-MM-DD, null: not given). */
export interface PlanRecord {
  tier: string;
  planStart: string | null;
  planEnd: string | null;
}

/** A customer's plan with its dates worked out. */
export interface Plan {
  tier: string;
  /** The tier's name for customers, when it has one (see TierTerm.label). */
  label?: TierTerm['label'];
  /** The first day covered; null: since ever. */
  start: string | null;
  /** The last day covered (inclusive); null: until further notice. */
  end: string | null;
  /** The last day of the minimum term; null: none. */
  minimumUntil: string | null;
}

/** Whether the plan covers a day: `active`, `ended` (after its end) or `notStarted` (before its start). */
export type PlanStatus = 'active' | 'ended' | 'notStarted';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: string): [number, number, number] {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a date YYYY-MM-DD: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The day `months` after `date`: the same day number, or the month's last day when it has no
 * such day ("2026-08-31" + 6 -> "2027-02-28").
 */
export function addMonths(date: string, months: number): string {
  if (!Number.isInteger(months) || months < 0) throw new RangeError(`months must be a non-negative integer, got ${months}`);
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, last))}`;
}

/** The plan's dates: the end given, else `termMonths` after the start; the minimum term from the start. */
export function planOf(record: PlanRecord, tiers: Readonly<Record<string, TierTerm | undefined>>): Plan {
  const term = tiers[record.tier] ?? {};
  const end = record.planEnd ?? (record.planStart !== null && term.termMonths ? addMonths(record.planStart, term.termMonths) : null);
  const minimumUntil = record.planStart !== null && term.minimumTermMonths ? addMonths(record.planStart, term.minimumTermMonths) : null;
  return { tier: record.tier, ...(term.label !== undefined ? { label: term.label } : {}), start: record.planStart, end, minimumUntil };
}

/** The plan's name as a customer reads it in `lang`: its label, else the tier's name. */
export function planName(plan: Pick<Plan, 'tier' | 'label'>, lang: Lang): string {
  const { label } = plan;
  if (label === undefined) return plan.tier;
  return typeof label === 'string' ? label : (label[lang] ?? label.cs);
}

/** Where a local day (YYYY-MM-DD) stands against the plan. Dates of one form compare as text. */
export function planStatus(plan: Pick<Plan, 'start' | 'end'>, day: string): PlanStatus {
  if (plan.start !== null && day < plan.start) return 'notStarted';
  if (plan.end !== null && day > plan.end) return 'ended';
  return 'active';
}

/** The tier a customer is served as on `day`: their own while the plan covers it, else {@link WITHOUT_SUPPORT_TIER}. */
export function tierOn(plan: Plan, day: string): string {
  return planStatus(plan, day) === 'active' ? plan.tier : WITHOUT_SUPPORT_TIER;
}

/** Whether the plan covers any day of [first, last] (local dates, inclusive). */
export function coversAnyDay(plan: Pick<Plan, 'start' | 'end'>, first: string, last: string): boolean {
  return (plan.start === null || plan.start <= last) && (plan.end === null || plan.end >= first);
}

/** Whether a plan ending on `end` ends before its minimum term is over (the operator is shown it). */
export function endsBeforeMinimum(plan: Pick<Plan, 'end' | 'minimumUntil'>): boolean {
  return plan.end !== null && plan.minimumUntil !== null && plan.end < plan.minimumUntil;
}

/** A customer outside their plan's days on `day`, and which side; null when the plan covers it or they have no support anyway. */
export function outsidePlan(
  record: PlanRecord,
  tiers: Readonly<Record<string, TierTerm | undefined>>,
  day: string,
): { plan: Plan; status: Exclude<PlanStatus, 'active'> } | null {
  if (record.tier === WITHOUT_SUPPORT_TIER) return null;
  const plan = planOf(record, tiers);
  const status = planStatus(plan, day);
  return status === 'active' ? null : { plan, status };
}
