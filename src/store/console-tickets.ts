/**
 * What the operator console reads of tickets: the filtered list (sorted by urgency by the
 * caller, then paged), one ticket with everything that happened on it, and the messages
 * recorded on a ticket after a given one (the live page).
 */
import { onSqlite } from './sql.js';
import type { DbClient, Prisma, PrismaClient } from './types.js';

/** The list's filters, as the form sends them (empty: any). */
export interface TicketFilter {
  /** open | claimed | resolved | closed | active (open or claimed) | all */
  status?: string;
  tier?: string;
  emergency?: boolean;
  /** The holder's technician id ("slack:U1", "console:eva"). */
  technician?: string;
  category?: string;
  /** Over the number, the customer's name and the messages' texts, in any letter case. */
  text?: string;
  /**
   * The service level: breached (a reaction or resolution deadline passed unmet), running (a
   * reaction is due and its deadline is ahead), met (reacted in time), none (no deadline).
   */
  sla?: string;
  /** Now, for the deadlines. */
  now?: Date;
}

export const SLA_STATES = ['breached', 'running', 'met', 'none'] as const;

function slaWhere(state: string, now: Date): Prisma.TicketWhereInput | null {
  switch (state) {
    case 'breached':
      return {
        OR: [
          { slaMet: false },
          { resolutionMet: false },
          { firstReactionAt: null, deadline: { lt: now } },
          { resolvedAt: null, resolutionDeadline: { lt: now } },
        ],
      };
    case 'running':
      return { firstReactionAt: null, deadline: { gte: now } };
    case 'met':
      return { slaMet: true };
    case 'none':
      return { deadline: null };
    default:
      return null;
  }
}

/**
 * The spellings a search looks for. PostgreSQL compares case-insensitively itself; SQLite's LIKE
 * folds only ASCII letters, so "čerMák" is also looked for as "čermák", "ČERMÁK" and "Čermák".
 */
function spellings(text: string, sqlite: boolean): string[] {
  if (!sqlite) return [text];
  const lower = text.toLocaleLowerCase('cs');
  return [...new Set([text, lower, text.toLocaleUpperCase('cs'), lower.charAt(0).toLocaleUpperCase('cs') + lower.slice(1)])];
}

function whereOf(f: TicketFilter, sqlite: boolean): Prisma.TicketWhereInput {
  const and: Prisma.TicketWhereInput[] = [];
  const status = f.status || 'active';
  if (status === 'active') and.push({ status: { in: ['open', 'claimed'] } });
  else if (status !== 'all') and.push({ status });
  if (f.tier) and.push({ tier: f.tier });
  if (f.emergency) and.push({ OR: [{ emergency: true }, { workCategory: 'outage' }] });
  if (f.technician) and.push({ claimedBy: f.technician });
  if (f.category) and.push({ category: f.category });
  const text = f.text?.trim();
  if (text) {
    const mode = sqlite ? {} : { mode: 'insensitive' as const };
    and.push({
      OR: spellings(text, sqlite).flatMap((s) => [
        { number: { contains: s, ...mode } },
        { customer: { name: { contains: s, ...mode } } },
        { messages: { some: { text: { contains: s, ...mode } } } },
      ]),
    });
  }
  const sla = f.sla ? slaWhere(f.sla, f.now ?? new Date()) : null;
  if (sla) and.push(sla);
  return { AND: and };
}

/** Most urgent first, as the queue sorts (src/domain/sla.ts, byUrgency): by deadline, those without last, then the older. */
const URGENCY: Prisma.TicketOrderByWithRelationInput[] = [{ deadline: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }, { id: 'asc' }];
const EMERGENCY: Prisma.TicketWhereInput = { OR: [{ emergency: true }, { workCategory: 'outage' }] };

/**
 * One page of the tickets the filter lets through, most urgent first (emergencies, then by
 * deadline, then the rest, the older first: the queue's order), and how many there are in all.
 * The database sorts and pages: only the page's ids are read.
 */
export async function ticketPage(db: DbClient, f: TicketFilter, skip: number, take: number): Promise<{ total: number; ids: string[] }> {
  const where = whereOf(f, onSqlite(db as PrismaClient));
  const urgent: Prisma.TicketWhereInput = { AND: [where, EMERGENCY] };
  const rest: Prisma.TicketWhereInput = { AND: [where, { emergency: false, NOT: { workCategory: 'outage' } }] };
  const [first, total] = await Promise.all([db.ticket.count({ where: urgent }), db.ticket.count({ where })]);
  const second = total - first;
  const ids: string[] = [];
  if (skip < first) ids.push(...(await db.ticket.findMany({ where: urgent, orderBy: URGENCY, skip, take, select: { id: true } })).map((t) => t.id));
  const left = take - ids.length;
  if (left > 0 && second > 0)
    ids.push(
      ...(await db.ticket.findMany({ where: rest, orderBy: URGENCY, skip: Math.max(0, skip - first), take: left, select: { id: true } })).map((t) => t.id),
    );
  return { total, ids };
}

/** The rows of one page of the list, by id (the caller keeps its order). */
export function ticketRowsByIds(db: DbClient, ids: string[]) {
  return db.ticket.findMany({ where: { id: { in: ids } }, include: { customer: { select: { name: true, contractNumber: true } } } });
}

/** The technicians who hold or held tickets (for the filter's choices). */
export async function ticketHolders(db: DbClient): Promise<Array<{ id: string; name: string }>> {
  // GROUP BY in the database (Prisma's `distinct` would read every ticket).
  const rows = await db.ticket.groupBy({
    by: ['claimedBy'],
    where: { claimedBy: { not: null } },
    _max: { claimedByName: true },
    orderBy: { claimedBy: 'asc' },
  });
  return rows.map((r) => ({ id: r.claimedBy as string, name: r._max.claimedByName ?? (r.claimedBy as string) }));
}

/** The tiers tickets were opened at (for the filter's choices). */
export async function ticketTiers(db: DbClient): Promise<string[]> {
  const rows = await db.ticket.groupBy({ by: ['tier'], orderBy: { tier: 'asc' } });
  return rows.map((r) => r.tier);
}

/** A ticket with its customer, messages, events, offers with their consents and time entries, in order. */
export function consoleTicket(db: DbClient, number: string) {
  return db.ticket.findUnique({
    where: { number },
    include: {
      customer: { include: { phones: true } },
      messages: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      events: { orderBy: { createdAt: 'asc' } },
      timeEntries: { orderBy: { createdAt: 'asc' } },
    },
  });
}

/** The paid call-out offers of a ticket with the customer's consent, oldest first. */
export function offersWithConsents(db: DbClient, ticketId: string) {
  return db.calloutOffer.findMany({ where: { ticketId }, include: { consent: true }, orderBy: { createdAt: 'asc' } });
}

/** The ticket's messages recorded after message `afterId` (the live ticket page). */
export function ticketMessagesAfter(db: DbClient, ticketId: string, afterId: number) {
  return db.message.findMany({ where: { ticketId, id: { gt: afterId } }, orderBy: { id: 'asc' }, take: 100 });
}

/** The ticket's id by its number, or null. */
export async function ticketIdByNumber(db: DbClient, number: string): Promise<string | null> {
  return (await db.ticket.findUnique({ where: { number }, select: { id: true } }))?.id ?? null;
}
