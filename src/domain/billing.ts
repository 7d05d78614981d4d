/**
 * Billing: one customer's month of logged time -> the statement's lines and totals. Pure.
 *
 * The rules (docs/domain.md, "Free help and paid call-outs" and "Included hours and statements";
 * docs/billing.md, "Prices"):
 * - A case is a ticket. An entry belongs to the company's calendar month of its time, in
 *   the company's time zone (23:30 UTC on 30 November is December in Prague): the day of the
 *   work when the technician gave one (30 November logged on 1 December is November's), else
 *   when it was logged.
 * - Whether an entry is billable was decided when it was logged: by default from the ticket's
 *   work category (free: outage, diagnostics; paid: the rest), or as the technician said.
 * - Work (billable, not travel) is billed at its rate (the default rate when it names none),
 *   rounded UP to that rate's increment per case and rate, not per entry: the running total of
 *   the case's work at that rate is rounded, and each line carries the increments its minutes
 *   started (5 + 5 + 5 min at 15 -> 15, 0, 0; 7 + 16 min -> 15, 15). A case that runs into the
 *   next month is rounded separately in each month.
 * - The tier's included minutes are used first, on the days the customer's plan covers: case by
 *   case in the order the cases began in the month (their first entry), and within a case line
 *   by line. Then prepaid packages, the one that runs out first first, each only for work on or
 *   after the day it was bought and not after its last day. What remains is billed. A case that
 *   exhausts them is split. Each month starts from the full allowance; what is left at the
 *   month's end is lost (no rollover); a package keeps what it has left.
 * - Non-billable entries are listed but cost nothing and use no included minutes.
 * - Travel (billable travel entries) is kept apart: rounded up to the travel rate's increment per
 *   case on its own, billed at the travel rate (or not at all when travel time is not charged),
 *   never taken from included minutes or packages; each travel entry with kilometres gets a line
 *   pricing them; and a flat amount per visit once per case that had billable travel.
 * - A case whose customer agreed to a paid call-out is priced as quoted (`casePrices`).
 * - Billable time whose billing followed a paid kind of work, on a case the customer has not
 *   agreed to paid work on (`agreedCases`), is an `unagreed` line: listed, not billed, using no
 *   included minutes; once the customer agrees, the next statement bills it.
 * - The first `freeDiagnosticsMinutes` of a case's work on paid diagnostics on the customer's side
 *   (customer_fault, advanced_diagnostics) are free: taken off before rounding, shown per line.
 * - Money is integer minor units. A line's amount = billed minutes x hourly rate / 60,
 *   rounded half up to a whole minor unit in integer arithmetic; totals are the lines' sums,
 *   so the statement adds up.
 */
import type { Lang } from '../shared/lang.js';
import { localDateTime, monthOf } from './billing-month.js';
import { coversAnyDay, planStatus } from './entitlement.js';
import type {
  BillingEntry,
  BillingTerms,
  LineKind,
  MonthStatement,
  PackageBalance,
  PackageUse,
  PricedTerms,
  SingleRateTerms,
  StatementLine,
  StatementTotals,
} from './billing-types.js';
import { checkPrices, type PriceList, rateOf, singleRatePrices, travelRateOf } from './prices.js';
import { CUSTOMER_SIDE_DIAGNOSTICS, isFreeWork, type WorkCategory } from './work-category.js';

export type {
  BillingEntry,
  BillingTerms,
  LineKind,
  MonthStatement,
  PackageBalance,
  PackageUse,
  PricedTerms,
  SingleRateTerms,
  StatementLine,
  StatementTotals,
} from './billing-types.js';
export {
  CUSTOMER_SIDE_DIAGNOSTICS,
  FREE_WORK,
  initialWorkCategory,
  isFreeWork,
  isWorkCategory,
  parseWorkCategory,
  WORK_CATEGORIES,
  type WorkCategory,
} from './work-category.js';

/** The included minutes of a tier (unknown tiers and tiers without hours include none). */
export function includedMinutesOf(tiers: Readonly<Record<string, { includedHours?: number }>>, tier: string): number {
  return Math.round((tiers[tier]?.includedHours ?? 0) * 60);
}

/** `minutes` rounded up to a multiple of `increment`. */
export function roundUp(minutes: number, increment: number): number {
  return Math.ceil(minutes / increment) * increment;
}

/** billed minutes x rate per hour / 60, rounded half up, in integer arithmetic (minor units). */
export function amountFor(billedMinutes: number, hourlyRate: number): number {
  const n = billedMinutes * hourlyRate + 30;
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`amount out of range: ${billedMinutes} min at ${hourlyRate}`);
  return (n - (n % 60)) / 60;
}

function checkSingleRate(terms: SingleRateTerms): void {
  const ints: Array<[string, number]> = [
    ['hourlyRate', terms.hourlyRate],
    ['travelFee', terms.travelFee],
  ];
  for (const [name, v] of ints) if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
  if (!Number.isInteger(terms.incrementMinutes) || terms.incrementMinutes <= 0)
    throw new RangeError(`incrementMinutes must be a positive integer, got ${terms.incrementMinutes}`);
}

/** The terms in their full form; the older single-rate terms are one rate for work and travel. */
function fullTerms(terms: BillingTerms): PricedTerms {
  if ('prices' in terms) return terms;
  checkSingleRate(terms);
  return { prices: singleRatePrices(terms), includedMinutes: terms.includedMinutes };
}

/** The first and last local day of a month YYYY-MM. */
function monthDays(month: string): { first: string; last: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { first: `${month}-01`, last: `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}` };
}

/** Packages in the order they are used: the one whose last day comes first, then the oldest purchase. */
function usageOrder(a: PackageBalance, b: PackageBalance): number {
  return (a.validUntil ?? '9999-12-31').localeCompare(b.validUntil ?? '9999-12-31') || a.boughtOn.localeCompare(b.boughtOn) || a.id.localeCompare(b.id);
}

/**
 * The statement of one customer for `month` (YYYY-MM in `timeZone`). Entries of other
 * months are left out; the order of `entries` does not matter.
 */
export function billMonth(entries: readonly BillingEntry[], given: BillingTerms, month: string, timeZone: string): MonthStatement {
  const terms = fullTerms(given);
  checkPrices(terms.prices);
  for (const p of Object.values(terms.casePrices ?? {})) checkPrices(p);
  if (!Number.isSafeInteger(terms.includedMinutes) || terms.includedMinutes < 0)
    throw new RangeError(`includedMinutes must be a non-negative integer, got ${terms.includedMinutes}`);
  const days = monthDays(month);
  const plan = terms.plan ?? { start: null, end: null };
  const allowance = coversAnyDay(plan, days.first, days.last) ? terms.includedMinutes : 0;
  const packages = [...(terms.packages ?? [])].sort(usageOrder).map((p) => ({ ...p, left: p.leftMinutes, used: 0 }));

  const sorted = entries
    .filter((e) => monthOf(e.at, timeZone) === month)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.ticketNumber.localeCompare(b.ticketNumber) || a.id.localeCompare(b.id));
  for (const e of sorted) {
    if (!Number.isSafeInteger(e.minutes) || e.minutes < 0) throw new RangeError(`entry ${e.id}: minutes must be a non-negative integer, got ${e.minutes}`);
    if (e.km != null && (!Number.isSafeInteger(e.km) || e.km < 0)) throw new RangeError(`entry ${e.id}: km must be a non-negative integer, got ${e.km}`);
  }
  // Map keeps insertion order: cases in the order of their first entry.
  const cases = new Map<string, BillingEntry[]>();
  for (const e of sorted) cases.set(e.ticketNumber, [...(cases.get(e.ticketNumber) ?? []), e]);

  const lines: StatementLine[] = [];
  const line = (e: BillingEntry, kind: LineKind, fields: Partial<StatementLine>): StatementLine => ({
    kind,
    entryId: e.id,
    ticketNumber: e.ticketNumber,
    at: e.at,
    ...localDateTime(e.at, timeZone),
    ...(e.dateOnly ? { time: '' } : {}),
    technician: e.technician,
    technicianName: e.technicianName,
    activity: kind === 'travel-fee' || kind === 'travel-km' ? '' : e.activity,
    travel: e.travel,
    rate: null,
    minutes: kind === 'travel-fee' || kind === 'travel-km' ? 0 : e.minutes,
    km: 0,
    roundedMinutes: 0,
    includedMinutes: 0,
    packageMinutes: 0,
    freeMinutes: 0,
    billedMinutes: 0,
    amount: 0,
    ...fields,
  });
  let includedLeft = allowance;
  for (const [ticketNumber, caseEntries] of cases) {
    const prices = terms.casePrices?.[ticketNumber] ?? terms.prices;
    const travelRate = travelRateOf(prices);
    const work = new Map<string, { minutes: number; rounded: number }>();
    let travel = 0;
    let travelRounded = 0;
    let firstTravel: BillingEntry | null = null;
    const agreed = terms.agreedCases === undefined || terms.agreedCases.includes(ticketNumber);
    let freeLeft = terms.freeDiagnosticsMinutes ?? 0;
    for (const e of caseEntries) {
      if (!e.billable) {
        lines.push(line(e, 'non-billable', {}));
      } else if (!agreed && e.workCategory != null && !isFreeWork(e.workCategory)) {
        lines.push(line(e, 'unagreed', {}));
      } else if (e.travel) {
        firstTravel ??= e;
        if (travelRate) {
          travel += e.minutes;
          const started = roundUp(travel, travelRate.incrementMinutes) - travelRounded;
          travelRounded += started;
          lines.push(
            line(e, 'travel', { rate: travelRate.name, roundedMinutes: started, billedMinutes: started, amount: amountFor(started, travelRate.hourlyRate) }),
          );
        } else lines.push(line(e, 'travel', {}));
        if (e.km) lines.push(line(e, 'travel-km', { km: e.km, amount: kmAmount(e, prices.travel.perKm) }));
      } else {
        const rate = rateOfEntry(prices, terms.prices, e);
        const sum = work.get(rate.name) ?? { minutes: 0, rounded: 0 };
        const free = e.workCategory != null && CUSTOMER_SIDE_DIAGNOSTICS.includes(e.workCategory as WorkCategory) ? Math.min(freeLeft, e.minutes) : 0;
        freeLeft -= free;
        sum.minutes += e.minutes - free;
        const started = roundUp(sum.minutes, rate.incrementMinutes) - sum.rounded;
        sum.rounded += started;
        work.set(rate.name, sum);
        const day = localDateTime(e.at, timeZone).date;
        const included = planStatus(plan, day) === 'active' ? Math.min(started, includedLeft) : 0;
        includedLeft -= included;
        let rest = started - included;
        let fromPackages = 0;
        for (const p of packages) {
          if (rest === 0) break;
          if (p.left === 0 || day < p.boughtOn || (p.validUntil !== null && day > p.validUntil)) continue;
          const take = Math.min(rest, p.left);
          p.left -= take;
          p.used += take;
          rest -= take;
          fromPackages += take;
        }
        lines.push(
          line(e, 'work', {
            rate: rate.name,
            roundedMinutes: started,
            includedMinutes: included,
            packageMinutes: fromPackages,
            freeMinutes: free,
            billedMinutes: rest,
            amount: amountFor(rest, rate.hourlyRate),
          }),
        );
      }
    }
    if (firstTravel && prices.travel.perVisit > 0) lines.push(line(firstTravel, 'travel-fee', { amount: prices.travel.perVisit }));
  }
  const used = packages.map(({ left, used, ...p }) => ({
    ...p,
    held: p.boughtOn <= days.last && (p.validUntil === null || p.validUntil >= days.first),
    usedMinutes: used,
    leftAfterMinutes: left,
    usableAfter: p.validUntil === null || p.validUntil > days.last,
  }));
  return { month, lines, totals: totalsOf(lines, allowance, used), packages: used };
}

/** The rate of a work entry: from the case's prices, else (a rate the call-out did not quote) the price list's. */
function rateOfEntry(prices: PriceList, priceList: PriceList, e: BillingEntry) {
  const name = e.rate ?? prices.defaultRate;
  try {
    return rateOf(prices.rates[name] ? prices : priceList, name);
  } catch (err) {
    throw new RangeError(`${e.ticketNumber}: time logged at the rate "${name}", but ${(err as Error).message}`);
  }
}

function kmAmount(e: BillingEntry, perKm: number): number {
  const amount = (e.km ?? 0) * perKm;
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount out of range: ${e.km} km at ${perKm}`);
  return amount;
}

function totalsOf(lines: readonly StatementLine[], allowance: number, packages: readonly PackageUse[]): StatementTotals {
  const sum = (pick: (l: StatementLine) => number, kinds?: readonly LineKind[]) =>
    lines.filter((l) => !kinds || kinds.includes(l.kind)).reduce((acc, l) => acc + pick(l), 0);
  const includedUsedMinutes = sum((l) => l.includedMinutes);
  return {
    minutes: sum((l) => l.minutes),
    workMinutes: sum((l) => l.minutes, ['work']),
    travelMinutes: sum((l) => l.minutes, ['travel']),
    nonBillableMinutes: sum((l) => l.minutes, ['non-billable']),
    unagreedMinutes: sum((l) => l.minutes, ['unagreed']),
    freeDiagnosticsMinutes: sum((l) => l.freeMinutes),
    roundedMinutes: sum((l) => l.roundedMinutes),
    roundedWorkMinutes: sum((l) => l.roundedMinutes, ['work']),
    roundedTravelMinutes: sum((l) => l.roundedMinutes, ['travel']),
    includedMinutes: allowance,
    includedUsedMinutes,
    includedLeftMinutes: allowance - includedUsedMinutes,
    packageMinutes: sum((l) => l.packageMinutes),
    packageLeftMinutes: packages.filter((p) => p.held && p.usableAfter).reduce((acc, p) => acc + p.leftAfterMinutes, 0),
    billedMinutes: sum((l) => l.billedMinutes),
    travelFees: lines.filter((l) => l.kind === 'travel-fee').length,
    travelFeeAmount: sum((l) => l.amount, ['travel-fee']),
    km: sum((l) => l.km),
    kmAmount: sum((l) => l.amount, ['travel-km']),
    amount: sum((l) => l.amount),
  };
}

/** A VAT note as configured (billing.vatNote): one text, or one per language. */
export type VatNote = string | { cs: string; sk?: string; en?: string };

/** The VAT note in `lang` (a single text is used for every language; a missing one falls back to Czech). */
export function vatNoteIn(note: VatNote, lang: Lang): string {
  return typeof note === 'string' ? note : (note[lang] ?? note.cs);
}
