/**
 * A month's statement (`linka statement`, the console's statements page) as CSV or JSON (docs/billing.md, "Statements"). Money is printed as integer
 * minor units and formatted in the company's language, never through floating point.
 */
import type { StatementLine, StatementTotals } from '../domain/billing.js';
import { formatMoney } from '../domain/money.js';
import { t } from '../messages/index.js';
import type { StatementReport } from './statements.js';

export type { StatementReport } from './statements.js';

/**
 * The columns. The first 19 are the statement's columns since its first version; the rest were
 * added at the end: the rate of a line, kilometres, minutes from prepaid packages (per line) and
 * what the packages have left (total and package rows), a package's last day, and the plan's
 * dates (total rows). A line of kind `unagreed` is paid work the customer has not agreed to:
 * listed, its activity marked, not billed. The free minutes of diagnostics on the customer's side
 * (callout.freeDiagnosticsMinutes) are in the JSON (`freeMinutes`); the CSV shows them as fewer
 * rounded minutes.
 */
export const CSV_HEADER = [
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
  'rate',
  'km',
  'package_minutes',
  'package_left_minutes',
  'valid_until',
  'plan_start',
  'plan_end',
  'plan_minimum_until',
];

/** RFC 4180 quoting; text a spreadsheet would run as a formula (= + - @) gets a leading apostrophe. */
function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvRow = (fields: ReadonlyArray<string | number>) => `${fields.map(csvField).join(',')}\n`;

/** A line's description as the statement gives it (in the report's language): the activity, or the travel fee, kilometres, unagreed work. */
export function describeLine(report: StatementReport, line: StatementLine): string {
  if (line.kind === 'travel-fee') return t(report.lang, 'statement.travelFee');
  if (line.kind === 'travel-km') return t(report.lang, 'statement.travelKm', { km: line.km });
  if (line.kind === 'unagreed') return t(report.lang, 'statement.unagreed', { activity: line.activity });
  return line.activity;
}

/** What a customer holds of a package: its name, reference and price, for the package row. */
function packageText(report: StatementReport, p: { name: string; reference: string; price: number }): string {
  return t(report.lang, 'statement.package', { name: p.name, reference: p.reference, price: formatMoney(p.price, report.billing.currency, report.lang) });
}

/**
 * The statement as CSV: a header, one row per activity (type `line`), a `total` row after
 * each customer followed by a `package` row per prepaid package they held in the month, and a
 * final `note` row with the VAT note. Minor units and formatted amounts.
 */
export function renderCsv(report: StatementReport): string {
  const { currency } = report.billing;
  const money = (minor: number) => formatMoney(minor, currency, report.lang);
  const blank = (n: number) => Array<string>(n).fill('');
  let out = csvRow(CSV_HEADER);
  for (const { customer: c, statement, plan } of report.customers) {
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
        describeLine(report, l),
        l.minutes,
        l.roundedMinutes,
        l.includedMinutes,
        '',
        l.billedMinutes,
        l.amount,
        money(l.amount),
        currency,
        l.rate ?? '',
        l.kind === 'travel-km' ? l.km : '',
        l.packageMinutes,
        ...blank(5),
      ]);
    }
    const s = statement.totals;
    out += csvRow([
      'total',
      ...who,
      ...blank(6),
      s.minutes,
      s.roundedMinutes,
      s.includedUsedMinutes,
      s.includedLeftMinutes,
      s.billedMinutes,
      s.amount,
      money(s.amount),
      currency,
      '',
      s.km,
      s.packageMinutes,
      s.packageLeftMinutes,
      '',
      plan.start ?? '',
      plan.end ?? '',
      plan.minimumUntil ?? '',
    ]);
    for (const p of statement.packages.filter((p) => p.held)) {
      out += csvRow([
        'package',
        ...who,
        p.boughtOn,
        '',
        '',
        '',
        p.name,
        packageText(report, p),
        p.minutes,
        ...blank(7),
        '',
        '',
        p.usedMinutes,
        p.leftAfterMinutes,
        p.validUntil ?? '',
        ...blank(3),
      ]);
    }
  }
  out += csvRow(['note', report.month, ...blank(8), report.billing.vatNote, ...blank(CSV_HEADER.length - 11)]);
  return out;
}

/** The statement as JSON (amounts in minor units, each with its formatted twin). */
export function renderJson(report: StatementReport): string {
  const { currency, ...priceList } = report.billing;
  const { rates, defaultRate, travel } = priceList;
  const money = (minor: number) => formatMoney(minor, currency, report.lang);
  const totals = (s: StatementTotals) => ({
    ...s,
    amountFormatted: money(s.amount),
    travelFeeAmountFormatted: money(s.travelFeeAmount),
    kmAmountFormatted: money(s.kmAmount),
  });
  const def = rates[defaultRate];
  return `${JSON.stringify(
    {
      month: report.month,
      timezone: report.timezone,
      currency,
      // The default rate and the amount per visit under their first names, as statements gave them before rates were named.
      hourlyRate: def?.hourlyRate,
      incrementMinutes: def?.incrementMinutes,
      travelFee: travel.perVisit,
      ...priceList,
      customers: report.customers.map(({ customer: c, statement, plan }) => ({
        contractNumber: c.contractNumber,
        name: c.name,
        tier: c.tier,
        plan: { start: plan.start, end: plan.end, minimumTermUntil: plan.minimumUntil },
        lines: statement.lines.map((l) => ({
          kind: l.kind,
          ticket: l.ticketNumber,
          date: l.date,
          time: l.time,
          at: l.at.toISOString(),
          technician: l.technician,
          technicianName: l.technicianName,
          activity: describeLine(report, l),
          rate: l.rate,
          minutes: l.minutes,
          km: l.km,
          roundedMinutes: l.roundedMinutes,
          includedMinutes: l.includedMinutes,
          packageMinutes: l.packageMinutes,
          freeMinutes: l.freeMinutes,
          billedMinutes: l.billedMinutes,
          amount: l.amount,
          amountFormatted: money(l.amount),
        })),
        packages: statement.packages
          .filter((p) => p.held)
          .map((p) => ({
            name: p.name,
            reference: p.reference,
            boughtOn: p.boughtOn,
            validUntil: p.validUntil,
            minutes: p.minutes,
            price: p.price,
            priceFormatted: money(p.price),
            leftAtStartMinutes: p.leftMinutes,
            usedMinutes: p.usedMinutes,
            leftMinutes: p.leftAfterMinutes,
            usableAfter: p.usableAfter,
          })),
        totals: totals(statement.totals),
      })),
    },
    null,
    2,
  )}\n`;
}
