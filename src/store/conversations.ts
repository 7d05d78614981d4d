/** Conversations: the engine state per chat, saved with optimistic concurrency. */
import type { ConversationState } from '../engine/types.js';
import { LinkaError } from '../errors.js';
import type { Conversation, DbClient, Prisma, Tx } from './types.js';

export async function loadConversation(db: DbClient, id: string): Promise<Conversation | null> {
  return db.conversation.findUnique({ where: { id } });
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
  if (!prev) {
    return tx.conversation.create({ data: { id, channel, ...data, sessionStartedAt: now } });
  }
  // Raw (saved on every inbound event): the version check is the optimistic lock.
  const json = JSON.stringify(state);
  const session = newSession ? now : prev.sessionStartedAt;
  const count = await tx.$executeRaw`UPDATE "Conversation" SET "flow" = ${data.flow}, "step" = ${data.step}, "flowVersion" = ${data.flowVersion}, "state" = ${json},
    "customerId" = ${customerId}, "version" = ${prev.version + 1}, "sessionStartedAt" = ${session}, "updatedAt" = ${new Date()} WHERE "id" = ${id} AND "version" = ${prev.version}`;
  if (count !== 1) throw new LinkaError('conversation_conflict', `conversation ${id} changed concurrently`);
  return { ...prev, ...data, state: data.state as Conversation['state'], version: prev.version + 1, sessionStartedAt: newSession ? now : prev.sessionStartedAt };
}
