/**
 * Business time: adding "4 working hours" to a moment, measuring the working minutes between
 * two moments, and finding the end of the n-th working day, in a company's time zone, on its
 * working windows, skipping public holidays (from the maintained `date-holidays` library, never
 * a hand-written list) and the company's own closures. Pure: no clock, no I/O.
 *
 * Time zones are handled with Intl only: each working window is turned from local wall
 * time into a UTC instant, so a window that spans a clock change is counted in real
 * elapsed time, and 'always' (24/7) is plain elapsed time across any clock change.
 */
import { publicHolidays, type HolidayCountry } from './holidays.js';

/** One working window: on these days of the week, from one local time to another. */
export interface WorkingWindow {
  /** ISO days of the week: 1 = Monday ... 7 = Sunday. */
  days: readonly number[];
  /** Local start, "HH:MM" (24-hour). */
  from: string;
  /** Local end, "HH:MM", later than `from` ("24:00": the end of the day). */
  to: string;
}

/**
 * Working hours: 'always' (24/7, plain elapsed time), one working window, or several whose
 * union is the working time (Mon-Fri 8:30-17:00 and Sat-Sun 9:00-18:00; or a lunch break as two
 * windows on one day). Windows must not overlap.
 */
export type BusinessHours = 'always' | WorkingWindow | readonly WorkingWindow[];

export { publicHolidays, type HolidayCountry } from './holidays.js';

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

/** Monday to Friday 8:30-17:00: the default working hours of a tier and of the technicians. */
export const OFFICE_HOURS: WorkingWindow = { days: [1, 2, 3, 4, 5], from: '08:30', to: '17:00' };

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

/** Monday to Friday: the working days of a 24/7 tier (its hours say nothing about days). */
const ALWAYS_WORKING_DAYS: readonly number[] = [1, 2, 3, 4, 5];

/** Whether a local date is a public holiday or a company closure of the calendar. */
function isDayOff(date: LocalDate, cal: BusinessCalendar): boolean {
  const day = ymd(date);
  return (cal.closures?.includes(day) ?? false) || (cal.holidays ? publicHolidays(cal.holidays, date.y).has(day) : false);
}

/** The windows of working hours that are not 'always', as a list. */
function windowsOf(hours: Exclude<BusinessHours, 'always'>): readonly WorkingWindow[] {
  return Array.isArray(hours) ? hours : [hours as WorkingWindow];
}

/**
 * True when `date` ("YYYY-MM-DD", local) is a working day of the calendar, as deadlines in
 * working days count them: a day of the week on which one of its windows opens (with 'always':
 * Monday to Friday) that is no public holiday and no company closure.
 */
export function isWorkingDay(date: string, cal: BusinessCalendar): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`"${date}" is not a date YYYY-MM-DD`);
  return workingDayEnd({ y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) }, cal, cal.timeZone ?? DEFAULT_TIME_ZONE) !== null;
}

/** When a working day ends (its last window closes; with 'always', at midnight), or null on a day that is not one. */
function workingDayEnd(date: LocalDate, cal: BusinessCalendar, timeZone: string): number | null {
  if (cal.hours === 'always') {
    if (!ALWAYS_WORKING_DAYS.includes(isoDay(date)) || isDayOff(date, cal)) return null;
    return zonedTimeToUtc(date, 24 * 60, timeZone).getTime();
  }
  return workingTime(date, cal, windowsOf(cal.hours), timeZone).at(-1)?.end ?? null;
}

/** The working time of a local date as UTC instants [start, end), in order; none on a day off. */
function workingTime(date: LocalDate, cal: BusinessCalendar, windows: readonly WorkingWindow[], timeZone: string): Array<{ start: number; end: number }> {
  const dow = isoDay(date);
  const today = windows.filter((w) => w.days.includes(dow));
  if (today.length === 0 || isDayOff(date, cal)) return [];
  const spans: Array<{ start: number; end: number }> = [];
  for (const w of today) {
    const start = zonedTimeToUtc(date, minutesOfDay(w.from), timeZone).getTime();
    const end = zonedTimeToUtc(date, minutesOfDay(w.to), timeZone).getTime();
    if (end > start) spans.push({ start, end });
  }
  return spans.sort((x, y) => x.start - y.start);
}

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * Why these windows cannot be worked with, or null: a window that ends before it starts or has
 * no day 1-7, or two windows that overlap on a day ("windows 1 (08:30-17:00) and 2
 * (16:00-20:00) overlap on Friday"; numbered from 1). Windows that touch (12:00 and 12:00) are fine.
 */
export function windowsProblem(windows: readonly WorkingWindow[]): string | null {
  for (const w of windows) {
    if (minutesOfDay(w.from) >= minutesOfDay(w.to)) return `working hours ${w.from}-${w.to}: the start must be before the end`;
    if (!w.days.some((d) => Number.isInteger(d) && d >= 1 && d <= 7)) return 'working hours need at least one day 1-7';
  }
  for (let day = 1; day <= 7; day++) {
    const open = windows
      .map((w, i) => ({ i, from: minutesOfDay(w.from), to: minutesOfDay(w.to), w }))
      .filter((x) => x.w.days.includes(day))
      .sort((x, y) => x.from - y.from);
    for (let k = 1; k < open.length; k++) {
      const [a, b] = [open[k - 1], open[k]] as [(typeof open)[number], (typeof open)[number]];
      if (b.from < a.to) {
        const [first, second] = a.i < b.i ? [a, b] : [b, a];
        return `windows ${first.i + 1} (${first.w.from}-${first.w.to}) and ${second.i + 1} (${second.w.from}-${second.w.to}) overlap on ${DAY_NAMES[day - 1]}`;
      }
    }
  }
  return null;
}

/** The windows of a calendar that is not 'always', checked: throws a RangeError on windows that cannot be worked with. */
function checkedWindows(hours: Exclude<BusinessHours, 'always'>): readonly WorkingWindow[] {
  const windows = windowsOf(hours);
  if (windows.length === 0) throw new RangeError('working hours need at least one window');
  const problem = windowsProblem(windows);
  if (problem) throw new RangeError(problem);
  return windows;
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
  const windows = checkedWindows(cal.hours);
  const timeZone = cal.timeZone ?? DEFAULT_TIME_ZONE;
  let day = localDate(from, timeZone);
  for (let i = 0; i < MAX_DAYS; i++, day = nextDay(day)) {
    for (const w of workingTime(day, cal, windows, timeZone)) {
      const begin = Math.max(w.start, from);
      if (begin >= w.end) continue;
      if (left <= w.end - begin) return new Date(begin + left);
      left -= w.end - begin;
    }
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
  const windows = checkedWindows(cal.hours);
  const timeZone = cal.timeZone ?? DEFAULT_TIME_ZONE;
  const last = localDate(to, timeZone);
  let total = 0;
  for (let day = localDate(from, timeZone); compareDates(day, last) <= 0; day = nextDay(day)) {
    for (const w of workingTime(day, cal, windows, timeZone)) total += Math.max(0, Math.min(w.end, to) - Math.max(w.start, from));
  }
  return total / MINUTE_MS;
}

/**
 * The end of the `count`-th working day after the local day of `start` (see isWorkingDay): the
 * day of `start` itself never counts, whatever the time ("within 3 working days" of a report on
 * Friday is by the close of Wednesday). A working day ends when its last window closes; with
 * 'always', at midnight.
 */
export function endOfWorkingDays(start: Date, count: number, cal: BusinessCalendar): Date {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`cannot count ${count} working days`);
  if (cal.hours !== 'always') checkedWindows(cal.hours);
  const timeZone = cal.timeZone ?? DEFAULT_TIME_ZONE;
  let left = count;
  let day = localDate(start.getTime(), timeZone);
  for (let i = 0; i < MAX_DAYS; i++) {
    day = nextDay(day);
    const end = workingDayEnd(day, cal, timeZone);
    if (end !== null && --left === 0) return new Date(end);
  }
  throw new RangeError(`the calendar has no working day in ${MAX_DAYS} days`);
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

/**
 * When the technicians will next answer a ticket opened at `at`, or null when they answer now:
 * inside the team's hours, or while the clock of the customer's tier runs (a tier with a reaction
 * time in its own hours, such as 24/7, has someone on duty). Outside both: the team's next opening.
 */
export function techniciansAnswerFrom(at: Date, team: BusinessCalendar, tier: BusinessCalendar | null): Date | null {
  const opens = addBusinessHours(at, 0, team);
  if (opens.getTime() <= at.getTime()) return null;
  if (tier && addBusinessHours(at, 0, tier).getTime() <= at.getTime()) return null;
  return opens;
}
