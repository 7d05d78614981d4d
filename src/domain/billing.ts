/**
 * Billing: one customer's month of logged time -> the statement's lines and totals. Pure.
 *
 * The rules (docs/domain.md, "Free help and paid call-outs" and "Included hours and statements"):
 * - A case is a ticket. An entry belongs to the company's calendar month of its time, in
 *   the company's time zone (23:30 UTC on 30 November is December in Prague): the day of the
 *   work when the technician gave one (30 November logged on 1 December is November's), else
 *   when it was logged.
 * - Whether an entry is billable was decided when it was logged: by default from the ticket's
 *   work category (free: outage, diagnostics; paid: the rest), or as the technician said.
 * - Work (billable, not travel) is rounded UP to the increment per case, not per entry:
 *   the case's running total is rounded, and each line carries the increments that its
 *   minutes started (5 + 5 + 5 min at 15 -> 15, 0, 0; 7 + 16 min -> 15, 15). A case that
 *   runs into the next month is rounded separately in each month.
 * - The tier's included minutes are used first: case by case in the order the cases began
 *   in the month (their first entry), and within a case line by line. A case that exhausts
 *   them is split: part included, part billed. Each month starts from the full allowance;
 *   what is left at the month's end is lost (no rollover).
 * - Non-billable entries are listed but cost nothing and use no included minutes.
 * - Travel (billable travel entries) is kept apart: rounded up to the increment per case on
 *   its own, billed at the hourly rate, never taken from the included minutes; and a flat
 *   travel fee once per case that had billable travel, as a line of its own.
 * - Money is integer minor units. A line's amount = billed minutes x hourly rate / 60,
 *   rounded half up to a whole minor unit in integer arithmetic; totals are the lines' sums,
 *   so the statement adds up.
 */
import type { Lang } from '../shared/lang.js';
import { normalize } from '../shared/normalize.js';
import { localDateTime, monthOf } from './billing-month.js';

/**
 * What kind of work a case is (docs/domain.md, "Free help and paid call-outs"): the provider's
 * outage and basic diagnostics are free; configuration, faults on the customer's side (their
 * router, Wi-Fi, computers), training and advanced diagnostics are paid.
 */
export const WORK_CATEGORIES = ['outage', 'diagnostics', 'configuration', 'customer_fault', 'training', 'advanced_diagnostics'] as const;
export type WorkCategory = (typeof WORK_CATEGORIES)[number];
/** The free kinds of work: time logged on them is not billable unless the technician says so. */
export const FREE_WORK: readonly WorkCategory[] = ['outage', 'diagnostics'];

export function isWorkCategory(value: string): value is WorkCategory {
  return (WORK_CATEGORIES as readonly string[]).includes(value);
}

/** True for free work (outage, diagnostics); an unknown category counts as paid only when it is one. */
export function isFreeWork(category: string): boolean {
  return (FREE_WORK as readonly string[]).includes(category);
}

/** Czech, Slovak and English words technicians may type for a category (`/linka category ID konfigurace`). */
const CATEGORY_WORDS: Record<string, WorkCategory> = {
  vypadek: 'outage',
  vypadok: 'outage',
  diagnostika: 'diagnostics',
  konfigurace: 'configuration',
  konfiguracia: 'configuration',
  nastaveni: 'configuration',
  nastavenie: 'configuration',
  config: 'configuration',
  zakaznik: 'customer_fault',
  zakaznika: 'customer_fault',
  'customer-fault': 'customer_fault',
  customer: 'customer_fault',
  skoleni: 'training',
  skolenie: 'training',
  'pokrocila-diagnostika': 'advanced_diagnostics',
  'advanced-diagnostics': 'advanced_diagnostics',
  advanced: 'advanced_diagnostics',
};

/** Reads a category as a technician types it ("customer_fault", "Konfigurace", "výpadek"); null when it is none. */
export function parseWorkCategory(text: string): WorkCategory | null {
  const n = normalize(text).replace(/\s+/g, '-');
  if (isWorkCategory(n)) return n;
  if (isWorkCategory(n.replace(/-/g, '_'))) return n.replace(/-/g, '_') as WorkCategory;
  return CATEGORY_WORDS[n] ?? null;
}

/**
 * The category a new ticket starts with: `outage` when it was opened during a known outage in
 * the customer's area; `customer_fault` when the checklist points at the customer's side;
 * otherwise `diagnostics` (free) — also for the free-text "something else" flow and billing
 * questions: nobody is charged before a technician has looked and re-classified the case
 * (`/linka category`).
 */
export function initialWorkCategory(ticket: { likelyCustomerSide: boolean; outageInArea: boolean }): WorkCategory {
  if (ticket.outageInArea) return 'outage';
  if (ticket.likelyCustomerSide) return 'customer_fault';
  return 'diagnostics';
}

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
}

/** The prices and the allowance that apply to one customer. */
export interface BillingTerms {
  /** Minor units per hour (100000 = 1 000,00 CZK). */
  hourlyRate: number;
  /** Work and travel are rounded up to this many minutes per case (15 or 30). */
  incrementMinutes: number;
  /** Minor units per case with billable travel. */
  travelFee: number;
  /** The tier's included work minutes per month. */
  includedMinutes: number;
}

export type LineKind = 'work' | 'travel' | 'travel-fee' | 'non-billable';

/** One line of the statement: an activity (or a case's travel fee). */
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
  /** The technician's description; empty on a travel fee (the renderer names it). */
  activity: string;
  /** True for travel entries (billable or not). */
  travel: boolean;
  minutes: number;
  roundedMinutes: number;
  includedMinutes: number;
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
  /** Rounded work plus rounded travel. */
  roundedMinutes: number;
  roundedWorkMinutes: number;
  roundedTravelMinutes: number;
  /** The tier's allowance for the month, how much of it was used, and what is left (lost at month end). */
  includedMinutes: number;
  includedUsedMinutes: number;
  includedLeftMinutes: number;
  /** Work beyond the allowance plus travel. */
  billedMinutes: number;
  /** Cases with billable travel, each charged the travel fee. */
  travelFees: number;
  travelFeeAmount: number;
  /** Minor units: every line's amount, travel fees included. */
  amount: number;
}

export interface MonthStatement {
  month: string;
  lines: StatementLine[];
  totals: StatementTotals;
}

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

function check(terms: BillingTerms): void {
  const ints: Array<[string, number]> = [
    ['hourlyRate', terms.hourlyRate],
    ['travelFee', terms.travelFee],
    ['includedMinutes', terms.includedMinutes],
  ];
  for (const [name, v] of ints) if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
  if (!Number.isInteger(terms.incrementMinutes) || terms.incrementMinutes <= 0)
    throw new RangeError(`incrementMinutes must be a positive integer, got ${terms.incrementMinutes}`);
}

/**
 * The statement of one customer for `month` (YYYY-MM in `timeZone`). Entries of other
 * months are left out; the order of `entries` does not matter.
 */
export function billMonth(entries: readonly BillingEntry[], terms: BillingTerms, month: string, timeZone: string): MonthStatement {
  check(terms);
  const inc = terms.incrementMinutes;
  const sorted = entries
    .filter((e) => monthOf(e.at, timeZone) === month)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.ticketNumber.localeCompare(b.ticketNumber) || a.id.localeCompare(b.id));
  for (const e of sorted)
    if (!Number.isSafeInteger(e.minutes) || e.minutes < 0) throw new RangeError(`entry ${e.id}: minutes must be a non-negative integer, got ${e.minutes}`);
  // Map keeps insertion order: cases in the order of their first entry.
  const cases = new Map<string, BillingEntry[]>();
  for (const e of sorted) cases.set(e.ticketNumber, [...(cases.get(e.ticketNumber) ?? []), e]);

  const lines: StatementLine[] = [];
  const line = (e: BillingEntry, kind: LineKind, rounded: number, included: number, billed: number, amount: number): StatementLine => ({
    kind,
    entryId: e.id,
    ticketNumber: e.ticketNumber,
    at: e.at,
    ...localDateTime(e.at, timeZone),
    ...(e.dateOnly ? { time: '' } : {}),
    technician: e.technician,
    technicianName: e.technicianName,
    activity: kind === 'travel-fee' ? '' : e.activity,
    travel: e.travel,
    minutes: kind === 'travel-fee' ? 0 : e.minutes,
    roundedMinutes: rounded,
    includedMinutes: included,
    billedMinutes: billed,
    amount,
  });
  let includedLeft = terms.includedMinutes;
  for (const caseEntries of cases.values()) {
    let work = 0;
    let workRounded = 0;
    let travel = 0;
    let travelRounded = 0;
    let firstTravel: BillingEntry | null = null;
    for (const e of caseEntries) {
      if (!e.billable) {
        lines.push(line(e, 'non-billable', 0, 0, 0, 0));
      } else if (e.travel) {
        travel += e.minutes;
        const started = roundUp(travel, inc) - travelRounded;
        travelRounded += started;
        firstTravel ??= e;
        lines.push(line(e, 'travel', started, 0, started, amountFor(started, terms.hourlyRate)));
      } else {
        work += e.minutes;
        const started = roundUp(work, inc) - workRounded;
        workRounded += started;
        const included = Math.min(started, includedLeft);
        includedLeft -= included;
        lines.push(line(e, 'work', started, included, started - included, amountFor(started - included, terms.hourlyRate)));
      }
    }
    if (firstTravel && terms.travelFee > 0) lines.push(line(firstTravel, 'travel-fee', 0, 0, 0, terms.travelFee));
  }
  return { month, lines, totals: totalsOf(lines, terms) };
}

function totalsOf(lines: readonly StatementLine[], terms: BillingTerms): StatementTotals {
  const sum = (pick: (l: StatementLine) => number, kinds?: readonly LineKind[]) =>
    lines.filter((l) => !kinds || kinds.includes(l.kind)).reduce((acc, l) => acc + pick(l), 0);
  const includedUsedMinutes = sum((l) => l.includedMinutes);
  const fees = lines.filter((l) => l.kind === 'travel-fee');
  return {
    minutes: sum((l) => l.minutes),
    workMinutes: sum((l) => l.minutes, ['work']),
    travelMinutes: sum((l) => l.minutes, ['travel']),
    nonBillableMinutes: sum((l) => l.minutes, ['non-billable']),
    roundedMinutes: sum((l) => l.roundedMinutes),
    roundedWorkMinutes: sum((l) => l.roundedMinutes, ['work']),
    roundedTravelMinutes: sum((l) => l.roundedMinutes, ['travel']),
    includedMinutes: terms.includedMinutes,
    includedUsedMinutes,
    includedLeftMinutes: terms.includedMinutes - includedUsedMinutes,
    billedMinutes: sum((l) => l.billedMinutes),
    travelFees: fees.length,
    travelFeeAmount: fees.reduce((acc, l) => acc + l.amount, 0),
    amount: sum((l) => l.amount),
  };
}

/** A VAT note as configured (billing.vatNote): one text, or one per language. */
export type VatNote = string | { cs: string; sk?: string; en?: string };

/** The VAT note in `lang` (a single text is used for every language; a missing one falls back to Czech). */
export function vatNoteIn(note: VatNote, lang: Lang): string {
  return typeof note === 'string' ? note : (note[lang] ?? note.cs);
}
