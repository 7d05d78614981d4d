/**
 * Inbound events: de-duplication by the platform's own id, and what a dispatch reads first about
 * an event (its conversation, who sent it, the active outages).
 */
import { CONVERSATION_COLUMNS, loadConversation } from './conversations.js';
import { CUSTOMER_DATES, customerById, customerByPhone, customerByTelegramId } from './customers.js';
import { customerIdByEmail } from './mail.js';
import { activeOutages, OUTAGE_DATES, outageFromRow } from './outages.js';
import { exec, isDirectPg, mapRow, query, utcJsonDates } from './sql.js';
import type { Conversation, Customer, DbClient, Outage, Tx } from './types.js';

/**
 * Records `id` as processed inside the caller's transaction. Returns false when it
 * was already there (a platform retry): the caller must then change nothing.
 */
export async function markProcessed(tx: Tx, id: string): Promise<boolean> {
  // One statement on every inbound event (SQLite and PostgreSQL alike): an id already recorded
  // inserts nothing. On PostgreSQL a concurrent transaction inserting the same id makes this one
  // wait for its outcome: committed -> nothing inserted here (a duplicate), rolled back -> inserted.
  const inserted = await exec(tx)`INSERT INTO "ProcessedInbound" ("id", "createdAt") VALUES (${id}, ${new Date()}) ON CONFLICT ("id") DO NOTHING`;
  return inserted === 1;
}

/**
 * Forgets that `id` was processed, so the platform's next retry is acted on: for adapters
 * that record the id before an action that runs in its own transaction, when that action failed.
 */
export async function forgetProcessed(db: DbClient, id: string): Promise<void> {
  await db.processedInbound.deleteMany({ where: { id } });
}

/** What a dispatch reads first about an inbound event (openInbound). */
export interface Opened {
  /** False when the id was processed before (a platform retry): change nothing. */
  fresh: boolean;
  conversation: Conversation | null;
  /**
   * Who wrote: the conversation's customer if it has one; otherwise the customer with the
   * sender's Telegram id, else the one with the sender's phone number; null when none.
   */
  customer: Customer | null;
  /** The outages not yet resolved, newest first. */
  outages: Outage[];
}

/**
 * Marks `dedupeId` processed, loads the conversation, who sent the event (Opened.customer) and
 * the active outages. A customer is found by the sender's phone number or e-mail address when
 * neither the conversation nor the Telegram id names one. On PostgreSQL through pg the first three look-ups are one statement (one
 * round trip where there were four; each costs a system call or two that this machine charges
 * dearly for, README "Performance"); elsewhere the same four, on SQLite straight on the
 * connection. The look-up by phone number, when needed, is one more.
 */
export async function openInbound(
  tx: Tx,
  args: { dedupeId: string; conversationId: string; telegramId?: string; phone?: string; email?: string },
): Promise<Opened> {
  const { dedupeId, conversationId, telegramId = null, phone, email } = args;
  const opened = await openInboundKnown(tx, { dedupeId, conversationId, telegramId });
  if (!opened.fresh || opened.customer || opened.conversation?.customerId || (!phone && !email)) return opened;
  if (email) {
    const id = await customerIdByEmail(tx, email);
    return { ...opened, customer: id ? await customerById(tx, id) : null };
  }
  return { ...opened, customer: await customerByPhone(tx, phone as string) };
}

/** openInbound without the look-up by phone number. */
async function openInboundKnown(tx: Tx, args: { dedupeId: string; conversationId: string; telegramId: string | null }): Promise<Opened> {
  const { dedupeId, conversationId, telegramId } = args;
  if (isDirectPg(tx)) {
    const rows = await query<Record<string, unknown>>(
      tx,
    )`WITH p AS (INSERT INTO "ProcessedInbound" ("id", "createdAt") VALUES (${dedupeId}, ${new Date()}) ON CONFLICT ("id") DO NOTHING RETURNING 1)
      SELECT (SELECT count(*) FROM p)::int AS "__fresh", c.*,
        (SELECT to_json(cu) FROM "Customer" cu WHERE cu."id" = CASE WHEN c."customerId" IS NOT NULL THEN c."customerId"
          ELSE (SELECT t."id" FROM "Customer" t WHERE t."telegramId" = ${telegramId}) END) AS "__customer",
        (SELECT COALESCE(json_agg(o ORDER BY o."startedAt" DESC), '[]'::json) FROM "Outage" o WHERE o."status" <> ${'resolved'}) AS "__outages"
      FROM (SELECT 1) AS one LEFT JOIN "Conversation" c ON c."id" = ${conversationId}`;
    const { __fresh: fresh, __customer: customer, __outages: outages, ...conv } = rows[0] as Record<string, unknown>;
    const conversation =
      conv.id === null || conv.id === undefined
        ? null
        : mapRow<Conversation>(conv, CONVERSATION_COLUMNS.dates, CONVERSATION_COLUMNS.json, CONVERSATION_COLUMNS.ints);
    return {
      fresh: fresh === 1,
      conversation,
      customer: customer ? mapRow<Customer>(utcJsonDates(customer as Record<string, unknown>, CUSTOMER_DATES), CUSTOMER_DATES) : null,
      outages: (outages as Array<Record<string, unknown>>).map((o) => outageFromRow(utcJsonDates(o, OUTAGE_DATES))),
    };
  }
  if (!(await markProcessed(tx, dedupeId))) return { fresh: false, conversation: null, customer: null, outages: [] };
  const conversation = await loadConversation(tx, conversationId);
  const customer = conversation?.customerId
    ? await customerById(tx, conversation.customerId)
    : telegramId !== null
      ? await customerByTelegramId(tx, telegramId)
      : null;
  return { fresh: true, conversation, customer, outages: await activeOutages(tx) };
}
