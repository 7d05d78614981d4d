/**
 * `linka packages import FILE.csv`: the prepaid hour packages customers bought (docs/billing.md,
 * "Prepaid packages"). Every row is checked first (the customer must exist, the package must be
 * one of `billing.packages`, the dates real dates); errors name their line, and one bad row
 * imports nothing. A row is keyed by its customer and reference, so importing the same file again
 * changes nothing. Columns: contract_number, package, bought_on (YYYY-MM-DD or 10. 11. 2026),
 * valid_until (optional: default the package's validMonths after bought_on, or none), reference
 * (optional: an invoice number; default "<package>@<bought_on>").
 */
import type { BillingConfig } from '../config/billing-schema.js';
import { addMonths } from '../domain/entitlement.js';
import { parseDate } from '../domain/payments.js';
import { LinkaError } from '../errors.js';
import { readCsvRecords } from './csv-errors.js';
import { customerByContract } from '../store/customers.js';
import { type NewPackage, upsertPackage } from '../store/packages.js';
import type { DbClient, PrismaClient } from '../store/types.js';

export const PACKAGE_COLUMNS = ['contract_number', 'package', 'bought_on', 'valid_until', 'reference'] as const;
const REQUIRED = ['contract_number', 'package', 'bought_on'] as const;

/** One row as given, with the line it is on. */
export interface RawPackage {
  line: number;
  contract: string;
  package: string;
  boughtOn: string;
  validUntil: string;
  reference: string;
}

/** Parses CSV text into raw rows (header names checked); `checkPackages` checks their values. */
export function parsePackagesCsv(text: string): RawPackage[] {
  const records = readCsvRecords(text, PACKAGE_COLUMNS, REQUIRED, () => ({ splitAdvice: 'put such a value in double quotes' }));
  return records.map(({ record, info }) => ({
    line: info.lines,
    contract: (record.contract_number ?? '').trim(),
    package: (record.package ?? '').trim(),
    boughtOn: (record.bought_on ?? '').trim(),
    validUntil: (record.valid_until ?? '').trim(),
    reference: (record.reference ?? '').trim(),
  }));
}

/** A checked package of a known customer, ready to store. */
export type PackageImport = NewPackage & { line: number };

/**
 * Checks every row; throws one LinkaError listing every problem by its line (nothing is imported
 * then), else returns the packages to store, with the hours and price of the package as sold now.
 */
export async function checkPackages(db: DbClient, raw: readonly RawPackage[], billing: Pick<BillingConfig, 'packages' | 'currency'>): Promise<PackageImport[]> {
  const names = Object.keys(billing.packages);
  if (names.length === 0) throw new LinkaError('csv_invalid', 'billing.packages lists no packages: add the packages you sell to the configuration first');
  const errors: string[] = [];
  const seen = new Map<string, number>();
  const rows: PackageImport[] = [];
  for (const r of raw) {
    const problems: string[] = [];
    const customer = r.contract ? await customerByContract(db, r.contract) : null;
    if (!r.contract) problems.push('contract_number is empty');
    else if (!customer) problems.push(`no customer with contract_number ${r.contract}`);
    const name = names.find((n) => n.toLowerCase() === r.package.toLowerCase());
    const sold = name === undefined ? undefined : billing.packages[name];
    if (!r.package) problems.push('package is empty');
    else if (!sold) problems.push(`package "${r.package}" is not one of billing.packages (${names.join(', ')})`);
    const boughtOn = r.boughtOn ? parseDate(r.boughtOn) : null;
    if (!r.boughtOn) problems.push('bought_on is empty');
    else if (!boughtOn) problems.push(`bought_on "${r.boughtOn}" is not a date (YYYY-MM-DD or 10. 11. 2026)`);
    let validUntil = r.validUntil ? parseDate(r.validUntil) : null;
    if (r.validUntil && !validUntil) problems.push(`valid_until "${r.validUntil}" is not a date (YYYY-MM-DD or 10. 11. 2026)`);
    else if (validUntil && boughtOn && validUntil < boughtOn) problems.push(`valid_until ${validUntil} is before bought_on ${boughtOn}`);
    if (!r.validUntil && boughtOn && sold?.validMonths) validUntil = addMonths(boughtOn, sold.validMonths);
    const reference = r.reference || `${name ?? r.package}@${boughtOn ?? r.boughtOn}`;
    const key = `${customer?.id}\u0000${reference}`;
    if (customer && seen.has(key))
      problems.push(
        `contract_number ${customer.contractNumber} has the reference ${reference} already on line ${seen.get(key)}; give each purchase its own reference`,
      );
    else seen.set(key, r.line);
    if (problems.length) errors.push(`line ${r.line}: ${problems.join('; ')}`);
    else if (customer && name !== undefined && sold && boughtOn)
      rows.push({
        line: r.line,
        customerId: customer.id,
        package: name,
        reference,
        minutes: Math.round(sold.hours * 60),
        price: sold.price,
        currency: billing.currency,
        boughtOn,
        validUntil,
      });
  }
  if (errors.length) throw new LinkaError('csv_invalid', `Nothing was imported; fix these rows:\n  ${errors.join('\n  ')}`);
  return rows;
}

/** Stores checked packages in one transaction; returns the counts. */
export async function importPackages(
  prisma: PrismaClient,
  rows: readonly PackageImport[],
  now: Date,
): Promise<{ created: number; updated: number; unchanged: number }> {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  await prisma.$transaction(
    async (tx) => {
      for (const { line: _line, ...p } of rows) counts[await upsertPackage(tx, p, now)] += 1;
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  return counts;
}
