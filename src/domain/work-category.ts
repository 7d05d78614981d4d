/**
 * The kinds of work a case can be, and which of them are free (docs/domain.md, "Free help and
 * paid call-outs"). Pure.
 */
import { normalize } from '../shared/normalize.js';

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
 * The paid kinds of work that are diagnostics finding the cause on the customer's side: the first
 * `callout.freeDiagnosticsMinutes` of a case's such work are free (docs/billing.md, "Paid work is
 * agreed first").
 */
export const CUSTOMER_SIDE_DIAGNOSTICS: readonly WorkCategory[] = ['customer_fault', 'advanced_diagnostics'];

/**
 * The category a new ticket starts with: `outage` when it was opened during a known outage in
 * the customer's area; `customer_fault` when the checklist points at the customer's side and
 * Linka offers the paid call-out itself (`callout.autoOffer`); otherwise `diagnostics` (free) —
 * also for a checklist that only suggests the customer's side, the free-text "something else"
 * flow and billing questions: nobody is charged before a technician has looked and re-classified
 * the case (`/linka category`).
 */
export function initialWorkCategory(ticket: { likelyCustomerSide: boolean; outageInArea: boolean }, autoOffer = true): WorkCategory {
  if (ticket.outageInArea) return 'outage';
  if (ticket.likelyCustomerSide && autoOffer) return 'customer_fault';
  return 'diagnostics';
}
