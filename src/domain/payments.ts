/**
 * Payments (docs/domain.md, "Payments"): amounts as the accounting exports write them, due dates,
 * and which notice a customer with an outstanding balance is due: the reminder the day after
 * the due date, the warning that the service will be restricted near the end of that month.
 * Pure: `now` comes in, time zones through `Intl`.
 */
import { localParts, monthRange } from './billing-month.js';
import { zonedTimeToUtc } from './business-time.js';

/** The largest amount the database stores (a 32-bit integer of minor units). */
export const MAX_AMOUNT = 2_147_483_647;

/**
 * An amount: integer minor units ("123450") or a formatted amount with its decimal part
 * ("1 234,50", "1234,5", "1234.50", "1.234,50", "1,234.50"). Returns minor units, or an
 * error text. "1 234" (grouped, no decimals) is refused: minor units or crowns is unclear.
 */
export function parseAmount(text: string): { minor: number } | { error: string } {
  const s = text.trim().replace(/[\u00A0\u202F]/g, ' ');
  let minor: number;
  if (/^-?\d+$/.test(s)) minor = Number(s);
  else {
    const m = /^(-?)(\d{1,3}([ .,])\d{3}(?:\3\d{3})*|\d+)([,.])(\d{1,2})$/.exec(s);
    // The group separator, when present, must differ from the decimal one.
    if (!m || (m[3] !== undefined && m[3] === m[4])) {
      if (/^-?\d{1,3}( \d{3})+$/.test(s))
        return { error: `"${text.trim()}" is unclear: write minor units (${s.replace(/\D/g, '')}00) or the amount with its decimal part (${s},00)` };
      return { error: `"${text.trim()}" is not an amount (minor units such as 123450, or 1 234,50)` };
    }
    const whole = (m[2] ?? '').replace(/[ .,]/g, '');
    minor = (Number(whole) * 100 + Number((m[5] ?? '').padEnd(2, '0'))) * (m[1] ? -1 : 1);
  }
  if (!Number.isSafeInteger(minor) || Math.abs(minor) > MAX_AMOUNT) return { error: `"${text.trim()}" is too large` };
  return { minor };
}

/** "2026-11-20", "20. 11. 2026" or "20.11.2026" -> "2026-11-20"; null when not a real date. */
export function parseDate(text: string): string | null {
  const iso = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
  const cz = /^\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\s*$/.exec(text);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]].map(Number) : cz ? [cz[3], cz[2], cz[1]].map(Number) : [];
  if (y === undefined || m === undefined || d === undefined) return null;
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
  return ymd(y, m, d);
}

function ymd(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The due day (config payments.dueDay) of the month `now` falls in, in `timeZone`. */
export function defaultDueDate(now: Date, timeZone: string, dueDay: number): string {
  const p = localParts(now, timeZone);
  return ymd(p.year, p.month, Math.min(dueDay, daysIn(p.year, p.month)));
}

/** The last day (YYYY-MM-DD) of the month of a date: the services are restricted at its end. */
export function monthEndDate(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return ymd(y, m, daysIn(y, m));
}

export interface PaymentSchedule {
  /** The hour (0-23, company time) notices go out. */
  reminderHour: number;
  /** The restriction warning goes out this many days before the last day of the month. */
  restrictionWarningDaysBeforeMonthEnd: number;
}

export type PaymentNoticeKind = 'reminder' | 'warning';

/**
 * The notice due at `now` for a balance due on `dueDate` (local YYYY-MM-DD): a reminder from
 * the day after the due date at the reminder hour; from `N` days before the month's last day
 * (at the same hour, never before the reminder's time) the restriction warning instead.
 * Nothing once the month of the due date is over (the services are restricted by then).
 * `month` (YYYY-MM of the due date) keys "once per customer per month".
 */
export function paymentNoticeDue(dueDate: string, now: Date, timeZone: string, schedule: PaymentSchedule): { kind: PaymentNoticeKind; month: string } | null {
  const [y, m, d] = dueDate.split('-').map(Number) as [number, number, number];
  const month = dueDate.slice(0, 7);
  const hour = schedule.reminderHour * 60;
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  const reminderAt = zonedTimeToUtc({ y: next.getUTCFullYear(), m: next.getUTCMonth() + 1, d: next.getUTCDate() }, hour, timeZone);
  const warnDay = Math.max(1, daysIn(y, m) - schedule.restrictionWarningDaysBeforeMonthEnd);
  const warningAt = new Date(Math.max(reminderAt.getTime(), zonedTimeToUtc({ y, m, d: warnDay }, hour, timeZone).getTime()));
  if (now.getTime() >= monthRange(month, timeZone).end.getTime()) return null;
  if (now.getTime() >= warningAt.getTime()) return { kind: 'warning', month };
  if (now.getTime() >= reminderAt.getTime()) return { kind: 'reminder', month };
  return null;
}

const YES = new Set(['yes', 'y', 'true', '1', 'ano', 'a', 'áno', 'restricted', 'omezeno', 'obmedzené']);
const NO = new Set(['no', 'n', 'false', '0', 'ne', 'nie', '']);

/** A restriction flag as an export writes it ("yes"/"no", "1"/"0", "ano"/"ne", "áno"/"nie", true/false); null: not one. */
export function parseRestrictedFlag(value: string | boolean): boolean | null {
  if (typeof value === 'boolean') return value;
  const v = value.trim().toLowerCase();
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  return null;
}
