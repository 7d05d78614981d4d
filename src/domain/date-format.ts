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

/** The months' names as a month on its own is named ("listopad 2026", "November 2026"). */
const MONTH_NAMES: Readonly<Record<Lang, readonly string[]>> = {
  cs: ['leden', 'únor', 'březen', 'duben', 'květen', 'červen', 'červenec', 'srpen', 'září', 'říjen', 'listopad', 'prosinec'],
  sk: ['január', 'február', 'marec', 'apríl', 'máj', 'jún', 'júl', 'august', 'september', 'október', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
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

/** A local time of day as a statement keeps it ("09:15", or "" for none) for customers: "9:15" (cs, sk), "09:15" (en). */
export function localClock(hhmm: string, lang: Lang): string {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  return m ? clockText(Number(m[1]), Number(m[2]), lang) : hhmm;
}

/** A calendar month (YYYY-MM, such as a statement's) for customers: "listopad 2026" (cs), "november 2026" (sk), "November 2026" (en). */
export function monthName(month: string, lang: Lang): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${MONTH_NAMES[lang][m - 1] ?? month} ${y}`;
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

/** Monday first (ISO days 1-7), short, as a range of days is written: "po–pá", "po–pi", "Mon–Fri". */
const DAYS_SHORT: Readonly<Record<Lang, readonly string[]>> = {
  cs: ['po', 'út', 'st', 'čt', 'pá', 'so', 'ne'],
  sk: ['po', 'ut', 'st', 'št', 'pi', 'so', 'ne'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};

/** One window of working hours as the hours are told: days of the week and local times. */
export interface HoursWindow {
  /** ISO days, 1 = Monday ... 7 = Sunday. */
  days: readonly number[];
  /** "08:30" */
  from: string;
  /** "17:00"; "24:00" the end of the day. */
  to: string;
}

/** "8:30" (cs, sk) or "08:30" (en) from "08:30". */
function hhmmText(hhmm: string, lang: Lang): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return clockText(h, m, lang);
}

/** The dash of a range: an en dash in Czech and Slovak, a hyphen in English (whose texts keep to plain ASCII, see src/messages/en.ts). */
const dash = (lang: Lang) => (lang === 'en' ? '-' : '–');

/** Days of the week in words: "v pracovní dny", "denně", "po–pá", "so, ne", "po–st, pá". */
function daysText(days: readonly number[], lang: Lang): string {
  const set = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  if (set.length === 7) return t(lang, 'hours.daily');
  if (set.join() === '1,2,3,4,5') return t(lang, 'hours.workingDays');
  const runs: string[] = [];
  for (let i = 0; i < set.length; ) {
    let j = i;
    while (j + 1 < set.length && (set[j + 1] as number) === (set[j] as number) + 1) j++;
    const first = DAYS_SHORT[lang][(set[i] as number) - 1] as string;
    const last = DAYS_SHORT[lang][(set[j] as number) - 1] as string;
    runs.push(j === i ? first : j === i + 1 ? `${first}, ${last}` : `${first}${dash(lang)}${last}`);
    i = j + 1;
  }
  return runs.join(', ');
}

/**
 * Working hours as customers are told them: "v pracovní dny 8:30–17:00", "po–pá 8:30–17:00,
 * so, ne 9:00–18:00", "on working days 08:30–17:00"; 'always': "nonstop". Windows with the same
 * days are joined ("po–pá 8:00–12:00 a 13:00–17:00").
 */
export function hoursText(hours: 'always' | HoursWindow | readonly HoursWindow[], lang: Lang): string {
  if (hours === 'always') return t(lang, 'hours.always');
  const windows: readonly HoursWindow[] = Array.isArray(hours) ? hours : [hours as HoursWindow];
  const byDays = new Map<string, HoursWindow[]>();
  for (const w of windows) {
    const key = [...new Set(w.days)].sort((a, b) => a - b).join();
    byDays.set(key, [...(byDays.get(key) ?? []), w]);
  }
  const and = ` ${t(lang, 'common.and')} `;
  return [...byDays.values()]
    .map((group) => {
      const spans = [...group].sort((a, b) => a.from.localeCompare(b.from)).map((w) => `${hhmmText(w.from, lang)}${dash(lang)}${hhmmText(w.to, lang)}`);
      return `${daysText(group[0]?.days ?? [], lang)} ${spans.join(and)}`;
    })
    .join(', ');
}
