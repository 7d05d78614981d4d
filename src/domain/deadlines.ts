/**
 * The deadlines a tier promises (reaction, resolution), as the providers' terms write them,
 * in a small grammar of the configuration (docs/domain.md, "Service levels"):
 *
 * - `8h` (`8 h`, `8 hours`, `1.5h`): hours of the tier's working time, counted by
 *   `addBusinessHours` (with `hours: always`, plain elapsed hours);
 * - `3 working days` (`1 working day`, `next working day`): by the end of the 3rd working day
 *   after the day of the report; the day of the report never counts ("do 3 pracovních dnů");
 * - `24h or next working day`: the billing-software vendor's VIP reaction, "do 24 hodin, resp.
 *   během následujícího pracovního dne": the LATER of 24 real hours after the report and the end
 *   of the next working day. See `deadlineAfter`.
 *
 * Pure: the start and the calendar come in.
 */
import { addBusinessHours, endOfWorkingDays, type BusinessCalendar } from './business-time.js';

/** A deadline rule, parsed. */
export type DeadlineRule =
  /** `hours` of the tier's working time. */
  | { kind: 'hours'; hours: number }
  /** The end of the `days`-th working day after the day of the report (1: the next working day). */
  | { kind: 'workingDays'; days: number }
  /** The later of `hours` real hours and the end of the next working day. */
  | { kind: 'hoursOrNextWorkingDay'; hours: number };

/** What a deadline may be written as, for error messages. */
export const DEADLINE_FORMS = 'a deadline: "8h" (hours of the tier\'s working time), "3 working days", "next working day" or "24h or next working day"';

/** The longest deadline we accept: a year of hours, a quarter of working days. */
const MAX_HOURS = 8760;
const MAX_WORKING_DAYS = 66;

const HOURS = String.raw`(\d{1,4}(?:\.\d{1,2})?)\s*(?:h|hours?)`;
const HOURS_ONLY = new RegExp(`^${HOURS}$`);
const WORKING_DAYS = /^(\d{1,2}) working days?$/;
const NEXT_WORKING_DAY = /^(?:the )?next working day$/;
const OR_NEXT_WORKING_DAY = new RegExp(`^${HOURS} or (?:the )?next working day$`);

function hoursOf(text: string | undefined): number | null {
  const hours = Number(text);
  return hours > 0 && hours <= MAX_HOURS ? hours : null;
}

/** Reads a deadline ("8h", "3 working days", "next working day", "24h or next working day"; any case and spacing); null when it is none of them. */
export function parseDeadline(text: string): DeadlineRule | null {
  const s = text.trim().toLowerCase().replace(/\s+/g, ' ');
  let m: RegExpExecArray | null;
  if ((m = HOURS_ONLY.exec(s))) {
    const hours = hoursOf(m[1]);
    return hours === null ? null : { kind: 'hours', hours };
  }
  if (NEXT_WORKING_DAY.test(s)) return { kind: 'workingDays', days: 1 };
  if ((m = WORKING_DAYS.exec(s))) {
    const days = Number(m[1]);
    return days >= 1 && days <= MAX_WORKING_DAYS ? { kind: 'workingDays', days } : null;
  }
  if ((m = OR_NEXT_WORKING_DAY.exec(s))) {
    const hours = hoursOf(m[1]);
    return hours === null ? null : { kind: 'hoursOrNextWorkingDay', hours };
  }
  return null;
}

/** The one way each rule is written: "8h", "3 working days", "next working day", "24h or next working day". */
export function deadlineText(rule: DeadlineRule): string {
  switch (rule.kind) {
    case 'hours':
      return `${rule.hours}h`;
    case 'workingDays':
      return rule.days === 1 ? 'next working day' : `${rule.days} working days`;
    case 'hoursOrNextWorkingDay':
      return `${rule.hours}h or next working day`;
  }
}

/**
 * The deadline of a report at `start` under `rule`, on the tier's calendar `cal`.
 *
 * "24h or next working day" is the billing-software vendor's "s garantovanou reakční dobou do 24
 * hodin, resp. během následujícího pracovního dne, od vznesení požadavku": the vendor keeps its
 * word by reacting within 24 hours OR during the following working day, so it is late only when
 * both have passed: the later of the two. The "resp." is there for the reports that 24 hours
 * would carry into a weekend or a holiday (a Friday morning's report is due on Monday, not on
 * Saturday morning). Its hours are real hours, as the vendor's are: 24 hours of office time
 * would be three office days, far past the next working day it offers as the alternative.
 */
export function deadlineAfter(start: Date, rule: DeadlineRule, cal: BusinessCalendar): Date {
  switch (rule.kind) {
    case 'hours':
      return addBusinessHours(start, rule.hours, cal);
    case 'workingDays':
      return endOfWorkingDays(start, rule.days, cal);
    case 'hoursOrNextWorkingDay': {
      const hours = start.getTime() + Math.round(rule.hours * 3_600_000);
      return new Date(Math.max(hours, endOfWorkingDays(start, 1, cal).getTime()));
    }
  }
}
