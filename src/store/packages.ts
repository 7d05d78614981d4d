/** Prepaid support packages customers bought (`linka packages import`). */
import type { DbClient } from './types.js';

/** A package as bought. Dates are local YYYY-MM-DD. */
export interface PackageRow {
  id: string;
  customerId: string;
  package: string;
  reference: string;
  minutes: number;
  price: number;
  currency: string;
  boughtOn: string;
  validUntil: string | null;
}

/** The packages of these customers, oldest purchase first. */
export async function packagesOf(db: DbClient, customerIds: readonly string[]): Promise<PackageRow[]> {
  const rows: PackageRow[] = [];
  // In slices, well under SQLite's limit of bound values per statement.
  for (let i = 0; i < customerIds.length; i += 500) {
    rows.push(
      ...(await db.supportPackage.findMany({
        where: { customerId: { in: customerIds.slice(i, i + 500) } },
        orderBy: [{ boughtOn: 'asc' }, { id: 'asc' }],
        select: { id: true, customerId: true, package: true, reference: true, minutes: true, price: true, currency: true, boughtOn: true, validUntil: true },
      })),
    );
  }
  return rows;
}

/** A package to store: as `PackageRow` without its id. */
export type NewPackage = Omit<PackageRow, 'id'>;

/** Inserts or updates by (customer, reference); returns what happened. */
export async function upsertPackage(db: DbClient, p: NewPackage, now: Date): Promise<'created' | 'updated' | 'unchanged'> {
  const existing = await db.supportPackage.findUnique({ where: { customerId_reference: { customerId: p.customerId, reference: p.reference } } });
  if (!existing) {
    await db.supportPackage.create({ data: { ...p, importedAt: now } });
    return 'created';
  }
  const same = (Object.keys(p) as Array<keyof NewPackage>).every((k) => existing[k] === p[k]);
  if (same) return 'unchanged';
  await db.supportPackage.update({ where: { id: existing.id }, data: { ...p, importedAt: now } });
  return 'updated';
}
