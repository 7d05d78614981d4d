/** De-duplication of inbound events by the platform's own id. */
import { exec } from './sql.js';
import type { DbClient, Tx } from './types.js';

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
