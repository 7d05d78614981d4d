// Business time (src/domain/business-time.ts) and the service-level helpers built on it
// (src/domain/sla.ts): reaction deadlines over weekends, Czech and Slovak public holidays from
// the date-holidays library, company closures and both clock changes of 2026 in Prague.
import { describe, expect, it } from 'vitest';
import {
  addBusinessHours,
  businessMinutesBetween,
  isWorkingDay,
  minutesOfDay,
  parseLocalDateTime,
  publicHolidays,
  zonedTimeToUtc,
  type BusinessCalendar,
} from '../src/domain/business-time.js';
import { dayAndTime } from '../src/domain/date-format.js';
import { reactionDeadline, slaStatus, spanText, type TierLevel } from '../src/domain/sla.js';
import { parseConfig } from '../src/config/load.js';

const office = { days: [1, 2, 3, 4, 5], from: '08:30', to: '17:00' };
const cz: BusinessCalendar = { timeZone: 'Europe/Prague', hours: office, holidays: 'CZ', closures: [] };
const sk: BusinessCalendar = { ...cz, holidays: 'SK' };
const always: BusinessCalendar = { timeZone: 'Europe/Prague', hours: 'always', holidays: 'CZ', closures: [] };

/** An instant written as Prague wall time with its offset, e.g. "2026-11-20 16:30 +01". */
const at = (local: string): Date => {
  const [date, time, offset] = local.split(' ');
  return new Date(`${date}T${time}:00${offset}:00`);
};

/** The Prague wall time of an instant: "2026-11-23 12:00 +01". */
const prague = (d: Date): string => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Prague',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  const offset = (p.timeZoneName ?? '').replace('GMT', '');
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} +0${offset.slice(1)}`;
};

describe('addBusinessHours', () => {
  const table: Array<{ name: string; start: string; hours: number; cal: BusinessCalendar; end: string }> = [
    {
      name: 'a Friday 16:30 report on a 4 h tier: half an hour on Friday, the rest on Monday',
      start: '2026-11-20 16:30 +01',
      hours: 4,
      cal: cz,
      end: '2026-11-23 12:00 +01',
    },
    { name: 'ends exactly at closing time, not the next morning', start: '2026-11-20 16:00 +01', hours: 1, cal: cz, end: '2026-11-20 17:00 +01' },
    {
      name: 'a report on 24 December: 24-26 December are holidays, 27th is Sunday',
      start: '2026-12-24 10:00 +01',
      hours: 4,
      cal: cz,
      end: '2026-12-28 12:30 +01',
    },
    { name: 'a report on 23 December afternoon runs over Christmas', start: '2026-12-23 15:00 +01', hours: 4, cal: cz, end: '2026-12-28 10:30 +01' },
    { name: '28 October (Czech statehood day) is a day off', start: '2026-10-27 16:00 +01', hours: 2, cal: cz, end: '2026-10-29 09:30 +01' },
    { name: '17 November is a day off in Czechia', start: '2026-11-16 16:00 +01', hours: 2, cal: cz, end: '2026-11-18 09:30 +01' },
    {
      name: 'Good Friday and Easter Monday (from the library) make a four-day weekend',
      start: '2026-04-02 16:00 +02',
      hours: 4,
      cal: cz,
      end: '2026-04-07 11:30 +02',
    },
    {
      name: 'a configured closure on 31 December, then New Year',
      start: '2026-12-30 16:00 +01',
      hours: 2,
      cal: { ...cz, closures: ['2026-12-31'] },
      end: '2027-01-04 09:30 +01',
    },
    { name: 'without that closure, 31 December is a working day', start: '2026-12-30 16:00 +01', hours: 2, cal: cz, end: '2026-12-31 09:30 +01' },
    { name: 'a report on Saturday starts the clock on Monday morning', start: '2026-11-21 10:00 +01', hours: 4, cal: cz, end: '2026-11-23 12:30 +01' },
    { name: 'a report after hours starts the clock the next morning', start: '2026-11-24 19:00 +01', hours: 1, cal: cz, end: '2026-11-25 09:30 +01' },
    { name: 'a report before hours starts the clock at opening', start: '2026-11-24 06:00 +01', hours: 1, cal: cz, end: '2026-11-24 09:30 +01' },
    {
      name: 'a 24 h tier from Monday 10:00 runs to Wednesday closing (8.5 h a day)',
      start: '2026-11-23 10:00 +01',
      hours: 24,
      cal: cz,
      end: '2026-11-25 17:00 +01',
    },
    { name: 'spring: Friday to Monday over the night the clocks go forward', start: '2026-03-27 16:00 +01', hours: 4, cal: cz, end: '2026-03-30 11:30 +02' },
    { name: 'autumn: Friday to Monday over the night the clocks go back', start: '2026-10-23 16:00 +02', hours: 4, cal: cz, end: '2026-10-26 11:30 +01' },
    {
      name: '24/7 in spring: 4 h from 00:30 on 29 March is 05:30 local (one hour skipped)',
      start: '2026-03-29 00:30 +01',
      hours: 4,
      cal: always,
      end: '2026-03-29 05:30 +02',
    },
    {
      name: '24/7 in autumn: 4 h from 00:30 on 25 October is 03:30 local (one hour repeated)',
      start: '2026-10-25 00:30 +02',
      hours: 4,
      cal: always,
      end: '2026-10-25 03:30 +01',
    },
    { name: '24/7 ignores weekends and holidays', start: '2026-12-24 10:00 +01', hours: 4, cal: always, end: '2026-12-24 14:00 +01' },
    { name: 'Slovakia: 6 January (Epiphany) is a day off', start: '2026-01-05 16:00 +01', hours: 2, cal: sk, end: '2026-01-07 09:30 +01' },
    { name: 'Czechia: 6 January is a working day', start: '2026-01-05 16:00 +01', hours: 2, cal: cz, end: '2026-01-06 09:30 +01' },
    { name: 'Slovakia: 28 October is a working day', start: '2026-10-27 16:00 +01', hours: 2, cal: sk, end: '2026-10-28 09:30 +01' },
    { name: 'Slovakia 2023: 1 September (Constitution Day) was a day off', start: '2023-08-31 16:00 +02', hours: 2, cal: sk, end: '2023-09-04 09:30 +02' },
    { name: 'Czechia 2023: 1 September was a working day', start: '2023-08-31 16:00 +02', hours: 2, cal: cz, end: '2023-09-01 09:30 +02' },
  ];
  for (const row of table) {
    it(row.name, () => {
      expect(prague(addBusinessHours(at(row.start), row.hours, row.cal))).toBe(row.end);
    });
  }

  it('24/7 is exact elapsed time across both clock changes', () => {
    expect(addBusinessHours(at('2026-03-29 00:30 +01'), 4, always).getTime() - at('2026-03-29 00:30 +01').getTime()).toBe(4 * 3_600_000);
    expect(addBusinessHours(at('2026-10-25 00:30 +02'), 4, always).toISOString()).toBe('2026-10-25T02:30:00.000Z');
  });

  it('counts a working window that spans a clock change in real elapsed time', () => {
    // Open all day on Sundays: 29 March has 23 hours, 25 October has 25.
    const sundays: BusinessCalendar = { timeZone: 'Europe/Prague', hours: { days: [7], from: '00:00', to: '24:00' } };
    expect(prague(addBusinessHours(at('2026-03-29 00:00 +01'), 23, sundays))).toBe('2026-03-30 00:00 +02');
    expect(prague(addBusinessHours(at('2026-03-29 00:00 +01'), 3, sundays))).toBe('2026-03-29 04:00 +02');
    expect(prague(addBusinessHours(at('2026-10-25 00:00 +02'), 25, sundays))).toBe('2026-10-26 00:00 +01');
    expect(businessMinutesBetween(at('2026-03-29 00:00 +01'), at('2026-03-30 00:00 +02'), sundays)).toBe(23 * 60);
    expect(businessMinutesBetween(at('2026-10-25 00:00 +02'), at('2026-10-26 00:00 +01'), sundays)).toBe(25 * 60);
    // A window from 01:00 to 04:00 is two real hours on the spring night and four in autumn.
    const night: BusinessCalendar = { timeZone: 'Europe/Prague', hours: { days: [7], from: '01:00', to: '04:00' } };
    expect(businessMinutesBetween(at('2026-03-28 12:00 +01'), at('2026-03-30 12:00 +02'), night)).toBe(120);
    expect(businessMinutesBetween(at('2026-10-24 12:00 +02'), at('2026-10-26 12:00 +01'), night)).toBe(240);
  });

  it('refuses negative hours and a day that ends before it starts', () => {
    expect(() => addBusinessHours(at('2026-11-23 10:00 +01'), -1, cz)).toThrow(RangeError);
    expect(() => addBusinessHours(at('2026-11-23 10:00 +01'), 1, { ...cz, hours: { days: [1], from: '17:00', to: '08:30' } })).toThrow(/before the end/);
  });
});

describe('businessMinutesBetween', () => {
  it('counts only working minutes, signed', () => {
    expect(businessMinutesBetween(at('2026-11-20 16:30 +01'), at('2026-11-23 12:00 +01'), cz)).toBe(240);
    expect(businessMinutesBetween(at('2026-11-23 12:00 +01'), at('2026-11-20 16:30 +01'), cz)).toBe(-240);
    expect(businessMinutesBetween(at('2026-11-21 08:00 +01'), at('2026-11-22 20:00 +01'), cz)).toBe(0);
    expect(businessMinutesBetween(at('2026-12-23 16:00 +01'), at('2026-12-28 09:00 +01'), cz)).toBe(90);
  });

  it('is plain elapsed minutes for 24/7, across the clock change', () => {
    expect(businessMinutesBetween(at('2026-03-29 00:30 +01'), at('2026-03-29 05:30 +02'), always)).toBe(240);
    expect(businessMinutesBetween(at('2026-10-25 00:30 +02'), at('2026-10-25 03:30 +01'), always)).toBe(240);
  });

  it('inverts addBusinessHours', () => {
    for (const start of ['2026-11-20 16:30 +01', '2026-03-27 11:11 +01', '2026-10-23 16:59 +02', '2026-12-23 07:00 +01']) {
      for (const hours of [0.5, 4, 8, 24]) {
        expect(businessMinutesBetween(at(start), addBusinessHours(at(start), hours, cz), cz)).toBeCloseTo(hours * 60, 6);
      }
    }
  });
});

describe('holidays come from date-holidays', () => {
  it('has the Czech public holidays, Easter Monday computed for each year', () => {
    const y2026 = publicHolidays('CZ', 2026);
    for (const d of [
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-01',
      '2026-05-08',
      '2026-07-05',
      '2026-07-06',
      '2026-09-28',
      '2026-10-28',
      '2026-11-17',
      '2026-12-24',
      '2026-12-25',
      '2026-12-26',
    ]) {
      expect(y2026.has(d), d).toBe(true);
    }
    expect(publicHolidays('CZ', 2027).has('2027-03-29')).toBe(true); // Easter Monday 2027
    expect(y2026.has('2026-05-10')).toBe(false); // Mother's Day is an observance, not a day off
  });

  it('tells Slovak days off from Czech ones', () => {
    expect(isWorkingDay('2026-01-06', sk)).toBe(false);
    expect(isWorkingDay('2026-01-06', cz)).toBe(true);
    expect(isWorkingDay('2026-10-28', sk)).toBe(true);
    // 1 September stopped being a Slovak day off in 2024 (the library knows): a Tuesday at work.
    expect(isWorkingDay('2023-09-01', sk)).toBe(false);
    expect(isWorkingDay('2026-09-01', sk)).toBe(true);
    expect(isWorkingDay('2026-12-31', { ...cz, closures: ['2026-12-31'] })).toBe(false);
    expect(isWorkingDay('2026-12-26', { ...cz, holidays: null })).toBe(false); // a Saturday anyway
    expect(isWorkingDay('2026-12-24', { ...cz, holidays: null })).toBe(true);
  });
});

describe('reaction deadlines of the tiers', () => {
  const tiers: Record<string, TierLevel> = {
    none: { reactionHours: null, hours: office },
    PLUS: { reactionHours: 8, hours: office },
    VIP: { reactionHours: 4, hours: 'always' },
  };
  const calendar = { timeZone: 'Europe/Prague', holidays: 'CZ' as const, closures: [] };

  it("counts in the tier's hours on the company calendar", () => {
    const friday = at('2026-11-20 16:30 +01');
    expect(reactionDeadline(tiers, 'none', friday, calendar)).toBeNull();
    expect(reactionDeadline(tiers, 'unknown', friday, calendar)).toBeNull();
    expect(prague(reactionDeadline(tiers, 'PLUS', friday, calendar) as Date)).toBe('2026-11-23 16:00 +01');
    expect(prague(reactionDeadline(tiers, 'VIP', friday, calendar) as Date)).toBe('2026-11-20 20:30 +01');
  });

  it('tells where a ticket stands: running, warned at 75 %, breached, met or missed', () => {
    const createdAt = at('2026-11-20 16:30 +01');
    const deadline = at('2026-11-23 12:00 +01'); // 4 working hours
    const ticket = { createdAt, deadline, firstReactionAt: null };
    expect(slaStatus(ticket, at('2026-11-23 09:29 +01'), cz)).toMatchObject({ state: 'running', leftMinutes: 151 });
    expect(slaStatus(ticket, at('2026-11-23 10:59 +01'), cz).state).toBe('running');
    expect(slaStatus(ticket, at('2026-11-23 11:00 +01'), cz)).toMatchObject({ state: 'warning', leftMinutes: 60, used: 0.75 });
    expect(slaStatus(ticket, at('2026-11-23 12:00 +01'), cz)).toMatchObject({ state: 'breached', leftMinutes: 0 });
    expect(slaStatus({ ...ticket, firstReactionAt: at('2026-11-23 12:00 +01') }, at('2026-11-24 10:00 +01'), cz).state).toBe('met');
    expect(slaStatus({ ...ticket, firstReactionAt: at('2026-11-23 12:01 +01') }, at('2026-11-24 10:00 +01'), cz).state).toBe('missed');
    expect(slaStatus({ ...ticket, deadline: null }, at('2026-11-24 10:00 +01'), cz).state).toBe('none');
  });

  it("words the time for the customer in their language and the team's spans", () => {
    const d = at('2026-11-23 18:00 +01');
    expect(dayAndTime(d, 'Europe/Prague', 'cs')).toBe('pondělí 23. 11. v 18:00');
    expect(dayAndTime(d, 'Europe/Prague', 'sk')).toBe('pondelok 23. 11. o 18:00');
    expect(dayAndTime(d, 'Europe/Prague', 'en')).toBe('Monday 23 Nov at 18:00');
    expect(spanText(60)).toBe('1 h 0 min');
    expect(spanText(45.4)).toBe('45 min');
  });
});

describe('the configuration of tiers, calendar and SLA', () => {
  it('defaults to the published terms (docs/domain.md): working hours Mon-Fri 8:30-17:00, VIP 24/7, Czech holidays, warning at 75 %', () => {
    const c = parseConfig({});
    expect(c.tiers).toEqual({
      none: { reaction: null, resolution: null, includedHours: 0, hours: office },
      STANDARD: { reaction: '24h', resolution: null, includedHours: 1, hours: office },
      PLUS: { reaction: '8h', resolution: null, includedHours: 3, hours: office },
      VIP: { reaction: '4h', resolution: null, includedHours: 6, hours: 'always' },
    });
    expect(c.calendar).toEqual({ holidays: 'CZ', closures: [] });
    expect(c.sla).toEqual({ warnAt: 0.75 });
    expect(parseConfig({ tiers: { X: { reactionHours: 2, hours: { days: [6, 7] } } } }).tiers.X?.hours).toEqual({ days: [6, 7], from: '08:30', to: '17:00' });
  });

  const problem = (raw: unknown): string => {
    try {
      parseConfig(raw);
    } catch (error) {
      return (error as Error).message;
    }
    return 'accepted';
  };

  it('names the key and what was expected', () => {
    expect(problem({ tiers: { X: { hours: { from: '8:30' } } } })).toContain('tiers.X.hours.from: a time of day "HH:MM" (24-hour), such as "08:30"');
    expect(problem({ tiers: { X: { hours: { from: '18:00', to: '17:00' } } } })).toContain('tiers.X.hours.to: "to" must be later than "from"');
    expect(problem({ tiers: { X: { hours: { days: [0, 8] } } } })).toContain('tiers.X.hours.days.0: a day 1-7 (1 = Monday ... 7 = Sunday)');
    expect(problem({ tiers: { X: { hours: { days: [] } } } })).toContain('tiers.X.hours.days: at least one day');
    expect(problem({ tiers: { X: { hours: 'nonstop' } } })).toContain('tiers.X.hours: "always" (24/7) or working hours { days, from, to }');
    expect(problem({ calendar: { holidays: 'DE' } })).toContain('calendar.holidays: CZ, SK or null');
    expect(problem({ calendar: { closures: ['2026-02-30'] } })).toContain('calendar.closures.0: a date YYYY-MM-DD');
    expect(problem({ sla: { warnAt: 1 } })).toContain('sla.warnAt: a fraction above 0 and below 1');
    expect(problem({ slack: { onCall: ['C0CHANNEL'] } })).toContain('slack.onCall.0: a Slack user id (U...) or user group id (S...)');
    expect(problem({ discord: { onCall: ['role:x'] } })).toContain('discord.onCall.0: a Discord user id, or "role:" and a role id');
    expect(
      problem({
        calendar: { holidays: null, closures: ['2026-12-31'] },
        slack: { onCall: ['U0A', 'S0B'] },
        discord: { onCall: ['123456789012345678', 'role:234567890123456789'] },
      }),
    ).toBe('accepted');
  });
});

describe('local times typed by people (the CLI and the team commands)', () => {
  const tz = 'Europe/Prague';
  const iso = (d: Date | null) => d?.toISOString() ?? null;

  it('reads "2026-11-24 14:30", "2026-11-24T14:30" and "24. 11. 2026 14:30" as Prague time', () => {
    expect(iso(parseLocalDateTime('2026-11-24 14:30', tz))).toBe('2026-11-24T13:30:00.000Z');
    expect(iso(parseLocalDateTime('2026-11-24T14:30', tz))).toBe('2026-11-24T13:30:00.000Z');
    expect(iso(parseLocalDateTime('  2026-7-4 9:05  ', tz))).toBe('2026-07-04T07:05:00.000Z'); // summer: +02
    expect(iso(parseLocalDateTime('24. 11. 2026 14:30', tz))).toBe('2026-11-24T13:30:00.000Z');
    expect(iso(parseLocalDateTime('24.11.2026 14:30', tz))).toBe('2026-11-24T13:30:00.000Z');
    expect(iso(parseLocalDateTime(' 4.7.2026   9:05 ', tz))).toBe('2026-07-04T07:05:00.000Z');
    expect(iso(parseLocalDateTime('24. 11. 2026 14:30', 'Europe/London'))).toBe('2026-11-24T14:30:00.000Z');
  });

  it('refuses what is not one whole date and time', () => {
    for (const text of [
      '',
      'zítra',
      '14:30',
      '2026-11-24',
      'x2026-11-24 14:30',
      '2026-11-24 14:30x',
      '2026-11-24 14:3',
      '2026-11-24  14:30',
      '124. 11. 2026 14:30',
      '24. 11. 26 14:30',
      '24. 11. 2026 14:30 h',
      'a24. 11. 2026 14:30',
      '24. 11. 2026x14:30',
      '24. 11. 2026 123:30',
      '24. 11. 2026 14:3',
      '24 11 2026 14:30',
    ]) {
      expect(parseLocalDateTime(text, tz), text).toBeNull();
    }
  });

  it('refuses dates and times that do not exist', () => {
    for (const text of ['2026-02-29 10:00', '31. 4. 2026 10:00', '2026-13-01 10:00', '2026-00-10 10:00', '2026-11-24 24:00', '2026-11-24 14:60']) {
      expect(parseLocalDateTime(text, tz), text).toBeNull();
    }
    expect(iso(parseLocalDateTime('2028-02-29 23:59', tz))).toBe('2028-02-29T22:59:00.000Z');
    expect(iso(parseLocalDateTime('31. 12. 2026 0:00', tz))).toBe('2026-12-30T23:00:00.000Z');
  });

  it('reads a time skipped in spring as the time after the change, and a repeated one as its first occurrence', () => {
    // 29 March 2026: 02:00 -> 03:00; 25 October 2026: 03:00 -> 02:00.
    expect(zonedTimeToUtc({ y: 2026, m: 3, d: 29 }, 2 * 60 + 30, tz).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedTimeToUtc({ y: 2026, m: 10, d: 25 }, 2 * 60 + 30, tz).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(zonedTimeToUtc({ y: 2026, m: 10, d: 25 }, 3 * 60 + 30, tz).toISOString()).toBe('2026-10-25T02:30:00.000Z');
  });

  it('reads working hours as HH:MM, 24:00 being the end of the day', () => {
    expect(minutesOfDay('00:00')).toBe(0);
    expect(minutesOfDay('08:30')).toBe(510);
    expect(minutesOfDay('19:59')).toBe(1199);
    expect(minutesOfDay('24:00')).toBe(1440);
    for (const bad of ['8:30', '08:30 ', ' 08:30', '24:01', '25:00', '08:60', '0830', '']) {
      expect(() => minutesOfDay(bad), bad).toThrow(`"${bad}" is not a time of day HH:MM`);
    }
  });
});

describe('calendars that cannot be worked with', () => {
  const start = new Date('2026-11-24T09:00:00Z');
  it('refuses working hours that end before they start, or have no day', () => {
    for (const hours of [
      { days: [1], from: '17:00', to: '08:30' },
      { days: [1], from: '08:30', to: '08:30' },
    ]) {
      expect(() => addBusinessHours(start, 1, { ...cz, hours }), JSON.stringify(hours)).toThrow(
        `working hours ${hours.from}-${hours.to}: the start must be before the end`,
      );
      expect(() => businessMinutesBetween(start, new Date('2026-11-25T09:00:00Z'), { ...cz, hours })).toThrow('the start must be before the end');
    }
    for (const days of [[], [0], [8], [1.5], [-1]]) {
      expect(() => addBusinessHours(start, 1, { ...cz, hours: { ...office, days } }), JSON.stringify(days)).toThrow('working hours need at least one day 1-7');
    }
    // One valid day among invalid ones is enough.
    expect(addBusinessHours(start, 1, { ...cz, hours: { ...office, days: [0, 2, 9] } }).toISOString()).toBe('2026-11-24T10:00:00.000Z');
    expect(addBusinessHours(start, 1, { ...cz, hours: { ...office, days: [7, 8] } }).toISOString()).toBe('2026-11-29T08:30:00.000Z');
  });

  it('refuses a negative or unknown number of hours', () => {
    expect(() => addBusinessHours(start, -1, cz)).toThrow('cannot add -1 working hours');
    expect(() => addBusinessHours(start, Number.NaN, cz)).toThrow('cannot add NaN working hours');
    expect(() => addBusinessHours(start, Number.POSITIVE_INFINITY, always)).toThrow('cannot add Infinity working hours');
  });

  it('says so when the calendar has no working time for ten years', () => {
    const closures: string[] = [];
    for (let d = new Date('2026-11-24T00:00:00Z'); closures.length < 3_800; d = new Date(d.getTime() + 86_400_000)) closures.push(d.toISOString().slice(0, 10));
    expect(() => addBusinessHours(start, 1, { ...cz, closures })).toThrow('the calendar has no working time in 3700 days');
  });

  it('counts zero hours from the closing time as from the next opening', () => {
    expect(prague(addBusinessHours(at('2026-11-24 17:00 +01'), 0, cz))).toBe('2026-11-25 08:30 +01');
    expect(prague(addBusinessHours(at('2026-11-24 16:59 +01'), 0, cz))).toBe('2026-11-24 16:59 +01');
  });

  it('rejects a date that is not YYYY-MM-DD', () => {
    for (const bad of ['2026-1-05', '05. 01. 2026', '2026-01-05 ', 'x2026-01-05'])
      expect(() => isWorkingDay(bad, cz), bad).toThrow(`"${bad}" is not a date YYYY-MM-DD`);
    // 24/7 runs its clock every day, but its working days (for deadlines in working days) are Monday to Friday.
    expect(isWorkingDay('2026-01-04', always)).toBe(false); // a Sunday
    expect(isWorkingDay('2026-01-05', always)).toBe(true);
  });

  it('keeps observances that are not days off out of the holidays (a year no other test reads)', () => {
    const y2034 = publicHolidays('CZ', 2034);
    expect(y2034.has('2034-04-10')).toBe(true); // Easter Monday
    expect(y2034.has('2034-04-06')).toBe(false); // Maundy Thursday: an observance
    expect(y2034.has('2034-05-14')).toBe(false); // Mother's Day
  });
});
