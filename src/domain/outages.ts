/** Outages: which customers an outage concerns, and its status vocabulary. Pure. */
import { normalize } from '../shared/normalize.js';

/** The status-page convention. */
export const OUTAGE_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type OutageStatus = (typeof OUTAGE_STATUSES)[number];

/** Services an outage can affect; the checklist flows of the same name are skipped during it. */
export const OUTAGE_SERVICES = ['internet', 'voip', 'wifi', 'tv', 'email'] as const;

/**
 * True when a customer's area or access point is among `areas`: names match exactly
 * (case- and diacritics-insensitive), and a name ending in "*" matches as a prefix
 * ("Plzeň*" covers "Plzeň-Bory" and "Plzeň").
 */
export function areaMatches(areas: readonly string[], customer: { area: string | null; accessPoint?: string | null }): boolean {
  const own = [customer.area, customer.accessPoint].filter((v): v is string => Boolean(v)).map(normalize);
  return areas.some((raw) => {
    const prefix = raw.trim().endsWith('*');
    const pattern = normalize(prefix ? raw.trim().slice(0, -1) : raw);
    if (pattern === '') return false;
    return own.some((value) => (prefix ? value.startsWith(pattern) : value === pattern));
  });
}
