/** Conversations: the engine state per chat, saved with optimistic concurrency. */
import type { ConversationState } from '../engine/types.js';
import { LinkaError } from '../errors.js';
import { exec, mapRow, query } from './sql.js';
import type { Conversation, DbClient, Prisma, Tx } from './types.js';

/** A Conversation row's DateTime, Json and Int columns (for mapRow). */
export const CONVERSATION_COLUMNS = { dates: ['sessionStartedAt', 'createdAt', 'updatedAt'], json: ['state'], ints: ['flowVersion', 'version'] } as const;

export async function loadConversation(db: DbClient, id: string): Promise<Conversation | null> {
  // Plain SQL (on every inbound event: store/sql.ts).
  const rows = await query<Record<string, unknown>>(db)`SELECT * FROM "Conversation" WHERE "id" = ${id}`;
  const { dates, json, ints } = CONVERSATION_COLUMNS;
  return rows[0] ? mapRow<Conversation>(rows[0], dates, json, ints) : null;
}

/** The stored state as the engine's type. */
export function stateOf(c: Conversation): ConversationState {
  return c.state as unknown as ConversationState;
}

/**
 * Saves the new state. `prev` is the row as loaded (null for a new conversation); when
 * another process saved in between, this throws `conversation_conflict` and the caller retries.
 */
export async function saveConversation(
  tx: Tx,
  args: { id: string; channel: string; prev: Conversation | null; state: ConversationState; customerId: string | null; now: Date; newSession: boolean },
): Promise<Conversation> {
  const { id, channel, prev, state, customerId, now, newSession } = args;
  const data = {
    flow: state.flow,
    step: state.step,
    flowVersion: state.flowVersion,
    state: state as unknown as Prisma.InputJsonValue,
    customerId,
  };
  // Plain SQL (saved on every inbound event: store/sql.ts).
  const json = JSON.stringify(state);
  if (!prev) {
    const at = new Date();
    await exec(tx)`INSERT INTO "Conversation" ("id", "channel", "customerId", "flow", "step", "flowVersion", "state", "sessionStartedAt", "version", "createdAt", "updatedAt")
      VALUES (${id}, ${channel}, ${customerId}, ${data.flow}, ${data.step}, ${data.flowVersion}, ${json}, ${now}, ${0}, ${at}, ${at})`;
    return { id, channel, ...data, state: JSON.parse(json) as Conversation['state'], sessionStartedAt: now, version: 0, createdAt: at, updatedAt: at };
  }
  // The version check is the optimistic lock.
  const session = newSession ? now : prev.sessionStartedAt;
  const count = await exec(tx)`UPDATE "Conversation" SET "flow" = ${data.flow}, "step" = ${data.step}, "flowVersion" = ${data.flowVersion}, "state" = ${json},
    "customerId" = ${customerId}, "version" = ${prev.version + 1}, "sessionStartedAt" = ${session}, "updatedAt" = ${new Date()} WHERE "id" = ${id} AND "version" = ${prev.version}`;
  if (count !== 1) throw new LinkaError('conversation_conflict', `conversation ${id} changed concurrently`);
  return { ...prev, ...data, state: data.state as Conversation['state'], version: prev.version + 1, sessionStartedAt: newSession ? now : prev.sessionStartedAt };
}
