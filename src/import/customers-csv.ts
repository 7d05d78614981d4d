/**
 * `linka customers import FILE.csv`: validates every row first, then upserts them all
 * by contract number in one transaction, so a bad row imports nothing and a
 * re-import of the same file changes nothing. A value that must be unique and already
 * belongs to a customer outside the file (telegram_id) is reported by line, like a bad
 * row, before anything is written. Columns are documented in the README.
 *
 * The console uses the same code: its upload's preview (planCustomersImport: what the import
 * would create, change and leave, and every problem, each with a code for a translated message)
 * and import, and its edit form (checkCustomerRecord: one customer's fields checked as a row).
 */
import { parse } from 'csv-parse/sync';
import type { LinkaConfig } from '../config/schema.js';
import { z } from 'zod';
import { endsBeforeMinimum, planOf, type TierTerm } from '../domain/entitlement.js';
import { NOTICE_CHANNELS, parseCustomerEmail, parseNoticeChannel } from '../domain/notice-channel.js';
import { parseDate } from '../domain/payments.js';
import { toE164 } from '../domain/phone.js';
import { LinkaError } from '../errors.js';
import { csvReadError } from './csv-errors.js';
import {
  type CustomerChange,
  customerChanges,
  customersByContracts,
  phoneHolders,
  releaseTelegramId,
  telegramIdHolders,
  upsertCustomer,
  type CustomerInput,
} from '../store/customers.js';
import type { DbClient, PrismaClient } from '../store/types.js';

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
  'notice_channel',
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
  // One address, stored lower-cased (the support mailbox finds the customer by it).
  email: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const address = parseCustomerEmail(v);
      if (address === undefined) ctx.addIssue({ code: 'custom', message: 'email is not an e-mail address' });
      return address ?? null;
    }),
  telegram_id: optional.default(null).refine((v) => v === null || /^\d{1,20}$/.test(v), 'telegram_id must be a number'),
  // Absent: the import leaves the plan's dates as they are; empty: none.
  plan_start: planDate('plan_start'),
  plan_end: planDate('plan_end'),
  // Absent: the import leaves the preference as it is; empty: none (docs/email.md, "The channel preference").
  notice_channel: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const channel = parseNoticeChannel(v);
      if (channel === undefined) ctx.addIssue({ code: 'custom', message: `notice_channel must be ${NOTICE_CHANNELS.join(', ')} or empty, not "${v.trim()}"` });
      return channel ?? null;
    }),
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

/** The import's options from the configuration: the same for `linka customers import` and the console. */
export function importOptionsOf(config: Pick<LinkaConfig, 'phoneRegion' | 'defaultLanguage' | 'tiers'>): ImportOptions {
  return { region: config.phoneRegion, defaultLanguage: config.defaultLanguage, tiers: Object.keys(config.tiers), tierTerms: config.tiers };
}

/** A customer as read from the file, with the line it is on (for the import's messages). */
export interface CsvCustomer extends CustomerInput {
  line: number;
}

/** A plan_end before the tier's minimum term is over: shown to the operator, never refused. */
export interface PlanWarning {
  line: number;
  contractNumber: string;
  tier: string;
  end: string;
  start: string;
  minimumUntil: string;
  minimumTermMonths: number;
}

/**
 * What the operator should know about a customer's plan without it being wrong: a plan_end
 * before the tier's minimum term is over (docs/domain.md, "Support entitlements with dates").
 */
export function planWarningsOf(rows: readonly CsvCustomer[], tierTerms: Readonly<Record<string, TierTerm>>): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  for (const r of rows) {
    if (r.planStart === undefined && r.planEnd === undefined) continue;
    const plan = planOf({ tier: r.tier, planStart: r.planStart ?? null, planEnd: r.planEnd ?? null }, tierTerms);
    if (endsBeforeMinimum(plan))
      warnings.push({
        line: r.line,
        contractNumber: r.contractNumber,
        tier: r.tier,
        end: plan.end as string,
        start: plan.start as string,
        minimumUntil: plan.minimumUntil as string,
        minimumTermMonths: tierTerms[r.tier]?.minimumTermMonths ?? 0,
      });
  }
  return warnings;
}

/** {@link planWarningsOf} in the words `linka customers import` prints. */
export function planWarnings(rows: readonly CsvCustomer[], tierTerms: Readonly<Record<string, TierTerm>>): string[] {
  return planWarningsOf(rows, tierTerms).map(
    (w) =>
      `line ${w.line}: contract ${w.contractNumber} ends ${w.tier} on ${w.end}, before its minimum term of ${w.minimumTermMonths} months from ${w.start} (until ${w.minimumUntil})`,
  );
}

/** The kinds of problem a row may have (the console words each one in the operator's language). */
export type RowProblemCode =
  | 'contract'
  | 'name'
  | 'language'
  | 'email'
  | 'telegramId'
  | 'planDate'
  | 'noticeChannel'
  | 'noticeEmail'
  | 'phone'
  | 'phoneTwice'
  | 'tier'
  | 'planOrder'
  | 'planStartNeeded'
  | 'contractTwice'
  | 'telegramTwice'
  | 'telegramTaken'
  | 'phoneTaken'
  | 'invalid';

/**
 * One problem of one row: its line (absent for a row that is not from a file), the column it is
 * about, its kind and values, and the English text `linka customers import` prints after "line N: ".
 */
export interface RowProblem {
  line?: number;
  contractNumber?: string;
  column: CsvColumn | null;
  code: RowProblemCode;
  params: Record<string, string | number>;
  message: string;
}

export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Where a problem is: "line 3", or "contract_number A-1" for a row that is not from a file. */
const whereOf = (p: Pick<RowProblem, 'line' | 'contractNumber'>) => (p.line !== undefined ? `line ${p.line}` : `contract_number ${p.contractNumber}`);

/** The one error of a file with bad rows: every row's problem, by line; a row's schema problems share one line, as they always have. */
function badRows(problems: readonly RowProblem[]): LinkaError {
  const lines: string[] = [];
  for (let i = 0; i < problems.length; i++) {
    const p = problems[i] as RowProblem;
    if (!SCHEMA_CODES.has(p.code)) {
      lines.push(`${whereOf(p)}: ${p.message}`);
      continue;
    }
    const group = [p.message];
    while (i + 1 < problems.length && problems[i + 1]?.line === p.line && SCHEMA_CODES.has((problems[i + 1] as RowProblem).code))
      group.push((problems[++i] as RowProblem).message);
    lines.push(`${whereOf(p)}: ${group.join('; ')}`);
  }
  return new LinkaError('csv_invalid', `Nothing was imported; fix these rows:\n  ${lines.join('\n  ')}`);
}

/** The codes of the per-column checks of the row's schema (one row's are printed on one line, joined by "; "). */
const SCHEMA_CODES: ReadonlySet<RowProblemCode> = new Set(['contract', 'name', 'language', 'email', 'telegramId', 'planDate', 'noticeChannel', 'invalid']);
const SCHEMA_CODE_OF: Partial<Record<CsvColumn, RowProblemCode>> = {
  contract_number: 'contract',
  name: 'name',
  language: 'language',
  email: 'email',
  telegram_id: 'telegramId',
  plan_start: 'planDate',
  plan_end: 'planDate',
  notice_channel: 'noticeChannel',
};

/** What the file-wide checks remember from row to row (a contract, phone or telegram_id given twice). */
interface FileSeen {
  contracts: Map<string, number>;
  telegram: Map<string, number>;
  phones: Map<string, { line: number; contract: string }>;
}

const freshSeen = (): FileSeen => ({ contracts: new Map(), telegram: new Map(), phones: new Map() });

/**
 * Checks one record (a CSV row's cells by column name) as the import does: the row as it would
 * be imported, or null when its schema is broken, and every problem found.
 */
function checkRecord(record: Record<string, string>, line: number, opts: ImportOptions, seen: FileSeen): { row: CsvCustomer | null; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const contract = String(record.contract_number ?? '').trim();
  const problem = (column: CsvColumn | null, code: RowProblemCode, params: Record<string, string | number>, message: string) =>
    problems.push({ line, ...(contract ? { contractNumber: contract } : {}), column, code, params, message });
  const parsed = rowSchema.safeParse(record);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const column = (CSV_COLUMNS as readonly string[]).includes(String(issue.path[0])) ? (issue.path[0] as CsvColumn) : null;
      const value = column ? String(record[column] ?? '').trim() : '';
      problem(column, (column && SCHEMA_CODE_OF[column]) || 'invalid', { value, column: column ?? '' }, issue.message);
    }
    return { row: null, problems };
  }
  const r = parsed.data;
  const phones: string[] = [];
  for (const p of r.phones
    .split(/[|,;]/)
    .map((x) => x.trim())
    .filter(Boolean)) {
    const e164 = toE164(p, opts.region);
    if (!e164) problem('phones', 'phone', { value: p }, `"${p}" is not a valid phone number`);
    else if (!phones.includes(e164)) phones.push(e164);
  }
  const key = r.contract_number;
  // A phone identifies one customer: the same number on two contracts would leave Linka unable to tell them apart.
  for (const e164 of phones) {
    const other = seen.phones.get(e164);
    if (other && other.contract !== key)
      problem(
        'phones',
        'phoneTwice',
        { phone: e164, line: other.line, contract: other.contract },
        `phone ${e164} is also on line ${other.line} (contract ${other.contract}); a phone number may belong to one customer only`,
      );
    else seen.phones.set(e164, { line, contract: key });
  }
  let tier = r.tier || (opts.defaultTier ?? 'none');
  if (r.tier && opts.tiers) {
    const configured = opts.tiers.find((t) => t.toLowerCase() === r.tier.toLowerCase());
    if (configured) tier = configured;
    else
      problem(
        'tier',
        'tier',
        { value: r.tier, tiers: opts.tiers.join(', ') },
        `tier "${r.tier}" is not one of the configured tiers (${opts.tiers.join(', ')}); leave it empty for none`,
      );
  }
  const term = opts.tierTerms?.[tier];
  if (r.plan_start && r.plan_end && r.plan_end < r.plan_start)
    problem('plan_end', 'planOrder', { start: r.plan_start, end: r.plan_end }, `plan_end ${r.plan_end} is before plan_start ${r.plan_start}`);
  if (term?.termMonths && !r.plan_start && !r.plan_end)
    problem(
      'plan_start',
      'planStartNeeded',
      { tier, months: term.termMonths },
      `tier ${tier} lasts ${term.termMonths} months from its start (tiers.${tier}.termMonths): give plan_start, the day it began (such as the licence's activation), or plan_end`,
    );
  if (r.notice_channel === 'email' && r.email === null)
    problem('notice_channel', 'noticeEmail', {}, 'notice_channel email needs an address in the email column');
  if (seen.contracts.has(key))
    problem(
      'contract_number',
      'contractTwice',
      { value: key, line: seen.contracts.get(key) as number },
      `contract_number ${key} already appears on line ${seen.contracts.get(key)}`,
    );
  seen.contracts.set(key, line);
  // telegram_id is unique in the database: a duplicate would fail the whole transaction without a line number.
  if (r.telegram_id !== null) {
    if (seen.telegram.has(r.telegram_id))
      problem(
        'telegram_id',
        'telegramTwice',
        { value: r.telegram_id, line: seen.telegram.get(r.telegram_id) as number },
        `telegram_id ${r.telegram_id} already appears on line ${seen.telegram.get(r.telegram_id)}`,
      );
    else seen.telegram.set(r.telegram_id, line);
  }
  return {
    row: {
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
      ...(r.notice_channel !== undefined ? { noticeChannel: r.notice_channel } : {}),
    },
    problems,
  };
}

/**
 * One customer's fields (by CSV column name, as typed into a form) checked exactly as a row of
 * the import: the customer as it would be imported (no line), or the problems by column.
 */
export function checkCustomerRecord(record: Partial<Record<CsvColumn, string>>, opts: ImportOptions): { row: CustomerInput | null; problems: RowProblem[] } {
  const cells = Object.fromEntries(Object.entries(record).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const { row, problems } = checkRecord(cells, 1, opts, freshSeen());
  if (!row) {
    // A form shows every field's problem at once: the checks after the schema's run again with
    // the broken cells standing in as valid ones (the import stops at the schema's, by line).
    const stand = { ...cells };
    for (const p of problems) if (p.column) stand[p.column] = p.column === 'name' ? 'x' : p.column === 'contract_number' ? 'X-0' : '';
    problems.push(...checkRecord(stand, 1, opts, freshSeen()).problems.filter((p) => !SCHEMA_CODES.has(p.code)));
  }
  const unlined = problems.map(({ line: _line, ...p }) => p);
  if (!row || unlined.length) return { row: null, problems: unlined };
  const { line: _line, ...input } = row;
  return { row: input, problems: [] };
}

/**
 * Reads CSV text and checks every row: the rows that were read (a row with problems included,
 * unless its schema is broken) and every problem by line. Throws a LinkaError (csv_invalid) only
 * for the file as a whole: unreadable, or a header without the required columns or with unknown ones.
 */
export function checkCustomersCsv(text: string, opts: ImportOptions): { rows: CsvCustomer[]; problems: RowProblem[] } {
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

  const seen = freshSeen();
  const problems: RowProblem[] = [];
  const rows: CsvCustomer[] = [];
  for (const { record, line } of records) {
    const checked = checkRecord(record, line, opts, seen);
    problems.push(...checked.problems);
    if (checked.row) rows.push(checked.row);
  }
  return { rows, problems };
}

/** Parses and validates CSV text. Throws one LinkaError listing every bad row by its line number. */
export function parseCustomersCsv(text: string, opts: ImportOptions): CsvCustomer[] {
  const { rows, problems } = checkCustomersCsv(text, opts);
  if (problems.length) throw badRows(problems);
  return rows;
}

/**
 * What the database says about rows that are fine on their own: a telegram_id or phone held by a
 * customer the file does not give another one (each such row by its line, or by its contract
 * number when the row has no line), and the customers whose telegram_id the file moves to
 * another of its customers (taken from them before any row is written).
 */
export async function databaseConflicts(
  db: DbClient,
  rows: ReadonlyArray<CustomerInput & { line?: number }>,
): Promise<{ problems: RowProblem[]; moved: string[] }> {
  const inFile = new Map(rows.map((r) => [r.contractNumber, r]));
  const wanted = rows.filter((r): r is typeof r & { telegramId: string } => r.telegramId !== null);
  const holders = await telegramIdHolders(
    db,
    wanted.map((r) => r.telegramId),
  );
  const problems: RowProblem[] = [];
  const moved: string[] = [];
  for (const row of wanted) {
    const holder = holders.get(row.telegramId);
    if (holder === undefined || holder === row.contractNumber) continue;
    // The holder is in the file too, with another telegram_id (or none): the id moves.
    if (inFile.has(holder) && inFile.get(holder)?.telegramId !== row.telegramId) moved.push(holder);
    else
      problems.push({
        ...(row.line !== undefined ? { line: row.line } : {}),
        contractNumber: row.contractNumber,
        column: 'telegram_id',
        code: 'telegramTaken',
        params: { value: row.telegramId, contract: holder },
        message: `telegram_id ${row.telegramId} already belongs to contract ${holder}`,
      });
  }
  // A phone another customer already has, unless the file gives that customer other phones.
  const phoneOwners = await phoneHolders(
    db,
    rows.flatMap((r) => r.phones),
  );
  for (const row of rows) {
    for (const e164 of row.phones) {
      const holder = phoneOwners.get(e164);
      if (holder === undefined || holder === row.contractNumber) continue;
      if (inFile.has(holder) && !inFile.get(holder)?.phones.includes(e164)) continue;
      problems.push({
        ...(row.line !== undefined ? { line: row.line } : {}),
        contractNumber: row.contractNumber,
        column: 'phones',
        code: 'phoneTaken',
        params: { phone: e164, contract: holder },
        message: `phone ${e164} already belongs to contract ${holder}; a phone number may belong to one customer only`,
      });
    }
  }
  return { problems, moved };
}

/** What an import of a row would do to its customer: create it, change these fields, or nothing. */
export interface PlannedRow {
  line: number;
  contractNumber: string;
  name: string;
  action: 'create' | 'change' | 'unchanged';
  changes: CustomerChange[];
}

/** What importing a file would do, without doing it (the console's preview). */
export interface ImportPlan {
  /** The rows without problems, in the file's order. */
  rows: PlannedRow[];
  /** Every problem, by line; while there is one, the import would import nothing. */
  problems: RowProblem[];
  warnings: PlanWarning[];
  /** How many rows the import would create, update and leave unchanged (as it counts them). */
  counts: { created: number; updated: number; unchanged: number };
}

/**
 * What `linka customers import` would do with this file now, read-only: each row created,
 * changed (which fields, old and new) or unchanged, and every problem, the database's included.
 * Throws the LinkaError of a file that cannot be read at all, as the import does.
 */
export async function planCustomersImport(db: DbClient, text: string, opts: ImportOptions): Promise<ImportPlan> {
  const { rows, problems } = checkCustomersCsv(text, opts);
  const badLines = new Set(problems.map((p) => p.line));
  const fine = rows.filter((r) => !badLines.has(r.line));
  const conflicts = await databaseConflicts(db, fine);
  const existing = await customersByContracts(
    db,
    fine.map((r) => r.contractNumber),
  );
  const conflictLines = new Set(conflicts.problems.map((p) => p.line));
  const planned: PlannedRow[] = fine
    .filter((r) => !conflictLines.has(r.line))
    .map((r) => {
      const before = existing.get(r.contractNumber);
      const { line, ...input } = r;
      const changes = before ? customerChanges(before, input) : [];
      return { line, contractNumber: r.contractNumber, name: r.name, action: !before ? 'create' : changes.length ? 'change' : 'unchanged', changes };
    });
  const all = [...problems, ...conflicts.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const counts = {
    created: planned.filter((r) => r.action === 'create').length,
    updated: planned.filter((r) => r.action === 'change').length,
    unchanged: planned.filter((r) => r.action === 'unchanged').length,
  };
  return { rows: planned, problems: all, warnings: planWarningsOf(rows, opts.tierTerms ?? {}), counts };
}

/**
 * Imports validated rows in one transaction; returns the counts. A telegram_id held by a
 * customer the file does not give another one is refused (each such row by its line, or by
 * its contract number when the row has no line) and nothing is written; so is a phone another
 * customer holds. A telegram_id the file moves from one of its customers to another is taken
 * from the first before any row is written, so the order of the rows does not matter.
 */
export async function importCustomers(
  prisma: PrismaClient,
  rows: Array<CustomerInput & { line?: number }>,
): Promise<{ created: number; updated: number; unchanged: number }> {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  await prisma.$transaction(
    async (tx) => {
      const { problems, moved } = await databaseConflicts(tx, rows);
      if (problems.length) throw badRows(problems);
      const holders = await telegramIdHolders(
        tx,
        rows.flatMap((r) => (r.telegramId !== null ? [r.telegramId] : [])),
      );
      for (const row of rows) if (row.telegramId !== null && moved.includes(holders.get(row.telegramId) as string)) await releaseTelegramId(tx, row.telegramId);
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
