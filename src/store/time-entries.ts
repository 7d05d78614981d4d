/** Time entries for billing: a month's entries, with their tickets' numbers and customers. */
import type { BillingEntry } from '../domain/billing.js';
import { hasAcceptedConsent } from './offers.js';
import type { DbClient } from './types.js';

/** The customer a ticket belongs to, as a statement shows it. */
export interface EntryCustomer {
  id: string;
  contractNumber: string;
  name: string;
  tier: string;
  /** The plan's first and last day (local YYYY-MM-DD), as imported; null: not given. */
  planStart: string | null;
  planEnd: string | null;
}

/** A time entry ready for billing, with the customer its ticket belongs to (null: none). */
export interface BillableEntry extends BillingEntry {
  customer: EntryCustomer | null;
}

/**
 * The entries whose work was done in [start, end): by the day the technician gave, else by
 * when they were logged; oldest first; only those on `customerId`'s tickets when given.
 */
export async function timeEntriesBetween(db: DbClient, start: Date, end: Date, customerId?: string): Promise<BillableEntry[]> {
  const rows = await db.timeEntry.findMany({
    where: {
      OR: [{ workedAt: null, createdAt: { gte: start, lt: end } }, { workedAt: { gte: start, lt: end } }],
      ...(customerId ? { ticket: { customerId } } : {}),
    },
    include: {
      ticket: { select: { number: true, customer: { select: { id: true, contractNumber: true, name: true, tier: true, planStart: true, planEnd: true } } } },
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map((r) => ({
    id: r.id,
    ticketNumber: r.ticket.number,
    customer: r.ticket.customer,
    at: r.workedAt ?? r.createdAt,
    ...(r.workedAt ? { dateOnly: true } : {}),
    technician: r.technician,
    technicianName: r.technicianName,
    minutes: r.minutes,
    activity: r.activity,
    billable: r.billable,
    travel: r.travel,
    rate: r.rate,
    km: r.km,
    workCategory: r.workCategory,
  }));
}

/** A time entry as a technician logs it. */
export interface NewTimeEntry {
  ticketId: string;
  technician: string;
  technicianName: string;
  minutes: number;
  activity: string;
  billable: boolean;
  travel: boolean;
  /** The rate the technician named; null: the default rate. */
  rate: string | null;
  /** Kilometres driven on a travel entry. */
  km: number | null;
  /** The day of the work when the technician gave one; null: when logged. */
  workedAt: Date | null;
  /** The ticket's kind of work when the billing followed it; null when the technician said billable or free. */
  workCategory: string | null;
  createdAt: Date;
}

export async function insertTimeEntry(db: DbClient, entry: NewTimeEntry): Promise<void> {
  await db.timeEntry.create({ data: entry });
}

/**
 * Minutes of billable time on a ticket whose billing followed a paid kind of work while the
 * customer has not agreed to paid work on it (no accepted consent): marked on the card.
 */
export async function unagreedMinutesOf(db: DbClient, ticketId: string, paidCategories: readonly string[]): Promise<number> {
  if (await hasAcceptedConsent(db, ticketId)) return 0;
  const sum = await db.timeEntry.aggregate({ where: { ticketId, billable: true, workCategory: { in: [...paidCategories] } }, _sum: { minutes: true } });
  return sum._sum.minutes ?? 0;
}
