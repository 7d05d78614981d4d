/**
 * What the operator console's outages page reads beyond the outages service: the outages
 * resolved lately, one outage by id, how many customer notices each has had, and the areas
 * and access points customers are in (the declare form's suggestions).
 */
import { TEAM_CHANNELS } from './outages.js';
import type { DbClient, Outage } from './types.js';

/** The outages resolved at or after `since`, the latest first (at most `limit`). */
export async function recentlyResolvedOutages(db: DbClient, since: Date, limit = 50): Promise<Outage[]> {
  return db.outage.findMany({ where: { status: 'resolved', resolvedAt: { gte: since } }, orderBy: { resolvedAt: 'desc' }, take: limit });
}

/** One outage by its id, or null. */
export async function outageById(db: DbClient, id: string): Promise<Outage | null> {
  return db.outage.findUnique({ where: { id } });
}

/** How many customer notices (start, updates, resolution; not the team channels) each of these outages has queued. */
export async function outageCustomerNoticeCounts(db: DbClient, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db.outageNotice.groupBy({
    by: ['outageId'],
    where: { outageId: { in: [...ids] }, recipient: { not: TEAM_CHANNELS } },
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.outageId, r._count._all]));
}

/** An area or access point customers are in, with how many customers. */
export interface KnownArea {
  name: string;
  kind: 'area' | 'accessPoint';
  customers: number;
}

/** The customers' areas, then their access points, each by name. */
export async function knownAreas(db: DbClient): Promise<KnownArea[]> {
  const [areas, points] = await Promise.all([
    db.customer.groupBy({ by: ['area'], where: { area: { not: null } }, _count: { _all: true } }),
    db.customer.groupBy({ by: ['accessPoint'], where: { accessPoint: { not: null } }, _count: { _all: true } }),
  ]);
  const byName = (a: KnownArea, b: KnownArea) => a.name.localeCompare(b.name, 'cs');
  return [
    ...areas.flatMap((r) => (r.area?.trim() ? [{ name: r.area.trim(), kind: 'area' as const, customers: r._count._all }] : [])).sort(byName),
    ...points
      .flatMap((r) => (r.accessPoint?.trim() ? [{ name: r.accessPoint.trim(), kind: 'accessPoint' as const, customers: r._count._all }] : []))
      .sort(byName),
  ];
}
