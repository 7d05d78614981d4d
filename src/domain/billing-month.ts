/**
 * Calendar months in the company's time zone, for billing: which month an instant belongs
 * to, and the instants where a month begins and ends. Pure: no clock, only `Intl`.
 */

/** A month written as YYYY-MM (01-12). */
export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of `at` in `timeZone`. */
export function localParts(at: Date, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatIn(timeZone).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0, hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "2026-11" for an instant, in `timeZone` (2026-11-30T23:30Z is "2026-12" in Europe/Prague). */
export function monthOf(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}`;
}

/** The local date (YYYY-MM-DD) and time (HH:MM) of an instant in `timeZone`. */
export function localDateTime(at: Date, timeZone: string): { date: string; time: string } {
  const p = localParts(at, timeZone);
  return { date: `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}` };
}

/** Parses "YYYY-MM"; null when it is not a month. */
export function parseMonth(text: string): { year: number; month: number } | null {
  const m = MONTH_PATTERN.exec(text);
  return m ? { year: Number(m[1]), month: Number(m[2]) } : null;
}

/** How far `timeZone`'s wall clock is ahead of UTC at `utcMs`, in milliseconds. */
function offsetAt(utcMs: number, timeZone: string): number {
  const p = localParts(new Date(utcMs), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(utcMs / 1000) * 1000;
}

/** The instant of local midnight at the start of the 1st of `month` (1-12) of `year`. */
function startOfMonth(year: number, month: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, 1);
  const first = wall - offsetAt(wall, timeZone);
  // Once more with the offset in force at that instant (the guess may sit across a DST change).
  return new Date(wall - offsetAt(first, timeZone));
}

/** The month as a half-open range of instants [start, end) in `timeZone`. Throws on a bad month. */
export function monthRange(month: string, timeZone: string): { start: Date; end: Date } {
  const m = parseMonth(month);
  if (!m) throw new Error(`not a month (YYYY-MM): ${month}`);
  const next = m.month === 12 ? { year: m.year + 1, month: 1 } : { year: m.year, month: m.month + 1 };
  return { start: startOfMonth(m.year, m.month, timeZone), end: startOfMonth(next.year, next.month, timeZone) };
}
