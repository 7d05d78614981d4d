/**
 * Dates and times as people read them: one format per audience, and this file the only place
 * that writes one (docs/architecture.md, "Dates and times").
 *
 * - Customers and technicians (replies, notices, ticket cards, threads, team commands): local
 *   time (config `timezone`) in their language: "7. 12. 2026 22:00" in Czech and Slovak,
 *   "7 Dec 2026, 22:00" in English; a date alone "7. 12. 2026" / "7 Dec 2026"; a deadline
 *   within days with its weekday, "pondělí 7. 12. v 22:00" / "Monday 7 Dec at 22:00".
 * - Operators (the output of the `linka` command, in English): the English form with the time
 *   zone, "7 Dec 2026, 22:00 CET".
 * - Machines (JSON, CSV, the API, logs): ISO 8601 in UTC, written where it is needed.
 *
 * Numeric day and month, never "06/12/2026" (which is June in America and December in Europe);
 * the names of months and weekdays are here rather than taken from the runtime's locale data,
 * whose abbreviations change between versions ("Sep" became "Sept" in British English).
 * Pure: the instant and the time zone come in.
 */
import { t } from '../messages/index.js';
import type { Lang } from '../shared/lang.js';
import { localParts } from './billing-month.js';

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Sunday first, as `Date.getUTCDay()` counts. */
const WEEKDAYS: Readonly<Record<Lang, readonly string[]>> = {
  cs: ['neděle', 'pondělí', 'úterý', 'středa', 'čtvrtek', 'pátek', 'sobota'],
  sk: ['nedeľa', 'pondelok', 'utorok', 'streda', 'štvrtok', 'piatok', 'sobota'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};

const pad2 = (n: number) => String(n).padStart(2, '0');

/** "7. 12. 2026" (cs, sk) or "7 Dec 2026" (en); `withYear` false: "7. 12." / "7 Dec". */
function dayText(y: number, m: number, d: number, lang: Lang, withYear = true): string {
  if (lang === 'en') return `${d} ${MONTHS_EN[m - 1]}${withYear ? ` ${y}` : ''}`;
  return `${d}. ${m}.${withYear ? ` ${y}` : ''}`;
}

/** "22:00", "9:05" (cs, sk) or "09:05" (en), as each language writes the 24-hour clock. */
function clockText(hour: number, minute: number, lang: Lang): string {
  return `${lang === 'en' ? pad2(hour) : hour}:${pad2(minute)}`;
}

/** An instant in local time for customers and technicians: "7. 12. 2026 22:00" (cs, sk), "7 Dec 2026, 22:00" (en). */
export function localTime(date: Date, timeZone: string, lang: Lang): string {
  const p = localParts(date, timeZone);
  const day = dayText(p.year, p.month, p.day, lang);
  return `${day}${lang === 'en' ? ',' : ''} ${clockText(p.hour, p.minute, lang)}`;
}

/** A calendar date (YYYY-MM-DD, such as a due date) for customers: "20. 11. 2026" (cs, sk), "20 Nov 2026" (en). */
export function localDate(date: string, lang: Lang): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return dayText(y, m, d, lang);
}

/** A deadline within days, with its weekday: "pondělí 23. 11. v 18:00", "pondelok 23. 11. o 18:00", "Monday 23 Nov at 18:00". */
export function dayAndTime(date: Date, timeZone: string, lang: Lang): string {
  const p = localParts(date, timeZone);
  const weekday = WEEKDAYS[lang][new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay()];
  return t(lang, 'common.dayAt', { day: `${weekday} ${dayText(p.year, p.month, p.day, lang, false)}`, time: clockText(p.hour, p.minute, lang) });
}

const zoneNames = new Map<string, Intl.DateTimeFormat>();

/** The zone's short name at `date`: "CET", "CEST", "UTC" (or "GMT-5" where English has no abbreviation). */
function zoneName(date: Date, timeZone: string): string {
  let f = zoneNames.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' });
    zoneNames.set(timeZone, f);
  }
  return f.formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}

/** An instant in the output of the `linka` command: "7 Dec 2026, 22:00 CET" (config `timezone`, named). */
export function operatorTime(date: Date, timeZone: string): string {
  return `${localTime(date, timeZone, 'en')} ${zoneName(date, timeZone)}`;
}
