/** De-duplication of inbound events by the platform's own id. */
import { CONVERSATION_COLUMNS, loadConversation } from './conversations.js';
import { CUSTOMER_DATES, customerById, customerByTelegramId } from './customers.js';
import { exec, isDirectPg, mapRow, query, utcJsonDates } from './sql.js';
import type { Conversation, Customer, DbClient, Tx } from './types.js';

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
   * The customer known by the conversation, else by the sender's Telegram id; null when that
   * found nobody. Undefined when nothing could be looked up this way (no conversation's
   * customer, no Telegram id): the caller may try the sender's phone number.
   */
  customer: Customer | null | undefined;
  /** The outages not yet resolved, newest first, as their rows come (runtime/outages.ts reads them). */
  outages: Array<Record<string, unknown>>;
}

/**
 * Marks `dedupeId` processed, loads the conversation, its customer (or the Telegram sender's)
 * and the active outages. On PostgreSQL through pg this is one statement (one round trip where
 * there were four; each costs a system call or two that this machine charges dearly for, README
 * "Performance"); elsewhere the same four, on SQLite straight on the connection.
 */
export async function openInbound(tx: Tx, args: { dedupeId: string; conversationId: string; telegramId?: string }): Promise<Opened> {
  const { dedupeId, conversationId, telegramId = null } = args;
  if (isDirectPg(tx)) {
    const rows = await query<Record<string, unknown>>(tx)`WITH p AS (INSERT INTO "ProcessedInbound" ("id", "createdAt") VALUES (${dedupeId}, ${new Date()}) ON CONFLICT ("id") DO NOTHING RETURNING 1)
      SELECT (SELECT count(*) FROM p)::int AS "__fresh", c.*,
        (SELECT to_json(cu) FROM "Customer" cu WHERE cu."id" = CASE WHEN c."customerId" IS NOT NULL THEN c."customerId"
          ELSE (SELECT t."id" FROM "Customer" t WHERE t."telegramId" = ${telegramId}) END) AS "__customer",
        (SELECT COALESCE(json_agg(o ORDER BY o."startedAt" DESC), '[]'::json) FROM "Outage" o WHERE o."status" <> ${'resolved'}) AS "__outages"
      FROM (SELECT 1) AS one LEFT JOIN "Conversation" c ON c."id" = ${conversationId}`;
    const { __fresh: fresh, __customer: customer, __outages: outages, ...conv } = rows[0] as Record<string, unknown>;
    const conversation = conv.id === null || conv.id === undefined ? null : mapRow<Conversation>(conv, CONVERSATION_COLUMNS.dates, CONVERSATION_COLUMNS.json, CONVERSATION_COLUMNS.ints);
    const looked = conversation?.customerId != null || telegramId !== null;
    return {
      fresh: fresh === 1,
      conversation,
      customer: customer ? mapRow<Customer>(utcJsonDates(customer as Record<string, unknown>, CUSTOMER_DATES), CUSTOMER_DATES) : looked ? null : undefined,
      outages: (outages as Array<Record<string, unknown>>).map((o) => utcJsonDates(o, OUTAGE_JSON_DATES)),
    };
  }
  if (!(await markProcessed(tx, dedupeId))) return { fresh: false, conversation: null, customer: undefined, outages: [] };
  const conversation = await loadConversation(tx, conversationId);
  const customer = conversation?.customerId ? await customerById(tx, conversation.customerId)
    : telegramId !== null ? await customerByTelegramId(tx, telegramId) : undefined;
  const outages = await query<Record<string, unknown>>(tx)`SELECT * FROM "Outage" WHERE "status" <> ${'resolved'} ORDER BY "startedAt" DESC`;
  return { fresh: true, conversation, customer, outages };
}

/** An Outage's DateTime columns (to_json writes them without a zone: they are UTC). */
const OUTAGE_JSON_DATES = ['startedAt', 'estimatedEndAt', 'resolvedAt', 'createdAt', 'updatedAt'] as const;
