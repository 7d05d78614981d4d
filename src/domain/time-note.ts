/**
 * The text of a technician's `time` command (`/linka time T-2026-00042 45m 2026-11-30 cesta: …`)
 * besides the duration: the day of the work and the prefixes that say travel or (not) billable.
 * Pure: the queue (src/services/queue.ts) logs what this reads.
 */
import { localDateTime } from './billing-month.js';
import { parseLocalDateTime } from './business-time.js';

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
}

/**
 * Reads the leading date and prefixes of a `time` command's text, in any order and
 * combination: "cesta: zdarma: Plzeň", "zdarma: cesta: …", "@2026-11-30 placene: Nastavení".
 * Of contradicting billing prefixes the last one counts.
 */
export function parseTimeNote(text: string): TimeNote {
  const note: TimeNote = { activity: '', travel: false, billable: null, workDate: null };
  let rest = text.trim();
  for (;;) {
    const date = note.workDate === null ? /^@?(\d{4}-\d{2}-\d{2})(?:\s+|$)/.exec(rest) : null;
    if (date) {
      note.workDate = date[1] ?? null;
      rest = rest.slice(date[0].length);
      continue;
    }
    const prefix = /^(travel|cesta|free|zdarma|billable|paid|placen[eé])\s*:\s*/i.exec(rest);
    if (!prefix) break;
    const word = (prefix[1] ?? '').toLowerCase();
    if (word === 'travel' || word === 'cesta') note.travel = true;
    else note.billable = !(word === 'free' || word === 'zdarma');
    rest = rest.slice(prefix[0].length);
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
