/** Outages as the per-message path reads them: the active ones, in plain SQL (store/sql.ts). */
import { mapRow, query } from './sql.js';
import type { DbClient, Outage } from './types.js';

/** An Outage row's DateTime columns. */
export const OUTAGE_DATES = ['startedAt', 'estimatedEndAt', 'resolvedAt', 'createdAt', 'updatedAt'] as const;

/** An Outage row as plain SQL returns it (either driver), read like Prisma reads it. */
export function outageFromRow(r: Record<string, unknown>): Outage {
  return mapRow<Outage>(r, OUTAGE_DATES, ['areas', 'services', 'texts'], ['revision']);
}

/** The outages not yet resolved, newest first. */
export async function activeOutages(db: DbClient): Promise<Outage[]> {
  const rows = await query<Record<string, unknown>>(db)`SELECT * FROM "Outage" WHERE "status" <> ${'resolved'} ORDER BY "startedAt" DESC`;
  return rows.map(outageFromRow);
}
