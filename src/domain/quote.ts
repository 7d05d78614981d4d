/**
 * What a customer is quoted for paid help (docs/billing.md, "Paid call-outs and consent"): the
 * work rate with its billing increment, what travel time costs and at which increment (or that it
 * is not charged), transport per visit and per kilometre, and the VAT note; the same numbers are
 * stored with the offer and the consent, and a case whose call-out was accepted is billed by them
 * (`pricesOfQuote`), so the bill is what was quoted. Pure.
 */
import { t } from '../messages/index.js';
import type { Lang } from '../shared/lang.js';
import { vatNoteIn, type VatNote } from './billing.js';
import { localDate } from './date-format.js';
import { type Plan, planName } from './entitlement.js';
import { formatMoney } from './money.js';
import { type PriceList, type Rate, rateLabelIn, rateOf, SINGLE_RATE, singleRatePrices, travelRateOf } from './prices.js';

/** A rate as quoted and stored: name, price per hour, increment. */
export type QuotedRate = {
  name: string;
  hourlyRate: number;
  incrementMinutes: number;
};

/**
 * The terms of a paid call-out as stored with the offer and the consent (JSON). `hourlyRate`,
 * `incrementMinutes` and `travelFee` repeat the work rate and the amount per visit, as offers
 * recorded them before rates were named. (Type aliases, not interfaces: stored as JSON.)
 */
export type QuoteTerms = {
  currency: string;
  /** The rate of the work (the price list's default rate). */
  rate: QuotedRate;
  travel: { rate: QuotedRate | null; perVisit: number; perKm: number };
  hourlyRate: number;
  incrementMinutes: number;
  travelFee: number;
};

const quoted = (r: Rate): QuotedRate => ({ name: r.name, hourlyRate: r.hourlyRate, incrementMinutes: r.incrementMinutes });

/** The terms a call-out is quoted on: the default rate for the work, and travel as the price list prices it. */
export function quoteTermsOf(prices: PriceList, currency: string): QuoteTerms {
  const work = rateOf(prices, prices.defaultRate);
  const travel = travelRateOf(prices);
  return {
    currency,
    rate: quoted(work),
    travel: { rate: travel && quoted(travel), perVisit: prices.travel.perVisit, perKm: prices.travel.perKm },
    hourlyRate: work.hourlyRate,
    incrementMinutes: work.incrementMinutes,
    travelFee: prices.travel.perVisit,
  };
}

/**
 * The price list of a case as its customer agreed to it, from stored terms; null when they are
 * not terms at all. Terms stored before rates were named (`hourlyRate`, `incrementMinutes`,
 * `travelFee` only) are one rate for work and travel.
 */
export function pricesOfQuote(stored: unknown): PriceList | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const s = stored as Partial<QuoteTerms>;
  if (s.rate && s.travel) {
    const terms = (r: QuotedRate) => ({ hourlyRate: r.hourlyRate, incrementMinutes: r.incrementMinutes });
    const rates: Record<string, { hourlyRate: number; incrementMinutes: number }> = { [s.rate.name]: terms(s.rate) };
    if (s.travel.rate) rates[s.travel.rate.name] = terms(s.travel.rate);
    return { rates, defaultRate: s.rate.name, travel: { rate: s.travel.rate?.name ?? null, perVisit: s.travel.perVisit, perKm: s.travel.perKm } };
  }
  if (typeof s.hourlyRate === 'number' && typeof s.incrementMinutes === 'number')
    return singleRatePrices({ hourlyRate: s.hourlyRate, incrementMinutes: s.incrementMinutes, travelFee: s.travelFee ?? 0 });
  return null;
}

/** The name of a rate in `lang`: its own label, the catalogue's word for a built-in rate, else its name. */
export function rateLabel(rate: Pick<Rate, 'name' | 'label'>, lang: Lang): string {
  const own = rateLabelIn(rate, lang);
  if (own !== null) return own;
  return rate.name === SINGLE_RATE || rate.name === 'consultant' ? t(lang, `billing.rate.${rate.name}`) : rate.name;
}

/**
 * The terms as the customer reads them. One rate for work and travel and no price per km: one
 * sentence (`offer.terms`, or `offer.termsTravel` with an amount per visit); otherwise a sentence
 * for the work, one for travel time, one for transport, then the VAT note.
 */
export function quoteText(q: QuoteTerms, prices: Pick<PriceList, 'rates'>, vat: VatNote, lang: Lang): string {
  const money = (minor: number) => formatMoney(minor, q.currency, lang);
  const vatText = vatNoteIn(vat, lang);
  const travelRate = q.travel.rate;
  if (travelRate !== null && travelRate.name === q.rate.name && q.travel.perKm === 0) {
    const params = { rate: money(q.rate.hourlyRate), increment: q.rate.incrementMinutes, travel: money(q.travel.perVisit), vat: vatText };
    return t(lang, q.travel.perVisit > 0 ? 'offer.termsTravel' : 'offer.terms', params).trim();
  }
  const label = rateLabel({ name: q.rate.name, label: prices.rates[q.rate.name]?.label }, lang);
  const parts = [t(lang, 'offer.termsWork', { rate: money(q.rate.hourlyRate), who: label, increment: q.rate.incrementMinutes })];
  parts.push(
    travelRate
      ? t(lang, 'offer.termsTravelTime', { rate: money(travelRate.hourlyRate), increment: travelRate.incrementMinutes })
      : t(lang, 'offer.termsTravelTimeFree'),
  );
  const { perVisit, perKm } = q.travel;
  if (perVisit > 0 && perKm > 0) parts.push(t(lang, 'offer.termsPerVisitAndKm', { visit: money(perVisit), km: money(perKm) }));
  else if (perVisit > 0) parts.push(t(lang, 'offer.termsPerVisit', { visit: money(perVisit) }));
  else if (perKm > 0) parts.push(t(lang, 'offer.termsPerKm', { km: money(perKm) }));
  parts.push(vatText);
  return parts.join(' ').trim();
}

/** What a customer outside their plan is told: the plan and the day it ended (or starts). */
export interface PlanNotice {
  plan: Pick<Plan, 'tier' | 'label' | 'start' | 'end'>;
  status: 'ended' | 'notStarted';
}

/** The one sentence an offer starts with for a customer outside their plan ("Vaše podpora VIP skončila 15. 7. 2026."). */
export function planSentence(notice: PlanNotice, lang: Lang): string {
  const ended = notice.status === 'ended';
  const date = (ended ? notice.plan.end : notice.plan.start) ?? '';
  return t(lang, ended ? 'offer.planEnded' : 'offer.planNotStarted', { plan: planName(notice.plan, lang), date: localDate(date, lang) });
}

/** What a customer outside their plan is told when a ticket opens: that help is paid, and on what terms. */
export function planNoticeText(notice: PlanNotice, terms: string, lang: Lang): string {
  const ended = notice.status === 'ended';
  const date = (ended ? notice.plan.end : notice.plan.start) ?? '';
  return t(lang, ended ? 'ticket.planEnded' : 'ticket.planNotStarted', { plan: planName(notice.plan, lang), date: localDate(date, lang), terms });
}

/** The team's line on a ticket of a customer outside their plan. */
export function planTeamLine(notice: PlanNotice, lang: Lang): string {
  const ended = notice.status === 'ended';
  const date = (ended ? notice.plan.end : notice.plan.start) ?? '';
  return t(lang, ended ? 'team.planEnded' : 'team.planNotStarted', { plan: planName(notice.plan, lang), date: localDate(date, lang) });
}
