/** Conversations: the engine state per chat, saved with optimistic concurrency. */
import type { ConversationState, Lang } from '../engine/types.js';
import { LinkaError } from '../errors.js';
import { insertMessage, type NewMessage } from './messages.js';
import { enqueue } from './outbox.js';
import { exec, isDirectPg, mapRow, query } from './sql.js';
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
  args: {
    id: string;
    channel: string;
    prev: Conversation | null;
    state: ConversationState;
    customerId: string | null;
    now: Date;
    newSession: boolean;
    /** Whether the customer has written in the session that goes on after this turn. */
    sessionOpened?: boolean;
  },
): Promise<Conversation> {
  const { id, channel, prev, state, customerId, now, newSession } = args;
  const opened = args.sessionOpened ?? false;
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
    await exec(
      tx,
    )`INSERT INTO "Conversation" ("id", "channel", "customerId", "flow", "step", "flowVersion", "state", "sessionStartedAt", "sessionOpened", "version", "createdAt", "updatedAt")
      VALUES (${id}, ${channel}, ${customerId}, ${data.flow}, ${data.step}, ${data.flowVersion}, ${json}, ${now}, ${opened}, ${0}, ${at}, ${at})`;
    return {
      id,
      channel,
      ...data,
      state: JSON.parse(json) as Conversation['state'],
      sessionStartedAt: now,
      sessionOpened: opened,
      version: 0,
      createdAt: at,
      updatedAt: at,
    };
  }
  // The version check is the optimistic lock.
  const session = newSession ? now : prev.sessionStartedAt;
  const count = await exec(tx)`UPDATE "Conversation" SET "flow" = ${data.flow}, "step" = ${data.step}, "flowVersion" = ${data.flowVersion}, "state" = ${json},
    "customerId" = ${customerId}, "version" = ${prev.version + 1}, "sessionStartedAt" = ${session}, "sessionOpened" = ${opened}, "updatedAt" = ${new Date()} WHERE "id" = ${id} AND "version" = ${prev.version}`;
  if (count !== 1) throw new LinkaError('conversation_conflict', `conversation ${id} changed concurrently`);
  return {
    ...prev,
    ...data,
    state: data.state as Conversation['state'],
    version: prev.version + 1,
    sessionStartedAt: newSession ? now : prev.sessionStartedAt,
    sessionOpened: opened,
  };
}

/** A reply to queue with the conversation's save: its outbox payload and its history message. */
export interface QueuedReply {
  payload: unknown;
  message: Omit<NewMessage, 'outboxId' | 'conversationId' | 'channel' | 'direction' | 'createdAt'>;
}

/**
 * Saves the state of a conversation that exists (`prev`), and queues `replies` to it (outbox
 * item and history message each, in order). On PostgreSQL through pg one statement does it all
 * (one round trip where there were 1 + replies; a conflicting save writes nothing and throws);
 * elsewhere saveConversation, then enqueue and insertMessage for each reply.
 */
export async function saveConversationAndQueue(
  tx: Tx,
  args: {
    id: string;
    channel: string;
    prev: Conversation;
    state: ConversationState;
    customerId: string | null;
    now: Date;
    newSession: boolean;
    sessionOpened?: boolean;
  },
  replies: readonly QueuedReply[],
): Promise<void> {
  const { id, channel, prev, state, customerId, now, newSession } = args;
  if (!isDirectPg(tx) || replies.length === 0) {
    await saveConversation(tx, args);
    for (const r of replies) {
      const item = await enqueue(tx, { kind: 'reply', channel, target: id, payload: r.payload, now });
      await insertMessage(tx, { ...r.message, conversationId: id, channel, direction: 'out', outboxId: item.id, createdAt: now });
    }
    return;
  }
  const list = JSON.stringify(
    replies.map((r, ord) => ({
      ord,
      payload: r.payload,
      text: r.message.text,
      kind: r.message.kind,
      choices: r.message.choices ?? null,
      status: r.message.status ?? null,
      ticketId: r.message.ticketId ?? null,
    })),
  );
  const session = newSession ? now : prev.sessionStartedAt;
  const rows = await query<{ saved: number }>(
    tx,
  )`WITH u AS (UPDATE "Conversation" SET "flow" = ${state.flow}, "step" = ${state.step}, "flowVersion" = ${state.flowVersion}, "state" = ${JSON.stringify(state)},
        "customerId" = ${customerId}, "version" = ${prev.version + 1}, "sessionStartedAt" = ${session}, "sessionOpened" = ${args.sessionOpened ?? false},
        "updatedAt" = ${new Date()} WHERE "id" = ${id} AND "version" = ${prev.version} RETURNING 1),
      r AS (SELECT x.*, nextval(pg_get_serial_sequence('"OutboxItem"', 'id'))::int AS "oid"
        FROM json_to_recordset(${list}::json) AS x("ord" int, "payload" jsonb, "text" text, "kind" text, "choices" jsonb, "status" text, "ticketId" text)
        WHERE EXISTS (SELECT 1 FROM u) ORDER BY x."ord"),
      o AS (INSERT INTO "OutboxItem" ("id", "kind", "channel", "target", "payload", "status", "attempts", "nextAttemptAt", "createdAt")
        SELECT r."oid", 'reply', ${channel}::text, ${id}::text, r."payload", 'pending', 0, ${now}::timestamp(3), ${now}::timestamp(3) FROM r),
      m AS (INSERT INTO "Message" ("conversationId", "ticketId", "direction", "channel", "kind", "text", "choices", "status", "outboxId", "createdAt")
        SELECT ${id}::text, r."ticketId", 'out', ${channel}::text, r."kind", r."text", r."choices", r."status", r."oid", ${now}::timestamp(3) FROM r ORDER BY r."ord")
    SELECT (SELECT count(*) FROM u)::int AS "saved"`;
  if (rows[0]?.saved !== 1) throw new LinkaError('conversation_conflict', `conversation ${id} changed concurrently`);
}

/**
 * Creates a conversation (saveConversation with no `prev`) with the first message of its
 * history, if any. On PostgreSQL through pg one statement (a data-modifying WITH) does both.
 */
export async function createConversation(
  tx: Tx,
  args: { id: string; channel: string; state: ConversationState; customerId: string | null; now: Date },
  first: NewMessage | null,
): Promise<Conversation> {
  if (!first || !isDirectPg(tx)) {
    const conv = await saveConversation(tx, { ...args, prev: null, newSession: false });
    if (first) await insertMessage(tx, first);
    return conv;
  }
  const { id, channel, state, customerId, now } = args;
  const json = JSON.stringify(state);
  const at = new Date();
  const m = first;
  await exec(
    tx,
  )`WITH c AS (INSERT INTO "Conversation" ("id", "channel", "customerId", "flow", "step", "flowVersion", "state", "sessionStartedAt", "version", "createdAt", "updatedAt")
      VALUES (${id}, ${channel}, ${customerId}, ${state.flow}, ${state.step}, ${state.flowVersion}, ${json}, ${now}, ${0}, ${at}, ${at}) RETURNING "id")
    INSERT INTO "Message" ("conversationId", "ticketId", "direction", "channel", "kind", "text", "choices", "platformMessageId", "status", "outboxId", "outcome", "opensSession", "createdAt")
      SELECT c."id", ${m.ticketId ?? null}::text, ${m.direction}::text, ${m.channel}::text, ${m.kind}::text, ${m.text}::text, ${m.choices ? JSON.stringify(m.choices) : null}::jsonb,
        ${m.platformMessageId ?? null}::text, ${m.status ?? null}::text, ${m.outboxId ?? null}::int, ${m.outcome ?? null}::text, ${m.opensSession ?? false}::boolean, ${m.createdAt}::timestamp(3) FROM c`;
  return {
    id,
    channel,
    customerId,
    flow: state.flow,
    step: state.step,
    flowVersion: state.flowVersion,
    state: JSON.parse(json) as Conversation['state'],
    sessionStartedAt: now,
    sessionOpened: false,
    version: 0,
    createdAt: at,
    updatedAt: at,
  };
}

/** The channel of a conversation ("telegram", "sms"...), or null when there is no such conversation. */
export async function conversationChannel(db: DbClient, id: string): Promise<string | null> {
  return (await db.conversation.findUnique({ where: { id }, select: { channel: true } }))?.channel ?? null;
}

/** The language a conversation speaks now (its engine state's), if known. */
export async function conversationLang(db: DbClient, id: string): Promise<Lang | undefined> {
  const conv = await db.conversation.findUnique({ where: { id }, select: { state: true } });
  return (conv?.state as unknown as ConversationState | undefined)?.lang;
}

/** The languages these conversations speak now, by id (a conversation missing or without one: undefined). */
export async function conversationLangs(db: DbClient, ids: readonly string[]): Promise<Map<string, Lang | undefined>> {
  const states = await db.conversation.findMany({ where: { id: { in: [...ids] } }, select: { id: true, state: true } });
  return new Map(states.map((c) => [c.id, (c.state as { lang?: Lang } | null)?.lang]));
}
