/**
 * Public holidays of the countries whose calendars Linka knows, from the maintained
 * `date-holidays` library (public holidays only: never observances such as Mother's Day, and
 * never a hand-written list). Pure, cached per country and year.
 */
import Holidays from 'date-holidays';

/** A country whose public holidays are days off. */
export type HolidayCountry = 'CZ' | 'SK';

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
