/**
 * Payment reminders (docs/domain.md, "Payments"), on the balances src/import/balances-csv.ts
 * imports: the daily round of reminders and restriction warnings (src/jobs/payment-reminders.ts), and the customer's
 * "zaplatil jsem", which opens a billing ticket and stops the reminders until the next import.
 * Each notice is a unique row per customer, month and kind, written in the same transaction
 * as its outbox item: once per customer and month, even with several processes.
 */
import type { LinkaConfig } from '../config/schema.js';
import { localParts } from '../domain/billing-month.js';
import { formatMoney } from '../domain/money.js';
import { localDate } from '../domain/date-format.js';
import { monthEndDate, paymentNoticeDue, type PaymentSchedule } from '../domain/payments.js';
import type { CoreEvent, Lang } from '../engine/types.js';
import { t } from '../messages/index.js';
import { balanceOf, insertPaymentNotice, markPaymentReported, outstandingUnreportedBalances, paymentNoticeKinds } from '../store/payments.js';
import { createTicket, nextTicketNumber, openBillingTicketNumber } from '../store/tickets.js';
import type { Customer, PrismaClient, Tx } from '../store/types.js';
import { isUniqueViolation } from '../store/types.js';
import { noticeText, queueNotice, recipientOf } from './notice-recipients.js';
import { toTeam } from './enqueue-team-posts.js';

export interface PaymentSettings extends PaymentSchedule {
  timezone: string;
  dueDay: number;
  /** The currency of a balance imported without one (config billing.currency). */
  currency: string;
}

export function paymentSettings(config: LinkaConfig): PaymentSettings {
  return { ...config.payments, timezone: config.timezone, currency: config.billing.currency };
}

export interface PaymentNoticeDeps {
  prisma: PrismaClient;
  clock: () => Date;
  /** Customer channels that are on (telegram, sms). */
  customerChannels: readonly string[];
  /** Use the `@sms` wording on SMS (config sms.shortText). */
  shortSms: boolean;
  onQueued?: () => void;
}

/** The reminder or warning text for one customer. */
function paymentText(
  kind: 'reminder' | 'warning',
  b: { amount: number; currency: string; dueDate: string },
  contract: string,
  to: { conversationId: string; lang: Lang },
  shortSms: boolean,
): string {
  const params = {
    amount: formatMoney(b.amount, b.currency, to.lang),
    due: localDate(b.dueDate, to.lang),
    restrictOn: localDate(monthEndDate(b.dueDate), to.lang),
    contract,
  };
  return noticeText(to, `payment.${kind}`, params, shortSms, [['payment.howToPay', { contract }]]);
}

/**
 * One round at `clock()`: every customer whose latest balance is outstanding, whose payment is
 * not reported, and who is due a notice (src/domain/payments.ts) gets it, once per month.
 * A customer already warned gets no reminder of the same month. Returns the contract numbers.
 */
export async function sendPaymentNotices(deps: PaymentNoticeDeps, settings: PaymentSettings): Promise<{ reminded: string[]; warned: string[] }> {
  const { prisma } = deps;
  const now = deps.clock();
  const result = { reminded: [] as string[], warned: [] as string[] };
  const balances = await outstandingUnreportedBalances(prisma);
  for (const b of balances) {
    const due = paymentNoticeDue(b.dueDate, now, settings.timezone, settings);
    if (!due) continue;
    const to = recipientOf(b.customer, deps.customerChannels);
    if (!to) continue;
    try {
      const sent = await prisma.$transaction(async (tx) => {
        const had = await paymentNoticeKinds(tx, b.customerId, due.month);
        if (had.has('warning') || had.has(due.kind)) return false;
        await insertPaymentNotice(tx, {
          customerId: b.customerId,
          month: due.month,
          kind: due.kind,
          recipient: to.conversationId,
          amount: b.amount,
          createdAt: now,
        });
        await queueNotice(tx, to, paymentText(due.kind, b, b.customer.contractNumber, to, deps.shortSms), now);
        return true;
      });
      if (sent) (due.kind === 'warning' ? result.warned : result.reminded).push(b.customer.contractNumber);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err; // another process sent it in between
    }
  }
  if (result.reminded.length || result.warned.length) deps.onQueued?.();
  return result;
}

/** What reporting a payment needs (a subset of the dispatcher's dependencies). */
export interface ReportPaymentDeps {
  ticketPrefix: string;
  timezone: string;
  teamPlatforms: readonly string[];
  teamLanguage: Lang;
  deadlineFor(tier: string, openedAt: Date): Date | null;
}

/**
 * The customer says they have paid: a billing ticket for the team (the open one, if any) and
 * the balance marked "payment reported", so no reminder goes out until the next import.
 * Runs in the dispatcher's transaction; answers the engine with the ticket's number.
 */
export async function reportPayment(tx: Tx, deps: ReportPaymentDeps, customer: Customer, conversationId: string, now: Date): Promise<CoreEvent> {
  const balance = await balanceOf(tx, customer.id);
  const markReported = async (number: string) => {
    if (balance) await markPaymentReported(tx, customer.id, now, number);
  };
  const open = await openBillingTicketNumber(tx, customer.id);
  if (open !== null) {
    await markReported(open);
    return { kind: 'paymentReported', number: open, again: true };
  }
  const lang = deps.teamLanguage;
  const summary =
    balance && balance.amount > 0
      ? t(lang, 'payment.ticketSummary', { amount: formatMoney(balance.amount, balance.currency, lang), due: localDate(balance.dueDate, lang) })
      : t(lang, 'payment.ticketSummaryNone');
  const number = await nextTicketNumber(tx, deps.ticketPrefix, localParts(now, deps.timezone).year);
  const ticket = await createTicket(tx, {
    number,
    customerId: customer.id,
    conversationId,
    now,
    actor: 'linka',
    tier: customer.tier,
    deadline: deps.deadlineFor(customer.tier, now),
    draft: { category: 'billing', verified: true, likelyCustomerSide: false, answers: {}, summary },
  });
  await toTeam(tx, deps.teamPlatforms, ticket, { kind: 'post' }, now);
  await markReported(number);
  return { kind: 'paymentReported', number };
}
