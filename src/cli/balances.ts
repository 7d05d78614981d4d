/**
 * `linka balances import FILE.csv`: the customers' outstanding balances from the accounting
 * system (columns in src/import/balances-csv.ts and the README). Every row is checked first;
 * one bad row imports nothing. A balance of 0 marks the customer as paid: no more reminders.
 */
import { LinkaError } from '../errors.js';
import { balanceDefaults, checkBalances, importBalances, parseBalancesCsv } from '../import/balances-csv.js';
import { paymentSettings } from '../services/payments.js';
import { type CliCommand, configOf, readInputFile, withDatabase } from './command.js';

export const BALANCES_USAGE = 'usage: linka balances import FILE.csv';

/** Runs `linka balances import FILE.csv`; returns the exit code. Usage errors throw LinkaError('usage'). */
export const balancesCommand: CliCommand = async (args, io) => {
  const [sub, file, ...rest] = args;
  if (sub !== 'import' || !file || rest.length) throw new LinkaError('usage', BALANCES_USAGE);
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
};
