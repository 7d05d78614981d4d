// Service hours that fit real contracts (docs/domain.md, "Service levels"): a tier's hours as a
// list of windows, and its reaction and resolution deadlines written in hours of the tier's
// working time, in working days, as "next working day", or as the billing-software vendor's
// "24 hours, or the next working day". Every expected value is worked out by hand in the row's
// comment, never computed by the code under test. Company time is Europe/Prague: UTC+1 in
// winter, UTC+2 in summer; the clocks change on 29 March and 25 October 2026.
import { describe, expect, it } from 'vitest';
import { addBusinessHours, businessMinutesBetween, isWorkingDay, type BusinessCalendar, type BusinessHours } from '../src/domain/business-time.js';
import { deadlineAfter, deadlineText, parseDeadline } from '../src/domain/deadlines.js';
import { reactionDeadline, resolutionDeadline, type TierLevel } from '../src/domain/sla.js';
import { parseConfig } from '../src/config/load.js';

const TZ = 'Europe/Prague';
const weekdays = [1, 2, 3, 4, 5];
const office: BusinessHours = { days: weekdays, from: '08:30', to: '17:00' };
/** The tier of the issue: Mon-Fri 08:30-17:00 and Sat-Sun 09:00-18:00. */
const twoWindows: BusinessHours = [
  { days: weekdays, from: '08:30', to: '17:00' },
  { days: [6, 7], from: '09:00', to: '18:00' },
];
const cal = (hours: BusinessHours, closures: string[] = []): BusinessCalendar => ({ timeZone: TZ, hours, holidays: 'CZ', closures });

/** An instant written as Prague wall time with its offset, e.g. "2026-11-20 16:30 +01". */
const at = (local: string): Date => {
  const [date, time, offset] = local.split(' ');
  return new Date(`${date}T${time}:00${offset}:00`);
};

/** The Prague wall time of an instant: "2026-11-23 12:00 +01". */
const prague = (d: Date): string => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: TZ,
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

const deadline = (start: string, rule: string, calendar: BusinessCalendar): string => {
  const parsed = parseDeadline(rule);
  if (!parsed) throw new Error(`"${rule}" is not a deadline`);
  return prague(deadlineAfter(at(start), parsed, calendar));
};

describe('a tier with two windows: Mon-Fri 08:30-17:00 and Sat-Sun 09:00-18:00', () => {
  const table: Array<[start: string, rule: string, end: string, why: string]> = [
    // Friday 16:30
    ['2026-11-20 16:30 +01', '4h', '2026-11-21 12:30 +01', 'half an hour to 17:00 on Friday, 3.5 h from 9:00 on Saturday'],
    ['2026-11-20 16:30 +01', 'next working day', '2026-11-21 18:00 +01', 'Saturday has a window, so it is a working day of this tier; it closes at 18:00'],
    ['2026-11-20 16:30 +01', '3 working days', '2026-11-23 17:00 +01', 'Saturday 1, Sunday 2, Monday 3; Monday closes at 17:00'],
    ['2026-11-20 16:30 +01', '24h or next working day', '2026-11-21 18:00 +01', '24 h is Saturday 16:30, the next working day ends Saturday 18:00: the later'],
    // Saturday 10:00
    ['2026-11-21 10:00 +01', '8h', '2026-11-21 18:00 +01', 'exactly the rest of Saturday: it ends at the closing time, not on Sunday morning'],
    ['2026-11-21 10:00 +01', '12h', '2026-11-22 13:00 +01', '8 h on Saturday, 4 h from 9:00 on Sunday'],
    ['2026-11-21 10:00 +01', '20h', '2026-11-23 11:30 +01', '8 h on Saturday, 9 h on Sunday, 3 h from 8:30 on Monday'],
    ['2026-11-21 10:00 +01', 'next working day', '2026-11-22 18:00 +01', 'Sunday, closing at 18:00'],
    // the day before a Czech public holiday
    ['2026-10-27 16:00 +01', '4h', '2026-10-29 11:30 +01', '1 h on Tuesday; Wednesday 28 October is a holiday; 3 h from 8:30 on Thursday'],
    ['2026-10-27 16:00 +01', 'next working day', '2026-10-29 17:00 +01', 'the holiday is no working day: Thursday, closing at 17:00'],
    [
      '2026-10-27 16:00 +01',
      '24h or next working day',
      '2026-10-29 17:00 +01',
      '24 h is Wednesday 16:00, on the holiday; the next working day ends Thursday 17:00',
    ],
    ['2026-12-23 16:00 +01', '4h', '2026-12-27 12:00 +01', '1 h on the 23rd; 24-26 December are holidays (the 26th a Saturday); 3 h from 9:00 on Sunday 27th'],
    ['2026-12-23 16:00 +01', '3 working days', '2026-12-29 17:00 +01', 'Sunday 27th 1, Monday 28th 2, Tuesday 29th 3'],
    // across the clock changes
    ['2026-10-24 17:00 +02', '4h', '2026-10-25 12:00 +01', 'autumn: 1 h on Saturday (summer time), 3 h from 9:00 on Sunday (winter time)'],
    ['2026-10-23 16:30 +02', '12h', '2026-10-25 11:30 +01', 'autumn: 0.5 h on Friday, 9 h on Saturday, 2.5 h from 9:00 on Sunday'],
    ['2026-10-24 20:00 +02', '24h or next working day', '2026-10-25 19:00 +01', 'autumn: 24 real hours after 20:00 CEST is 19:00 CET; later than Sunday 18:00'],
    ['2026-03-28 17:00 +01', '4h', '2026-03-29 12:00 +02', 'spring: 1 h on Saturday (winter time), 3 h from 9:00 on Sunday (summer time)'],
    ['2026-03-28 20:00 +01', '24h or next working day', '2026-03-29 21:00 +02', 'spring: 24 real hours after 20:00 CET is 21:00 CEST; later than Sunday 18:00'],
  ];
  for (const [start, rule, end, why] of table) {
    it(`${start}, ${rule}: ${why}`, () => {
      expect(deadline(start, rule, cal(twoWindows))).toBe(end);
    });
  }

  it('measures the working time over both windows, in real minutes across the clock change', () => {
    // Friday 16:30-17:00, Saturday 9:00-18:00, Sunday 9:00-12:00: 30 + 540 + 180 minutes.
    expect(businessMinutesBetween(at('2026-11-20 16:30 +01'), at('2026-11-22 12:00 +01'), cal(twoWindows))).toBe(750);
    // Saturday 17:00-18:00 (CET) and Sunday 9:00-12:00 (CEST): 4 hours.
    expect(businessMinutesBetween(at('2026-03-28 17:00 +01'), at('2026-03-29 12:00 +02'), cal(twoWindows))).toBe(240);
  });

  it('keeps one window a day and the lunch break of two windows on one day', () => {
    const lunch: BusinessHours = [
      { days: weekdays, from: '08:00', to: '12:00' },
      { days: weekdays, from: '13:00', to: '17:00' },
    ];
    // Monday 11:00: 1 h to noon, the second hour from 13:00.
    expect(prague(addBusinessHours(at('2026-11-23 11:00 +01'), 2, cal(lunch)))).toBe('2026-11-23 14:00 +01');
    // 12:30 is in the break: the clock starts at 13:00.
    expect(prague(addBusinessHours(at('2026-11-23 12:30 +01'), 1, cal(lunch)))).toBe('2026-11-23 14:00 +01');
    expect(businessMinutesBetween(at('2026-11-23 11:00 +01'), at('2026-11-23 14:00 +01'), cal(lunch))).toBe(120);
    // The working day ends when its last window closes.
    expect(deadline('2026-11-23 11:00 +01', 'next working day', cal(lunch))).toBe('2026-11-24 17:00 +01');
  });

  it('runs through midnight where one window ends at 24:00 and the next starts at 00:00', () => {
    // The VoIP distributor's variant 3 read as around the clock on weekdays, 9:00-18:00 at weekends.
    const variant3: BusinessHours = [
      { days: weekdays, from: '00:00', to: '24:00' },
      { days: [6, 7], from: '09:00', to: '18:00' },
    ];
    expect(prague(addBusinessHours(at('2026-11-23 23:00 +01'), 2, cal(variant3)))).toBe('2026-11-24 01:00 +01'); // Monday into Tuesday
    expect(prague(addBusinessHours(at('2026-11-20 23:00 +01'), 2, cal(variant3)))).toBe('2026-11-21 10:00 +01'); // Friday into Saturday 9:00
  });
});

describe('working days and the next working day over a weekend and a holiday', () => {
  const table: Array<[start: string, rule: string, calendar: BusinessCalendar, end: string, why: string]> = [
    ['2026-11-20 10:00 +01', 'next working day', cal(office), '2026-11-23 17:00 +01', 'Friday: the weekend is no working day, Monday closes at 17:00'],
    ['2026-11-21 10:00 +01', 'next working day', cal(office), '2026-11-23 17:00 +01', 'reported on Saturday: still Monday'],
    ['2026-11-16 10:00 +01', 'next working day', cal(office), '2026-11-18 17:00 +01', 'Monday 16th: Tuesday 17 November is a holiday, so Wednesday'],
    ['2026-11-23 07:00 +01', 'next working day', cal(office), '2026-11-24 17:00 +01', 'the day of the report never counts, even before opening'],
    ['2026-11-23 10:00 +01', '1 working day', cal(office), '2026-11-24 17:00 +01', '"1 working day" is the next working day'],
    ['2026-11-13 15:00 +01', '3 working days', cal(office), '2026-11-19 17:00 +01', 'Friday 13th: Monday 1, Tuesday a holiday, Wednesday 2, Thursday 3'],
    ['2026-12-23 09:00 +01', '2 working days', cal(office), '2026-12-29 17:00 +01', '24-25 December holidays, the weekend: Monday 28th 1, Tuesday 29th 2'],
    [
      '2026-12-29 10:00 +01',
      '3 working days',
      cal(office, ['2026-12-31']),
      '2027-01-05 17:00 +01',
      '30th 1, closed on the 31st, New Year, weekend: 4 January 2, 5th 3',
    ],
    ['2026-10-23 12:00 +02', 'next working day', cal(office), '2026-10-26 17:00 +01', 'Friday in summer time to Monday in winter time'],
    // 24 hours, or the next working day: the later of the two (docs/domain.md, "Service levels")
    ['2026-11-23 10:00 +01', '24h or next working day', cal(office), '2026-11-24 17:00 +01', 'Monday 10:00: Tuesday 10:00 or Tuesday 17:00: the later'],
    ['2026-11-23 20:00 +01', '24h or next working day', cal(office), '2026-11-24 20:00 +01', 'Monday 20:00: Tuesday 20:00 is later than Tuesday 17:00'],
    ['2026-11-20 10:00 +01', '24h or next working day', cal(office), '2026-11-23 17:00 +01', 'Friday 10:00: not Saturday 10:00 but Monday 17:00'],
    // 24/7: hours are elapsed time, but working days are still Monday to Friday without holidays,
    // and a working day ends at midnight.
    ['2026-11-20 22:00 +01', 'next working day', cal('always'), '2026-11-24 00:00 +01', 'Friday night: the end of Monday'],
    ['2026-12-23 10:00 +01', 'next working day', cal('always'), '2026-12-29 00:00 +01', 'the holidays and the weekend: the end of Monday 28th'],
    ['2026-12-24 10:00 +01', '4h', cal('always'), '2026-12-24 14:00 +01', 'hours of a 24/7 tier stay plain elapsed time, holiday or not'],
  ];
  for (const [start, rule, calendar, end, why] of table) {
    it(`${start}, ${rule}: ${why}`, () => {
      expect(deadline(start, rule, calendar)).toBe(end);
    });
  }

  it('tells working days: the days of the windows, or Monday to Friday for 24/7, without holidays and closures', () => {
    expect(isWorkingDay('2026-11-21', cal(twoWindows))).toBe(true); // a Saturday with a window
    expect(isWorkingDay('2026-11-21', cal(office))).toBe(false);
    expect(isWorkingDay('2026-11-21', cal('always'))).toBe(false);
    expect(isWorkingDay('2026-11-23', cal('always'))).toBe(true);
    expect(isWorkingDay('2026-12-26', cal(twoWindows))).toBe(false); // St Stephen's Day on a Saturday
    expect(isWorkingDay('2026-12-24', cal('always'))).toBe(false);
    expect(isWorkingDay('2026-12-31', cal('always', ['2026-12-31']))).toBe(false);
  });
});

describe('the deadline grammar', () => {
  it('reads hours, working days, the next working day and "24h or next working day", and writes each one way', () => {
    const read = (text: string) => {
      const rule = parseDeadline(text);
      return rule ? deadlineText(rule) : null;
    };
    expect(read('8h')).toBe('8h');
    expect(read('8 h')).toBe('8h');
    expect(read('8 hours')).toBe('8h');
    expect(read('1 hour')).toBe('1h');
    expect(read('1.5h')).toBe('1.5h');
    expect(read('3 working days')).toBe('3 working days');
    expect(read('  3  Working  Days ')).toBe('3 working days');
    expect(read('1 working day')).toBe('next working day');
    expect(read('next working day')).toBe('next working day');
    expect(read('24 hours or next working day')).toBe('24h or next working day');
    expect(read('24h or the next working day')).toBe('24h or next working day');
    for (const bad of ['', '8', 'h', '0h', '-1h', '3 days', '0 working days', '1.5 working days', 'next day', '24h or 3 working days', 'asap', '8h 30m']) {
      expect(read(bad), bad).toBeNull();
    }
  });
});

describe("the tiers' reaction and resolution deadlines", () => {
  const tiers: Record<string, TierLevel> = {
    VIP: { reaction: '24h or next working day', resolution: '3 working days', hours: office },
    OLD: { reactionHours: 8, hours: office },
    NONE: { reaction: null },
  };
  const calendar = { timeZone: TZ, holidays: 'CZ' as const, closures: [] };

  it('computes both from the opening, each by its own rule; none where the tier promises none', () => {
    const friday = at('2026-11-20 16:30 +01');
    expect(prague(reactionDeadline(tiers, 'VIP', friday, calendar) as Date)).toBe('2026-11-23 17:00 +01'); // Monday, the next working day
    expect(prague(resolutionDeadline(tiers, 'VIP', friday, calendar) as Date)).toBe('2026-11-25 17:00 +01'); // Mon 1, Tue 2, Wed 3
    expect(prague(reactionDeadline(tiers, 'OLD', friday, calendar) as Date)).toBe('2026-11-23 16:00 +01'); // 0.5 h Friday, 7.5 h Monday
    expect(resolutionDeadline(tiers, 'OLD', friday, calendar)).toBeNull();
    expect(reactionDeadline(tiers, 'NONE', friday, calendar)).toBeNull();
    expect(resolutionDeadline(tiers, 'unknown', friday, calendar)).toBeNull();
  });
});

describe('the configuration of service hours and deadlines', () => {
  const problem = (raw: unknown): string => {
    try {
      parseConfig(raw);
    } catch (error) {
      return (error as Error).message;
    }
    return 'accepted';
  };

  it('takes one window, a list of windows or "always"; reaction and resolution in the grammar; reactionHours still works', () => {
    const c = parseConfig({
      tiers: {
        V3: { hours: twoWindows, reaction: '1 hour', resolution: '24 hours' },
        V2: { hours: office, reaction: '2h', resolution: '2 working days' },
        ISP: { reaction: '24 hours or next working day' },
        START: { hours: { from: '08:00', to: '17:00' }, resolution: '3 working days' },
        OLD: { reactionHours: 8, hours: 'always' },
      },
    });
    expect(c.tiers).toEqual({
      V3: { reaction: '1h', resolution: '24h', includedHours: 0, hours: twoWindows },
      V2: { reaction: '2h', resolution: '2 working days', includedHours: 0, hours: office },
      ISP: { reaction: '24h or next working day', resolution: null, includedHours: 0, hours: office },
      START: { reaction: null, resolution: '3 working days', includedHours: 0, hours: { days: weekdays, from: '08:00', to: '17:00' } },
      OLD: { reaction: '8h', resolution: null, includedHours: 0, hours: 'always' },
    });
    // The built-in tiers are as before: the telecom operator's reaction times, no resolution promised.
    expect(parseConfig({}).tiers.PLUS).toEqual({ reaction: '8h', resolution: null, includedHours: 3, hours: office });
  });

  it('names the tier and the key of each mistake', () => {
    expect(problem({ tiers: { V3: { hours: [office, { days: [5, 6], from: '16:00', to: '20:00' }] } } })).toContain(
      'tiers.V3.hours: windows 1 (08:30-17:00) and 2 (16:00-20:00) overlap on Friday',
    );
    expect(problem({ tiers: { V3: { hours: [] } } })).toContain('tiers.V3.hours: at least one window');
    expect(problem({ tiers: { V3: { hours: [office, { days: [6], from: '18:00', to: '09:00' }] } } })).toContain(
      'tiers.V3.hours.1.to: "to" must be later than "from"',
    );
    expect(problem({ tiers: { GOLD: { resolution: '3 days' } } })).toContain(
      'tiers.GOLD.resolution: a deadline: "8h" (hours of the tier\'s working time), "3 working days", "next working day" or "24h or next working day"',
    );
    expect(problem({ tiers: { GOLD: { reaction: 8 } } })).toContain('tiers.GOLD.reaction: a deadline in quotes with its unit, such as "8h"');
    expect(problem({ tiers: { GOLD: { reaction: '0h' } } })).toContain('tiers.GOLD.reaction: a deadline:');
    expect(problem({ tiers: { GOLD: { reaction: '8h', reactionHours: 8 } } })).toContain(
      'tiers.GOLD.reaction: "reaction" and its older name "reactionHours" both given; keep "reaction"',
    );
    expect(problem({ tiers: { GOLD: { resolutionHours: 8 } } })).toContain('tiers.GOLD: unknown key "resolutionHours"');
    // Touching windows do not overlap.
    expect(
      problem({
        tiers: {
          V3: {
            hours: [
              { days: [1], from: '08:00', to: '12:00' },
              { days: [1], from: '12:00', to: '17:00' },
            ],
          },
        },
      }),
    ).toBe('accepted');
  });
});
