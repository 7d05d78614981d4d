/**
 * `linka customers import FILE.csv`: validates every row first, then upserts them all
 * by contract number in one transaction, so a bad row imports nothing and a
 * re-import of the same file changes nothing. Columns are documented in the README.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { toE164 } from '../domain/phone.js';
import { LinkaError } from '../errors.js';
import { upsertCustomer, type CustomerInput } from '../store/customers.js';
import type { PrismaClient } from '../store/types.js';

/** The columns, in the order the README lists them. */
export const CSV_COLUMNS = ['contract_number', 'name', 'phones', 'language', 'tier', 'area', 'access_point', 'address', 'email', 'telegram_id'] as const;
const REQUIRED = ['contract_number', 'name'] as const;

const optional = z.string().trim().transform((v) => (v === '' ? null : v));
const rowSchema = z.object({
  contract_number: z.string().trim().regex(/^[\p{L}\p{N}][\p{L}\p{N}\-/]{2,19}$/u, 'contract_number must be 3-20 letters, digits, "-" or "/", no spaces'),
  name: z.string().trim().min(1, 'name is empty'),
  phones: z.string().default(''),
  language: z.string().trim().toLowerCase().default('').refine((v) => ['', 'cs', 'sk', 'en'].includes(v), 'language must be cs, sk or en'),
  tier: z.string().trim().default(''),
  area: optional.default(null),
  access_point: optional.default(null),
  address: optional.default(null),
  email: optional.default(null).refine((v) => v === null || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v), 'email is not an e-mail address'),
  telegram_id: optional.default(null).refine((v) => v === null || /^\d{1,20}$/.test(v), 'telegram_id must be a number'),
});

export interface ImportOptions {
  region: string;
  defaultLanguage: 'cs' | 'sk' | 'en';
  defaultTier?: string;
}

/** Parses and validates CSV text. Throws one LinkaError listing every bad row by its line number. */
export function parseCustomersCsv(text: string, opts: ImportOptions): CustomerInput[] {
  let records: Array<{ record: Record<string, string>; line: number }>;
  // Taken from the header line itself, so a file with a header and no rows is checked too.
  let header: string[] = [];
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  // Czech spreadsheet exports use ";" between columns.
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  try {
    const raw = parse(body, { columns: (names: string[]) => (header = names.map((h) => h.trim().toLowerCase())).map((h) => h || false), skip_empty_lines: true, info: true, trim: false, delimiter }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
    records = raw.map((r) => ({ record: r.record, line: r.info.lines }));
  } catch (err) {
    throw new LinkaError('csv_invalid', `The CSV file cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) throw new LinkaError('csv_invalid', `The CSV header lacks the column(s) ${missing.join(', ')} (expected: ${CSV_COLUMNS.join(', ')})`);
  // An empty column name (a trailing separator, as spreadsheet exports write) is ignored.
  const unknown = header.filter((h) => h !== '' && !(CSV_COLUMNS as readonly string[]).includes(h));
  if (unknown.length) throw new LinkaError('csv_invalid', `Unknown CSV column(s) ${unknown.join(', ')} (expected: ${CSV_COLUMNS.join(', ')})`);

  const errors: string[] = [];
  const seen = new Map<string, number>();
  const seenTelegram = new Map<string, number>();
  const rows: CustomerInput[] = [];
  for (const { record, line } of records) {
    const parsed = rowSchema.safeParse(record);
    if (!parsed.success) {
      errors.push(`line ${line}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      continue;
    }
    const r = parsed.data;
    const phones: string[] = [];
    for (const p of r.phones.split(/[|,;]/).map((x) => x.trim()).filter(Boolean)) {
      const e164 = toE164(p, opts.region);
      if (!e164) errors.push(`line ${line}: "${p}" is not a valid phone number`);
      else if (!phones.includes(e164)) phones.push(e164);
    }
    const key = r.contract_number;
    if (seen.has(key)) errors.push(`line ${line}: contract_number ${key} already appears on line ${seen.get(key)}`);
    seen.set(key, line);
    // telegram_id is unique in the database: a duplicate would fail the whole transaction without a line number.
    if (r.telegram_id !== null) {
      if (seenTelegram.has(r.telegram_id)) errors.push(`line ${line}: telegram_id ${r.telegram_id} already appears on line ${seenTelegram.get(r.telegram_id)}`);
      else seenTelegram.set(r.telegram_id, line);
    }
    rows.push({
      contractNumber: key, name: r.name, phones,
      language: (r.language || opts.defaultLanguage) as CustomerInput['language'],
      tier: r.tier || (opts.defaultTier ?? 'none'),
      area: r.area, accessPoint: r.access_point, address: r.address, email: r.email, telegramId: r.telegram_id,
    });
  }
  if (errors.length) throw new LinkaError('csv_invalid', `Nothing was imported; fix these rows:\n  ${errors.join('\n  ')}`);
  return rows;
}

/** Imports validated rows in one transaction; returns the counts. */
export async function importCustomers(prisma: PrismaClient, rows: CustomerInput[]): Promise<{ created: number; updated: number; unchanged: number }> {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  await prisma.$transaction(async (tx) => {
    for (const row of rows) counts[await upsertCustomer(tx, row)] += 1;
  }, { timeout: 120_000 });
  return counts;
}
