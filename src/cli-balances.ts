/**
 * `linka balances import FILE.csv`: the customers' outstanding balances from the accounting
 * system (columns in src/import/balances-csv.ts and the README). Every row is checked first;
 * one bad row imports nothing. A balance of 0 marks the customer as paid: no more reminders.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from './config/load.js';
import { LinkaError } from './errors.js';
import { balanceDefaults, checkBalances, importBalances, parseBalancesCsv } from './import/balances-csv.js';
import { paymentSettings } from './runtime/payments.js';
import { defaultDatabaseUrl, openDatabase } from './store/client.js';
import { applyMigrations } from './store/migrate.js';

export const BALANCES_USAGE = 'usage: linka balances import FILE.csv';

/** Runs `linka balances import FILE.csv`; returns the exit code. Usage errors throw LinkaError('usage'). */
export async function balancesCommand(args: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const [sub, file, ...rest] = args;
  if (sub !== 'import' || !file || rest.length) throw new LinkaError('usage', BALANCES_USAGE);
  const { config } = loadConfig(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LinkaError('file_unreadable', `cannot read ${file}: ${(err as Error).message}`);
  }
  const raw = parseBalancesCsv(text);
  const url = env.DATABASE_URL || defaultDatabaseUrl();
  await applyMigrations(url);
  const db = await openDatabase(url);
  try {
    const now = new Date();
    const rows = await checkBalances(db.prisma, raw, balanceDefaults(paymentSettings(config), now));
    const counts = await importBalances(db.prisma, rows, now);
    out(`Imported ${rows.length} balance(s) from ${file}: ${counts.outstanding} outstanding, ${counts.paid} paid.`);
    return 0;
  } finally {
    await db.close();
  }
}
