/**
 * `linka statement --month YYYY-MM [--customer CONTRACT] [--format csv|json]`: the month's
 * statement per customer on stdout. Every activity with its date, time (company time zone),
 * ticket, technician and description, then the customer's totals; the billing rules are
 * src/domain/billing.ts. Money is printed as integer minor units and formatted, never
 * through floating point. Texts and money formats are in the config's `defaultLanguage`.
 */
import type { LinkaConfig } from '../config/schema.js';
import { billMonth, includedMinutesOf, vatNoteIn, type MonthStatement, type StatementLine, type StatementTotals } from '../domain/billing.js';
import { monthRange, parseMonth } from '../domain/billing-month.js';
import { formatMoney } from '../domain/money.js';
import type { Lang } from '../engine/types.js';
import { LinkaError } from '../errors.js';
import { t } from '../messages/index.js';
import { customerByContract } from '../store/customers.js';
import { type CliIo, configOf, withDatabase } from './command.js';
import { timeEntriesBetween, type BillableEntry, type EntryCustomer } from '../store/time-entries.js';

/** The options of `linka statement` (parsed in src/cli/index.ts). */
export interface StatementOptions {
  month: string;
  customer?: string;
  format: 'csv' | 'json';
}

/** One customer's statement. */
export interface CustomerStatement {
  customer: EntryCustomer;
  statement: MonthStatement;
}

/** Everything a statement shows, before it is rendered as CSV or JSON. */
export interface StatementReport {
  month: string;
  timezone: string;
  /** The billing terms, with the VAT note in the company's language. */
  billing: Omit<LinkaConfig['billing'], 'vatNote'> & { vatNote: string };
  lang: Lang;
  customers: CustomerStatement[];
}

/**
 * Bills each customer's entries of `month` (entries without a customer are left out);
 * customers in contract-number order. `only` is listed even without entries.
 */
export function buildReport(config: LinkaConfig, month: string, entries: readonly BillableEntry[], only?: EntryCustomer): StatementReport {
  const byCustomer = new Map<string, { customer: EntryCustomer; entries: BillableEntry[] }>();
  if (only) byCustomer.set(only.id, { customer: only, entries: [] });
  for (const e of entries) {
    if (!e.customer) continue;
    const group = byCustomer.get(e.customer.id) ?? { customer: e.customer, entries: [] };
    group.entries.push(e);
    byCustomer.set(e.customer.id, group);
  }
  const { hourlyRate, incrementMinutes, travelFee } = config.billing;
  const customers = [...byCustomer.values()]
    .sort((a, b) => a.customer.contractNumber.localeCompare(b.customer.contractNumber))
    .map(({ customer, entries: own }) => ({
      customer,
      statement: billMonth(
        own,
        { hourlyRate, incrementMinutes, travelFee, includedMinutes: includedMinutesOf(config.tiers, customer.tier) },
        month,
        config.timezone,
      ),
    }));
  return {
    month,
    timezone: config.timezone,
    billing: { ...config.billing, vatNote: vatNoteIn(config.billing.vatNote, config.defaultLanguage) },
    lang: config.defaultLanguage,
    customers,
  };
}

const CSV_HEADER = [
  'type',
  'month',
  'contract',
  'customer',
  'tier',
  'date',
  'time',
  'ticket',
  'technician',
  'kind',
  'activity',
  'minutes',
  'rounded_minutes',
  'included_minutes',
  'included_left_minutes',
  'billed_minutes',
  'amount_minor',
  'amount',
  'currency',
];

/** RFC 4180 quoting; text a spreadsheet would run as a formula (= + - @) gets a leading apostrophe. */
function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvRow = (fields: ReadonlyArray<string | number>) => `${fields.map(csvField).join(',')}\n`;

function describe(report: StatementReport, line: StatementLine): string {
  return line.kind === 'travel-fee' ? t(report.lang, 'statement.travelFee') : line.activity;
}

/**
 * The statement as CSV: a header, one row per activity (type `line`), a `total` row after
 * each customer, and a final `note` row with the VAT note. Minor units and formatted amounts.
 */
export function renderCsv(report: StatementReport): string {
  const { currency } = report.billing;
  const money = (minor: number) => formatMoney(minor, currency, report.lang);
  let out = csvRow(CSV_HEADER);
  for (const { customer: c, statement } of report.customers) {
    const who = [report.month, c.contractNumber, c.name, c.tier];
    for (const l of statement.lines) {
      out += csvRow([
        'line',
        ...who,
        l.date,
        l.time,
        l.ticketNumber,
        l.technicianName,
        l.kind,
        describe(report, l),
        l.minutes,
        l.roundedMinutes,
        l.includedMinutes,
        '',
        l.billedMinutes,
        l.amount,
        money(l.amount),
        currency,
      ]);
    }
    const s = statement.totals;
    out += csvRow([
      'total',
      ...who,
      '',
      '',
      '',
      '',
      '',
      '',
      s.minutes,
      s.roundedMinutes,
      s.includedUsedMinutes,
      s.includedLeftMinutes,
      s.billedMinutes,
      s.amount,
      money(s.amount),
      currency,
    ]);
  }
  out += csvRow(['note', report.month, '', '', '', '', '', '', '', '', report.billing.vatNote, '', '', '', '', '', '', '', '']);
  return out;
}

/** The statement as JSON (amounts in minor units, each with its formatted twin). */
export function renderJson(report: StatementReport): string {
  const { currency } = report.billing;
  const money = (minor: number) => formatMoney(minor, currency, report.lang);
  const totals = (s: StatementTotals) => ({ ...s, amountFormatted: money(s.amount), travelFeeAmountFormatted: money(s.travelFeeAmount) });
  return `${JSON.stringify(
    {
      month: report.month,
      timezone: report.timezone,
      ...report.billing,
      customers: report.customers.map(({ customer: c, statement }) => ({
        contractNumber: c.contractNumber,
        name: c.name,
        tier: c.tier,
        lines: statement.lines.map((l) => ({
          kind: l.kind,
          ticket: l.ticketNumber,
          date: l.date,
          time: l.time,
          at: l.at.toISOString(),
          technician: l.technician,
          technicianName: l.technicianName,
          activity: describe(report, l),
          minutes: l.minutes,
          roundedMinutes: l.roundedMinutes,
          includedMinutes: l.includedMinutes,
          billedMinutes: l.billedMinutes,
          amount: l.amount,
          amountFormatted: money(l.amount),
        })),
        totals: totals(statement.totals),
      })),
    },
    null,
    2,
  )}\n`;
}

/** Runs `linka statement ...`; returns the exit code. Usage errors throw LinkaError('usage'). */
export async function statementCommand(values: StatementOptions, io: CliIo): Promise<number> {
  if (!parseMonth(values.month)) throw new LinkaError('usage', `--month must be a month as YYYY-MM (e.g. 2026-11), not "${values.month}"`);
  const month = values.month;
  const config = configOf(io);
  return withDatabase(io.env, async (db) => {
    let only: EntryCustomer | undefined;
    if (values.customer !== undefined) {
      const found = await customerByContract(db.prisma, values.customer);
      if (!found) throw new LinkaError('customer_not_found', `no customer with contract number "${values.customer}"`);
      only = { id: found.id, contractNumber: found.contractNumber, name: found.name, tier: found.tier };
    }
    const { start, end } = monthRange(month, config.timezone);
    const entries = await timeEntriesBetween(db.prisma, start, end, only?.id);
    const orphans = [...new Set(entries.filter((e) => !e.customer).map((e) => e.ticketNumber))];
    if (orphans.length) io.err(`${orphans.length} ticket(s) with time in ${month} have no customer and are on no statement: ${orphans.join(', ')}`);
    const report = buildReport(config, month, entries, only);
    io.write(values.format === 'json' ? renderJson(report) : renderCsv(report));
    return 0;
  });
}
