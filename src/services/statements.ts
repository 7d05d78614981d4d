/**
 * A month's statements of customers from the database (src/domain/billing.ts does the
 * arithmetic): each customer's time entries of the month, their tier's included hours on the
 * days their plan covers, their prepaid packages as the earlier months left them (so the months
 * since the oldest package are billed again, in order, to carry what each used), and each case
 * whose call-out the customer accepted priced as quoted. `linka statement` and the customers'
 * "how many hours" question both use it.
 */
import { billMonth, includedMinutesOf, type MonthStatement, type PackageBalance, vatNoteIn } from '../domain/billing.js';
import type { LinkaConfig } from '../config/schema.js';
import type { BillingConfig } from '../config/billing-schema.js';
import type { Lang } from '../engine/types.js';
import { monthOf, monthRange } from '../domain/billing-month.js';
import { planOf, type Plan, type TierTerm } from '../domain/entitlement.js';
import type { PriceList } from '../domain/prices.js';
import { pricesOfQuote } from '../domain/quote.js';
import { acceptedTermsByTicket, ticketNumbersWithConsent } from '../store/offers.js';
import { packagesOf, type PackageRow } from '../store/packages.js';
import { type BillableEntry, type EntryCustomer, timeEntriesBetween } from '../store/time-entries.js';
import type { DbClient } from '../store/types.js';

/** What billing needs from the configuration. */
export interface StatementSettings {
  timezone: string;
  /** The price list (config billing: rates, defaultRate, travel). */
  prices: PriceList;
  tiers: Readonly<Record<string, { includedHours?: number } & TierTerm>>;
  /** The first minutes of a case's paid diagnostics on the customer's side that are free (config callout.freeDiagnosticsMinutes). */
  freeDiagnosticsMinutes?: number;
}

/** One customer's month: the statement, their plan's dates, and their packages after the month. */
export interface CustomerMonth {
  customer: EntryCustomer;
  plan: Plan;
  statement: MonthStatement;
  /** The packages bought (as stored), by id: the statement's `packages` carry their balances. */
  packages: ReadonlyMap<string, PackageRow>;
}

/** The months from `first` to `last` (YYYY-MM, inclusive), in order. */
function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  const [ly, lm] = last.split('-').map(Number) as [number, number];
  // Compared as numbers: as text, "10000-01" would sort before "9999-12".
  for (let month = first; y * 12 + m <= ly * 12 + lm; ) {
    months.push(month);
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
    month = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
  }
  return months;
}

/**
 * Bills `month` for every customer with time in it (entries without a customer are returned as
 * `orphans`), or only for `only`, listed even without entries; customers in contract-number order.
 */
export async function customerMonths(
  db: DbClient,
  settings: StatementSettings,
  month: string,
  only?: EntryCustomer,
): Promise<{ customers: CustomerMonth[]; orphans: string[] }> {
  const tz = settings.timezone;
  const { start, end } = monthRange(month, tz);
  const entries = await timeEntriesBetween(db, start, end, only?.id);
  const orphans = [...new Set(entries.filter((e) => !e.customer).map((e) => e.ticketNumber))];
  const groups = new Map<string, { customer: EntryCustomer; entries: BillableEntry[] }>();
  if (only) groups.set(only.id, { customer: only, entries: [] });
  for (const e of entries) {
    if (!e.customer) continue;
    const group = groups.get(e.customer.id) ?? { customer: e.customer, entries: [] };
    group.entries.push(e);
    groups.set(e.customer.id, group);
  }
  // The month's cases' accepted terms and consents, read once for every customer (not per customer).
  const monthNumbers = [...new Set(entries.map((e) => e.ticketNumber))];
  const [packages, monthQuotes, monthAgreed] = await Promise.all([
    packagesOf(db, [...groups.keys()]),
    acceptedTermsByTicket(db, monthNumbers),
    ticketNumbersWithConsent(db, monthNumbers),
  ]);
  const monthAgreedSet = new Set(monthAgreed);
  const customers: CustomerMonth[] = [];
  for (const { customer, entries: own } of [...groups.values()].sort((a, b) => a.customer.contractNumber.localeCompare(b.customer.contractNumber))) {
    const held = packages.filter((p) => p.customerId === customer.id);
    const plan = planOf(customer, settings.tiers);
    const bill = async (m: string, list: readonly BillableEntry[], balances: PackageBalance[]) => {
      const numbers = [...new Set(list.map((e) => e.ticketNumber))];
      const known = m === month;
      const quotes = known
        ? new Map(numbers.flatMap((n) => (monthQuotes.has(n) ? [[n, monthQuotes.get(n)] as const] : [])))
        : await acceptedTermsByTicket(db, numbers);
      const agreedCases = known ? numbers.filter((n) => monthAgreedSet.has(n)) : await ticketNumbersWithConsent(db, numbers);
      const casePrices: Record<string, PriceList> = {};
      for (const [ticket, terms] of quotes) {
        const prices = pricesOfQuote(terms);
        if (prices) casePrices[ticket] = prices;
      }
      const terms = {
        prices: settings.prices,
        includedMinutes: includedMinutesOf(settings.tiers, customer.tier),
        plan,
        packages: balances,
        casePrices,
        agreedCases,
        freeDiagnosticsMinutes: settings.freeDiagnosticsMinutes ?? 0,
      };
      return billMonth(list, terms, m, tz);
    };
    let balances: PackageBalance[] = held.map((p) => ({
      id: p.id,
      name: p.package,
      reference: p.reference,
      minutes: p.minutes,
      price: p.price,
      boughtOn: p.boughtOn,
      validUntil: p.validUntil,
      leftMinutes: p.minutes,
    }));
    // What the months since the oldest package used of them (each month's included hours first).
    const oldest = held[0]?.boughtOn.slice(0, 7);
    if (oldest !== undefined && oldest < month) {
      const earlier = await timeEntriesBetween(db, monthRange(oldest, tz).start, start, customer.id);
      for (const m of monthsBetween(oldest, month).slice(0, -1)) {
        const before = await bill(
          m,
          earlier.filter((e) => monthOf(e.at, tz) === m),
          balances,
        );
        balances = before.packages.map(({ held: _held, usedMinutes: _used, leftAfterMinutes, usableAfter: _usable, ...p }) => ({
          ...p,
          leftMinutes: leftAfterMinutes,
        }));
      }
    }
    const statement = await bill(month, own, balances);
    customers.push({ customer, plan, statement, packages: new Map(held.map((p) => [p.id, p])) });
  }
  return { customers, orphans };
}

/** Everything a statement shows, before it is rendered as CSV or JSON. */
export interface StatementReport {
  month: string;
  timezone: string;
  /** The price list, with the VAT note in the company's language. */
  billing: Omit<BillingConfig, 'vatNote'> & { vatNote: string };
  lang: Lang;
  customers: CustomerMonth[];
}

/**
 * The month's statement of every customer (or of `only`) as the configuration prices it: what
 * `linka statement` prints and the console shows, from one place so the two never differ.
 * `orphans`: tickets with time that month but no customer (on no statement).
 */
export async function statementReport(
  db: DbClient,
  config: Pick<LinkaConfig, 'timezone' | 'billing' | 'tiers' | 'callout' | 'defaultLanguage'>,
  month: string,
  only?: EntryCustomer,
): Promise<{ report: StatementReport; orphans: string[] }> {
  const { customers, orphans } = await customerMonths(
    db,
    { timezone: config.timezone, prices: config.billing, tiers: config.tiers, freeDiagnosticsMinutes: config.callout.freeDiagnosticsMinutes },
    month,
    only,
  );
  return {
    report: {
      month,
      timezone: config.timezone,
      billing: { ...config.billing, vatNote: vatNoteIn(config.billing.vatNote, config.defaultLanguage) },
      lang: config.defaultLanguage,
      customers,
    },
    orphans,
  };
}
