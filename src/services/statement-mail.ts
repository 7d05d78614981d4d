/**
 * The monthly statement by e-mail (docs/email.md, "Statements by e-mail"): one message to each
 * customer with an address and activity in the month, in their language: every activity line
 * (date, time, ticket, technician, description, duration, amount), the included hours used and
 * left, the prepaid packages, the month's amount; as a table in HTML and as plain text, with the
 * customer's CSV attached (byte for byte what `linka statement --format csv --customer C`
 * prints). The billing is src/services/statements.ts's, rendered as statement-render.ts does.
 *
 * Once per customer and month: each message is a PaymentNotice row of kind `statement` (unique
 * per customer, month and kind) written in the same transaction as its outbox item, so running
 * `linka statement --send` again, or the schedule on several processes, sends nothing twice.
 */
import type { LinkaConfig } from '../config/schema.js';
import { vatNoteIn } from '../domain/billing.js';
import { localClock, localDate, monthName } from '../domain/date-format.js';
import { composeMail } from '../domain/mail-docs.js';
import type { MailBlock, OutgoingMail } from '../domain/mail-body.js';
import { formatMoney } from '../domain/money.js';
import type { Lang } from '../engine/types.js';
import { t } from '../messages/index.js';
import { formatMinutes } from '../shared/time.js';
import { customersByContracts, customersWithEmail } from '../store/customers.js';
import { insertPaymentNotice, paymentNoticeKinds } from '../store/payments.js';
import type { EntryCustomer } from '../store/time-entries.js';
import type { PrismaClient } from '../store/types.js';
import { isUniqueViolation } from '../store/types.js';
import { customerAddress } from './customer-mail.js';
import { queueMail } from './mail-out.js';
import { asLang } from './notice-recipients.js';
import { describeLine, renderCsv } from './statement-render.js';
import { type CustomerMonth, type StatementReport, statementReport } from './statements.js';

/** One customer's statement e-mail as planned: where it goes and what it says, or why it does not go. */
export interface PlannedStatement {
  contract: string;
  name: string;
  address: string | null;
  lang: Lang;
  lines: number;
  /** Minor units, in `currency`. */
  amount: number;
  currency: string;
  /** `queue`: to be sent; `no_address`: no e-mail address on record; `empty`: nothing on the statement; `sent`: sent before. */
  outcome: 'queue' | 'no_address' | 'empty' | 'sent';
}

/** The attachment's file name: "statement-2026-11-2024-0153.csv" (a "/" of a contract number becomes "-"). */
export function statementFileName(month: string, contract: string): string {
  return `statement-${month}-${contract.replace(/[^\p{L}\p{N}-]/gu, '-')}.csv`;
}

/** The e-mail of one customer's month: `report` is the company's (its CSV is attached as it is), `lang` the customer's. */
export function statementMail(to: string, report: StatementReport, cm: CustomerMonth, lang: Lang, companyName: string, repliesRead: boolean): OutgoingMail {
  const own: StatementReport = { ...report, lang, customers: [cm] };
  const { currency } = report.billing;
  const money = (minor: number) => formatMoney(minor, currency, lang);
  const s = cm.statement.totals;
  const month = monthName(report.month, lang);
  const col = (k: 'date' | 'time' | 'ticket' | 'technician' | 'activity' | 'duration' | 'amount') => t(lang, `mailDoc.statement.col.${k}`);
  const blocks: MailBlock[] = [
    { kind: 'p', text: t(lang, 'mailDoc.statement.intro', { month, contract: cm.customer.contractNumber }) },
    {
      kind: 'table',
      head: [col('date'), col('time'), col('ticket'), col('technician'), col('activity'), col('duration'), col('amount')],
      rows: cm.statement.lines.map((l) => [
        localDate(l.date, lang),
        localClock(l.time, lang),
        l.ticketNumber,
        l.technicianName,
        describeLine(own, l),
        l.minutes > 0 ? formatMinutes(l.minutes) : '',
        money(l.amount),
      ]),
      right: [5, 6],
      foot: [t(lang, 'mailDoc.statement.total'), '', '', '', '', formatMinutes(s.minutes), money(s.amount)],
    },
  ];
  if (s.includedMinutes > 0) {
    const params = { used: formatMinutes(s.includedUsedMinutes), left: formatMinutes(s.includedLeftMinutes), total: formatMinutes(s.includedMinutes) };
    blocks.push({ kind: 'p', text: t(lang, 'mailDoc.statement.included', params) });
  }
  const held = cm.statement.packages.filter((p) => p.held);
  if (held.length) {
    blocks.push({ kind: 'p', text: t(lang, 'mailDoc.statement.packages') });
    blocks.push({
      kind: 'list',
      items: held.map((p) =>
        t(lang, 'mailDoc.statement.packageLine', {
          package: t(lang, 'statement.package', { name: p.name, reference: p.reference, price: money(p.price) }),
          used: formatMinutes(p.usedMinutes),
          left: formatMinutes(p.leftAfterMinutes),
        }),
      ),
    });
  }
  const vat = vatNoteIn(report.billing.vatNote, lang);
  blocks.push(
    { kind: 'p', text: [t(lang, 'mailDoc.statement.amount', { amount: money(s.amount) }), vat].filter(Boolean).join(' ') },
    { kind: 'p', text: [t(lang, 'mailDoc.statement.attachment'), ...(repliesRead ? [t(lang, 'mailDoc.statement.questions')] : [])].join('\n') },
  );
  const csv = renderCsv({ ...report, customers: [cm] });
  return composeMail(to, t(lang, 'mailDoc.statement.subject', { month }), blocks, lang, { companyName }, [
    {
      filename: statementFileName(report.month, cm.customer.contractNumber),
      contentType: 'text/csv; charset=utf-8',
      contentBase64: Buffer.from(csv, 'utf8').toString('base64'),
    },
  ]);
}

/** What sending the month's statements needs from the configuration. */
export type StatementMailConfig = Pick<LinkaConfig, 'timezone' | 'billing' | 'tiers' | 'callout' | 'defaultLanguage' | 'company'>;

/**
 * Plans (with `dryRun`) or queues the month's statement e-mails, of every customer with activity
 * in `month` or of `only`. Returns each customer's plan, and the customers with an address and no
 * activity (who get none).
 */
export async function sendStatementMails(
  prisma: PrismaClient,
  config: StatementMailConfig,
  month: string,
  /** `repliesRead`: the support mailbox is read (IMAP_URL), so the mail invites questions. */
  opts: { now: Date; dryRun: boolean; only?: EntryCustomer; repliesRead: boolean },
): Promise<{ planned: PlannedStatement[]; idle: Array<{ contract: string; name: string }>; orphans: string[] }> {
  const { report, orphans } = await statementReport(prisma, config, month, opts.only);
  const people = await customersByContracts(
    prisma,
    report.customers.map((cm) => cm.customer.contractNumber),
  );
  const planned: PlannedStatement[] = [];
  for (const cm of report.customers) {
    const person = people.get(cm.customer.contractNumber);
    const address = person ? customerAddress(person) : null;
    const lang = asLang(person?.language ?? config.defaultLanguage);
    const plan: PlannedStatement = {
      contract: cm.customer.contractNumber,
      name: cm.customer.name,
      address,
      lang,
      lines: cm.statement.lines.length,
      amount: cm.statement.totals.amount,
      currency: report.billing.currency,
      outcome: 'queue',
    };
    if (!address) plan.outcome = 'no_address';
    else if (cm.statement.lines.length === 0) plan.outcome = 'empty';
    else if ((await paymentNoticeKinds(prisma, cm.customer.id, month)).has('statement')) plan.outcome = 'sent';
    else if (!opts.dryRun) {
      const mail = statementMail(address, report, cm, lang, config.company.name, opts.repliesRead);
      try {
        await prisma.$transaction(async (tx) => {
          await insertPaymentNotice(tx, {
            customerId: cm.customer.id,
            month,
            kind: 'statement',
            recipient: `email:${address}`,
            amount: plan.amount,
            createdAt: opts.now,
          });
          await queueMail(tx, { mail, now: opts.now });
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        plan.outcome = 'sent'; // another run queued it in between
      }
    }
    planned.push(plan);
  }
  const active = new Set(report.customers.map((cm) => cm.customer.contractNumber));
  const idle = opts.only
    ? []
    : (await customersWithEmail(prisma)).filter((c) => !active.has(c.contractNumber)).map((c) => ({ contract: c.contractNumber, name: c.name }));
  return { planned, idle, orphans };
}
