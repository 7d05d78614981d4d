/**
 * The price list of paid work (docs/billing.md, "Prices"): named hourly rates, each with its own
 * billing increment (a technician's and a consultant's hour, as the telecom operator's terms price
 * them), the default rate, and what travel costs: its time at a rate (or not at all), a flat
 * amount per visit and an amount per kilometre. Pure; money in integer minor units.
 */
import type { Lang } from '../shared/lang.js';
import { normalize } from '../shared/normalize.js';

/** A rate's name for people: one text, or one per language (a missing language falls back to Czech). */
export type RateLabel = string | { cs: string; sk?: string; en?: string };

/** One hourly rate. */
export interface RateTerms {
  /** Minor units per hour (100000 = 1 000,00 CZK). */
  hourlyRate: number;
  /** Work at this rate is rounded up to started blocks of this many minutes, per case. */
  incrementMinutes: number;
  label?: RateLabel;
}

/** A rate with its name. */
export interface Rate extends RateTerms {
  name: string;
}

/** What travel to the customer costs. */
export interface TravelTerms {
  /** The rate travel time is billed at (a name of `rates`); null: travel time is not charged. */
  rate: string | null;
  /** Minor units once per case with billable travel (the visit). */
  perVisit: number;
  /** Minor units per kilometre the technician gives ("cesta 35km:"). */
  perKm: number;
}

/** The rates and travel terms that price one customer's work (or one case's, as agreed). */
export interface PriceList {
  rates: Readonly<Record<string, RateTerms>>;
  /** The rate of work logged without one. */
  defaultRate: string;
  travel: TravelTerms;
}

/** The name a price list built from the older single-rate keys gives its one rate. */
export const SINGLE_RATE = 'technician';

/** The price list of the older single-rate terms: one rate for work and travel, a flat fee per visit. */
export function singleRatePrices(terms: { hourlyRate: number; incrementMinutes: number; travelFee: number }): PriceList {
  return {
    rates: { [SINGLE_RATE]: { hourlyRate: terms.hourlyRate, incrementMinutes: terms.incrementMinutes } },
    defaultRate: SINGLE_RATE,
    travel: { rate: SINGLE_RATE, perVisit: terms.travelFee, perKm: 0 },
  };
}

/** The rate `name` (null: the default rate); throws a RangeError naming it when the price list has none such. */
export function rateOf(prices: PriceList, name: string | null | undefined): Rate {
  const wanted = name ?? prices.defaultRate;
  const terms = prices.rates[wanted];
  if (!terms) throw new RangeError(`no rate "${wanted}" in billing.rates (rates: ${Object.keys(prices.rates).join(', ')})`);
  return { name: wanted, ...terms };
}

/** The rate travel time is billed at, or null when travel time is not charged. */
export function travelRateOf(prices: PriceList): Rate | null {
  return prices.travel.rate === null ? null : rateOf(prices, prices.travel.rate);
}

/**
 * The Czech, Slovak and English words technicians write for the built-in rates' names, as a
 * time note's prefix ("konzultant: Návrh VPN"). A word names its rate whether or not the price
 * list has it: "konzultant:" without a consultant's rate is refused, not read as an activity.
 */
export const RATE_WORDS: Readonly<Record<string, string>> = {
  technik: 'technician',
  technicka: 'technician',
  technician: 'technician',
  konzultant: 'consultant',
  konzultantka: 'consultant',
  consultant: 'consultant',
};

/** The rate a word names: a name of the price list (any case), else a built-in word's rate; null when it names none. */
export function rateNamed(prices: Pick<PriceList, 'rates'>, word: string): string | null {
  const n = normalize(word);
  const own = Object.keys(prices.rates).find((name) => normalize(name) === n);
  return own ?? RATE_WORDS[n] ?? null;
}

/** Checks that every amount is a non-negative integer and every rate is known; throws a RangeError naming the first that is not. */
export function checkPrices(prices: PriceList): void {
  for (const [name, r] of Object.entries(prices.rates)) {
    if (!Number.isSafeInteger(r.hourlyRate) || r.hourlyRate < 0)
      throw new RangeError(`hourlyRate must be a non-negative integer, got ${r.hourlyRate} (rate ${name})`);
    if (!Number.isInteger(r.incrementMinutes) || r.incrementMinutes <= 0)
      throw new RangeError(`incrementMinutes must be a positive integer, got ${r.incrementMinutes} (rate ${name})`);
  }
  rateOf(prices, prices.defaultRate);
  travelRateOf(prices);
  const { perVisit, perKm } = prices.travel;
  if (!Number.isSafeInteger(perVisit) || perVisit < 0) throw new RangeError(`travelFee must be a non-negative integer, got ${perVisit}`);
  if (!Number.isSafeInteger(perKm) || perKm < 0) throw new RangeError(`perKm must be a non-negative integer, got ${perKm}`);
}

/** A rate's own label in `lang` when it has one, else null (the caller names a built-in rate from the catalogue, or uses the name). */
export function rateLabelIn(rate: Pick<Rate, 'label'>, lang: Lang): string | null {
  const { label } = rate;
  if (label === undefined) return null;
  return typeof label === 'string' ? label : (label[lang] ?? label.cs);
}
