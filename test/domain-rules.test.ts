// The business rules of src/domain that the database tests pin only slowly: payment amounts,
// due dates and reminders (payments.ts), service levels (sla.ts), the technicians' ticket card
// (ticket-card.ts), dates and times for each audience (date-format.ts), planned-maintenance lead times (maintenance.ts), which customers an outage
// concerns (outages.ts), money and phone numbers as people read them (money.ts, phone.ts), the
// text of a `time` command (time-note.ts) and billing months (billing-month.ts).
// Every expected value is written out by hand from the rule (docs/domain.md, README), never computed
// by the code under test. Company time is Europe/Prague: UTC+1 in winter, UTC+2 in summer.
import { describe, expect, it } from 'vitest';
import { dayAndTime, localDate, localTime, operatorTime } from '../src/domain/date-format.js';
import { localDateTime, localParts, monthOf, monthRange, parseMonth, MONTH_PATTERN } from '../src/domain/billing-month.js';
import { dueLeadTime, leadTimeText, parseLeadTime } from '../src/domain/maintenance.js';
import { formatMoney } from '../src/domain/money.js';
import { areaMatches, OUTAGE_SERVICES, OUTAGE_STATUSES } from '../src/domain/outages.js';
import { defaultDueDate, MAX_AMOUNT, monthEndDate, parseAmount, parseDate, paymentNoticeDue, type PaymentSchedule } from '../src/domain/payments.js';
import { maskPhone, toE164 } from '../src/domain/phone.js';
import { byUrgency, reactedInTime, reactionDeadline, slaStatus, spanText, tierCalendar, type SlaCalendar, type TierLevel } from '../src/domain/sla.js';
import { ticketCard, timeLeft, type CardInput } from '../src/domain/ticket-card.js';
import { MAX_WORK_DATE_AGE_DAYS, parseTimeNote, workDateAt } from '../src/domain/time-note.js';

const TZ = 'Europe/Prague';
const at = (iso: string) => new Date(iso);

// ---------------------------------------------------------------------------------------------
describe('money in minor units, as people read it', () => {
  it('groups thousands and writes the decimal part the Czech/Slovak way or the English way', () => {
    expect(formatMoney(123456, 'CZK', 'cs')).toBe('1 234,56 CZK');
    expect(formatMoney(123456, 'CZK', 'sk')).toBe('1 234,56 CZK');
    expect(formatMoney(123456, 'CZK', 'en')).toBe('1,234.56 CZK');
    expect(formatMoney(123456789, 'EUR', 'cs')).toBe('1 234 567,89 EUR');
    expect(formatMoney(123456789, 'EUR', 'en')).toBe('1,234,567.89 EUR');
    expect(formatMoney(100000, 'CZK', 'cs')).toBe('1 000,00 CZK');
    expect(formatMoney(99999, 'CZK', 'cs')).toBe('999,99 CZK');
  });

  it('always shows two decimal places, also for a few haléře and for nothing', () => {
    expect(formatMoney(5, 'CZK', 'cs')).toBe('0,05 CZK');
    expect(formatMoney(50, 'CZK', 'cs')).toBe('0,50 CZK');
    expect(formatMoney(100, 'CZK', 'en')).toBe('1.00 CZK');
    expect(formatMoney(0, 'CZK', 'cs')).toBe('0,00 CZK');
  });

  it('puts the sign before the amount of a credit', () => {
    expect(formatMoney(-123456, 'CZK', 'cs')).toBe('-1 234,56 CZK');
    expect(formatMoney(-5, 'EUR', 'en')).toBe('-0.05 EUR');
  });

  it('refuses anything that is not a whole number of minor units', () => {
    expect(() => formatMoney(12.5, 'CZK', 'cs')).toThrow('money must be an integer of minor units, got 12.5');
    expect(() => formatMoney(Number.NaN, 'CZK', 'cs')).toThrow('got NaN');
    expect(() => formatMoney(2 ** 53, 'CZK', 'cs')).toThrow('money must be an integer');
  });
});

// ---------------------------------------------------------------------------------------------
describe('phone numbers', () => {
  it('normalises Czech numbers to E.164 whichever way they are written', () => {
    expect(toE164('603123456')).toBe('+420603123456');
    expect(toE164(' 603 123 456 ')).toBe('+420603123456');
    expect(toE164('+420 603 123 456')).toBe('+420603123456');
    expect(toE164('00420603123456')).toBe('+420603123456');
    // "00" means "international" only at the start, not inside the number
    expect(toE164('777001234')).toBe('+420777001234');
  });

  it('reads a national number in the configured region, in any letter case', () => {
    expect(toE164('0905123456', 'SK')).toBe('+421905123456');
    expect(toE164('0905123456', 'sk')).toBe('+421905123456');
    expect(toE164('+421905123456')).toBe('+421905123456');
  });

  it('refuses what is not a valid phone number', () => {
    expect(toE164('')).toBeNull();
    expect(toE164('   ')).toBeNull();
    expect(toE164('abc')).toBeNull();
    expect(toE164('123456')).toBeNull();
    expect(toE164('+420 123')).toBeNull();
  });

  it('shows staff only the start and the last three digits', () => {
    expect(maskPhone('+420603123456')).toBe('+420 603 ••• 456');
    expect(maskPhone('+421905123456')).toBe('+421 905 ••• 456');
    expect(maskPhone('+4206031')).toBe('+420 603 ••• 031');
    expect(maskPhone('+420603')).toBe('•••');
    expect(maskPhone('')).toBe('•••');
  });
});

// ---------------------------------------------------------------------------------------------
describe('planned maintenance: lead times', () => {
  it.each([
    ['24h', 1440],
    ['1h', 60],
    ['90m', 90],
    ['30min', 30],
    ['2d', 2880],
    ['1h30m', 90],
    [' 1H ', 60],
    ['1d 2h 3m', 1563],
    [' 2 d 3 h 4 min ', 3064],
    ['1D2H', 1560],
  ])('reads "%s" as %i minutes', (text, minutes) => {
    expect(parseLeadTime(text)).toBe(minutes);
  });

  it.each(['', '   ', '0h', '0m', '0d0h0m', '5', 'abc', 'x1h', '1hx', '1h30', 'h', '1.5h', '-1h', '99999999999999999999d'])(
    'refuses "%s" (unreadable, zero or absurd)',
    (text) => {
      expect(parseLeadTime(text)).toBeNull();
    },
  );

  it('writes a lead time for people', () => {
    expect(leadTimeText(1440)).toBe('24 h');
    expect(leadTimeText(90)).toBe('1 h 30 min');
    expect(leadTimeText(61)).toBe('1 h 1 min');
    expect(leadTimeText(60)).toBe('1 h');
    expect(leadTimeText(45)).toBe('45 min');
    expect(leadTimeText(2880)).toBe('48 h');
    expect(leadTimeText(0)).toBe('0 min');
  });

  describe('which notice is due (default lead times 24 h and 1 h)', () => {
    const start = at('2026-11-24T22:00:00+01:00');
    const leads = [1440, 60];
    const earlier = (ms: number) => new Date(start.getTime() - ms);
    const H = 3_600_000;

    it('none while the start is more than 24 hours away', () => {
      expect(dueLeadTime(start, earlier(48 * H), leads)).toBeNull();
      expect(dueLeadTime(start, earlier(24 * H + 1), leads)).toBeNull();
    });

    it('the 24-hour notice from exactly 24 hours before the start, the 1-hour one from exactly 1 hour before', () => {
      expect(dueLeadTime(start, earlier(24 * H), leads)).toBe(1440);
      expect(dueLeadTime(start, earlier(2 * H), leads)).toBe(1440);
      expect(dueLeadTime(start, earlier(H + 1), leads)).toBe(1440);
      expect(dueLeadTime(start, earlier(H), leads)).toBe(60);
      expect(dueLeadTime(start, earlier(1), leads)).toBe(60);
    });

    it('a maintenance scheduled 30 minutes ahead gets only the 1-hour notice, whatever order the leads are in', () => {
      expect(dueLeadTime(start, earlier(30 * 60_000), leads)).toBe(60);
      expect(dueLeadTime(start, earlier(30 * 60_000), [60, 2880, 1440])).toBe(60);
      expect(dueLeadTime(start, earlier(30 * H), [60, 2880, 1440])).toBe(2880);
    });

    it('nothing once the maintenance has started, and nothing without lead times', () => {
      expect(dueLeadTime(start, start, leads)).toBeNull();
      expect(dueLeadTime(start, new Date(start.getTime() + 1), leads)).toBeNull();
      expect(dueLeadTime(start, earlier(H), [])).toBeNull();
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('outages: who is concerned', () => {
  it('lists the status-page statuses in their order and the services an outage can affect', () => {
    expect(OUTAGE_STATUSES).toEqual(['investigating', 'identified', 'monitoring', 'resolved']);
    expect(OUTAGE_SERVICES).toEqual(['internet', 'voip', 'wifi', 'tv', 'email']);
  });

  it('matches an area exactly, whatever the case and diacritics', () => {
    expect(areaMatches(['Plzeň-Bory'], { area: 'plzen-bory' })).toBe(true);
    expect(areaMatches(['PLZEN-BORY'], { area: 'Plzeň-Bory' })).toBe(true);
    expect(areaMatches(['Doubravka'], { area: 'Doubravka-sever' })).toBe(false);
    expect(areaMatches(['Plzeň-Bory'], { area: 'Plzeň' })).toBe(false);
    expect(areaMatches(['Praha', 'Doubravka'], { area: 'Doubravka' })).toBe(true);
    expect(areaMatches([], { area: 'Doubravka' })).toBe(false);
  });

  it('matches a name ending in * as a prefix ("Plzeň*" covers "Plzeň-Bory" and "Plzeň")', () => {
    expect(areaMatches(['Plzeň*'], { area: 'Plzeň-Bory' })).toBe(true);
    expect(areaMatches(['Plzeň*'], { area: 'plzen' })).toBe(true);
    expect(areaMatches(['Plzeň*'], { area: 'Praha' })).toBe(false);
    expect(areaMatches(['Plzeň*'], { area: 'Stará Plzeň' })).toBe(false);
    expect(areaMatches([' Plzeň* '], { area: 'Plzeň-Bory' })).toBe(true);
    // Without the star the name is exact.
    expect(areaMatches(['Plzeň'], { area: 'Plzeň-Bory' })).toBe(false);
  });

  it("also matches the customer's access point", () => {
    expect(areaMatches(['AP-Bory-1'], { area: 'Plzeň', accessPoint: 'ap-bory-1' })).toBe(true);
    expect(areaMatches(['AP-Bory*'], { area: null, accessPoint: 'AP-Bory-2' })).toBe(true);
    expect(areaMatches(['AP-Bory-1'], { area: 'Plzeň', accessPoint: 'AP-Bory-2' })).toBe(false);
  });

  it('never matches a customer without area and access point, nor an empty name or a lone star', () => {
    expect(areaMatches(['Plzeň*'], { area: null, accessPoint: null })).toBe(false);
    expect(areaMatches(['Plzeň*'], { area: null })).toBe(false);
    expect(areaMatches(['*'], { area: 'Plzeň' })).toBe(false);
    expect(areaMatches([''], { area: 'Plzeň' })).toBe(false);
    expect(areaMatches(['  '], { area: 'Plzeň' })).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
describe('payments: amounts from the accounting exports', () => {
  it.each([
    ['123450', 123450],
    [' 123450 ', 123450],
    ['0', 0],
    ['-500', -500],
    ['1 234,50', 123450],
    ['1234,5', 123450],
    ['1234.50', 123450],
    ['1.234,50', 123450],
    ['1,234.50', 123450],
    ['1\u00A0234,50', 123450],
    ['1\u202F234\u00A0567,89', 123456789],
    ['12 345 678,90', 1234567890],
    ['1.234.567,89', 123456789],
    ['-1 234,50', -123450],
    ['0,05', 5],
    ['0,5', 50],
    ['21474836,47', 2147483647],
    ['2147483647', 2147483647],
    ['-2147483647', -2147483647],
  ])('"%s" is %i minor units', (text, minor) => {
    expect(parseAmount(text)).toEqual({ minor });
  });

  it('refuses a grouped amount without decimals: minor units or crowns is unclear', () => {
    expect(parseAmount('1 234')).toEqual({ error: '"1 234" is unclear: write minor units (123400) or the amount with its decimal part (1 234,00)' });
    expect(parseAmount(' 12 345 678 ')).toEqual({
      error: '"12 345 678" is unclear: write minor units (1234567800) or the amount with its decimal part (12 345 678,00)',
    });
    expect(parseAmount('-1 234')).toEqual({ error: '"-1 234" is unclear: write minor units (123400) or the amount with its decimal part (-1 234,00)' });
  });

  it.each(['12,345', '1.234.50', '1,234,50', '1 234 50', '1234,567', 'abc', '', '12,3,4', '1 2345,00', ',50', '1234,', 'x1234,50', 'x1 234', '1 234 x'])(
    'refuses "%s" as not an amount',
    (text) => {
      expect(parseAmount(text)).toEqual({ error: `"${text.trim()}" is not an amount (minor units such as 123450, or 1 234,50)` });
    },
  );

  it('refuses what the database cannot store', () => {
    expect(MAX_AMOUNT).toBe(2147483647);
    expect(parseAmount('2147483648')).toEqual({ error: '"2147483648" is too large' });
    expect(parseAmount('-2147483648')).toEqual({ error: '"-2147483648" is too large' });
    expect(parseAmount('21474836,48')).toEqual({ error: '"21474836,48" is too large' });
    expect(parseAmount(' 99999999999999999999 ')).toEqual({ error: '"99999999999999999999" is too large' });
  });
});

describe('payments: dates', () => {
  it.each([
    ['2026-11-20', '2026-11-20'],
    [' 2026-11-20 ', '2026-11-20'],
    ['2026-2-3', '2026-02-03'],
    ['20. 11. 2026', '2026-11-20'],
    ['20.11.2026', '2026-11-20'],
    [' 3. 2. 2026 ', '2026-02-03'],
    ['29. 2. 2028', '2028-02-29'],
    ['31.12.2026', '2026-12-31'],
    ['1. 1. 0999', '0999-01-01'],
  ])('reads "%s" as %s', (text, date) => {
    expect(parseDate(text)).toBe(date);
  });

  it.each([
    '2026-02-29',
    '30. 2. 2026',
    '31. 4. 2026',
    '2026-13-01',
    '2026-00-10',
    '0. 1. 2026',
    '2026-11-31',
    '2026/11/20',
    '20.11.26',
    '20-11-2026',
    'zítra',
    '',
    '2026-11-20 09:00',
    // a year below 100 (Date.UTC would read "0026" as 1926)
    '0026-11-20',
    '20. 11. 0026',
  ])('refuses "%s" as not a real date', (text) => {
    expect(parseDate(text)).toBeNull();
  });

  it("defaults the due date to the due day of the current month in company time, or the month's last day", () => {
    expect(defaultDueDate(at('2026-11-05T10:00:00Z'), TZ, 20)).toBe('2026-11-20');
    // 23:30 UTC on 30 November is already 1 December in Prague
    expect(defaultDueDate(at('2026-11-30T23:30:00Z'), TZ, 20)).toBe('2026-12-20');
    expect(defaultDueDate(at('2026-11-30T23:30:00Z'), 'UTC', 20)).toBe('2026-11-20');
    expect(defaultDueDate(at('2026-02-10T10:00:00Z'), TZ, 31)).toBe('2026-02-28');
    expect(defaultDueDate(at('2028-02-10T10:00:00Z'), TZ, 31)).toBe('2028-02-29');
    expect(defaultDueDate(at('2026-04-10T10:00:00Z'), TZ, 31)).toBe('2026-04-30');
    expect(defaultDueDate(at('2026-01-10T10:00:00Z'), TZ, 31)).toBe('2026-01-31');
    expect(defaultDueDate(at('2026-03-10T10:00:00Z'), TZ, 5)).toBe('2026-03-05');
  });

  it("knows the last day of a due date's month (the services are restricted at its end)", () => {
    expect(monthEndDate('2026-11-20')).toBe('2026-11-30');
    expect(monthEndDate('2026-02-03')).toBe('2026-02-28');
    expect(monthEndDate('2028-02-10')).toBe('2028-02-29');
    expect(monthEndDate('2026-12-01')).toBe('2026-12-31');
    expect(monthEndDate('2026-07-31')).toBe('2026-07-31');
  });

  it('writes a date as the customer reads it, never as 3/2/2026 (March or February?)', () => {
    expect(localDate('2026-11-20', 'cs')).toBe('20. 11. 2026');
    expect(localDate('2026-11-20', 'sk')).toBe('20. 11. 2026');
    expect(localDate('2026-11-20', 'en')).toBe('20 Nov 2026');
    expect(localDate('2026-02-03', 'cs')).toBe('3. 2. 2026');
    expect(localDate('2026-02-03', 'en')).toBe('3 Feb 2026');
    expect(localDate('2026-09-30', 'en')).toBe('30 Sep 2026');
  });
});

describe('payments: which notice is due', () => {
  const schedule: PaymentSchedule = { reminderHour: 9, restrictionWarningDaysBeforeMonthEnd: 3 };
  const due = (dueDate: string, now: string, s: PaymentSchedule = schedule) => paymentNoticeDue(dueDate, at(now), TZ, s);

  it('nothing up to the due date and until the reminder hour of the next day', () => {
    expect(due('2026-11-20', '2026-11-01T08:00:00Z')).toBeNull();
    expect(due('2026-11-20', '2026-11-20T12:00:00Z')).toBeNull();
    // 9:00 in Prague on the 21st is 08:00 UTC (winter time)
    expect(due('2026-11-20', '2026-11-21T07:59:59.999Z')).toBeNull();
  });

  it('the reminder from 9:00 on the day after the due date (the 21st)', () => {
    expect(due('2026-11-20', '2026-11-21T08:00:00Z')).toEqual({ kind: 'reminder', month: '2026-11' });
    expect(due('2026-11-20', '2026-11-25T15:00:00Z')).toEqual({ kind: 'reminder', month: '2026-11' });
    expect(due('2026-11-20', '2026-11-27T07:59:59Z')).toEqual({ kind: 'reminder', month: '2026-11' });
  });

  it("the restriction warning from 9:00 three days before the month's last day (the 27th of November)", () => {
    expect(due('2026-11-20', '2026-11-27T08:00:00Z')).toEqual({ kind: 'warning', month: '2026-11' });
    expect(due('2026-11-20', '2026-11-30T22:59:59Z')).toEqual({ kind: 'warning', month: '2026-11' });
  });

  it('nothing once the month of the due date is over in company time', () => {
    // midnight of 1 December in Prague is 23:00 UTC on 30 November
    expect(due('2026-11-20', '2026-11-30T23:00:00Z')).toBeNull();
    expect(due('2026-11-20', '2026-12-05T08:00:00Z')).toBeNull();
    expect(due('2026-10-20', '2026-11-05T08:00:00Z')).toBeNull();
  });

  it('counts in summer time too (9:00 in July is 07:00 UTC)', () => {
    expect(due('2026-07-20', '2026-07-21T06:59:59Z')).toBeNull();
    expect(due('2026-07-20', '2026-07-21T07:00:00Z')).toEqual({ kind: 'reminder', month: '2026-07' });
    // July has 31 days: the warning from the 28th
    expect(due('2026-07-20', '2026-07-28T06:59:59Z')).toEqual({ kind: 'reminder', month: '2026-07' });
    expect(due('2026-07-20', '2026-07-28T07:00:00Z')).toEqual({ kind: 'warning', month: '2026-07' });
    expect(due('2026-07-20', '2026-07-31T21:59:59Z')).toEqual({ kind: 'warning', month: '2026-07' });
    expect(due('2026-07-20', '2026-07-31T22:00:00Z')).toBeNull();
  });

  it('follows the configured hour and number of days', () => {
    const late: PaymentSchedule = { reminderHour: 14, restrictionWarningDaysBeforeMonthEnd: 5 };
    expect(due('2026-11-20', '2026-11-21T12:59:00Z', late)).toBeNull();
    expect(due('2026-11-20', '2026-11-21T13:00:00Z', late)).toEqual({ kind: 'reminder', month: '2026-11' });
    expect(due('2026-11-20', '2026-11-25T12:59:00Z', late)).toEqual({ kind: 'reminder', month: '2026-11' });
    expect(due('2026-11-20', '2026-11-25T13:00:00Z', late)).toEqual({ kind: 'warning', month: '2026-11' });
  });

  it('never warns before the reminder would have gone out: a late due date gets the warning first', () => {
    // due on the 28th: the warning day (27th) has passed; nothing before 9:00 on the 29th
    expect(due('2026-11-28', '2026-11-28T12:00:00Z')).toBeNull();
    expect(due('2026-11-28', '2026-11-29T07:59:00Z')).toBeNull();
    expect(due('2026-11-28', '2026-11-29T08:00:00Z')).toEqual({ kind: 'warning', month: '2026-11' });
    // warned from the first notice when the warning period covers the whole month
    const long: PaymentSchedule = { reminderHour: 9, restrictionWarningDaysBeforeMonthEnd: 40 };
    expect(due('2026-11-05', '2026-11-06T07:59:00Z', long)).toBeNull();
    expect(due('2026-11-05', '2026-11-06T08:00:00Z', long)).toEqual({ kind: 'warning', month: '2026-11' });
  });

  it("a balance due on the month's last day is never reminded: the month is over by the next morning", () => {
    expect(due('2026-11-30', '2026-11-30T12:00:00Z')).toBeNull();
    expect(due('2026-11-30', '2026-12-01T08:00:00Z')).toBeNull();
    expect(due('2026-12-31', '2027-01-01T08:00:00Z')).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
describe('service levels', () => {
  const office = { days: [1, 2, 3, 4, 5], from: '08:30', to: '17:00' } as const;
  const tiers: Record<string, TierLevel> = {
    none: { reactionHours: null },
    STANDARD: { reactionHours: 24, hours: office },
    PLUS: { reactionHours: 2, hours: office },
    VIP: { reactionHours: 4, hours: 'always' },
    INSTANT: { reactionHours: 0, hours: office },
  };
  const calendar: SlaCalendar = { timeZone: TZ, holidays: 'CZ', closures: ['2026-11-24'] };

  it("a tier's calendar is its hours on the company's calendar; 24/7 for a tier without hours or an unknown one", () => {
    expect(tierCalendar(tiers, 'STANDARD', calendar)).toEqual({ timeZone: TZ, holidays: 'CZ', closures: ['2026-11-24'], hours: office });
    expect(tierCalendar(tiers, 'VIP', calendar)).toEqual({ timeZone: TZ, holidays: 'CZ', closures: ['2026-11-24'], hours: 'always' });
    expect(tierCalendar(tiers, 'none', calendar)).toEqual({ timeZone: TZ, holidays: 'CZ', closures: ['2026-11-24'], hours: 'always' });
    expect(tierCalendar(tiers, 'unknown')).toEqual({ hours: 'always' });
  });

  it('24/7 tiers react in plain elapsed hours', () => {
    expect(reactionDeadline(tiers, 'VIP', at('2026-11-20T16:00:00+01:00'), calendar)).toEqual(at('2026-11-20T20:00:00+01:00'));
    expect(reactionDeadline(tiers, 'VIP', at('2026-11-21T22:00:00+01:00'))).toEqual(at('2026-11-22T02:00:00+01:00'));
  });

  it('office-hours tiers count Mon-Fri 8:30-17:00 only (8.5 h a day)', () => {
    // Mon 9:00: 8 h on Monday, 8.5 h on Tuesday (a closure here, so not counted), ...
    // without the calendar: Mon 8 h + Tue 8.5 h + Wed 7.5 h -> Wed 16:00
    expect(reactionDeadline(tiers, 'STANDARD', at('2026-11-23T09:00:00+01:00'), { ...calendar, closures: [] })).toEqual(at('2026-11-25T16:00:00+01:00'));
    // with the company closed on Tuesday 24 November: Mon 8 h + Wed 8.5 h + Thu 7.5 h -> Thu 16:00
    expect(reactionDeadline(tiers, 'STANDARD', at('2026-11-23T09:00:00+01:00'), calendar)).toEqual(at('2026-11-26T16:00:00+01:00'));
    // 17 November is a Czech public holiday (a Tuesday): Mon 16 + Wed 18 + Thu 19 16:00
    expect(reactionDeadline(tiers, 'STANDARD', at('2026-11-16T09:00:00+01:00'), calendar)).toEqual(at('2026-11-19T16:00:00+01:00'));
    // Friday 16:00 + 2 h: one hour on Friday, one on Monday from 8:30
    expect(reactionDeadline(tiers, 'PLUS', at('2026-11-20T16:00:00+01:00'), calendar)).toEqual(at('2026-11-23T09:30:00+01:00'));
  });

  it('no deadline for a tier that promises no reaction, nor for an unknown tier', () => {
    expect(reactionDeadline(tiers, 'none', at('2026-11-20T16:00:00+01:00'), calendar)).toBeNull();
    expect(reactionDeadline(tiers, 'GOLD', at('2026-11-20T16:00:00+01:00'), calendar)).toBeNull();
  });

  it('a reaction by the deadline, to the millisecond, meets it', () => {
    const deadline = at('2026-11-23T12:00:00+01:00');
    expect(reactedInTime(at('2026-11-23T11:00:00+01:00'), deadline)).toBe(true);
    expect(reactedInTime(deadline, deadline)).toBe(true);
    expect(reactedInTime(new Date(deadline.getTime() + 1), deadline)).toBe(false);
  });

  describe('where a ticket stands', () => {
    const vip = { hours: 'always' as const };
    const ticket = { createdAt: at('2026-11-23T09:00:00Z'), deadline: at('2026-11-23T13:00:00Z'), firstReactionAt: null };

    it('without a deadline: none', () => {
      expect(slaStatus({ ...ticket, deadline: null }, at('2026-11-23T12:00:00Z'), vip)).toEqual({ state: 'none', leftMinutes: null, used: null });
    });

    it('running, then warned once 75 % of the reaction time is used, breached at the deadline', () => {
      expect(slaStatus(ticket, at('2026-11-23T09:00:00Z'), vip)).toEqual({ state: 'running', leftMinutes: 240, used: 0 });
      expect(slaStatus(ticket, at('2026-11-23T11:00:00Z'), vip)).toEqual({ state: 'running', leftMinutes: 120, used: 0.5 });
      expect(slaStatus(ticket, at('2026-11-23T11:59:00Z'), vip)).toEqual({ state: 'running', leftMinutes: 61, used: 179 / 240 });
      expect(slaStatus(ticket, at('2026-11-23T12:00:00Z'), vip)).toEqual({ state: 'warning', leftMinutes: 60, used: 0.75 });
      expect(slaStatus(ticket, at('2026-11-23T12:59:00Z'), vip)).toEqual({ state: 'warning', leftMinutes: 1, used: 239 / 240 });
      expect(slaStatus(ticket, at('2026-11-23T13:00:00Z'), vip)).toEqual({ state: 'breached', leftMinutes: 0, used: 1 });
      expect(slaStatus(ticket, at('2026-11-23T14:00:00Z'), vip)).toEqual({ state: 'breached', leftMinutes: -60, used: 1.25 });
    });

    it('warns at the configured fraction', () => {
      expect(slaStatus(ticket, at('2026-11-23T10:59:00Z'), vip, 0.5).state).toBe('running');
      expect(slaStatus(ticket, at('2026-11-23T11:00:00Z'), vip, 0.5).state).toBe('warning');
      expect(slaStatus(ticket, at('2026-11-23T12:00:00Z'), vip, 0.9).state).toBe('running');
    });

    it('once reacted: met or missed, decided by the first reaction, not by the clock', () => {
      expect(slaStatus({ ...ticket, firstReactionAt: at('2026-11-23T10:00:00Z') }, at('2026-11-23T14:00:00Z'), vip)).toEqual({
        state: 'met',
        leftMinutes: -60,
        used: 1.25,
      });
      expect(slaStatus({ ...ticket, firstReactionAt: at('2026-11-23T13:00:00Z') }, at('2026-11-23T14:00:00Z'), vip).state).toBe('met');
      expect(slaStatus({ ...ticket, firstReactionAt: at('2026-11-23T13:00:01Z') }, at('2026-11-23T12:00:00Z'), vip)).toEqual({
        state: 'missed',
        leftMinutes: 60,
        used: 0.75,
      });
    });

    it('measures the time used in business time: a weekend does not use up an office-hours ticket', () => {
      const cal = { timeZone: TZ, hours: office };
      // opened Friday 16:00, 2 business hours: Friday 16:00-17:00 and Monday 8:30-9:30
      const plus = { createdAt: at('2026-11-20T16:00:00+01:00'), deadline: at('2026-11-23T09:30:00+01:00'), firstReactionAt: null };
      expect(slaStatus(plus, at('2026-11-21T12:00:00+01:00'), cal)).toEqual({ state: 'running', leftMinutes: 60, used: 0.5 });
      expect(slaStatus(plus, at('2026-11-23T09:00:00+01:00'), cal)).toEqual({ state: 'warning', leftMinutes: 30, used: 0.75 });
      expect(slaStatus(plus, at('2026-11-23T09:30:00+01:00'), cal)).toEqual({ state: 'breached', leftMinutes: 0, used: 1 });
    });

    it('a ticket whose deadline leaves no business time counts as fully used, and is warned until the deadline passes', () => {
      const cal = { timeZone: TZ, hours: office };
      // opened on Saturday with a deadline at Monday's opening: 0 business minutes of budget
      const t0 = { createdAt: at('2026-11-21T10:00:00+01:00'), deadline: at('2026-11-23T08:30:00+01:00'), firstReactionAt: null };
      expect(slaStatus(t0, at('2026-11-22T10:00:00+01:00'), cal)).toEqual({ state: 'warning', leftMinutes: 0, used: 1 });
      expect(slaStatus(t0, at('2026-11-23T08:30:00+01:00'), cal)).toEqual({ state: 'breached', leftMinutes: 0, used: 1 });
      // a zero-hour tier: the deadline is the moment of opening
      expect(reactionDeadline(tiers, 'INSTANT', at('2026-11-23T10:00:00+01:00'), calendar)).toEqual(at('2026-11-23T10:00:00+01:00'));
    });
  });

  describe('the queue order: most urgent first', () => {
    type T = { id: string; deadline: Date | null; createdAt: Date };
    const tk = (id: string, deadline: string | null, createdAt: string): T => ({ id, deadline: deadline ? at(deadline) : null, createdAt: at(createdAt) });
    const order = (list: T[]) => [...list].sort(byUrgency).map((x) => x.id);

    it('tickets with a deadline before those without, then by deadline, then by age', () => {
      const a = tk('a', '2026-11-23T12:00:00Z', '2026-11-23T08:00:00Z');
      const b = tk('b', '2026-11-23T10:00:00Z', '2026-11-23T09:00:00Z');
      const c = tk('c', null, '2026-11-20T08:00:00Z');
      const d = tk('d', '2026-11-23T12:00:00Z', '2026-11-23T07:00:00Z');
      const e = tk('e', null, '2026-11-19T08:00:00Z');
      expect(order([a, b, c, d, e])).toEqual(['b', 'd', 'a', 'e', 'c']);
      expect(order([e, d, c, b, a])).toEqual(['b', 'd', 'a', 'e', 'c']);
      expect(order([c, e, a, d, b])).toEqual(['b', 'd', 'a', 'e', 'c']);
    });

    it('compares two tickets with the sign of their urgency', () => {
      const early = tk('early', '2026-11-23T10:00:00Z', '2026-11-23T09:00:00Z');
      const late = tk('late', '2026-11-23T12:00:00Z', '2026-11-23T08:00:00Z');
      const none = tk('none', null, '2026-11-01T08:00:00Z');
      expect(byUrgency(early, late)).toBeLessThan(0);
      expect(byUrgency(late, early)).toBeGreaterThan(0);
      expect(byUrgency(late, none)).toBeLessThan(0);
      expect(byUrgency(none, late)).toBeGreaterThan(0);
      expect(byUrgency(none, { ...none })).toBe(0);
      expect(byUrgency(early, { ...early })).toBe(0);
    });
  });

  it('writes spans for the team: hours and minutes, rounded, never negative', () => {
    expect(spanText(135)).toBe('2 h 15 min');
    expect(spanText(45)).toBe('45 min');
    expect(spanText(60)).toBe('1 h 0 min');
    expect(spanText(59.5)).toBe('1 h 0 min');
    expect(spanText(59.4)).toBe('59 min');
    expect(spanText(125)).toBe('2 h 5 min');
    expect(spanText(0)).toBe('0 min');
    expect(spanText(-5)).toBe('0 min');
  });

  it('tells the customer when a technician will react, in their language and company time', () => {
    const d = at('2026-11-23T17:00:00Z');
    expect(dayAndTime(d, TZ, 'cs')).toBe('pondělí 23. 11. v 18:00');
    expect(dayAndTime(d, TZ, 'sk')).toBe('pondelok 23. 11. o 18:00');
    expect(dayAndTime(d, TZ, 'en')).toBe('Monday 23 Nov at 18:00');
    expect(dayAndTime(at('2026-07-03T07:05:00Z'), TZ, 'cs')).toBe('pátek 3. 7. v 9:05');
    expect(dayAndTime(at('2026-07-03T07:05:00Z'), TZ, 'en')).toBe('Friday 3 Jul at 09:05');
    // The weekday of the local date: 23:30 on Sunday in Prague is still Sunday (22:30 UTC).
    expect(dayAndTime(at('2026-11-22T22:30:00Z'), TZ, 'sk')).toBe('nedeľa 22. 11. o 23:30');
    expect(dayAndTime(at('2026-11-24T23:10:00Z'), TZ, 'cs')).toBe('středa 25. 11. v 0:10');
  });
});

// ---------------------------------------------------------------------------------------------
describe('the ticket card the technicians see', () => {
  const base: CardInput = {
    number: 'T-2026-00042',
    category: 'internet',
    status: 'open',
    summary: 'Restart: ano · Kontrolky: svítí',
    tier: 'STANDARD',
    deadline: at('2026-11-23T12:00:00Z'),
    verified: true,
    likelyCustomerSide: false,
    claimedByName: null,
    resolvedAt: null,
    satisfaction: null,
    customer: { name: 'Jana Nováková', contractNumber: '2024-0153', area: 'Plzeň-Bory', phone: '+420603123456' },
  };
  const opts = { timeZone: TZ, lang: 'cs' as const, now: at('2026-11-23T10:00:00Z') };

  it('shows a waiting ticket with the customer, contract, area, masked phone, tier and deadline in local time', () => {
    expect(ticketCard(base, opts)).toEqual({
      number: 'T-2026-00042',
      status: 'open',
      title: 'T-2026-00042 · Nefunguje internet',
      state: 'Čeká na technika',
      fields: [
        { label: 'Zákazník', value: 'Jana Nováková' },
        { label: 'Smlouva', value: '2024-0153' },
        { label: 'Oblast', value: 'Plzeň-Bory' },
        { label: 'Telefon', value: '+420 603 ••• 456' },
        { label: 'Úroveň podpory', value: 'STANDARD' },
        { label: 'Reakce do', value: '23. 11. 2026 13:00' },
      ],
      summary: 'Restart: ano · Kontrolky: svítí',
      actions: [
        { action: 'claim', label: 'Převzít', style: 'primary' },
        { action: 'resolve', label: 'Vyřešeno', style: 'default' },
        { action: 'offer', label: 'Nabídnout placený výjezd', style: 'danger' },
      ],
    });
  });

  it('a claimed ticket names who holds it and can be released, resolved or offered', () => {
    const card = ticketCard({ ...base, status: 'claimed', claimedByName: 'Petr' }, opts);
    expect(card.status).toBe('claimed');
    expect(card.state).toBe('Převzal(a) Petr');
    expect(card.actions).toEqual([
      { action: 'release', label: 'Vrátit do fronty', style: 'default' },
      { action: 'resolve', label: 'Vyřešeno', style: 'default' },
      { action: 'offer', label: 'Nabídnout placený výjezd', style: 'danger' },
    ]);
    expect(ticketCard({ ...base, status: 'claimed', claimedByName: null }, opts).state).toBe('Převzal(a) ?');
  });

  it('a resolved or closed ticket has no buttons', () => {
    for (const status of ['resolved', 'closed']) {
      const card = ticketCard({ ...base, status, claimedByName: 'Petr', resolvedAt: at('2026-11-23T11:00:00Z') }, opts);
      expect(card.status).toBe('resolved');
      expect(card.state).toBe('Vyřešeno');
      expect(card.actions).toEqual([]);
    }
  });

  it('any other status is shown as waiting', () => {
    const card = ticketCard({ ...base, status: 'new' }, opts);
    expect(card.status).toBe('open');
    expect(card.state).toBe('Čeká na technika');
    expect(card.actions.map((a) => a.action)).toEqual(['claim', 'resolve', 'offer']);
  });

  it('an unidentified customer, a tier without deadline and the warnings a technician must see', () => {
    const card = ticketCard(
      {
        ...base,
        customer: null,
        deadline: null,
        tier: 'none',
        verified: false,
        likelyCustomerSide: true,
        workCategory: 'customer_fault',
        satisfaction: 0,
      },
      opts,
    );
    expect(card.fields).toEqual([
      { label: 'Zákazník', value: 'neověřený zákazník' },
      { label: 'Úroveň podpory', value: 'none' },
      { label: 'Reakce do', value: 'bez garance' },
      { label: '⚠️', value: 'Zákazník není ověřen, ověřte ho.' },
      { label: 'Druh práce', value: 'závada na straně zákazníka (placené)' },
      { label: '💶', value: 'Závada je nejspíš na straně zákazníka (placený výjezd).' },
      { label: 'Spokojenost', value: '0/5' },
    ]);
  });

  it('a customer without area or phone, a kind of work the catalogue does not know, a rating', () => {
    const card = ticketCard(
      {
        ...base,
        customer: { name: 'Firma s.r.o.', contractNumber: 'SK-77', area: null, phone: null },
        workCategory: 'migration',
        satisfaction: 5,
      },
      opts,
    );
    expect(card.fields).toEqual([
      { label: 'Zákazník', value: 'Firma s.r.o.' },
      { label: 'Smlouva', value: 'SK-77' },
      { label: 'Oblast', value: '—' },
      { label: 'Úroveň podpory', value: 'STANDARD' },
      { label: 'Reakce do', value: '23. 11. 2026 13:00' },
      { label: 'Druh práce', value: 'migration' },
      { label: 'Spokojenost', value: '5/5' },
    ]);
  });

  it("speaks the team's language", () => {
    const card = ticketCard({ ...base, category: 'wifi', status: 'claimed', claimedByName: 'Eva', workCategory: 'outage' }, { ...opts, lang: 'en' });
    // Opened during an outage: the provider's own system is down, an emergency (issue 16, rule 5).
    expect(card.title).toBe('🚨 T-2026-00042 · Home Wi-Fi not working');
    expect(card.state).toBe('Taken by Eva');
    expect(card.fields).toEqual([
      { label: '🚨', value: 'Emergency - comes first' },
      { label: 'Customer', value: 'Jana Nováková' },
      { label: 'Contract', value: '2024-0153' },
      { label: 'Area', value: 'Plzeň-Bory' },
      { label: 'Phone', value: '+420 603 ••• 456' },
      { label: 'Support tier', value: 'STANDARD' },
      { label: 'React by', value: '23 Nov 2026, 13:00' },
      { label: 'Kind of work', value: 'outage on our side (free)' },
    ]);
    expect(card.actions.map((a) => a.label)).toEqual(['Release', 'Resolve', 'Offer paid call-out']);
    const sk = ticketCard(base, { ...opts, lang: 'sk' });
    expect(sk.state).toBe('Čaká na technika');
    expect(sk.fields[5]).toEqual({ label: 'Reakcia do', value: '23. 11. 2026 13:00' });
  });

  it('writes times in company time, summer and winter: one format per language, day and month never ambiguous', () => {
    expect(localTime(at('2026-11-23T12:00:00Z'), TZ, 'cs')).toBe('23. 11. 2026 13:00');
    expect(localTime(at('2026-12-07T21:00:00Z'), TZ, 'sk')).toBe('7. 12. 2026 22:00');
    expect(localTime(at('2026-07-03T07:05:00Z'), TZ, 'cs')).toBe('3. 7. 2026 9:05');
    expect(localTime(at('2026-07-03T07:05:00Z'), TZ, 'en')).toBe('3 Jul 2026, 09:05');
    expect(localTime(at('2026-07-03T07:05:00Z'), 'UTC', 'en')).toBe('3 Jul 2026, 07:05');
    expect(localTime(at('2026-12-31T23:30:00Z'), TZ, 'en')).toBe('1 Jan 2027, 00:30');
    expect(localTime(at('2026-12-31T23:30:00Z'), TZ, 'cs')).toBe('1. 1. 2027 0:30');
  });

  it("writes the linka command's times for operators in English with the zone, summer and winter", () => {
    expect(operatorTime(at('2026-12-07T21:00:00Z'), TZ)).toBe('7 Dec 2026, 22:00 CET');
    expect(operatorTime(at('2026-07-03T07:05:00Z'), TZ)).toBe('3 Jul 2026, 09:05 CEST');
    expect(operatorTime(at('2026-07-03T07:05:00Z'), 'UTC')).toBe('3 Jul 2026, 07:05 UTC');
  });

  it('tells the time left to a deadline, or how long it is overdue', () => {
    const now = at('2026-11-23T10:00:00Z');
    const plus = (min: number) => new Date(now.getTime() + min * 60_000);
    expect(timeLeft(plus(135), now, 'cs')).toBe('zbývá 2 h 15 min');
    expect(timeLeft(plus(45), now, 'cs')).toBe('zbývá 45 min');
    expect(timeLeft(plus(60), now, 'en')).toBe('1 h 0 min left');
    expect(timeLeft(plus(59.5), now, 'en')).toBe('1 h 0 min left');
    expect(timeLeft(plus(0), now, 'en')).toBe('0 min left');
    expect(timeLeft(plus(-0.4), now, 'en')).toBe('0 min left');
    expect(timeLeft(plus(-45), now, 'cs')).toBe('po termínu 45 min');
    expect(timeLeft(plus(-90), now, 'en')).toBe('1 h 30 min overdue');
    expect(timeLeft(plus(-60), now, 'sk')).toBe('po termíne 1 h 0 min');
    expect(timeLeft(plus(-1), now, 'en')).toBe('1 min overdue');
  });
});

// ---------------------------------------------------------------------------------------------
describe("the text of a technician's time command", () => {
  it.each([
    ['  Oprava konektoru  ', { activity: 'Oprava konektoru', travel: false, billable: null, workDate: null }],
    ['cesta: zdarma: Plzeň', { activity: 'Plzeň', travel: true, billable: false, workDate: null }],
    ['travel: Plzeň', { activity: 'Plzeň', travel: true, billable: null, workDate: null }],
    ['Cesta : Plzeň', { activity: 'Plzeň', travel: true, billable: null, workDate: null }],
    ['@2026-11-30 placene: Nastavení', { activity: 'Nastavení', travel: false, billable: true, workDate: '2026-11-30' }],
    ['PAID: Školení', { activity: 'Školení', travel: false, billable: true, workDate: null }],
    ['placené: Školení', { activity: 'Školení', travel: false, billable: true, workDate: null }],
    ['free: Dotaz', { activity: 'Dotaz', travel: false, billable: false, workDate: null }],
    ['ZDARMA: Dotaz', { activity: 'Dotaz', travel: false, billable: false, workDate: null }],
    ['billable: free: Dotaz', { activity: 'Dotaz', travel: false, billable: false, workDate: null }],
    ['2026-11-30', { activity: '', travel: false, billable: null, workDate: '2026-11-30' }],
    ['2026-11-30 2026-12-01 Oprava', { activity: '2026-12-01 Oprava', travel: false, billable: null, workDate: '2026-11-30' }],
    ['2026-11-301 Oprava', { activity: '2026-11-301 Oprava', travel: false, billable: null, workDate: null }],
    ['@ 2026-11-30 Oprava', { activity: '@ 2026-11-30 Oprava', travel: false, billable: null, workDate: null }],
    ['zdarma cesta: Plzeň', { activity: 'zdarma cesta: Plzeň', travel: false, billable: null, workDate: null }],
    ['Oprava cesta: Plzeň', { activity: 'Oprava cesta: Plzeň', travel: false, billable: null, workDate: null }],
  ])('"%s"', (text, expected) => {
    expect(parseTimeNote(text)).toEqual(expected);
  });

  describe('the day of the work', () => {
    // Tuesday 1 December 2026, 11:00 in Prague
    const now = at('2026-12-01T10:00:00Z');

    it('stands for local noon of that day', () => {
      expect(workDateAt('2026-11-30', now, TZ)).toEqual(at('2026-11-30T12:00:00+01:00'));
      expect(workDateAt('2026-12-01', now, TZ)).toEqual(at('2026-12-01T12:00:00+01:00'));
      expect(workDateAt('2026-10-15', now, TZ)).toEqual(at('2026-10-15T12:00:00+02:00'));
    });

    it('may be up to 62 days back, never in the future', () => {
      expect(MAX_WORK_DATE_AGE_DAYS).toBe(62);
      // 1 December minus 62 days is 30 September
      expect(workDateAt('2026-09-30', now, TZ)).toEqual(at('2026-09-30T12:00:00+02:00'));
      expect(workDateAt('2026-09-29', now, TZ)).toBeNull();
      expect(workDateAt('2026-12-02', now, TZ)).toBeNull();
    });

    it('"today" is the company\'s local day', () => {
      // 23:30 UTC on 30 November is 00:30 on 1 December in Prague
      const justAfterMidnight = at('2026-11-30T23:30:00Z');
      expect(workDateAt('2026-12-01', justAfterMidnight, TZ)).toEqual(at('2026-12-01T12:00:00+01:00'));
      expect(workDateAt('2026-12-01', justAfterMidnight, 'UTC')).toBeNull();
    });

    it('is refused when it is no date', () => {
      expect(workDateAt('2026-11-31', now, TZ)).toBeNull();
      expect(workDateAt('yesterday', now, TZ)).toBeNull();
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('billing months in company time', () => {
  it('reads the wall clock of an instant', () => {
    expect(localParts(at('2026-11-30T23:30:45Z'), TZ)).toEqual({ year: 2026, month: 12, day: 1, hour: 0, minute: 30, second: 45 });
    expect(localParts(at('2026-07-15T10:05:09Z'), TZ)).toEqual({ year: 2026, month: 7, day: 15, hour: 12, minute: 5, second: 9 });
    expect(localParts(at('2026-07-15T00:00:00Z'), 'UTC')).toEqual({ year: 2026, month: 7, day: 15, hour: 0, minute: 0, second: 0 });
  });

  it('names the month and the local date and time of an instant', () => {
    expect(monthOf(at('2026-11-30T23:30:00Z'), TZ)).toBe('2026-12');
    expect(monthOf(at('2026-11-30T22:59:59Z'), TZ)).toBe('2026-11');
    expect(monthOf(at('0999-03-15T12:00:00Z'), 'UTC')).toBe('0999-03');
    expect(localDateTime(at('2026-01-05T07:04:00Z'), TZ)).toEqual({ date: '2026-01-05', time: '08:04' });
    expect(localDateTime(at('2026-12-31T23:00:00Z'), TZ)).toEqual({ date: '2027-01-01', time: '00:00' });
  });

  it('knows what a month is', () => {
    expect(parseMonth('2026-01')).toEqual({ year: 2026, month: 1 });
    expect(parseMonth('2026-12')).toEqual({ year: 2026, month: 12 });
    for (const bad of ['2026-00', '2026-13', '2026-1', '26-11', '2026-11-01', ' 2026-11', '2026-11 ', 'x2026-11']) expect(parseMonth(bad)).toBeNull();
    expect(MONTH_PATTERN.test('2026-09')).toBe(true);
  });

  it('a month runs from local midnight on its 1st to local midnight on the next 1st', () => {
    expect(monthRange('2026-11', TZ)).toEqual({ start: at('2026-10-31T23:00:00Z'), end: at('2026-11-30T23:00:00Z') });
    // December ends at the new year
    expect(monthRange('2026-12', TZ)).toEqual({ start: at('2026-11-30T23:00:00Z'), end: at('2026-12-31T23:00:00Z') });
    // March starts in winter time and ends in summer time
    expect(monthRange('2026-03', TZ)).toEqual({ start: at('2026-02-28T23:00:00Z'), end: at('2026-03-31T22:00:00Z') });
    expect(monthRange('2026-01', 'UTC')).toEqual({ start: at('2026-01-01T00:00:00Z'), end: at('2026-02-01T00:00:00Z') });
    expect(() => monthRange('2026-13', TZ)).toThrow('not a month (YYYY-MM): 2026-13');
  });
});
