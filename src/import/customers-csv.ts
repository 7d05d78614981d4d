/**
 * `linka customers import FILE.csv`: validates every row first, then upserts them all
 * by contract number in one transaction, so a bad row imports nothing and a
 * re-import of the same file changes nothing. A value that must be unique and already
 * belongs to a customer outside the file (telegram_id) is reported by line, like a bad
 * row, before anything is written. Columns are documented in the README.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { endsBeforeMinimum, planOf, type TierTerm } from '../domain/entitlement.js';
import { parseDate } from '../domain/payments.js';
import { toE164 } from '../domain/phone.js';
import { LinkaError } from '../errors.js';
import { csvReadError } from './csv-errors.js';
import { phoneHolders, releaseTelegramId, telegramIdHolders, upsertCustomer, type CustomerInput } from '../store/customers.js';
import type { PrismaClient } from '../store/types.js';

/** The columns, in the order the README lists them. */
export const CSV_COLUMNS = [
  'contract_number',
  'name',
  'phones',
  'language',
  'tier',
  'area',
  'access_point',
  'address',
  'email',
  'telegram_id',
  'plan_start',
  'plan_end',
] as const;
const REQUIRED = ['contract_number', 'name'] as const;

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? null : v));
const rowSchema = z.object({
  contract_number: z
    .string()
    .trim()
    .regex(/^[\p{L}\p{N}][\p{L}\p{N}\-/]{2,19}$/u, 'contract_number must be 3-20 letters, digits, "-" or "/", no spaces'),
  name: z.string().trim().min(1, 'name is empty'),
  phones: z.string().default(''),
  language: z
    .string()
    .trim()
    .toLowerCase()
    .default('')
    .refine((v) => ['', 'cs', 'sk', 'en'].includes(v), 'language must be cs, sk or en'),
  tier: z.string().trim().default(''),
  area: optional.default(null),
  access_point: optional.default(null),
  address: optional.default(null),
  email: optional.default(null).refine((v) => v === null || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v), 'email is not an e-mail address'),
  telegram_id: optional.default(null).refine((v) => v === null || /^\d{1,20}$/.test(v), 'telegram_id must be a number'),
  // Absent: the import leaves the plan's dates as they are; empty: none.
  plan_start: planDate('plan_start'),
  plan_end: planDate('plan_end'),
});

/** A plan date column: YYYY-MM-DD or 15. 7. 2026 -> YYYY-MM-DD, empty -> null, column absent -> undefined. */
function planDate(column: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return v === undefined ? undefined : null;
      const date = parseDate(v);
      if (date === null) ctx.addIssue({ code: 'custom', message: `${column} "${v}" is not a date (YYYY-MM-DD or 15. 7. 2026)` });
      return date;
    });
}

export interface ImportOptions {
  region: string;
  defaultLanguage: 'cs' | 'sk' | 'en';
  defaultTier?: string;
  /** The configured tiers (config `tiers`); a row naming another one is refused. */
  tiers?: readonly string[];
  /** How long the configured tiers last (config `tiers`): a tier lasting months needs its start. */
  tierTerms?: Readonly<Record<string, TierTerm>>;
}

/** A customer as read from the file, with the line it is on (for the import's messages). */
export interface CsvCustomer extends CustomerInput {
  line: number;
}

/**
 * What the operator should know about a customer's plan without it being wrong: a plan_end
 * before the tier's minimum term is over (docs/domain.md, "Support entitlements with dates").
 */
export function planWarnings(rows: readonly CsvCustomer[], tierTerms: Readonly<Record<string, TierTerm>>): string[] {
  const warnings: string[] = [];
  for (const r of rows) {
    if (r.planStart === undefined && r.planEnd === undefined) continue;
    const plan = planOf({ tier: r.tier, planStart: r.planStart ?? null, planEnd: r.planEnd ?? null }, tierTerms);
    if (endsBeforeMinimum(plan))
      warnings.push(
        `line ${r.line}: contract ${r.contractNumber} ends ${r.tier} on ${plan.end}, before its minimum term of ${tierTerms[r.tier]?.minimumTermMonths} months from ${plan.start} (until ${plan.minimumUntil})`,
      );
  }
  return warnings;
}

/** The one error of a file with bad rows: every row's problem, by line. */
function badRows(errors: string[]): LinkaError {
  return new LinkaError('csv_invalid', `Nothing was imported; fix these rows:\n  ${errors.join('\n  ')}`);
}

/** Parses and validates CSV text. Throws one LinkaError listing every bad row by its line number. */
export function parseCustomersCsv(text: string, opts: ImportOptions): CsvCustomer[] {
  let records: Array<{ record: Record<string, string>; line: number }>;
  // Taken from the header line itself, so a file with a header and no rows is checked too.
  let header: string[] = [];
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  // Czech spreadsheet exports use ";" between columns.
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  try {
    const raw = parse(body, {
      columns: (names: string[]) => (header = names.map((h) => h.trim().toLowerCase())).map((h) => h || false),
      skip_empty_lines: true,
      info: true,
      trim: false,
      delimiter,
    }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
    records = raw.map((r) => ({ record: r.record, line: r.info.lines }));
  } catch (err) {
    throw csvReadError(err, { text: body, header, delimiter, splitAdvice: `put such a value in double quotes ("Hlavní 5${delimiter} Plzeň")` });
  }
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) throw new LinkaError('csv_invalid', `The CSV header lacks the column(s) ${missing.join(', ')} (expected: ${CSV_COLUMNS.join(', ')})`);
  // An empty column name (a trailing separator, as spreadsheet exports write) is ignored.
  const unknown = header.filter((h) => h !== '' && !(CSV_COLUMNS as readonly string[]).includes(h));
  if (unknown.length) throw new LinkaError('csv_invalid', `Unknown CSV column(s) ${unknown.join(', ')} (expected: ${CSV_COLUMNS.join(', ')})`);

  const errors: string[] = [];
  const seen = new Map<string, number>();
  const seenTelegram = new Map<string, number>();
  const seenPhone = new Map<string, { line: number; contract: string }>();
  const rows: CsvCustomer[] = [];
  for (const { record, line } of records) {
    const parsed = rowSchema.safeParse(record);
    if (!parsed.success) {
      errors.push(`line ${line}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      continue;
    }
    const r = parsed.data;
    const phones: string[] = [];
    for (const p of r.phones
      .split(/[|,;]/)
      .map((x) => x.trim())
      .filter(Boolean)) {
      const e164 = toE164(p, opts.region);
      if (!e164) errors.push(`line ${line}: "${p}" is not a valid phone number`);
      else if (!phones.includes(e164)) phones.push(e164);
    }
    const key = r.contract_number;
    // A phone identifies one customer: the same number on two contracts would leave Linka unable to tell them apart.
    for (const e164 of phones) {
      const other = seenPhone.get(e164);
      if (other && other.contract !== key)
        errors.push(`line ${line}: phone ${e164} is also on line ${other.line} (contract ${other.contract}); a phone number may belong to one customer only`);
      else seenPhone.set(e164, { line, contract: key });
    }
    let tier = r.tier || (opts.defaultTier ?? 'none');
    if (r.tier && opts.tiers) {
      const configured = opts.tiers.find((t) => t.toLowerCase() === r.tier.toLowerCase());
      if (configured) tier = configured;
      else errors.push(`line ${line}: tier "${r.tier}" is not one of the configured tiers (${opts.tiers.join(', ')}); leave it empty for none`);
    }
    const term = opts.tierTerms?.[tier];
    if (r.plan_start && r.plan_end && r.plan_end < r.plan_start) errors.push(`line ${line}: plan_end ${r.plan_end} is before plan_start ${r.plan_start}`);
    if (term?.termMonths && !r.plan_start && !r.plan_end)
      errors.push(
        `line ${line}: tier ${tier} lasts ${term.termMonths} months from its start (tiers.${tier}.termMonths): give plan_start, the day it began (such as the licence's activation), or plan_end`,
      );
    if (seen.has(key)) errors.push(`line ${line}: contract_number ${key} already appears on line ${seen.get(key)}`);
    seen.set(key, line);
    // telegram_id is unique in the database: a duplicate would fail the whole transaction without a line number.
    if (r.telegram_id !== null) {
      if (seenTelegram.has(r.telegram_id)) errors.push(`line ${line}: telegram_id ${r.telegram_id} already appears on line ${seenTelegram.get(r.telegram_id)}`);
      else seenTelegram.set(r.telegram_id, line);
    }
    rows.push({
      line,
      contractNumber: key,
      name: r.name,
      phones,
      language: (r.language || opts.defaultLanguage) as CustomerInput['language'],
      tier,
      area: r.area,
      accessPoint: r.access_point,
      address: r.address,
      email: r.email,
      telegramId: r.telegram_id,
      ...(r.plan_start !== undefined ? { planStart: r.plan_start } : {}),
      ...(r.plan_end !== undefined ? { planEnd: r.plan_end } : {}),
    });
  }
  if (errors.length) throw badRows(errors);
  return rows;
}

/**
 * Imports validated rows in one transaction; returns the counts. A telegram_id held by a
 * customer the file does not give another one is refused (each such row by its line, or by
 * its contract number when the row has no line) and nothing is written. A telegram_id the
 * file moves from one of its customers to another is taken from the first before any row
 * is written, so the order of the rows does not matter.
 */
export async function importCustomers(
  prisma: PrismaClient,
  rows: Array<CustomerInput & { line?: number }>,
): Promise<{ created: number; updated: number; unchanged: number }> {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  await prisma.$transaction(
    async (tx) => {
      const inFile = new Map(rows.map((r) => [r.contractNumber, r]));
      const wanted = rows.filter((r): r is typeof r & { telegramId: string } => r.telegramId !== null);
      const holders = await telegramIdHolders(
        tx,
        wanted.map((r) => r.telegramId),
      );
      const errors: string[] = [];
      const moved: string[] = [];
      for (const row of wanted) {
        const holder = holders.get(row.telegramId);
        if (holder === undefined || holder === row.contractNumber) continue;
        // The holder is in the file too, with another telegram_id (or none): the id moves.
        if (inFile.has(holder) && inFile.get(holder)?.telegramId !== row.telegramId) moved.push(holder);
        else
          errors.push(
            `${row.line !== undefined ? `line ${row.line}` : `contract_number ${row.contractNumber}`}: telegram_id ${row.telegramId} already belongs to contract ${holder}`,
          );
      }
      // A phone another customer already has, unless the file gives that customer other phones.
      const phoneOwners = await phoneHolders(
        tx,
        rows.flatMap((r) => r.phones),
      );
      for (const row of rows) {
        for (const e164 of row.phones) {
          const holder = phoneOwners.get(e164);
          if (holder === undefined || holder === row.contractNumber) continue;
          if (inFile.has(holder) && !inFile.get(holder)?.phones.includes(e164)) continue;
          errors.push(
            `${row.line !== undefined ? `line ${row.line}` : `contract_number ${row.contractNumber}`}: phone ${e164} already belongs to contract ${holder}; a phone number may belong to one customer only`,
          );
        }
      }
      if (errors.length) throw badRows(errors);
      for (const row of wanted) if (moved.includes(holders.get(row.telegramId) as string)) await releaseTelegramId(tx, row.telegramId);
      for (const { line: _line, ...row } of rows) {
        const result = await upsertCustomer(tx, row);
        // Its telegram_id was taken above: it has changed even if the rest has not.
        counts[result === 'unchanged' && moved.includes(row.contractNumber) ? 'updated' : result] += 1;
      }
    },
    { timeout: 120_000 },
  );
  return counts;
}
