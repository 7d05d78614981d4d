// Prices that fit real price lists, as the pure core reads them (docs/billing.md, "Prices"): named
// rates with their own increments, travel time at its rate and transport per visit and per km,
// prepaid packages after the included hours, plans with dates, the quote in three languages and
// the time note's rate and kilometres. Every expected value is worked out by hand from the rule.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { billMonth, type BillingEntry, type PackageBalance, type PricedTerms } from '../src/domain/billing.js';
import { addMonths, outsidePlan, planOf, planStatus, tierOn } from '../src/domain/entitlement.js';
import type { PriceList } from '../src/domain/prices.js';
import { planNoticeText, planSentence, pricesOfQuote, quoteTermsOf, quoteText } from '../src/domain/quote.js';
import { timeEntryOf, type TicketFacts } from '../src/domain/ticket-actions.js';
import { parseTimeNote } from '../src/domain/time-note.js';

const TZ = 'Europe/Prague';
/** The telecom operator's price list, with travel at its own rate, per visit and per km. */
const PRICES: PriceList = {
  rates: {
    technician: { hourlyRate: 100_000, incrementMinutes: 15 },
    consultant: { hourlyRate: 150_000, incrementMinutes: 30 },
    travel: { hourlyRate: 50_000, incrementMinutes: 15 },
  },
  defaultRate: 'technician',
  travel: { rate: 'travel', perVisit: 20_000, perKm: 1_200 },
};

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

const terms = (over: Partial<PricedTerms> = {}): PricedTerms => ({ prices: PRICES, includedMinutes: 0, ...over });
const cols = (s: ReturnType<typeof billMonth>) =>
  s.lines.map((l) => [l.ticketNumber, l.kind, l.rate, l.minutes, l.km, l.roundedMinutes, l.includedMinutes, l.packageMinutes, l.billedMinutes, l.amount]);

describe('rates', () => {
  it('bill each rate at its price, rounded to its own increment per case and rate', () => {
    const s = billMonth(
      [
        entry('T-1', '2026-11-03T09:00:00Z', 20), // technician 20 -> 30 min = 50 000
        entry('T-1', '2026-11-03T10:00:00Z', 20, { rate: 'consultant' }), // consultant 20 -> 30 = 75 000
        entry('T-1', '2026-11-03T11:00:00Z', 5), // technician 25 -> 30: nothing more started
        entry('T-1', '2026-11-03T12:00:00Z', 15, { rate: 'consultant' }), // consultant 35 -> 60: 30 more = 75 000
      ],
      terms(),
      '2026-11',
      TZ,
    );
    expect(cols(s)).toEqual([
      ['T-1', 'work', 'technician', 20, 0, 30, 0, 0, 30, 50_000],
      ['T-1', 'work', 'consultant', 20, 0, 30, 0, 0, 30, 75_000],
      ['T-1', 'work', 'technician', 5, 0, 0, 0, 0, 0, 0],
      ['T-1', 'work', 'consultant', 15, 0, 30, 0, 0, 30, 75_000],
    ]);
    expect(s.totals).toMatchObject({ roundedWorkMinutes: 90, billedMinutes: 90, amount: 200_000 });
  });

  it('refuses a rate the price list does not have, naming the ticket and the rates', () => {
    expect(() => billMonth([entry('T-7', '2026-11-03T09:00:00Z', 20, { rate: 'senior' })], terms(), '2026-11', TZ)).toThrow(
      'T-7: time logged at the rate "senior", but no rate "senior" in billing.rates (rates: technician, consultant, travel)',
    );
  });
});

describe('travel', () => {
  it("bills travel time at the travel rate, each trip's kilometres, and the visit once per case", () => {
    const s = billMonth(
      [
        entry('T-2', '2026-11-16T07:30:00Z', 25, { travel: true, km: 35 }),
        entry('T-2', '2026-11-16T08:00:00Z', 50),
        entry('T-2', '2026-11-16T09:00:00Z', 25, { travel: true, km: 35 }),
      ],
      terms(),
      '2026-11',
      TZ,
    );
    // Travel 25 -> 30 (25 000), then 50 -> 60: 30 more (25 000); 35 km x 12 CZK = 420 CZK each way; 200 CZK per visit.
    expect(cols(s)).toEqual([
      ['T-2', 'travel', 'travel', 25, 0, 30, 0, 0, 30, 25_000],
      ['T-2', 'travel-km', null, 0, 35, 0, 0, 0, 0, 42_000],
      ['T-2', 'work', 'technician', 50, 0, 60, 0, 0, 60, 100_000],
      ['T-2', 'travel', 'travel', 25, 0, 30, 0, 0, 30, 25_000],
      ['T-2', 'travel-km', null, 0, 35, 0, 0, 0, 0, 42_000],
      ['T-2', 'travel-fee', null, 0, 0, 0, 0, 0, 0, 20_000],
    ]);
    expect(s.totals).toMatchObject({ km: 70, kmAmount: 84_000, travelFees: 1, travelFeeAmount: 20_000, roundedTravelMinutes: 60, amount: 254_000 });
  });

  it('lists travel time without charging it when travel has no rate, and never takes it from included hours', () => {
    const free: PriceList = { ...PRICES, travel: { rate: null, perVisit: 0, perKm: 1_000 } };
    const s = billMonth([entry('T-3', '2026-11-16T07:30:00Z', 40, { travel: true, km: 12 })], terms({ prices: free, includedMinutes: 600 }), '2026-11', TZ);
    expect(cols(s)).toEqual([
      ['T-3', 'travel', null, 40, 0, 0, 0, 0, 0, 0],
      ['T-3', 'travel-km', null, 0, 12, 0, 0, 0, 0, 12_000],
    ]);
    expect(s.totals.includedUsedMinutes).toBe(0);
  });
});

describe('prepaid packages', () => {
  const pack = (over: Partial<PackageBalance> = {}): PackageBalance => ({
    id: 'p1',
    name: '4h',
    reference: '4h@2026-11-10',
    minutes: 240,
    price: 380_000,
    boughtOn: '2026-11-10',
    validUntil: null,
    leftMinutes: 240,
    ...over,
  });

  it('are used after the included hours and before anything is billed, only from the day bought', () => {
    const s = billMonth(
      [
        entry('T-4', '2026-11-05T09:00:00Z', 90), // before the purchase: 60 included, 30 billed
        entry('T-5', '2026-11-12T09:00:00Z', 200), // 210: the package's 210
        entry('T-6', '2026-11-20T09:00:00Z', 45), // 45: the package's last 30, 15 billed
      ],
      terms({ includedMinutes: 60, packages: [pack()] }),
      '2026-11',
      TZ,
    );
    expect(cols(s).map((c) => c.slice(5))).toEqual([
      [90, 60, 0, 30, 50_000],
      [210, 0, 210, 0, 0],
      [45, 0, 30, 15, 25_000],
    ]);
    expect(s.totals).toMatchObject({ includedUsedMinutes: 60, packageMinutes: 240, packageLeftMinutes: 0, billedMinutes: 45, amount: 75_000 });
    expect(s.packages).toEqual([expect.objectContaining({ held: true, usedMinutes: 240, leftAfterMinutes: 0, usableAfter: true })]);
  });

  it('use the one that runs out first first, and not after its last day', () => {
    const s = billMonth(
      [entry('T-8', '2026-11-12T09:00:00Z', 60), entry('T-9', '2026-11-28T09:00:00Z', 60)],
      terms({
        packages: [pack({ id: 'open', leftMinutes: 240 }), pack({ id: 'short', validUntil: '2026-11-20', leftMinutes: 90 })],
      }),
      '2026-11',
      TZ,
    );
    // T-8 (12th): 60 from "short"; T-9 (28th): "short" is past its last day, 60 from "open".
    expect(s.packages.map((p) => [p.id, p.usedMinutes, p.leftAfterMinutes, p.usableAfter])).toEqual([
      ['short', 60, 30, false],
      ['open', 60, 180, true],
    ]);
    expect(s.totals.packageLeftMinutes).toBe(180);
  });
});

describe('plans with dates', () => {
  const tiers = { HOTLINE_START: { termMonths: 6 }, VIP: { minimumTermMonths: 6 } };

  it("counts months as the law does: the same day, or the month's last", () => {
    expect(addMonths('2026-01-15', 6)).toBe('2026-07-15');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
  });

  it('ends a tier that lasts months from its start, unless plan_end says otherwise; a minimum term is only recorded', () => {
    const hotline = planOf({ tier: 'HOTLINE_START', planStart: '2026-05-10', planEnd: null }, tiers);
    expect(hotline).toEqual({ tier: 'HOTLINE_START', start: '2026-05-10', end: '2026-11-10', minimumUntil: null });
    expect(planOf({ tier: 'HOTLINE_START', planStart: '2026-05-10', planEnd: '2026-12-31' }, tiers).end).toBe('2026-12-31');
    expect([planStatus(hotline, '2026-05-09'), planStatus(hotline, '2026-11-10'), planStatus(hotline, '2026-11-11')]).toEqual([
      'notStarted',
      'active',
      'ended',
    ]);
    expect(tierOn(hotline, '2026-11-11')).toBe('none');
    const vip = planOf({ tier: 'VIP', planStart: '2026-09-01', planEnd: null }, tiers);
    expect(vip).toEqual({ tier: 'VIP', start: '2026-09-01', end: null, minimumUntil: '2027-03-01' });
    expect(outsidePlan({ tier: 'none', planStart: null, planEnd: '2020-01-01' }, tiers, '2026-11-23')).toBeNull();
  });

  it('stops the included hours after the end: work on later days of the month is billed', () => {
    const s = billMonth(
      [entry('T-10', '2026-11-05T09:00:00Z', 30), entry('T-11', '2026-11-20T09:00:00Z', 30)],
      terms({ includedMinutes: 120, plan: { start: '2026-05-10', end: '2026-11-10' } }),
      '2026-11',
      TZ,
    );
    expect(cols(s).map((c) => c.slice(5))).toEqual([
      [30, 30, 0, 0, 0],
      [30, 0, 0, 30, 50_000],
    ]);
    // A month the plan does not touch has no allowance at all.
    expect(billMonth([], terms({ includedMinutes: 120, plan: { start: '2026-05-10', end: '2026-11-10' } }), '2026-12', TZ).totals.includedMinutes).toBe(0);
  });
});

describe('the quote', () => {
  const quote = (prices: PriceList, lang: 'cs' | 'sk' | 'en', currency = 'CZK') => quoteText(quoteTermsOf(prices, currency), prices, 'VAT', lang);

  it('states the work rate and its increment, travel time, transport per visit and per km, in Czech, Slovak and English', () => {
    expect(quote(PRICES, 'cs')).toBe(
      'Práce (technik): 1 000,00 CZK za hodinu, účtuje se po započatých 15 minutách. Čas na cestě: 500,00 CZK za hodinu, účtuje se po započatých 15 minutách. Doprava: paušál 200,00 CZK za výjezd a 12,00 CZK za kilometr. VAT',
    );
    expect(quote(PRICES, 'sk')).toBe(
      'Práca (technik): 1 000,00 CZK za hodinu, účtuje sa po začatých 15 minútach. Čas na ceste: 500,00 CZK za hodinu, účtuje sa po začatých 15 minútach. Doprava: paušál 200,00 CZK za výjazd a 12,00 CZK za kilometer. VAT',
    );
    expect(quote(PRICES, 'en')).toBe(
      'Work (technician): 1,000.00 CZK per hour, charged per started 15 minutes. Travel time: 500.00 CZK per hour, charged per started 15 minutes. Transport: a flat 200.00 CZK per visit plus 12.00 CZK per kilometre. VAT',
    );
  });

  it('is one sentence for one rate of work and travel, and says when travel time is not charged', () => {
    // The VoIP distributor's terms: 45 EUR an hour, per half hour, travel time on top.
    const infotel: PriceList = {
      rates: { technician: { hourlyRate: 4_500, incrementMinutes: 30 } },
      defaultRate: 'technician',
      travel: { rate: 'technician', perVisit: 0, perKm: 0 },
    };
    expect(quote(infotel, 'sk', 'EUR')).toBe('Cena: 45,00 EUR za hodinu práce aj času na ceste, účtuje sa po začatých 30 minútach. VAT');
    const noTravelTime: PriceList = { ...infotel, travel: { rate: null, perVisit: 30_00, perKm: 0 } };
    expect(quote(noTravelTime, 'en', 'EUR')).toBe(
      'Work (technician): 45.00 EUR per hour, charged per started 30 minutes. Travel time is not charged. Transport: a flat 30.00 EUR per visit. VAT',
    );
  });

  it('is stored as numbers that bill the case as quoted, also for offers stored before rates had names', () => {
    expect(pricesOfQuote(quoteTermsOf(PRICES, 'CZK'))).toEqual({
      rates: { technician: PRICES.rates.technician, travel: PRICES.rates.travel },
      defaultRate: 'technician',
      travel: PRICES.travel,
    });
    expect(pricesOfQuote({ currency: 'CZK', hourlyRate: 100_000, incrementMinutes: 15, travelFee: 25_000, vatNote: 'x', lang: 'cs' })).toEqual({
      rates: { technician: { hourlyRate: 100_000, incrementMinutes: 15 } },
      defaultRate: 'technician',
      travel: { rate: 'technician', perVisit: 25_000, perKm: 0 },
    });
    expect(pricesOfQuote(null)).toBeNull();
  });

  it('tells a customer whose plan ended that help is paid, with the date and the terms', () => {
    const notice = { plan: { tier: 'HOTLINE_START', start: '2026-05-10', end: '2026-11-10' }, status: 'ended' as const };
    expect(planSentence(notice, 'cs')).toBe('Vaše podpora HOTLINE_START skončila 10. 11. 2026.');
    expect(planNoticeText(notice, 'TERMS', 'sk')).toBe(
      'Vaša podpora HOTLINE_START skončila 10. 11. 2026, preto je pomoc technika teraz platená; poruchy na našej strane odstraňujeme naďalej zadarmo. TERMS',
    );
    expect(planNoticeText(notice, 'TERMS', 'en')).toBe(
      "Your HOTLINE_START support plan ended on 10 Nov 2026, so a technician's help is now paid; we still fix faults on our side free of charge. TERMS",
    );
  });
});

describe('the time note', () => {
  const open: TicketFacts = { status: 'open', claimedBy: null, firstReactionAt: null, workCategory: 'configuration' };
  const now = new Date('2026-11-23T09:00:00Z');
  const log = (text: string, prices: PriceList = PRICES) => timeEntryOf(open, 30, parseTimeNote(text, Object.keys(prices.rates)), now, TZ, prices);

  it('reads a rate and the kilometres of a trip, in any order with the other prefixes', () => {
    expect(parseTimeNote('@2026-11-20 konzultant: zdarma: Návrh VPN')).toEqual({
      activity: 'Návrh VPN',
      travel: false,
      billable: false,
      workDate: '2026-11-20',
      rate: 'konzultant',
    });
    expect(parseTimeNote('cesta 35km: Plzeň')).toEqual({ activity: 'Plzeň', travel: true, billable: null, workDate: null, km: 35 });
    expect(parseTimeNote('travel 12 km: placene: Doubravka')).toMatchObject({ travel: true, km: 12, billable: true, activity: 'Doubravka' });
    expect(parseTimeNote('sazba senior: Audit')).toMatchObject({ rate: 'senior', activity: 'Audit' });
    expect(parseTimeNote('senior: Audit', ['senior'])).toMatchObject({ rate: 'senior', activity: 'Audit' });
    // A word before a colon that names no rate is the activity.
    expect(parseTimeNote('Router: výměna')).toEqual({ activity: 'Router: výměna', travel: false, billable: null, workDate: null });
    expect(log('Konzultantka: Návrh VPN')).toMatchObject({ ok: true, rate: 'consultant', activity: 'Návrh VPN' });
    expect(log('cesta 35km: Plzeň')).toMatchObject({ ok: true, travel: true, km: 35 });
    expect(log('Nastavení')).not.toHaveProperty('rate');
  });

  it('refuses an unknown rate, kilometres that are not whole, and a rate on travel, naming what was typed', () => {
    const single: PriceList = {
      rates: { technician: PRICES.rates.technician as PriceList['rates'][string] },
      defaultRate: 'technician',
      travel: PRICES.travel,
    };
    expect(log('konzultant: Návrh VPN', single)).toEqual({ ok: false, reason: 'team.unknownRate', params: { rate: 'konzultant', rates: 'technician' } });
    expect(log('sazba senior: Audit')).toEqual({ ok: false, reason: 'team.unknownRate', params: { rate: 'senior', rates: 'technician, consultant, travel' } });
    expect(log('cesta 12,5km: Plzeň')).toEqual({ ok: false, reason: 'team.badKm', params: { km: '12,5km' } });
    expect(log('cesta: konzultant: Plzeň')).toEqual({ ok: false, reason: 'team.rateOnTravel', params: { rate: 'konzultant' } });
  });
});

describe('the billing configuration', () => {
  const billing = (b: unknown) => parseConfig({ billing: b }).billing;

  it('reads the older single rate as the rate "technician" for work and travel, and travelFee as per visit', () => {
    expect(billing({ currency: 'EUR', hourlyRate: 4_500, incrementMinutes: 30, travelFee: 2_000 })).toMatchObject({
      currency: 'EUR',
      rates: { technician: { hourlyRate: 4_500, incrementMinutes: 30 } },
      defaultRate: 'technician',
      travel: { rate: 'technician', perVisit: 2_000, perKm: 0 },
      packages: {},
    });
    expect(Object.keys(billing({}).rates)).toEqual(['technician', 'consultant']);
  });

  it('refuses a price list that contradicts itself, naming the key', () => {
    expect(() => billing({ hourlyRate: 100_000, rates: { technician: { hourlyRate: 100_000 } } })).toThrow(/billing\.hourlyRate.*older form of a single rate/s);
    expect(() => billing({ rates: { technician: { hourlyRate: 100_000 } }, defaultRate: 'consultant' })).toThrow(
      /billing\.defaultRate.*no rate "consultant" in billing\.rates \(rates: technician\)/s,
    );
    expect(() => billing({ travel: { rate: 'cesta' } })).toThrow(/billing\.travel\.rate.*no rate "cesta"/s);
    expect(() => billing({ rates: { technician: { hourlyRate: 100_000, incrementMinutes: 7 } } })).toThrow(/minutes that divide the hour/);
    expect(() => billing({ travelFee: 100, travel: { perVisit: 200 } })).toThrow(/travelFee is the older name of travel\.perVisit/);
  });
});
