/** Customers: look-ups for identification and the CSV import's upsert. */
import type { CustomerView, Lang } from '../engine/types.js';
import { mapRow, query } from './sql.js';
import { isUniqueViolation, type Customer, type DbClient } from './types.js';

/** The engine's view of a customer record. */
export function toView(c: Customer): CustomerView {
  const language: Lang = c.language === 'sk' || c.language === 'en' ? c.language : 'cs';
  return { id: c.id, name: c.name, contractNumber: c.contractNumber, language, tier: c.tier, area: c.area };
}

/** A Customer row's DateTime columns (for mapRow). */
export const CUSTOMER_DATES = ['createdAt', 'updatedAt'] as const;

export async function customerById(db: DbClient, id: string): Promise<Customer | null> {
  // Plain SQL (on every inbound event: store/sql.ts).
  const rows = await query<Record<string, unknown>>(db)`SELECT * FROM "Customer" WHERE "id" = ${id}`;
  return rows[0] ? mapRow<Customer>(rows[0], CUSTOMER_DATES) : null;
}

/** Contract numbers are matched case-insensitively and without surrounding spaces. */
export async function customerByContract(db: DbClient, contract: string): Promise<Customer | null> {
  const wanted = contract.trim();
  const exact = await db.customer.findUnique({ where: { contractNumber: wanted } });
  if (exact) return exact;
  const upper = wanted.toUpperCase();
  return upper === wanted ? null : db.customer.findUnique({ where: { contractNumber: upper } });
}

/** The one customer with this E.164 number; null when none or several share it (ask for the contract then). */
export async function customerByPhone(db: DbClient, e164: string): Promise<Customer | null> {
  const rows = await db.customerPhone.findMany({ where: { e164 }, include: { customer: true }, take: 2 });
  return rows.length === 1 ? (rows[0]?.customer ?? null) : null;
}

export async function customerByTelegramId(db: DbClient, telegramId: string): Promise<Customer | null> {
  const rows = await query<Record<string, unknown>>(db)`SELECT * FROM "Customer" WHERE "telegramId" = ${telegramId}`;
  return rows[0] ? mapRow<Customer>(rows[0], CUSTOMER_DATES) : null;
}

export async function setCustomerLanguage(db: DbClient, id: string, language: Lang): Promise<void> {
  await db.customer.update({ where: { id }, data: { language } });
}

/** One customer row as imported from CSV. */
export interface CustomerInput {
  contractNumber: string;
  name: string;
  phones: string[];
  language: Lang;
  tier: string;
  area: string | null;
  accessPoint: string | null;
  address: string | null;
  email: string | null;
  telegramId: string | null;
  /** The plan's first and last day (local YYYY-MM-DD); null: none; absent: left as they are. */
  planStart?: string | null;
  planEnd?: string | null;
  /** Where the customer's notices go: telegram | sms | email; null: none chosen; absent: left as it is. */
  noticeChannel?: string | null;
}

/** Who holds each of these Telegram ids now: Telegram id -> contract number. */
export async function telegramIdHolders(db: DbClient, telegramIds: readonly string[]): Promise<Map<string, string>> {
  const holders = new Map<string, string>();
  // In slices, well under SQLite's limit of bound values per statement.
  for (let i = 0; i < telegramIds.length; i += 500) {
    const rows = await db.customer.findMany({
      where: { telegramId: { in: telegramIds.slice(i, i + 500) } },
      select: { contractNumber: true, telegramId: true },
    });
    for (const r of rows) if (r.telegramId !== null) holders.set(r.telegramId, r.contractNumber);
  }
  return holders;
}

/** Takes a Telegram id from whichever customer holds it (the import moves it to another). */
export async function releaseTelegramId(db: DbClient, telegramId: string): Promise<void> {
  await db.customer.updateMany({ where: { telegramId }, data: { telegramId: null } });
}

/** A customer's fields as the import compares them, with their phones. */
export type CustomerWithPhones = Customer & { phones: Array<{ e164: string }> };

/** One field an import would change: its name (as CustomerInput names it), the value now and the new one. */
export interface CustomerChange {
  field: keyof CustomerInput;
  from: string | null;
  to: string | null;
}

const sortedPhones = (phones: ReadonlyArray<{ e164: string } | string>) => phones.map((p) => (typeof p === 'string' ? p : p.e164)).sort();

/**
 * What writing `input` over `existing` would change (nothing: the import counts it unchanged).
 * A field left out of the input (planStart/planEnd when the file has no such column) is kept.
 * Phones compare as sets; a change of phones is shown as the whole list, before and after.
 */
export function customerChanges(existing: CustomerWithPhones, input: CustomerInput): CustomerChange[] {
  const { phones, ...fields } = input;
  const changes: CustomerChange[] = [];
  for (const k of Object.keys(fields) as Array<keyof typeof fields>) {
    const to = fields[k];
    if (to === undefined || existing[k] === to) continue;
    changes.push({ field: k, from: (existing[k] as string | null) ?? null, to: to ?? null });
  }
  const before = sortedPhones(existing.phones);
  const after = sortedPhones(phones);
  if (before.join() !== after.join()) changes.push({ field: 'phones', from: before.join(', ') || null, to: after.join(', ') || null });
  return changes;
}

/** The customers with these contract numbers (exactly as written), with their phones, by contract number. */
export async function customersByContracts(db: DbClient, contracts: readonly string[]): Promise<Map<string, CustomerWithPhones>> {
  const found = new Map<string, CustomerWithPhones>();
  const wanted = [...new Set(contracts)];
  // In slices, well under SQLite's limit of bound values per statement.
  for (let i = 0; i < wanted.length; i += 500) {
    const rows = await db.customer.findMany({ where: { contractNumber: { in: wanted.slice(i, i + 500) } }, include: { phones: { select: { e164: true } } } });
    for (const r of rows) found.set(r.contractNumber, r);
  }
  return found;
}

/** Inserts or updates by contract number; returns what happened. Phones are replaced by the given set. */
export async function upsertCustomer(db: DbClient, input: CustomerInput): Promise<'created' | 'updated' | 'unchanged'> {
  const { phones, ...fields } = input;
  const existing = await db.customer.findUnique({ where: { contractNumber: input.contractNumber }, include: { phones: true } });
  if (!existing) {
    await db.customer.create({ data: { ...fields, phones: { create: phones.map((e164) => ({ e164 })) } } });
    return 'created';
  }
  const changes = customerChanges(existing, input);
  if (!changes.length) return 'unchanged';
  await db.customer.update({ where: { id: existing.id }, data: fields });
  if (changes.some((c) => c.field === 'phones')) {
    await db.customerPhone.deleteMany({ where: { customerId: existing.id } });
    await db.customerPhone.createMany({ data: phones.map((e164) => ({ customerId: existing.id, e164 })) });
  }
  return 'updated';
}

/** A customer as a notice to an area needs them: where they are, their language and how to reach them. */
export interface CustomerContact {
  area: string | null;
  accessPoint: string | null;
  language: string;
  telegramId: string | null;
  phones: Array<{ e164: string }>;
}

/** Every customer's contact (outage and maintenance notices); with `phonesInOrder`, each one's phones in the order they were stored. */
export async function customerContacts(db: DbClient, opts: { phonesInOrder?: boolean } = {}): Promise<CustomerContact[]> {
  return db.customer.findMany({
    select: {
      area: true,
      accessPoint: true,
      language: true,
      telegramId: true,
      phones: { select: { e164: true }, ...(opts.phonesInOrder ? { orderBy: { id: 'asc' as const } } : {}) },
    },
  });
}

/**
 * Gives the customer the Telegram id they wrote from; false (nothing changed) when another
 * customer record holds that id already.
 */
export async function linkTelegramId(db: DbClient, customerId: string, telegramId: string): Promise<boolean> {
  return db.customer.update({ where: { id: customerId }, data: { telegramId } }).then(
    () => true,
    (err: unknown) => {
      if (!isUniqueViolation(err)) throw err;
      return false;
    },
  );
}

/** How many customers there are (the shell tells a new operator when there are none). */
export async function customerCount(db: DbClient): Promise<number> {
  return db.customer.count();
}

/** Which customer (contract number) holds each of these phone numbers, for those someone holds. */
export async function phoneHolders(db: DbClient, e164s: readonly string[]): Promise<Map<string, string>> {
  if (!e164s.length) return new Map();
  const rows = await db.customerPhone.findMany({ where: { e164: { in: [...new Set(e164s)] } }, include: { customer: { select: { contractNumber: true } } } });
  return new Map(rows.map((r) => [r.e164, r.customer.contractNumber]));
}

/** Sets a customer's notice channel and e-mail address (the HTTP API); returns what is stored. */
export async function setNoticeChannel(
  db: DbClient,
  id: string,
  values: { noticeChannel: string | null; email: string | null },
): Promise<{ noticeChannel: string | null; email: string | null }> {
  return db.customer.update({ where: { id }, data: values, select: { noticeChannel: true, email: true } });
}

/** The customers with an e-mail address on record, by contract number (the statements by e-mail). */
export async function customersWithEmail(db: DbClient): Promise<Array<{ contractNumber: string; name: string; email: string | null }>> {
  return db.customer.findMany({
    where: { AND: [{ email: { not: null } }, { email: { not: '' } }] },
    select: { contractNumber: true, name: true, email: true },
    orderBy: { contractNumber: 'asc' },
  });
}
