// The billing rules (src/domain/billing.ts): rounding per case, included hours first and
// never rolled over, travel apart, month boundaries in Prague, integer money.
import { describe, expect, it } from 'vitest';
import {
  amountFor,
  billMonth,
  includedMinutesOf,
  initialWorkCategory,
  isFreeWork,
  parseWorkCategory,
  roundUp,
  WORK_CATEGORIES,
  type BillingEntry,
  type BillingTerms,
} from '../src/domain/billing.js';
import { parseTimeNote } from '../src/domain/time-note.js';
import { formatMinutes } from '../src/shared/time.js';
import { localDateTime, monthOf, monthRange, parseMonth } from '../src/domain/billing-month.js';

const TZ = 'Europe/Prague';
const CZK: BillingTerms = { hourlyRate: 100_000, incrementMinutes: 15, travelFee: 0, includedMinutes: 0 };

let seq = 0;
function entry(ticketNumber: string, at: string, minutes: number, opts: Partial<BillingEntry> = {}): BillingEntry {
  seq += 1;
  return {
    id: `e${String(seq).padStart(3, '0')}`,
    ticketNumber,
    at: new Date(at),
    technician: 'slack:U1',
    technicianName: 'Petr',
    minutes,
    activity: `práce ${seq}`,
    billable: true,
    travel: false,
    ...opts,
  };
}

/** Rounded / included / billed / amount of each line, for compact expectations. */
const cols = (s: ReturnType<typeof billMonth>) =>
  s.lines.map((l) => [l.ticketNumber, l.kind, l.minutes, l.roundedMinutes, l.includedMinutes, l.billedMinutes, l.amount]);

describe('rounding up to the increment, per case', () => {
  it('7 min is billed as 15, 16 as 30 (at 1 000 CZK/h: 250 and 500 CZK)', () => {
    const s = billMonth([entry('T-1', '2026-11-03T09:00:00Z', 7), entry('T-2', '2026-11-04T09:00:00Z', 16)], CZK, '2026-11', TZ);
    expect(cols(s)).toEqual([
      ['T-1', 'work', 7, 15, 0, 15, 25_000],
      ['T-2', 'work', 16, 30, 0, 30, 50_000],
    ]);
    expect(s.totals).toMatchObject({ minutes: 23, roundedMinutes: 45, billedMinutes: 45, amount: 75_000 });
  });

  it('rounds the case, not each entry: three 5-minute entries on one case are 15 minutes, on three cases 45', () => {
    const one = billMonth(
      ['09:00', '10:00', '11:00'].map((h) => entry('T-1', `2026-11-03T${h}:00Z`, 5)),
      CZK,
      '2026-11',
      TZ,
    );
    expect(one.lines.map((l) => l.roundedMinutes)).toEqual([15, 0, 0]); // the first entry started the block; the others fit in it
    expect(one.totals).toMatchObject({ minutes: 15, roundedMinutes: 15, billedMinutes: 15, amount: 25_000 });
    const three = billMonth(
      ['T-1', 'T-2', 'T-3'].map((n) => entry(n, '2026-11-03T09:00:00Z', 5)),
      CZK,
      '2026-11',
      TZ,
    );
    expect(three.totals).toMatchObject({ roundedMinutes: 45, amount: 75_000 });
  });

  it('a line carries the blocks its minutes started: 7 + 16 on one case -> 15 + 15 (23 -> 30)', () => {
    const s = billMonth([entry('T-1', '2026-11-03T09:00:00Z', 7), entry('T-1', '2026-11-03T10:00:00Z', 16)], CZK, '2026-11', TZ);
    expect(s.lines.map((l) => l.roundedMinutes)).toEqual([15, 15]);
    expect(s.totals.roundedMinutes).toBe(30);
  });

  it('in blocks of 30: 20 -> 30, 31 -> 60, and 10 + 10 + 15 on one case -> 60', () => {
    const terms = { ...CZK, incrementMinutes: 30 };
    const s = billMonth(
      [
        entry('T-1', '2026-11-03T09:00:00Z', 20),
        entry('T-2', '2026-11-04T09:00:00Z', 31),
        entry('T-3', '2026-11-05T09:00:00Z', 10),
        entry('T-3', '2026-11-05T10:00:00Z', 10),
        entry('T-3', '2026-11-05T11:00:00Z', 15),
      ],
      terms,
      '2026-11',
      TZ,
    );
    expect(s.lines.map((l) => [l.ticketNumber, l.roundedMinutes])).toEqual([
      ['T-1', 30],
      ['T-2', 60],
      ['T-3', 30],
      ['T-3', 0],
      ['T-3', 30],
    ]);
    expect(s.totals.roundedMinutes).toBe(150);
    expect(roundUp(0, 30)).toBe(0);
    expect(roundUp(30, 30)).toBe(30);
  });
});

describe('included hours', () => {
  it('are used first, case by case in the order the cases began, and split the case that exhausts them', () => {
    const terms = { ...CZK, includedMinutes: 180 }; // PLUS: 3 h
    // Given out of order on purpose, and numbered against the calendar: the order is the cases' first entries.
    const s = billMonth(
      [
        entry('T-4', '2026-11-12T09:00:00Z', 40), // third -> 45: 15 included, 30 billed (the split)
        entry('T-9', '2026-11-02T09:00:00Z', 100), // first -> 105, all included
        entry('T-1', '2026-11-05T09:00:00Z', 50), // second -> 60, all included (165 used)
        entry('T-2', '2026-11-20T09:00:00Z', 10), // fourth -> 15, all billed
      ],
      terms,
      '2026-11',
      TZ,
    );
    expect(cols(s)).toEqual([
      ['T-9', 'work', 100, 105, 105, 0, 0],
      ['T-1', 'work', 50, 60, 60, 0, 0],
      ['T-4', 'work', 40, 45, 15, 30, 50_000],
      ['T-2', 'work', 10, 15, 0, 15, 25_000],
    ]);
    expect(s.totals).toMatchObject({ includedMinutes: 180, includedUsedMinutes: 180, includedLeftMinutes: 0, billedMinutes: 45, amount: 75_000 });
  });

  it('go to a whole case before the next one begins, even when their entries interleave', () => {
    const s = billMonth(
      [entry('T-A', '2026-11-02T09:00:00Z', 30), entry('T-B', '2026-11-10T09:00:00Z', 30), entry('T-A', '2026-11-20T09:00:00Z', 30)],
      { ...CZK, includedMinutes: 60 },
      '2026-11',
      TZ,
    );
    expect(cols(s)).toEqual([
      ['T-A', 'work', 30, 30, 30, 0, 0],
      ['T-A', 'work', 30, 30, 30, 0, 0],
      ['T-B', 'work', 30, 30, 0, 30, 50_000],
    ]);
  });

  it('split inside one entry: 60 rounded minutes with 30 included left -> 30 included, 30 billed', () => {
    const s = billMonth([entry('T-A', '2026-11-02T09:00:00Z', 30), entry('T-B', '2026-11-03T09:00:00Z', 55)], { ...CZK, includedMinutes: 60 }, '2026-11', TZ);
    expect(cols(s)[1]).toEqual(['T-B', 'work', 55, 60, 30, 30, 50_000]);
  });

  it('do not roll over: what October left unused does not help November', () => {
    const terms = { ...CZK, includedMinutes: 180 };
    const entries = [
      entry('T-OCT', '2026-10-10T09:00:00Z', 30), // October uses 30 of 180; 150 are lost at month end
      entry('T-NOV', '2026-11-10T09:00:00Z', 200), // -> 210: 180 included, 30 billed (not 210 included)
    ];
    const october = billMonth(entries, terms, '2026-10', TZ);
    expect(october.totals).toMatchObject({ includedUsedMinutes: 30, includedLeftMinutes: 150, amount: 0 });
    const november = billMonth(entries, terms, '2026-11', TZ);
    expect(cols(november)).toEqual([['T-NOV', 'work', 200, 210, 180, 30, 50_000]]);
    expect(november.totals).toMatchObject({ includedMinutes: 180, includedUsedMinutes: 180, includedLeftMinutes: 0, amount: 50_000 });
  });

  it('come from the tier: hours to minutes, unknown tiers and tiers without hours include none', () => {
    const tiers = { none: { includedHours: 0 }, PLUS: { includedHours: 3 }, HALF: { includedHours: 1.5 }, OLD: {} };
    expect(includedMinutesOf(tiers, 'PLUS')).toBe(180);
    expect(includedMinutesOf(tiers, 'HALF')).toBe(90);
    expect(includedMinutesOf(tiers, 'none')).toBe(0);
    expect(includedMinutesOf(tiers, 'OLD')).toBe(0);
    expect(includedMinutesOf(tiers, 'GOLD')).toBe(0);
  });
});

describe('non-billable and travel entries', () => {
  it('non-billable work is listed, costs nothing, uses no included minutes and does not move the rounding', () => {
    const s = billMonth(
      [entry('T-1', '2026-11-03T09:00:00Z', 40, { billable: false, activity: 'Závada na straně poskytovatele' }), entry('T-1', '2026-11-03T10:00:00Z', 5)],
      { ...CZK, includedMinutes: 0 },
      '2026-11',
      TZ,
    );
    expect(cols(s)).toEqual([
      ['T-1', 'non-billable', 40, 0, 0, 0, 0],
      ['T-1', 'work', 5, 15, 0, 15, 25_000],
    ]);
    expect(s.lines[0]?.activity).toBe('Závada na straně poskytovatele');
    expect(s.totals).toMatchObject({ minutes: 45, nonBillableMinutes: 40, workMinutes: 5, roundedMinutes: 15, amount: 25_000 });
  });

  it('travel is rounded per case on its own, billed at the rate, never from included hours, plus one fee per case with travel', () => {
    const terms = { ...CZK, includedMinutes: 600, travelFee: 35_000 };
    const s = billMonth(
      [
        entry('T-1', '2026-11-03T08:00:00Z', 20, { travel: true, activity: 'Cesta tam' }),
        entry('T-1', '2026-11-03T08:30:00Z', 50, { activity: 'Výměna routeru' }),
        entry('T-1', '2026-11-03T09:30:00Z', 20, { travel: true, activity: 'Cesta zpět' }),
        entry('T-2', '2026-11-04T08:00:00Z', 10, { travel: true }),
        entry('T-3', '2026-11-05T08:00:00Z', 30, { travel: true, billable: false, activity: 'Cesta (chyba na naší straně)' }),
      ],
      terms,
      '2026-11',
      TZ,
    );
    expect(cols(s)).toEqual([
      ['T-1', 'travel', 20, 30, 0, 30, 50_000], // 20 -> 30
      ['T-1', 'work', 50, 60, 60, 0, 0], // work from included hours
      ['T-1', 'travel', 20, 15, 0, 15, 25_000], // 40 -> 45 for the case's travel: 15 more
      ['T-1', 'travel-fee', 0, 0, 0, 0, 35_000], // once for the case, not per trip
      ['T-2', 'travel', 10, 15, 0, 15, 25_000],
      ['T-2', 'travel-fee', 0, 0, 0, 0, 35_000],
      ['T-3', 'non-billable', 30, 0, 0, 0, 0], // non-billable travel: no time billed, no fee
    ]);
    const fee = s.lines[3];
    expect(fee).toMatchObject({ activity: '', travel: true, date: '2026-11-03', time: '09:00' }); // shown at the case's first trip
    expect(s.totals).toMatchObject({
      travelMinutes: 50,
      roundedTravelMinutes: 60,
      roundedWorkMinutes: 60,
      includedUsedMinutes: 60,
      includedLeftMinutes: 540,
      billedMinutes: 60,
      travelFees: 2,
      travelFeeAmount: 70_000,
      amount: 170_000,
    });
  });

  it('no fee line when the travel fee is 0', () => {
    const s = billMonth([entry('T-1', '2026-11-03T08:00:00Z', 20, { travel: true })], CZK, '2026-11', TZ);
    expect(s.lines.map((l) => l.kind)).toEqual(['travel']);
  });
});

describe('months in the company time zone (Europe/Prague)', () => {
  it("23:30 UTC on 30 November is 1 December 00:30 in Prague: on December's statement, not November's", () => {
    const late = entry('T-1', '2026-11-30T23:30:00Z', 10);
    const early = entry('T-2', '2026-10-31T23:30:00Z', 10); // 1 November 00:30 in Prague
    const inside = entry('T-3', '2026-11-30T22:59:00Z', 10); // 30 November 23:59
    expect(billMonth([late, early, inside], CZK, '2026-11', TZ).lines.map((l) => [l.ticketNumber, l.date, l.time])).toEqual([
      ['T-2', '2026-11-01', '00:30'],
      ['T-3', '2026-11-30', '23:59'],
    ]);
    expect(billMonth([late, early, inside], CZK, '2026-12', TZ).lines.map((l) => [l.ticketNumber, l.date, l.time])).toEqual([['T-1', '2026-12-01', '00:30']]);
    expect(monthOf(new Date('2026-11-30T23:30:00Z'), 'UTC')).toBe('2026-11'); // it is the time zone that moves it
  });

  it('a month is [local midnight on the 1st, local midnight on the next 1st), in winter and in summer time', () => {
    expect(monthRange('2026-11', TZ)).toEqual({ start: new Date('2026-10-31T23:00:00Z'), end: new Date('2026-11-30T23:00:00Z') });
    expect(monthRange('2026-07', TZ)).toEqual({ start: new Date('2026-06-30T22:00:00Z'), end: new Date('2026-07-31T22:00:00Z') });
    // October 2026 begins in summer time (UTC+2) and ends in winter time (UTC+1).
    expect(monthRange('2026-10', TZ)).toEqual({ start: new Date('2026-09-30T22:00:00Z'), end: new Date('2026-10-31T23:00:00Z') });
    expect(monthRange('2026-12', TZ).end).toEqual(new Date('2026-12-31T23:00:00Z'));
    // A month that begins a few hours before a DST change: New Zealand leaves summer time (UTC+13)
    // at 03:00 on Sunday 1 April 2029, so that month begins at 00:00 NZDT = 31 March 11:00 UTC.
    expect(monthRange('2029-04', 'Pacific/Auckland').start).toEqual(new Date('2029-03-31T11:00:00Z'));
    expect(localDateTime(new Date('2026-07-15T10:05:00Z'), TZ)).toEqual({ date: '2026-07-15', time: '12:05' });
  });

  it('knows what a month is', () => {
    expect(parseMonth('2026-11')).toEqual({ year: 2026, month: 11 });
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-11', '2026-11-01', 'listopad']) expect(parseMonth(bad)).toBeNull();
    expect(() => monthRange('2026-13', TZ)).toThrow(/not a month/);
  });
});

describe('money in integer minor units', () => {
  it('45 EUR/h billed per half hour: 4500 cents an hour, 20 min -> 30 min -> 2250 cents', () => {
    const s = billMonth(
      [entry('T-1', '2026-11-03T09:00:00Z', 20)],
      { hourlyRate: 4500, incrementMinutes: 30, travelFee: 0, includedMinutes: 0 },
      '2026-11',
      TZ,
    );
    expect(cols(s)).toEqual([['T-1', 'work', 20, 30, 0, 30, 2250]]);
  });

  it("a line's amount is minutes x rate / 60 rounded half up to a whole minor unit, with integers only", () => {
    expect(amountFor(15, 100_000)).toBe(25_000);
    expect(amountFor(15, 4501)).toBe(1125); // 1125.25 -> down
    expect(amountFor(45, 4501)).toBe(3376); // 3375.75 -> up
    expect(amountFor(1, 90)).toBe(2); // 1.5 -> up (half up)
    expect(amountFor(1, 30)).toBe(1); // 0.5 -> up
    expect(amountFor(1, 89)).toBe(1); // 1.483 -> down
    expect(amountFor(0, 100_000)).toBe(0);
    expect(amountFor(600, 100_000)).toBe(1_000_000); // 10 h = 10 000,00 CZK
    expect(() => amountFor(Number.MAX_SAFE_INTEGER, 100_000)).toThrow(RangeError);
  });

  it('totals are the sums of the lines, and every amount is an integer', () => {
    const terms = { hourlyRate: 4501, incrementMinutes: 15, travelFee: 333, includedMinutes: 20 };
    const s = billMonth(
      [
        entry('T-1', '2026-11-03T09:00:00Z', 7),
        entry('T-1', '2026-11-04T09:00:00Z', 31),
        entry('T-2', '2026-11-05T09:00:00Z', 44, { travel: true }),
        entry('T-3', '2026-11-06T09:00:00Z', 3, { billable: false }),
      ],
      terms,
      '2026-11',
      TZ,
    );
    for (const l of s.lines) expect(Number.isInteger(l.amount)).toBe(true);
    expect(s.totals.amount).toBe(s.lines.reduce((a, l) => a + l.amount, 0));
    expect(s.totals.billedMinutes).toBe(s.lines.reduce((a, l) => a + l.billedMinutes, 0));
    expect(s.totals.roundedMinutes).toBe(s.lines.reduce((a, l) => a + l.roundedMinutes, 0));
    // T-1: 7 -> 15 (15 included), 38 -> 45: 30 more (5 included, 25 billed = 1875.4 -> 1875); T-2 travel 44 -> 45 = 3375.75 -> 3376, fee 333.
    expect(cols(s)).toEqual([
      ['T-1', 'work', 7, 15, 15, 0, 0],
      ['T-1', 'work', 31, 30, 5, 25, 1875],
      ['T-2', 'travel', 44, 45, 0, 45, 3376],
      ['T-2', 'travel-fee', 0, 0, 0, 0, 333],
      ['T-3', 'non-billable', 3, 0, 0, 0, 0],
    ]);
    expect(s.totals.amount).toBe(1875 + 3376 + 333);
  });

  it('refuses fractional money and minutes', () => {
    expect(() => billMonth([], { ...CZK, hourlyRate: 1000.5 }, '2026-11', TZ)).toThrow(/hourlyRate/);
    expect(() => billMonth([entry('T-1', '2026-11-03T09:00:00Z', 7.5)], CZK, '2026-11', TZ)).toThrow(/minutes/);
  });
});

describe('formatMinutes', () => {
  it('writes durations for people', () => {
    expect([0, 45, 60, 90, 180, 185].map(formatMinutes)).toEqual(['0 h', '45 min', '1 h', '1 h 30 min', '3 h', '3 h 5 min']);
  });
});

describe('work categories: free or paid', () => {
  it("are free for the provider's outage and basic diagnostics, paid for the rest", () => {
    expect(WORK_CATEGORIES.filter(isFreeWork)).toEqual(['outage', 'diagnostics']);
    expect(WORK_CATEGORIES.filter((c) => !isFreeWork(c))).toEqual(['configuration', 'customer_fault', 'training', 'advanced_diagnostics']);
  });

  it('start from how the ticket was opened', () => {
    expect(initialWorkCategory({ likelyCustomerSide: false, outageInArea: false })).toBe('diagnostics');
    expect(initialWorkCategory({ likelyCustomerSide: true, outageInArea: false })).toBe('customer_fault');
    expect(initialWorkCategory({ likelyCustomerSide: true, outageInArea: true })).toBe('outage');
    // Issue 16, rule 4, "the helpdesk judges that the fault is on the customer's side": without
    // callout.autoOffer the checklist's hint leaves the work free until a technician decides.
    expect(initialWorkCategory({ likelyCustomerSide: true, outageInArea: false }, false)).toBe('diagnostics');
    expect(initialWorkCategory({ likelyCustomerSide: true, outageInArea: true }, false)).toBe('outage');
  });

  it.each([
    ['configuration', 'configuration'],
    ['Konfigurace', 'configuration'],
    ['konfigurácia', 'configuration'],
    ['customer_fault', 'customer_fault'],
    ['customer-fault', 'customer_fault'],
    ['zákazník', 'customer_fault'],
    ['výpadek', 'outage'],
    ['VÝPADOK', 'outage'],
    ['diagnostika', 'diagnostics'],
    ['advanced diagnostics', 'advanced_diagnostics'],
    ['pokročilá diagnostika', 'advanced_diagnostics'],
    ['školení', 'training'],
    ['training', 'training'],
    ['levné', null],
    ['', null],
    ['free', null],
  ])('"%s" is read as %s', (text, expected) => {
    expect(parseWorkCategory(text)).toBe(expected);
  });
});

describe('the text of a time entry', () => {
  it.each([
    ['Nastavení routeru', { activity: 'Nastavení routeru', travel: false, billable: null, workDate: null }],
    ['cesta: Plzeň a zpět', { activity: 'Plzeň a zpět', travel: true, billable: null, workDate: null }],
    ['cesta: zdarma: Plzeň', { activity: 'Plzeň', travel: true, billable: false, workDate: null }],
    ['zdarma: cesta: Plzeň', { activity: 'Plzeň', travel: true, billable: false, workDate: null }],
    ['Travel:Free: Plzeň', { activity: 'Plzeň', travel: true, billable: false, workDate: null }],
    ['placené: cesta: Plzeň', { activity: 'Plzeň', travel: true, billable: true, workDate: null }],
    ['billable: Nastavení', { activity: 'Nastavení', travel: false, billable: true, workDate: null }],
    ['free: billable: Nastavení', { activity: 'Nastavení', travel: false, billable: true, workDate: null }],
    ['2026-11-30 Nastavení', { activity: 'Nastavení', travel: false, billable: null, workDate: '2026-11-30' }],
    ['@2026-11-30 cesta: Plzeň', { activity: 'Plzeň', travel: true, billable: null, workDate: '2026-11-30' }],
    ['cesta: 2026-11-30 Plzeň', { activity: 'Plzeň', travel: true, billable: null, workDate: '2026-11-30' }],
    ['Nastavení 2026-11-30', { activity: 'Nastavení 2026-11-30', travel: false, billable: null, workDate: null }],
    ['cestování: Plzeň', { activity: 'cestování: Plzeň', travel: false, billable: null, workDate: null }],
    ['cesta: zdarma:', { activity: '', travel: true, billable: false, workDate: null }],
  ])('"%s"', (text, expected) => {
    expect(parseTimeNote(text)).toEqual(expected);
  });
});

describe('an entry dated by the technician', () => {
  it('belongs to the month of its day and shows no time of day', () => {
    const terms: BillingTerms = { hourlyRate: 100000, incrementMinutes: 15, travelFee: 0, includedMinutes: 0 };
    const dated = entry('T-1', '2026-11-30T11:00:00Z', 20, { dateOnly: true });
    const logged = entry('T-1', '2026-11-30T09:00:00Z', 10);
    const { lines } = billMonth([dated, logged], terms, '2026-11', TZ);
    expect(lines.map((l) => [l.date, l.time, l.minutes, l.roundedMinutes])).toEqual([
      ['2026-11-30', '10:00', 10, 15],
      ['2026-11-30', '', 20, 15],
    ]);
    expect(billMonth([dated], terms, '2026-12', TZ).lines).toEqual([]);
  });
});

// Issue 16, rule 3: "paid work is agreed before it is done" (the customer is contacted when support
// turns paid, and paid service is agreed in writing).
describe('paid work the customer has not agreed to', () => {
  const PRICED: BillingTerms = {
    prices: {
      rates: { technician: { hourlyRate: 100_000, incrementMinutes: 15 } },
      defaultRate: 'technician',
      travel: { rate: 'technician', perVisit: 25_000, perKm: 0 },
    },
    includedMinutes: 60,
  };
  const byCategory = (ticket: string, at: string, minutes: number, workCategory: string, opts: Partial<BillingEntry> = {}) =>
    entry(ticket, at, minutes, { workCategory, ...opts });

  it('is listed as unagreed and costs nothing, using no included minutes; agreed, it is billed', () => {
    const entries = [
      byCategory('T-1', '2026-11-03T09:00:00Z', 45, 'configuration'),
      byCategory('T-1', '2026-11-03T10:00:00Z', 30, 'configuration', { travel: true }),
      byCategory('T-1', '2026-11-03T11:00:00Z', 20, 'diagnostics', { billable: false }),
      // The technician said "placene:": billed as before, whatever the consent.
      entry('T-1', '2026-11-03T12:00:00Z', 15, { workCategory: null }),
    ];
    const before = billMonth(entries, { ...PRICED, agreedCases: [] }, '2026-11', TZ);
    expect(cols(before)).toEqual([
      ['T-1', 'unagreed', 45, 0, 0, 0, 0],
      ['T-1', 'unagreed', 30, 0, 0, 0, 0],
      ['T-1', 'non-billable', 20, 0, 0, 0, 0],
      ['T-1', 'work', 15, 15, 15, 0, 0],
    ]);
    expect(before.totals).toMatchObject({ unagreedMinutes: 75, includedUsedMinutes: 15, amount: 0, travelFees: 0 });
    const after = billMonth(entries, { ...PRICED, agreedCases: ['T-1'] }, '2026-11', TZ);
    expect(cols(after)).toEqual([
      ['T-1', 'work', 45, 45, 45, 0, 0],
      ['T-1', 'travel', 30, 30, 0, 30, 50_000],
      ['T-1', 'non-billable', 20, 0, 0, 0, 0],
      ['T-1', 'work', 15, 15, 15, 0, 0],
      ['T-1', 'travel-fee', 0, 0, 0, 0, 25_000],
    ]);
    expect(after.totals).toMatchObject({ unagreedMinutes: 0, amount: 75_000 });
    // Without agreedCases (older callers) every case counts as agreed.
    expect(billMonth(entries, PRICED, '2026-11', TZ).totals.unagreedMinutes).toBe(0);
  });

  it('gives the first freeDiagnosticsMinutes of a case\'s diagnostics on the customer\'s side free, per case ("paid only when the analysis takes longer than 15 minutes")', () => {
    const terms: BillingTerms = { ...PRICED, includedMinutes: 0, agreedCases: ['T-1', 'T-2'], freeDiagnosticsMinutes: 15 };
    const s = billMonth(
      [
        byCategory('T-1', '2026-11-03T09:00:00Z', 10, 'customer_fault'),
        byCategory('T-1', '2026-11-03T10:00:00Z', 20, 'customer_fault'),
        byCategory('T-2', '2026-11-04T09:00:00Z', 14, 'advanced_diagnostics'),
        // Configuration is not diagnostics: billed from its first minute.
        byCategory('T-2', '2026-11-04T10:00:00Z', 10, 'configuration'),
      ],
      terms,
      '2026-11',
      TZ,
    );
    expect(s.lines.map((l) => [l.ticketNumber, l.minutes, l.freeMinutes, l.roundedMinutes, l.billedMinutes, l.amount])).toEqual([
      ['T-1', 10, 10, 0, 0, 0],
      ['T-1', 20, 5, 15, 15, 25_000],
      ['T-2', 14, 14, 0, 0, 0],
      ['T-2', 10, 0, 15, 15, 25_000],
    ]);
    expect(s.totals).toMatchObject({ freeDiagnosticsMinutes: 29, amount: 50_000 });
  });
});
