/**
 * The text of a technician's `time` command (`/linka time T-2026-00042 45m 2026-11-30 cesta: …`)
 * besides the duration: the day of the work and the prefixes that say travel (with the
 * kilometres driven), (not) billable, and the rate the work is billed at. Pure: the queue
 * (src/services/queue.ts) logs what this reads.
 */
import { normalize } from '../shared/normalize.js';
import { localDateTime } from './billing-month.js';
import { parseLocalDateTime } from './business-time.js';
import { RATE_WORDS } from './prices.js';

/** How far back a technician may date logged work (`/linka time ID 45m 2026-11-30 ...`). */
export const MAX_WORK_DATE_AGE_DAYS = 62;

/** What the text of a `time` command says besides the activity. */
export interface TimeNote {
  /** The activity, without the leading date and prefixes. */
  activity: string;
  /** "travel:" / "cesta:": travel time. */
  travel: boolean;
  /** "free:" / "zdarma:" false, "billable:" / "placene:" / "paid:" true; null: the ticket's work category decides. */
  billable: boolean | null;
  /** "2026-11-30" or "@2026-11-30": the day of the work (YYYY-MM-DD as typed, not yet checked). */
  workDate: string | null;
  /**
   * The rate as the technician named it, not yet checked against the price list: a rate's word
   * ("konzultant:", "technician:", a configured name such as "senior:") or any name after
   * "sazba" / "sadzba" / "rate" ("sazba senior:"). Absent: the default rate.
   */
  rate?: string;
  /** "cesta 35km:" / "travel 35 km:": the kilometres driven (a whole number). */
  km?: number;
  /** The kilometres as typed when they are not a whole number of at most 4 digits ("12,5km"). */
  badKm?: string;
}

/**
 * Reads the leading date and prefixes of a `time` command's text, in any order and
 * combination: "cesta: zdarma: Plzeň", "zdarma: cesta 35km: …", "@2026-11-30 konzultant:
 * placene: Návrh". Of contradicting billing prefixes the last one counts, of rates the first.
 * `rateNames` are the price list's own rate names, read as prefixes besides the built-in words
 * ("senior:" when there is a rate "senior").
 */
export function parseTimeNote(text: string, rateNames: readonly string[] = []): TimeNote {
  const note: TimeNote = { activity: '', travel: false, billable: null, workDate: null };
  const names = new Set([...Object.keys(RATE_WORDS), ...rateNames.map(normalize)]);
  let rest = text.trim();
  for (;;) {
    const date = note.workDate === null ? /^@?(\d{4}-\d{2}-\d{2})(?:\s+|$)/.exec(rest) : null;
    if (date) {
      note.workDate = date[1] ?? null;
      rest = rest.slice(date[0].length);
      continue;
    }
    const travel = /^(?:travel|cesta)(?:\s+(\S+?)\s*km)?\s*:\s*/i.exec(rest);
    if (travel) {
      note.travel = true;
      const km = travel[1];
      if (km !== undefined) {
        if (/^\d{1,4}$/.test(km)) note.km = Number(km);
        else note.badKm = `${km}km`;
      }
      rest = rest.slice(travel[0].length);
      continue;
    }
    const prefix = /^(free|zdarma|billable|paid|placen[eé])\s*:\s*/i.exec(rest);
    if (prefix) {
      note.billable = !/^(free|zdarma)$/i.test(prefix[1] ?? '');
      rest = rest.slice(prefix[0].length);
      continue;
    }
    const named = /^(?:sazba|sadzba|rate)\s+([\p{L}\p{N}_-]+)\s*:\s*/iu.exec(rest);
    const word = named ?? /^([\p{L}][\p{L}\p{N}_-]*)\s*:\s*/u.exec(rest);
    if (word && (named || names.has(normalize(word[1] ?? '')))) {
      note.rate ??= word[1] ?? '';
      rest = rest.slice(word[0].length);
      continue;
    }
    break;
  }
  note.activity = rest.trim();
  return note;
}

/**
 * The instant a work date stands for (local noon of the day in `timeZone`), or null when it is
 * no date, lies after `now`'s local day, or more than MAX_WORK_DATE_AGE_DAYS before it.
 */
export function workDateAt(date: string, now: Date, timeZone: string): Date | null {
  const at = parseLocalDateTime(`${date} 12:00`, timeZone);
  if (!at) return null;
  const today = localDateTime(now, timeZone).date;
  const age = (Date.parse(`${today}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000;
  return age < 0 || age > MAX_WORK_DATE_AGE_DAYS ? null : at;
}
