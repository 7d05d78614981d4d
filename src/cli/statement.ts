/**
 * `linka statement --month YYYY-MM [--customer CONTRACT] [--format csv|json]`: the month's
 * statement per customer on stdout. Every activity with its date, time (company time zone),
 * ticket, technician, description and rate, the kilometres and travel fees, what included hours
 * and prepaid packages covered, then the customer's totals, their packages and their plan's
 * dates; the billing rules are src/domain/billing.ts, gathered by src/services/statements.ts,
 * rendered by src/services/statement-render.ts (the console shows the same). Texts and money formats are in the config's `defaultLanguage`.
 *
 * With `--send [--dry-run]`: each customer's statement by e-mail instead (src/services/statement-mail.ts).
 */
import { parseMonth } from '../domain/billing-month.js';
import { formatMoney } from '../domain/money.js';
import { LinkaError } from '../errors.js';
import { sendStatementMails } from '../services/statement-mail.js';
import { statementReport } from '../services/statements.js';
import { renderCsv, renderJson } from '../services/statement-render.js';
import { customerByContract } from '../store/customers.js';
import type { EntryCustomer } from '../store/time-entries.js';
import { cliName } from '../config/env.js';
import { type CliIo, configOf, withDatabase } from './command.js';

/** The options of `linka statement` (parsed in src/cli/index.ts). */
export interface StatementOptions {
  month: string;
  customer?: string;
  format: 'csv' | 'json';
  send?: boolean;
  dryRun?: boolean;
}

/** Runs `linka statement ...`; returns the exit code. Usage errors throw LinkaError('usage'). */
export async function statementCommand(values: StatementOptions, io: CliIo): Promise<number> {
  if (!parseMonth(values.month)) throw new LinkaError('usage', `--month must be a month as YYYY-MM (e.g. 2026-11), not "${values.month}"`);
  if (values.dryRun && !values.send) throw new LinkaError('usage', '--dry-run goes with --send: it lists the e-mails --send would queue');
  const month = values.month;
  const config = configOf(io);
  if (values.send && !values.dryRun) {
    const missing = [...(io.env.SMTP_URL ? [] : ['SMTP_URL is not set']), ...(config.mail.from ? [] : ['mail.from is not set in the config'])];
    if (missing.length)
      throw new LinkaError(
        'channel_off',
        `e-mail is off (${missing.join('; ')}): statements cannot be sent. See docs/email.md; --dry-run lists what would go.`,
      );
  }
  return withDatabase(io.env, async (db) => {
    let only: EntryCustomer | undefined;
    if (values.customer !== undefined) {
      const found = await customerByContract(db.prisma, values.customer);
      if (!found) throw new LinkaError('customer_not_found', `no customer with contract number "${values.customer}"`);
      only = { id: found.id, contractNumber: found.contractNumber, name: found.name, tier: found.tier, planStart: found.planStart, planEnd: found.planEnd };
    }
    if (values.send) return sendCommand(db.prisma, config, month, Boolean(values.dryRun), only, io);
    const { report, orphans } = await statementReport(db.prisma, config, month, only);
    if (orphans.length) io.err(`${orphans.length} ticket(s) with time in ${month} have no customer and are on no statement: ${orphans.join(', ')}`);
    io.write(values.format === 'json' ? renderJson(report) : renderCsv(report));
    return 0;
  });
}

const WHY_NOT: Record<string, string> = {
  no_address: 'no e-mail address on record: not sent',
  empty: 'nothing on the statement: not sent',
  sent: 'sent before: not sent again',
};

async function sendCommand(
  prisma: Parameters<typeof sendStatementMails>[0],
  config: ReturnType<typeof configOf>,
  month: string,
  dryRun: boolean,
  only: EntryCustomer | undefined,
  io: CliIo,
): Promise<number> {
  const { planned, idle, orphans } = await sendStatementMails(prisma, config, month, { now: new Date(), dryRun, only, repliesRead: Boolean(io.env.IMAP_URL) });
  const queued = planned.filter((p) => p.outcome === 'queue');
  io.write(`Statements for ${month}${dryRun ? ' (dry run: nothing is queued)' : ''}:\n`);
  const width = Math.max(0, ...planned.map((p) => p.contract.length));
  for (const p of planned) {
    const what = `${p.lines} line(s), ${formatMoney(p.amount, p.currency, 'en')}`;
    const where = p.address ? ` <${p.address}> (${p.lang})` : '';
    io.write(`  ${p.contract.padEnd(width)}  ${p.name}${where}: ${what}${p.outcome === 'queue' ? '' : `; ${WHY_NOT[p.outcome]}`}\n`);
  }
  if (!planned.length) io.write(`  no customer has activity in ${month}\n`);
  if (idle.length)
    io.write(`${idle.length} customer(s) with an address had no activity in ${month} and get no statement: ${idle.map((c) => c.contract).join(', ')}\n`);
  if (orphans.length) io.err(`${orphans.length} ticket(s) with time in ${month} have no customer and are on no statement: ${orphans.join(', ')}`);
  io.write(
    dryRun
      ? `Would queue ${queued.length} e-mail(s).\n`
      : `Queued ${queued.length} statement e-mail(s); the running \`${cliName(io.env)} serve\` sends them.\n`,
  );
  return 0;
}
