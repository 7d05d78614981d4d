/**
 * The shapes of billing (src/domain/billing.ts): a time entry as billing needs it, the terms of a
 * customer's month (prices, allowance, plan, packages), and the statement's lines and totals.
 */
import type { PriceList } from './prices.js';

/** One logged time entry, as billing needs it. */
export interface BillingEntry {
  id: string;
  ticketNumber: string;
  /** When the work was done: the day the technician gave (local noon), else when it was logged. */
  at: Date;
  /** True when the technician gave only the day of the work: the statement shows no time of day. */
  dateOnly?: boolean;
  /** "slack:U123" and the display name. */
  technician: string;
  technicianName: string;
  minutes: number;
  activity: string;
  billable: boolean;
  travel: boolean;
  /** The rate of work (a name of the price list); null or absent: the default rate. Travel ignores it. */
  rate?: string | null;
  /** Kilometres driven on a travel entry. */
  km?: number | null;
  /**
   * The ticket's kind of work when the entry's billing followed it (the technician said neither
   * billable nor free); null or absent: the technician said, or it was logged before this was kept.
   */
  workCategory?: string | null;
}

/** Prepaid hours a customer holds, as a month starts. Dates are local YYYY-MM-DD. */
export interface PackageBalance {
  id: string;
  /** The package of the price list that was sold ("4h"), and the purchase's reference. */
  name: string;
  reference: string;
  /** Minutes bought, and the price paid (minor units). */
  minutes: number;
  price: number;
  /** Work from this day on may use it... */
  boughtOn: string;
  /** ...until this day (inclusive); null: until used up. */
  validUntil: string | null;
  /** Minutes left as the month starts. */
  leftMinutes: number;
}

/** A package after the month: what the month used and what is left. */
export interface PackageUse extends PackageBalance {
  /** The customer held it in the month: bought by its end, not past its last day before its start. */
  held: boolean;
  usedMinutes: number;
  /** Minutes left at the month's end. */
  leftAfterMinutes: number;
  /** Whether it can still be used after the month (not past its last day). */
  usableAfter: boolean;
}

/** The prices, the allowance and the prepaid hours that apply to one customer's month. */
export interface PricedTerms {
  prices: PriceList;
  /** The tier's included work minutes per month. */
  includedMinutes: number;
  /** The days the customer's plan covers (local dates, inclusive; null: open): outside them no included minutes. */
  plan?: { start: string | null; end: string | null };
  packages?: readonly PackageBalance[];
  /** The prices of cases (by ticket number) whose customer agreed to a paid call-out: those quoted. */
  casePrices?: Readonly<Record<string, PriceList>>;
  /**
   * The cases (ticket numbers) whose customer agreed to paid work (an accepted consent). Billable
   * time logged on a paid kind of work of another case is not billed: the customer has not agreed
   * (docs/billing.md, "Paid work is agreed first"). Absent: every case counts as agreed.
   */
  agreedCases?: readonly string[];
  /** The first minutes of each case's paid diagnostics on the customer's side that are free (config callout.freeDiagnosticsMinutes). */
  freeDiagnosticsMinutes?: number;
}

/** The older terms of one rate for work and travel, and a flat travel fee per case. */
export interface SingleRateTerms {
  /** Minor units per hour (100000 = 1 000,00 CZK). */
  hourlyRate: number;
  /** Work and travel are rounded up to this many minutes per case (15 or 30). */
  incrementMinutes: number;
  /** Minor units per case with billable travel. */
  travelFee: number;
  includedMinutes: number;
}

/** What billMonth takes: the full terms, or the older single-rate ones. */
export type BillingTerms = PricedTerms | SingleRateTerms;

/** `unagreed`: billable time on paid work the customer has not agreed to (yet): listed, not billed. */
export type LineKind = 'work' | 'travel' | 'travel-km' | 'travel-fee' | 'non-billable' | 'unagreed';

/** One line of the statement: an activity, the kilometres of a trip, or a case's travel fee. */
export interface StatementLine {
  kind: LineKind;
  /** The time entry; for a travel fee, the case's first travel entry (whose time and technician it shows). */
  entryId: string;
  ticketNumber: string;
  at: Date;
  /** Local date YYYY-MM-DD and time HH:MM in the company's time zone (time '' for an entry logged with only its day). */
  date: string;
  time: string;
  technician: string;
  technicianName: string;
  /** The technician's description; empty on a travel fee and kilometres (the renderer names them). */
  activity: string;
  /** True for travel entries (billable or not). */
  travel: boolean;
  /** The rate the line is billed at: work's rate, travel's rate (null when travel time is not charged); null on the other kinds. */
  rate: string | null;
  minutes: number;
  /** Kilometres priced on a travel-km line; 0 elsewhere. */
  km: number;
  roundedMinutes: number;
  includedMinutes: number;
  /** Minutes taken from prepaid packages. */
  packageMinutes: number;
  /** Minutes of the case's free diagnostics (callout.freeDiagnosticsMinutes) this line used: not billed. */
  freeMinutes: number;
  billedMinutes: number;
  /** Minor units. */
  amount: number;
}

/** A customer's month in numbers. Minutes and money are integers. */
export interface StatementTotals {
  /** Everything logged: work, travel and non-billable. */
  minutes: number;
  workMinutes: number;
  travelMinutes: number;
  nonBillableMinutes: number;
  /** Billable time the customer has not agreed to: listed, not billed (docs/billing.md, "Paid work is agreed first"). */
  unagreedMinutes: number;
  /** Work minutes left free as the first minutes of paid diagnostics on the customer's side. */
  freeDiagnosticsMinutes: number;
  /** Rounded work plus rounded travel. */
  roundedMinutes: number;
  roundedWorkMinutes: number;
  roundedTravelMinutes: number;
  /** The tier's allowance for the month (0 when the plan covers none of its days), how much of it was used, and what is left (lost at month end). */
  includedMinutes: number;
  includedUsedMinutes: number;
  includedLeftMinutes: number;
  /** Minutes taken from packages this month, and what the packages still usable after it have left. */
  packageMinutes: number;
  packageLeftMinutes: number;
  /** Work beyond the allowance and packages, plus travel. */
  billedMinutes: number;
  /** Cases with billable travel, each charged the travel fee. */
  travelFees: number;
  travelFeeAmount: number;
  /** Kilometres priced, and their amount. */
  km: number;
  kmAmount: number;
  /** Minor units: every line's amount, travel fees and kilometres included. */
  amount: number;
}

export interface MonthStatement {
  month: string;
  lines: StatementLine[];
  totals: StatementTotals;
  /** Every package given, after the month (those not `held` are unchanged). */
  packages: PackageUse[];
}
