/**
 * `linka statement --month YYYY-MM [--customer CONTRACT] [--format csv|json]`: the month's
 * statement per customer on stdout. Every activity with its date, time (company time zone),
 * ticket, technician, description and rate, the kilometres and travel fees, what included hours
 * and prepaid packages covered, then the customer's totals, their packages and their plan's
 * dates; the billing rules are src/domain/billing.ts, gathered by src/services/statements.ts,
 * rendered by src/services/statement-render.ts (the console shows the same). Texts and money formats are in the config's `defaultLanguage`.
 */
import { parseMonth } from '../domain/billing-month.js';
import { LinkaError } from '../errors.js';
import { statementReport } from '../services/statements.js';
import { renderCsv, renderJson } from '../services/statement-render.js';
import { customerByContract } from '../store/customers.js';
import type { EntryCustomer } from '../store/time-entries.js';
import { type CliIo, configOf, withDatabase } from './command.js';

/** The options of `linka statement` (parsed in src/cli/index.ts). */
export interface StatementOptions {
  month: string;
  customer?: string;
  format: 'csv' | 'json';
}

/** Runs `linka statement ...`; returns the exit code. Usage errors throw LinkaError('usage'). */
export async function statementCommand(values: StatementOptions, io: CliIo): Promise<number> {
  if (!parseMonth(values.month)) throw new LinkaError('usage', `--month must be a month as YYYY-MM (e.g. 2026-11), not "${values.month}"`);
  const month = values.month;
  const config = configOf(io);
  return withDatabase(io.env, async (db) => {
    let only: EntryCustomer | undefined;
    if (values.customer !== undefined) {
      const found = await customerByContract(db.prisma, values.customer);
      if (!found) throw new LinkaError('customer_not_found', `no customer with contract number "${values.customer}"`);
      only = { id: found.id, contractNumber: found.contractNumber, name: found.name, tier: found.tier, planStart: found.planStart, planEnd: found.planEnd };
    }
    const { report, orphans } = await statementReport(db.prisma, config, month, only);
    if (orphans.length) io.err(`${orphans.length} ticket(s) with time in ${month} have no customer and are on no statement: ${orphans.join(', ')}`);
    io.write(values.format === 'json' ? renderJson(report) : renderCsv(report));
    return 0;
  });
}
