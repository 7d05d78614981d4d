/**
 * The dashboard's periods and figures (pure): which instants a chosen period covers in the
 * company's time zone, and the shares, medians and daily series made from what the store counted.
 */
import { localDateTime } from './billing-month.js';
import { zonedTimeToUtc } from './business-time.js';

export const PERIODS = ['day', 'week', 'month', 'lastMonth', 'custom'] as const;
export type PeriodKind = (typeof PERIODS)[number];

export interface ChosenPeriod {
  kind: PeriodKind;
  /** Local dates, inclusive: the first and the last day. */
  firstDay: string;
  lastDay: string;
  from: Date;
  to: Date;
  /** When the whole period is one calendar month: YYYY-MM (the statement's month). */
  month: string | null;
}

/** The longest custom period, in days. */
export const MAX_DAYS = 366;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: string): { y: number; m: number; d: number } | null {
  const match = DAY.exec(date);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // The years a dashboard can mean (a period in the year 9999 is a typo or a probe).
  if (y < 2000 || y > 2999) return null;
  const check = new Date(Date.UTC(y, m - 1, d));
  return check.getUTCFullYear() === y && check.getUTCMonth() === m - 1 && check.getUTCDate() === d ? { y, m, d } : null;
}

/** The local date `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  const p = parts(date);
  if (!p) throw new Error(`not a date: ${date}`);
  return new Date(Date.UTC(p.y, p.m - 1, p.d + days)).toISOString().slice(0, 10);
}

const midnight = (date: string, timeZone: string) => {
  const p = parts(date);
  if (!p) throw new Error(`not a date: ${date}`);
  return zonedTimeToUtc(p, 0, timeZone);
};

function daysBetween(first: string, last: string): number {
  return Math.round((Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000) + 1;
}

function span(kind: PeriodKind, firstDay: string, lastDay: string, timeZone: string): ChosenPeriod {
  const wholeMonth = firstDay.endsWith('-01') && firstDay.slice(0, 7) === lastDay.slice(0, 7) && addDays(lastDay, 1).endsWith('-01');
  return {
    kind,
    firstDay,
    lastDay,
    from: midnight(firstDay, timeZone),
    to: midnight(addDays(lastDay, 1), timeZone),
    month: wholeMonth ? firstDay.slice(0, 7) : null,
  };
}

/**
 * The period chosen on the dashboard: today, the last 7 days, this month, last month, or from-to
 * (local dates, inclusive, at most MAX_DAYS). An invalid custom range is `{ error }` with the
 * default (the last 7 days) to show meanwhile.
 */
export function choosePeriod(
  q: { period?: string; from?: string; to?: string },
  now: Date,
  timeZone: string,
): ChosenPeriod & { error?: 'invalidRange' | 'tooLong' } {
  const today = localDateTime(now, timeZone).date;
  const asked = (PERIODS as readonly string[]).includes(q.period ?? '') ? (q.period as PeriodKind) : 'week';
  // Dates typed beside a preset that would ignore them: the dates are what was meant.
  const kind = asked !== 'custom' && (q.from || q.to) && !presetMatches(asked, q, today, timeZone) ? 'custom' : asked;
  switch (kind) {
    case 'day':
      return span(kind, today, today, timeZone);
    case 'month':
      return span(kind, `${today.slice(0, 8)}01`, addDays(`${nextMonth(today.slice(0, 7))}-01`, -1), timeZone);
    case 'lastMonth': {
      const first = `${previousMonth(today.slice(0, 7))}-01`;
      return span(kind, first, addDays(`${today.slice(0, 7)}-01`, -1), timeZone);
    }
    case 'custom': {
      const from = q.from && parts(q.from) ? q.from : null;
      const to = q.to && parts(q.to) ? q.to : null;
      if (!from || !to || from > to) return { ...span('week', addDays(today, -6), today, timeZone), error: 'invalidRange' };
      if (daysBetween(from, to) > MAX_DAYS) return { ...span('week', addDays(today, -6), today, timeZone), error: 'tooLong' };
      return span(kind, from, to, timeZone);
    }
    default:
      return span('week', addDays(today, -6), today, timeZone);
  }
}

/** Whether the from/to sent with a preset are the preset's own days (as the form fills them in). */
function presetMatches(kind: PeriodKind, q: { from?: string; to?: string }, today: string, timeZone: string): boolean {
  const preset = choosePeriod({ period: kind }, new Date(midnight(today, timeZone).getTime() + 12 * 3_600_000), timeZone);
  return (!q.from || q.from === preset.firstDay) && (!q.to || q.to === preset.lastDay);
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The calendar months (YYYY-MM) a period touches, in order. */
export function monthsOf(p: Pick<ChosenPeriod, 'firstDay' | 'lastDay'>): string[] {
  const out: string[] = [];
  const index = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));
  for (let m = p.firstDay.slice(0, 7); index(m) <= index(p.lastDay.slice(0, 7)); m = nextMonth(m)) out.push(m);
  return out;
}

/** The period's days (local dates), in order. */
export function daysOf(p: Pick<ChosenPeriod, 'firstDay' | 'lastDay'>): string[] {
  const out: string[] = [];
  for (let d = p.firstDay; d <= p.lastDay; d = addDays(d, 1)) out.push(d);
  return out;
}

/** How many of `instants` fall on each of `days` (local dates in `timeZone`). */
export function perDay(instants: readonly Date[], days: readonly string[], timeZone: string): number[] {
  const index = new Map(days.map((d, i) => [d, i]));
  const counts = days.map(() => 0);
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  for (const at of instants) {
    const i = index.get(format.format(at));
    if (i !== undefined) counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/** The median of `values` (null when there are none). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** `part` of `whole` in per cent, one decimal (null when the whole is 0). */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}
