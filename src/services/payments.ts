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
import type { CoreEvent, Lang, RestrictionView } from '../engine/types.js';
import { t } from '../messages/index.js';
import { balanceOf, insertPaymentNotice, markPaymentReported, outstandingUnreportedBalances, paymentConcerns, paymentNoticeKinds } from '../store/payments.js';
import { optedOutConversations } from '../store/opt-outs.js';
import { createTicket, nextTicketNumber, openBillingTicketNumber } from '../store/tickets.js';
import type { Customer, DbClient, PrismaClient, Tx } from '../store/types.js';
import { isUniqueViolation } from '../store/types.js';
import { noticeText, queueNotice, recipientOf } from './notice-recipients.js';
import { toTeam } from './enqueue-team-posts.js';

export interface PaymentSettings extends PaymentSchedule, RestrictionSettings {
  timezone: string;
  dueDay: number;
  /** The currency of a balance imported without one (config billing.currency). */
  currency: string;
}

/** What telling a restricted customer needs (config payments). */
export interface RestrictionSettings {
  variableSymbol: 'invoice' | 'contract';
  restoreWithinHours: number | null;
}

/**
 * The restriction of a customer as the engine tells it (StepContext.restriction), or null when
 * their services are not restricted: the outstanding amount and due date in their language.
 */
export async function restrictionOf(
  db: DbClient,
  customer: { id: string; restrictedSince: string | null },
  lang: Lang,
  settings: RestrictionSettings,
): Promise<RestrictionView | null> {
  if (!customer.restrictedSince) return null;
  const balance = await balanceOf(db, customer.id);
  const owed = balance && balance.amount > 0 ? balance : null;
  return {
    amount: owed ? formatMoney(owed.amount, owed.currency, lang) : null,
    due: owed ? localDate(owed.dueDate, lang) : null,
    variableSymbol: settings.variableSymbol,
    restoreWithinHours: settings.restoreWithinHours,
  };
}

export function paymentSettings(config: LinkaConfig): PaymentSettings {
  return { ...config.payments, timezone: config.timezone, currency: config.billing.currency };
}

export interface PaymentNoticeDeps {
  prisma: PrismaClient;
  clock: () => Date;
  /** Customer channels that are on (telegram, sms, email). */
  customerChannels: readonly string[];
  /** Use the `@sms` wording on SMS (config sms.shortText). */
  shortSms: boolean;
  /** config company.name: the signature of a notice sent by e-mail. */
  companyName?: string;
  onQueued?: () => void;
}

/** The reminder or warning text for one customer. */
function paymentText(
  kind: 'reminder' | 'warning',
  b: { amount: number; currency: string; dueDate: string },
  contract: string,
  to: { conversationId: string; lang: Lang },
  shortSms: boolean,
  variableSymbol: RestrictionSettings['variableSymbol'],
): string {
  const params = {
    amount: formatMoney(b.amount, b.currency, to.lang),
    due: localDate(b.dueDate, to.lang),
    restrictOn: localDate(monthEndDate(b.dueDate), to.lang),
    contract,
  };
  return noticeText(to, `payment.${kind}`, params, shortSms, [[howToPayKey(variableSymbol), { contract }]]);
}

/** How to pay: the contract number is named as the variable symbol only when config payments.variableSymbol says so. */
export function howToPayKey(variableSymbol: RestrictionSettings['variableSymbol']): string {
  return variableSymbol === 'contract' ? 'payment.howToPayContract' : 'payment.howToPay';
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
        await queueNotice(tx, to, paymentText(due.kind, b, b.customer.contractNumber, to, deps.shortSms, settings.variableSymbol), now, {
          kind: due.kind,
          companyName: deps.companyName ?? '',
        });
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
  const restricted = customer.restrictedSince ? ` ${t(lang, 'payment.ticketRestricted', { since: localDate(customer.restrictedSince, lang) })}` : '';
  const number = await nextTicketNumber(tx, deps.ticketPrefix, localParts(now, deps.timezone).year);
  const ticket = await createTicket(tx, {
    number,
    customerId: customer.id,
    conversationId,
    now,
    actor: 'linka',
    tier: customer.tier,
    deadline: deps.deadlineFor(customer.tier, now),
    draft: { category: 'billing', verified: true, likelyCustomerSide: false, answers: {}, summary: summary + restricted },
  });
  await toTeam(tx, deps.teamPlatforms, ticket, { kind: 'post' }, now);
  await markReported(number);
  return { kind: 'paymentReported', number };
}

/** A customer the payment notices cannot reach, for the operator (`linka balances unreachable`, GET /api/balances/unreachable). */
export interface UnreachableCustomer {
  contract: string;
  name: string;
  /** `no_channel`: no Telegram chat or phone on record on a channel that is on; `opted_out`: their address sent STOP. */
  reason: 'no_channel' | 'opted_out';
  /** The address that opted out ("sms:+420..."), or null. */
  address: string | null;
  /** Minor units outstanding (0 when none is on record). */
  amount: number;
  currency: string | null;
  dueDate: string | null;
  /** Restricted for non-payment since (local YYYY-MM-DD), or null. */
  restrictedSince: string | null;
}

/**
 * The customers who owe (their payment not reported) or are restricted, but whom reminders,
 * warnings and the "services are back" notice cannot reach: no channel of theirs is on, or the
 * address a notice would go to opted out (SMS STOP). Listed for the operator to call or write to,
 * instead of being skipped silently.
 */
export async function unreachableCustomers(db: DbClient, customerChannels: readonly string[]): Promise<UnreachableCustomer[]> {
  const optedOut = await optedOutConversations(db);
  const out: UnreachableCustomer[] = [];
  for (const c of await paymentConcerns(db)) {
    const to = recipientOf(c, customerChannels);
    const reason = !to ? 'no_channel' : optedOut.has(to.conversationId) ? 'opted_out' : null;
    if (!reason) continue;
    const owed = c.balance && c.balance.amount > 0 && c.balance.paymentReportedAt === null ? c.balance : null;
    out.push({
      contract: c.contractNumber,
      name: c.name,
      reason,
      address: reason === 'opted_out' && to ? to.conversationId : null,
      amount: owed?.amount ?? 0,
      currency: owed?.currency ?? null,
      dueDate: owed?.dueDate ?? null,
      restrictedSince: c.restrictedSince,
    });
  }
  return out;
}
