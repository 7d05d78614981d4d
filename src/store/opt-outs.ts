/** Opt-outs (SMS STOP): addresses that receive nothing but the confirmation. */
import { read } from './sql.js';
import type { DbClient } from './types.js';

export async function setOptOut(db: DbClient, conversationId: string, channel: string, optedOut: boolean, now: Date): Promise<void> {
  if (optedOut) {
    await db.optOut.upsert({ where: { conversationId }, create: { conversationId, channel, createdAt: now }, update: {} });
  } else {
    await db.optOut.deleteMany({ where: { conversationId } });
  }
}

export async function isOptedOut(db: DbClient, conversationId: string): Promise<boolean> {
  // Asked before every reply is sent: plain SQL, directly on SQLite's connection (store/sql.ts).
  const rows = await read<unknown>(db)`SELECT 1 AS "optedOut" FROM "OptOut" WHERE "conversationId" = ${conversationId} LIMIT 1`;
  return rows.length > 0;
}

/** Every opted-out address ("sms:+420..."), for a fan-out that must leave them out. */
export async function optedOutConversations(db: DbClient): Promise<Set<string>> {
  return new Set((await db.optOut.findMany({ select: { conversationId: true } })).map((x) => x.conversationId));
}
