/**
 * What the operator console reads of customers: every customer's name and contract number (the
 * search folds case and diacritics itself, the same on SQLite and PostgreSQL), who has a phone
 * number, one page of the list, and one customer with everything the customer page shows.
 */
import type { DbClient } from './types.js';

/** What the search looks through: every customer's id, name and contract number. */
export function customerSearchKeys(db: DbClient) {
  return db.customer.findMany({ select: { id: true, name: true, contractNumber: true } });
}

/** The ids of the customers with this phone number (E.164), or whose number holds these digits. */
export async function customerIdsByPhone(db: DbClient, q: { e164?: string | null; digits?: string | null }): Promise<Set<string>> {
  const or = [...(q.e164 ? [{ e164: q.e164 }] : []), ...(q.digits ? [{ e164: { contains: q.digits } }] : [])];
  if (!or.length) return new Set();
  const rows = await db.customerPhone.findMany({ where: { OR: or }, select: { customerId: true } });
  return new Set(rows.map((r) => r.customerId));
}

/** The list's rows by id (the caller keeps its order): with phones and the number of open or claimed tickets. */
export function customerRowsByIds(db: DbClient, ids: string[]) {
  return db.customer.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      name: true,
      contractNumber: true,
      tier: true,
      area: true,
      telegramId: true,
      restrictedSince: true,
      phones: { select: { e164: true } },
      _count: { select: { tickets: { where: { status: { in: ['open', 'claimed'] } } } } },
    },
  });
}

/** One customer by id, with phones (in the order stored), balance and prepaid packages. */
export function consoleCustomer(db: DbClient, id: string) {
  return db.customer.findUnique({
    where: { id },
    include: { phones: { orderBy: { id: 'asc' } }, balance: true, packages: { orderBy: { boughtOn: 'desc' } } },
  });
}

/** The customer's tickets, newest first (at most `take`), and how many there are. */
export async function customerTickets(db: DbClient, customerId: string, take: number) {
  const [rows, total] = await Promise.all([
    db.ticket.findMany({
      where: { customerId },
      orderBy: { createdAt: 'desc' },
      take,
      select: { number: true, status: true, category: true, summary: true, createdAt: true, resolvedAt: true, claimedByName: true },
    }),
    db.ticket.count({ where: { customerId } }),
  ]);
  return { rows, total };
}

/**
 * The customer's conversations, latest first (at most `take`): those linked to them, and those
 * of their addresses ("sms:+420...", "telegram:123") not linked yet; each with its last message.
 */
export function customerConversations(db: DbClient, customerId: string, addresses: string[], take: number) {
  return db.conversation.findMany({
    where: { OR: [{ customerId }, ...(addresses.length ? [{ id: { in: addresses } }] : [])] },
    orderBy: { updatedAt: 'desc' },
    take,
    select: {
      id: true,
      channel: true,
      flow: true,
      step: true,
      state: true,
      sessionStartedAt: true,
      updatedAt: true,
      messages: { orderBy: { id: 'desc' }, take: 1, select: { direction: true, text: true, createdAt: true } },
    },
  });
}

/** The statuses of these tickets, by number. */
export async function ticketStatuses(db: DbClient, numbers: string[]): Promise<Map<string, string>> {
  if (!numbers.length) return new Map();
  const rows = await db.ticket.findMany({ where: { number: { in: numbers } }, select: { number: true, status: true } });
  return new Map(rows.map((r) => [r.number, r.status]));
}

/** Which of these addresses opted out (SMS STOP), and since when. */
export function optOutsAmong(db: DbClient, addresses: string[]) {
  return db.optOut.findMany({ where: { conversationId: { in: addresses } }, orderBy: { createdAt: 'asc' } });
}

/** The payment reminders and warnings the customer was sent, newest first. */
export function paymentNoticesOf(db: DbClient, customerId: string, take: number) {
  return db.paymentNotice.findMany({ where: { customerId }, orderBy: { createdAt: 'desc' }, take });
}
