/**
 * Business time: adding "4 working hours" to a moment and measuring the working minutes
 * between two moments, in a company's time zone, on its working days and hours, skipping
 * public holidays (from the maintained `date-holidays` library, never a hand-written list)
 * and the company's own closures. Pure: no clock, no I/O.
 *
 * Time zones are handled with Intl only: each working window is turned from local wall
 * time into a UTC instant, so a window that spans a clock change is counted in real
 * elapsed time, and 'always' (24/7) is plain elapsed time across any clock change.
 */
import Holidays from 'date-holidays';

/** Working hours: 'always' (24/7, plain elapsed time) or days of the week with a daily window. */
export type BusinessHours =
  | 'always'
  | {
      /** ISO days of the week: 1 = Monday ... 7 = Sunday. */
      days: readonly number[];
      /** Local start of the working day, "HH:MM" (24-hour). */
      from: string;
      /** Local end of the working day, "HH:MM", later than `from`. */
      to: string;
    };

/** A country whose public holidays are days off. */
export type HolidayCountry = 'CZ' | 'SK';

/** Where and when the clock of a service level runs. */
export interface BusinessCalendar {
  /** IANA time zone of the working hours; default Europe/Prague. */
  timeZone?: string;
  hours: BusinessHours;
  /** Public holidays (type "public" only) of this country are days off; null: none. Default null. */
  holidays?: HolidayCountry | null;
  /** Company closures, local dates "YYYY-MM-DD". */
  closures?: readonly string[];
}

export const DEFAULT_TIME_ZONE = 'Europe/Prague';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** No calendar we accept goes this long without a working minute; past it the calendar is broken. */
const MAX_DAYS = 3_700;

/** A local calendar date. */
interface LocalDate {
  y: number;
  m: number;
  d: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local wall time of an instant, as if it were a UTC timestamp (ms, whole seconds). */
function wallMs(instant: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
}

/** The zone's offset from UTC at `instant`, in ms (Prague: +3 600 000 in winter, +7 200 000 in summer). */
function offsetMs(instant: number, timeZone: string): number {
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  return wallMs(whole, timeZone) - whole;
}

/**
 * The UTC instant of a local wall time. A wall time skipped by a spring clock change counts
 * as the same time after the change (02:30 -> 03:30); one repeated in autumn, as its first
 * occurrence (the Temporal API's "compatible" rule).
 */
export function zonedTimeToUtc(date: LocalDate, minuteOfDay: number, timeZone: string): Date {
  const wall = Date.UTC(date.y, date.m - 1, date.d, 0, minuteOfDay);
  const before = wall - offsetMs(wall - DAY_MS, timeZone);
  const after = wall - offsetMs(wall + DAY_MS, timeZone);
  const valid = [before, after].filter((t) => t + offsetMs(t, timeZone) === wall);
  return new Date(valid.length > 0 ? Math.min(...valid) : before);
}

/** The local date of an instant. */
function localDate(instant: number, timeZone: string): LocalDate {
  const w = new Date(wallMs(instant, timeZone));
  return { y: w.getUTCFullYear(), m: w.getUTCMonth() + 1, d: w.getUTCDate() };
}

function nextDay(date: LocalDate): LocalDate {
  const n = new Date(Date.UTC(date.y, date.m - 1, date.d + 1));
  return { y: n.getUTCFullYear(), m: n.getUTCMonth() + 1, d: n.getUTCDate() };
}

function isoDay(date: LocalDate): number {
  const dow = new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();
  return dow === 0 ? 7 : dow;
}

function ymd(date: LocalDate): string {
  return `${date.y}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;
}

function compareDates(a: LocalDate, b: LocalDate): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

/** "08:30" -> 510. Throws on anything that is not a 24-hour "HH:MM" (24:00 allowed as the end of the day). */
export function minutesOfDay(hhmm: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!(minutes <= 24 * 60)) throw new RangeError(`"${hhmm}" is not a time of day HH:MM`);
  return minutes;
}

const calendars = new Map<HolidayCountry, Holidays>();
const holidaySets = new Map<string, ReadonlySet<string>>();

/** The public holidays of `country` in `year`, as local dates "YYYY-MM-DD". */
export function publicHolidays(country: HolidayCountry, year: number): ReadonlySet<string> {
  const key = `${country}:${year}`;
  let set = holidaySets.get(key);
  if (!set) {
    let hd = calendars.get(country);
    if (!hd) {
      hd = new Holidays(country);
      calendars.set(country, hd);
    }
    set = new Set(
      hd
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    holidaySets.set(key, set);
  }
  return set;
}

/** True when `date` ("YYYY-MM-DD", local) is a working day of the calendar (hours 'always': every day). */
export function isWorkingDay(date: string, cal: BusinessCalendar): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`"${date}" is not a date YYYY-MM-DD`);
  if (cal.hours === 'always') return true;
  return window({ y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) }, cal, cal.hours, cal.timeZone ?? DEFAULT_TIME_ZONE) !== null;
}

type DayHours = Exclude<BusinessHours, 'always'>;

/** The working window of a local date as UTC instants [start, end), or null on a day off. */
function window(date: LocalDate, cal: BusinessCalendar, hours: DayHours, timeZone: string): { start: number; end: number } | null {
  if (!hours.days.includes(isoDay(date))) return null;
  const day = ymd(date);
  if (cal.closures?.includes(day)) return null;
  if (cal.holidays && publicHolidays(cal.holidays, date.y).has(day)) return null;
  const start = zonedTimeToUtc(date, minutesOfDay(hours.from), timeZone).getTime();
  const end = zonedTimeToUtc(date, minutesOfDay(hours.to), timeZone).getTime();
  return end > start ? { start, end } : null;
}

function checkHours(hours: DayHours): void {
  if (minutesOfDay(hours.from) >= minutesOfDay(hours.to)) throw new RangeError(`working hours ${hours.from}-${hours.to}: the start must be before the end`);
  if (!hours.days.some((d) => Number.isInteger(d) && d >= 1 && d <= 7)) throw new RangeError('working hours need at least one day 1-7');
}

/**
 * The moment `hours` working hours after `start`. A start outside working hours counts from
 * the next opening; a result that falls exactly on a closing time stays there (16:00 + 1 h
 * on a 8:30-17:00 day is 17:00 that day, not 8:30 the next). With 'always', plain elapsed time.
 */
export function addBusinessHours(start: Date, hours: number, cal: BusinessCalendar): Date {
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`cannot add ${hours} working hours`);
  let left = Math.round(hours * HOUR_MS);
  const from = start.getTime();
  if (cal.hours === 'always') return new Date(from + left);
  checkHours(cal.hours);
  const timeZone = cal.timeZone ?? DEFAULT_TIME_ZONE;
  let day = localDate(from, timeZone);
  for (let i = 0; i < MAX_DAYS; i++, day = nextDay(day)) {
    const w = window(day, cal, cal.hours, timeZone);
    if (!w) continue;
    const begin = Math.max(w.start, from);
    if (begin >= w.end) continue;
    if (left <= w.end - begin) return new Date(begin + left);
    left -= w.end - begin;
  }
  throw new RangeError(`the calendar has no working time in ${MAX_DAYS} days`);
}

/**
 * Working minutes from `a` to `b` (fractional; negative when `b` is before `a`).
 * With 'always', plain elapsed minutes.
 */
export function businessMinutesBetween(a: Date, b: Date, cal: BusinessCalendar): number {
  const from = a.getTime();
  const to = b.getTime();
  if (to < from) return -businessMinutesBetween(b, a, cal);
  if (cal.hours === 'always') return (to - from) / MINUTE_MS;
  checkHours(cal.hours);
  const timeZone = cal.timeZone ?? DEFAULT_TIME_ZONE;
  const last = localDate(to, timeZone);
  let total = 0;
  for (let day = localDate(from, timeZone); compareDates(day, last) <= 0; day = nextDay(day)) {
    const w = window(day, cal, cal.hours, timeZone);
    if (w) total += Math.max(0, Math.min(w.end, to) - Math.max(w.start, from));
  }
  return total / MINUTE_MS;
}

/** "2026-11-24 14:30" (or "24. 11. 2026 14:30") in `timeZone` -> the instant; null when unreadable. */
export function parseLocalDateTime(text: string, timeZone: string): Date | null {
  const iso = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})\s*$/.exec(text);
  const cz = /^\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\s+(\d{1,2}):(\d{2})\s*$/.exec(text);
  const parts = iso ? [iso[1], iso[2], iso[3], iso[4], iso[5]] : cz ? [cz[3], cz[2], cz[1], cz[4], cz[5]] : null;
  if (!parts) return null;
  const [y, m, d, h, min] = parts.map(Number) as [number, number, number, number, number];
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d || h > 23 || min > 59) return null;
  return zonedTimeToUtc({ y, m, d }, h * 60 + min, timeZone);
}
