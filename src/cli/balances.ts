/**
 * `linka balances import FILE.csv`: the customers' outstanding balances from the accounting
 * system (columns in src/import/balances-csv.ts and docs/payments.md). Every row is checked first;
 * one bad row imports nothing. A balance of 0 marks the customer as paid: no more reminders. A row
 * that no longer says `restricted` lifts a restriction, and the customer is told.
 *
 * `linka balances unreachable`: who owes or is restricted but whom no payment notice reaches.
 */
import { loadChannels } from '../channels.js';
import { localDate } from '../domain/date-format.js';
import { formatMoney } from '../domain/money.js';
import { balanceDefaults, checkBalances, importBalances, parseBalancesCsv } from '../import/balances-csv.js';
import { silentLogger } from '../observability/logger.js';
import { paymentSettings, type UnreachableCustomer, unreachableCustomers } from '../services/payments.js';
import { type CliIo, configOf, readInputFile, withDatabase } from './command.js';

/** The customer channels that are on, exactly as the server decides it (their secrets in this environment). */
async function customerChannelsOf(io: CliIo, config: ReturnType<typeof configOf>): Promise<string[]> {
  const { adapters } = await loadChannels(io.env, config, silentLogger());
  return adapters.flatMap((a) => (a.port ? [a.port.channel] : []));
}

/** Runs `linka balances import FILE.csv`; returns the exit code. */
export async function balancesImport(file: string, io: CliIo): Promise<number> {
  const config = configOf(io);
  const text = readInputFile(file);
  const raw = parseBalancesCsv(text);
  const customerChannels = await customerChannelsOf(io, config);
  return withDatabase(io.env, async (db) => {
    const now = new Date();
    const rows = await checkBalances(db.prisma, raw, balanceDefaults(paymentSettings(config), now));
    const counts = await importBalances(db.prisma, rows, now, {
      timezone: config.timezone,
      customerChannels,
      shortSms: config.sms.shortText,
      companyName: config.company.name,
    });
    io.out(`Imported ${rows.length} balance(s) from ${file}: ${counts.outstanding} outstanding, ${counts.paid} paid.`);
    if (counts.restricted) io.out(`Restricted for non-payment: ${counts.restricted}.`);
    if (counts.lifted.length) io.out(`Restriction lifted, customers told their services are back: ${counts.lifted.join(', ')}.`);
    if (counts.liftedUnreachable.length)
      io.out(
        `Not reachable, tell them yourself: ${counts.liftedUnreachable.map((u) => `${u.contract} (${u.reason === 'opted_out' ? 'opted out' : 'no channel'})`).join(', ')}.`,
      );
    return 0;
  });
}

export interface UnreachableOptions {
  format: 'text' | 'csv' | 'json';
}

const COLUMNS = ['contract_number', 'name', 'reason', 'address', 'balance', 'currency', 'due_date', 'restricted_since'] as const;

function csvField(value: string): string {
  return /[",\n\r;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function cells(u: UnreachableCustomer): string[] {
  return [u.contract, u.name, u.reason, u.address ?? '', String(u.amount), u.currency ?? '', u.dueDate ?? '', u.restrictedSince ?? ''];
}

/** Runs `linka balances unreachable`; returns the exit code (0, also when the list is empty). */
export async function balancesUnreachable(opts: UnreachableOptions, io: CliIo): Promise<number> {
  const config = configOf(io);
  const customerChannels = await customerChannelsOf(io, config);
  return withDatabase(io.env, async (db) => {
    const list = await unreachableCustomers(db.prisma, customerChannels);
    if (opts.format === 'json') io.write(`${JSON.stringify({ customerChannels, customers: list }, null, 2)}\n`);
    else if (opts.format === 'csv') io.write([COLUMNS.join(','), ...list.map((u) => cells(u).map(csvField).join(','))].map((l) => `${l}\n`).join(''));
    else {
      const on = customerChannels.length ? customerChannels.join(', ') : 'none';
      if (!list.length) io.out(`Every customer who owes or is restricted can be reached (customer channels on: ${on}).`);
      else {
        io.out(`${list.length} customer(s) who owe or are restricted get no payment notice (customer channels on: ${on}):`);
        for (const u of list) {
          const why = u.reason === 'opted_out' ? `opted out (${u.address})` : 'no channel';
          const owed =
            u.amount > 0 && u.currency && u.dueDate
              ? `owes ${formatMoney(u.amount, u.currency, 'en')} due ${localDate(u.dueDate, 'en')}`
              : 'nothing owed on record';
          io.out(`  ${u.contract}  ${u.name}: ${why}; ${owed}${u.restrictedSince ? `; restricted since ${localDate(u.restrictedSince, 'en')}` : ''}`);
        }
      }
    }
    return 0;
  });
}
