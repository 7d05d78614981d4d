/**
 * Balances (as last imported) and the payment notices sent on them: one notice row per
 * customer, month and kind (unique), written with its outbox item, so each goes out once.
 */
import type { DbClient, Prisma, Tx } from './types.js';

export type Balance = Prisma.BalanceGetPayload<object>;

/** Replaces the customer's balance with an imported one; a reported payment is cleared with it. */
export async function replaceBalance(tx: Tx, customerId: string, b: { amount: number; currency: string; dueDate: string }, now: Date): Promise<void> {
  const data = { amount: b.amount, currency: b.currency, dueDate: b.dueDate, importedAt: now, paymentReportedAt: null, paymentTicket: null };
  await tx.balance.upsert({ where: { customerId }, create: { customerId, ...data }, update: data });
}

/** An outstanding balance with what a notice to its customer needs. */
export type OutstandingBalance = Balance & {
  customer: {
    id: string;
    contractNumber: string;
    language: string;
    telegramId: string | null;
    email: string | null;
    noticeChannel: string | null;
    phones: Array<{ e164: string }>;
  };
};

/** The balances still owed (amount above zero) whose payment is not reported, with their customers (phones in the order stored). */
export async function outstandingUnreportedBalances(db: DbClient): Promise<OutstandingBalance[]> {
  return db.balance.findMany({
    where: { amount: { gt: 0 }, paymentReportedAt: null },
    include: {
      customer: {
        select: {
          id: true,
          contractNumber: true,
          language: true,
          telegramId: true,
          email: true,
          noticeChannel: true,
          phones: { select: { e164: true }, orderBy: { id: 'asc' } },
        },
      },
    },
  });
}

export async function balanceOf(db: DbClient, customerId: string): Promise<Balance | null> {
  return db.balance.findUnique({ where: { customerId } });
}

/** Marks the customer's balance as paid by their word, with the billing ticket that says so. */
export async function markPaymentReported(tx: Tx, customerId: string, now: Date, ticketNumber: string): Promise<void> {
  await tx.balance.update({ where: { customerId }, data: { paymentReportedAt: now, paymentTicket: ticketNumber } });
}

/** The kinds of notice ("reminder", "warning") the customer has had for the month. */
export async function paymentNoticeKinds(db: DbClient, customerId: string, month: string): Promise<Set<string>> {
  return new Set((await db.paymentNotice.findMany({ where: { customerId, month }, select: { kind: true } })).map((n) => n.kind));
}

/** Records a notice (unique per customer, month and kind: a second one is a unique violation). */
export async function insertPaymentNotice(
  tx: Tx,
  notice: { customerId: string; month: string; kind: string; recipient: string; amount: number; createdAt: Date },
): Promise<void> {
  await tx.paymentNotice.create({ data: notice });
}

/** A customer's restriction for non-payment, with where a notice to them would go. */
export async function restrictionTarget(
  db: DbClient,
  customerId: string,
): Promise<{
  restrictedSince: string | null;
  language: string;
  telegramId: string | null;
  email: string | null;
  noticeChannel: string | null;
  phones: Array<{ e164: string }>;
} | null> {
  return db.customer.findUnique({
    where: { id: customerId },
    select: {
      restrictedSince: true,
      language: true,
      telegramId: true,
      email: true,
      noticeChannel: true,
      phones: { select: { e164: true }, orderBy: { id: 'asc' } },
    },
  });
}

/** Sets (a local date YYYY-MM-DD) or lifts (null) the customer's restriction for non-payment. */
export async function setRestrictedSince(tx: Tx, customerId: string, since: string | null): Promise<void> {
  await tx.customer.update({ where: { id: customerId }, data: { restrictedSince: since } });
}

/** A customer payment notices are about: who still owes (payment not reported) or is restricted for non-payment. */
export type PaymentConcern = {
  contractNumber: string;
  name: string;
  language: string;
  telegramId: string | null;
  email: string | null;
  noticeChannel: string | null;
  restrictedSince: string | null;
  phones: Array<{ e164: string }>;
  balance: { amount: number; currency: string; dueDate: string; paymentReportedAt: Date | null } | null;
};

/** Every customer who owes (payment not reported) or is restricted, by contract number. */
export async function paymentConcerns(db: DbClient): Promise<PaymentConcern[]> {
  return db.customer.findMany({
    where: { OR: [{ restrictedSince: { not: null } }, { balance: { is: { amount: { gt: 0 }, paymentReportedAt: null } } }] },
    select: {
      contractNumber: true,
      name: true,
      language: true,
      telegramId: true,
      email: true,
      noticeChannel: true,
      restrictedSince: true,
      phones: { select: { e164: true }, orderBy: { id: 'asc' } },
      balance: { select: { amount: true, currency: true, dueDate: true, paymentReportedAt: true } },
    },
    orderBy: { contractNumber: 'asc' },
  });
}
