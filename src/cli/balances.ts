/**
 * `linka balances import FILE.csv`: the customers' outstanding balances from the accounting
 * system (columns in src/import/balances-csv.ts and the README). Every row is checked first;
 * one bad row imports nothing. A balance of 0 marks the customer as paid: no more reminders.
 */
import { balanceDefaults, checkBalances, importBalances, parseBalancesCsv } from '../import/balances-csv.js';
import { paymentSettings } from '../services/payments.js';
import { type CliIo, configOf, readInputFile, withDatabase } from './command.js';

/** Runs `linka balances import FILE.csv`; returns the exit code. */
export async function balancesImport(file: string, io: CliIo): Promise<number> {
  const config = configOf(io);
  const text = readInputFile(file);
  const raw = parseBalancesCsv(text);
  return withDatabase(io.env, async (db) => {
    const now = new Date();
    const rows = await checkBalances(db.prisma, raw, balanceDefaults(paymentSettings(config), now));
    const counts = await importBalances(db.prisma, rows, now);
    io.out(`Imported ${rows.length} balance(s) from ${file}: ${counts.outstanding} outstanding, ${counts.paid} paid.`);
    return 0;
  });
}
