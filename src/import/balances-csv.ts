/**
 * `linka balances import FILE.csv` (and POST /api/balances): the customers' outstanding
 * balances from the accounting system. Every row is checked first (the contract must
 * exist too), errors name their line, and one bad row imports nothing. Columns:
 * contract_number, balance (minor units such as 123450, or "1 234,50"), due_date
 * (optional: YYYY-MM-DD or 20. 11. 2026; default the config's due day of the current
 * month), currency (optional: the config's billing currency), restricted and
 * restricted_since (optional: whether the services are restricted for non-payment, and
 * since when; docs/payments.md). A row that does not say restricted lifts a restriction,
 * and the customer is told their services are back.
 */
import { localDateTime } from '../domain/billing-month.js';
import { defaultDueDate, MAX_AMOUNT, parseAmount, parseDate, parseRestrictedFlag } from '../domain/payments.js';
import { LinkaError } from '../errors.js';
import { readCsvRecords } from './csv-errors.js';
import { customerByContract } from '../store/customers.js';
import { replaceBalance, restrictionTarget, setRestrictedSince } from '../store/payments.js';
import { optedOutConversations } from '../store/opt-outs.js';
import { noticeText, queueNotice, recipientOf } from '../services/notice-recipients.js';
import type { DbClient, PrismaClient } from '../store/types.js';

export const BALANCE_COLUMNS = ['contract_number', 'balance', 'due_date', 'currency', 'restricted', 'restricted_since'] as const;
const REQUIRED = ['contract_number', 'balance'] as const;

/** Rows that cannot be imported, each with where it is and what is wrong (nothing was imported). */
export class BalancesInvalid extends LinkaError {
  constructor(readonly problems: ReadonlyArray<{ where: string; message: string }>) {
    super('balances_invalid', `Nothing was imported; fix these rows:\n  ${problems.map((p) => `${p.where}: ${p.message}`).join('\n  ')}`);
  }
}

/** One balance as given, before it is checked; `where` names it in errors ("line 3", "[2]"). */
export interface RawBalance {
  where: string;
  contract: string;
  balance: string | number;
  dueDate?: string | null;
  currency?: string | null;
  /** Whether the services are restricted for non-payment (yes/no, 1/0, ano/ne, true/false); empty: no. */
  restricted?: string | boolean | null;
  /** Since when they are restricted (a date); implies restricted. */
  restrictedSince?: string | null;
}

/** A checked balance of a known customer. */
export interface BalanceRow {
  where: string;
  contract: string;
  customerId: string;
  /** Minor units; 0 or less: nothing is owed. */
  amount: number;
  /** Local date YYYY-MM-DD. */
  dueDate: string;
  currency: string;
  /** The services are restricted for non-payment. */
  restricted: boolean;
  /** Since when (local YYYY-MM-DD); null with `restricted`: since the customer's earlier restriction, else the day of the import. */
  restrictedSince: string | null;
}

/** What a row without a due date or currency gets. */
export interface BalanceDefaults {
  now: Date;
  timezone: string;
  dueDay: number;
  currency: string;
}

/** The defaults of an import at `now`, from the payment settings (config payments, timezone, billing currency). */
export function balanceDefaults(settings: { timezone: string; dueDay: number; currency: string }, now: Date): BalanceDefaults {
  return { now, timezone: settings.timezone, dueDay: settings.dueDay, currency: settings.currency };
}

/** Where and how customers whose restriction is lifted are told (the server's or the CLI's channels). */
export interface LiftNotices {
  timezone: string;
  /** Customer channels that are on (telegram, sms). */
  customerChannels: readonly string[];
  /** The `@sms` wording on SMS (config sms.shortText). */
  shortSms: boolean;
  /** config company.name: the signature of a notice sent by e-mail. */
  companyName?: string;
}

/** What an import did: balances by kind, restrictions, and the customers told their services are back. */
export interface ImportCounts {
  outstanding: number;
  paid: number;
  /** Rows that say the services are restricted. */
  restricted: number;
  /** Contract numbers whose restriction this import lifted. */
  lifted: string[];
  /** Of those, the ones Linka could not tell (no channel on, or their address opted out). */
  liftedUnreachable: Array<{ contract: string; reason: 'no_channel' | 'opted_out' }>;
}

/**
 * Stores checked balances in one transaction, each replacing the customer's previous one.
 * An import clears a reported payment: reminders follow the new balance from now on. The
 * restriction follows each row too; a customer whose restriction it lifts is told their
 * services are back, in the same transaction (through the outbox).
 */
export async function importBalances(prisma: PrismaClient, rows: readonly BalanceRow[], now: Date, notices: LiftNotices): Promise<ImportCounts> {
  const counts: ImportCounts = { outstanding: 0, paid: 0, restricted: 0, lifted: [], liftedUnreachable: [] };
  const today = localDateTime(now, notices.timezone).date;
  const optedOut = await optedOutConversations(prisma);
  await prisma.$transaction(
    async (tx) => {
      for (const r of rows) {
        await replaceBalance(tx, r.customerId, r, now);
        counts[r.amount > 0 ? 'outstanding' : 'paid'] += 1;
        const before = await restrictionTarget(tx, r.customerId);
        const since = r.restricted ? (r.restrictedSince ?? before?.restrictedSince ?? today) : null;
        if (since) counts.restricted += 1;
        if (since === (before?.restrictedSince ?? null)) continue;
        await setRestrictedSince(tx, r.customerId, since);
        if (since || !before?.restrictedSince) continue;
        // Lifted: "Lifting the restriction tells them it is back."
        counts.lifted.push(r.contract);
        const to = recipientOf(before, notices.customerChannels);
        if (!to) {
          counts.liftedUnreachable.push({ contract: r.contract, reason: 'no_channel' });
          continue;
        }
        if (optedOut.has(to.conversationId)) counts.liftedUnreachable.push({ contract: r.contract, reason: 'opted_out' });
        await queueNotice(tx, to, noticeText(to, 'restriction.lifted', {}, notices.shortSms), now, { kind: 'lifted', companyName: notices.companyName ?? '' });
      }
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  return counts;
}

/**
 * Checks every row's values and that its contract exists; throws one LinkaError listing every
 * problem by its line (nothing is imported then), else returns the rows with their customers.
 */
export async function checkBalances(db: DbClient, raw: readonly RawBalance[], defaults: BalanceDefaults): Promise<BalanceRow[]> {
  const errors: Array<{ where: string; message: string }> = [];
  const seen = new Map<string, string>();
  const rows: BalanceRow[] = [];
  for (const r of raw) {
    const problems: string[] = [];
    const contract = r.contract.trim();
    const customer = contract ? await customerByContract(db, contract) : null;
    if (!contract) problems.push('contract_number is empty');
    else if (!customer) problems.push(`no customer with contract_number ${contract}`);
    else if (seen.has(customer.id)) problems.push(`contract_number ${contract} already appears on ${seen.get(customer.id)}`);
    else seen.set(customer.id, r.where);
    const amount =
      typeof r.balance === 'number'
        ? Number.isSafeInteger(r.balance) && Math.abs(r.balance) <= MAX_AMOUNT
          ? { minor: r.balance }
          : { error: `${r.balance} is not an integer of minor units` }
        : r.balance.trim() === ''
          ? { error: 'is empty' }
          : parseAmount(r.balance);
    if ('error' in amount) problems.push(`balance ${amount.error}`);
    const dueText = (r.dueDate ?? '').trim();
    const dueDate = dueText ? parseDate(dueText) : defaultDueDate(defaults.now, defaults.timezone, defaults.dueDay);
    if (!dueDate) problems.push(`due_date "${dueText}" is not a date (YYYY-MM-DD or 20. 11. 2026)`);
    const currency = ((r.currency ?? '').trim() || defaults.currency).toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) problems.push(`currency "${r.currency}" is not a code such as CZK or EUR`);
    const flag = parseRestrictedFlag(r.restricted ?? '');
    if (flag === null) problems.push(`restricted "${r.restricted}" is not yes or no`);
    const sinceText = (r.restrictedSince ?? '').trim();
    const since = sinceText ? parseDate(sinceText) : null;
    if (sinceText && !since) problems.push(`restricted_since "${sinceText}" is not a date (YYYY-MM-DD or 1. 12. 2026)`);
    const explicitNo = flag === false && (typeof r.restricted === 'boolean' || (r.restricted ?? '').trim() !== '');
    if (sinceText && explicitNo) problems.push(`restricted is "${r.restricted}" but restricted_since is ${sinceText}`);
    if (problems.length) errors.push({ where: r.where, message: problems.join('; ') });
    else if (customer && 'minor' in amount && dueDate)
      rows.push({
        where: r.where,
        contract: customer.contractNumber,
        customerId: customer.id,
        amount: amount.minor,
        dueDate,
        currency,
        restricted: flag === true || since !== null,
        restrictedSince: since,
      });
  }
  if (errors.length) throw new BalancesInvalid(errors);
  return rows;
}

/** Parses CSV text into raw rows (header names checked); `checkBalances` checks their values. */
export function parseBalancesCsv(text: string): RawBalance[] {
  // In a comma-separated file, "1 234,50" needs quotes: an unquoted decimal comma splits the amount.
  const records = readCsvRecords(text, BALANCE_COLUMNS, REQUIRED, ({ header, delimiter }) => ({
    splitAdvice:
      delimiter === ','
        ? 'write a decimal amount in quotes ("1234,50") or with a dot (1234.50), and put any other such value in double quotes'
        : 'put such a value in double quotes',
    splitValue: delimiter === ',' ? (values) => decimalCommaSplit(values, header) : undefined,
  }));
  return records.map(({ record, info }) => ({
    where: `line ${info.lines}`,
    contract: record.contract_number ?? '',
    balance: record.balance ?? '',
    dueDate: record.due_date ?? null,
    currency: record.currency ?? null,
    restricted: record.restricted ?? null,
    restrictedSince: record.restricted_since ?? null,
  }));
}

/**
 * An amount with a decimal comma in a comma-separated file ("1234,50" unquoted) arrives as two
 * values, "1234" and "50": the balance column and a short number after it. Null when the line
 * does not look like that.
 */
function decimalCommaSplit(values: readonly string[], header: readonly string[]): { column: number; problem: string; advice: string } | null {
  const at = header.indexOf('balance');
  const whole = values[at]?.trim() ?? '';
  const cents = values[at + 1]?.trim() ?? '';
  if (at < 0 || !/^-?\d[\d ]*$/.test(whole) || !/^\d{1,2}$/.test(cents)) return null;
  const amount = `${whole},${cents}`;
  return {
    column: at + 1,
    problem: `the decimal comma of ${amount} splits the amount into two columns`,
    advice: `Write it in quotes ("${amount}") or with a dot (${whole}.${cents})`,
  };
}
