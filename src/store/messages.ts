/** The message history: every message in and out, and system records. */
import type { ReplyChoice } from '../engine/types.js';
import { exec, query } from './sql.js';
import type { DbClient, Message, Prisma } from './types.js';

export interface NewMessage {
  conversationId: string;
  channel: string;
  direction: 'in' | 'out' | 'system';
  kind: string;
  text: string;
  choices?: ReplyChoice[];
  platformMessageId?: string | null;
  status?: string | null;
  outboxId?: number | null;
  ticketId?: string | null;
  /** A system record's outcome of the session (the dashboard counts them). */
  outcome?: string | null;
  /** The customer's message that opened a session. */
  opensSession?: boolean;
  createdAt: Date;
}

export async function addMessage(db: DbClient, m: NewMessage): Promise<Message> {
  return db.message.create({
    data: {
      conversationId: m.conversationId,
      channel: m.channel,
      direction: m.direction,
      kind: m.kind,
      text: m.text,
      choices: m.choices ? (m.choices as unknown as Prisma.InputJsonValue) : undefined,
      platformMessageId: m.platformMessageId ?? null,
      status: m.status ?? null,
      outboxId: m.outboxId ?? null,
      ticketId: m.ticketId ?? null,
      createdAt: m.createdAt,
    },
  });
}

/**
 * Adds a message without reading it back: one raw statement (the dispatcher adds two on every
 * inbound event, and a raw statement costs the Prisma client about half a model query).
 */
export async function insertMessage(db: DbClient, m: NewMessage): Promise<void> {
  const choices = m.choices ? JSON.stringify(m.choices) : null;
  await exec(
    db,
  )`INSERT INTO "Message" ("conversationId", "ticketId", "direction", "channel", "kind", "text", "choices", "platformMessageId", "status", "outboxId", "outcome", "opensSession", "createdAt")
    VALUES (${m.conversationId}, ${m.ticketId ?? null}, ${m.direction}, ${m.channel}, ${m.kind}, ${m.text}, ${choices}, ${m.platformMessageId ?? null}, ${m.status ?? null}, ${m.outboxId ?? null}, ${m.outcome ?? null}, ${m.opensSession ?? false}, ${m.createdAt})`;
}

/** Attaches the conversation's messages since `since` that belong to no ticket yet to `ticketId`. */
export async function attachSessionToTicket(db: DbClient, conversationId: string, since: Date, ticketId: string): Promise<number> {
  const r = await db.message.updateMany({ where: { conversationId, ticketId: null, createdAt: { gte: since } }, data: { ticketId } });
  return r.count;
}

/** Records the outcome of delivering an outgoing message. */
export async function setDelivery(db: DbClient, outboxId: number, status: string, platformMessageId?: string | null): Promise<void> {
  // After every reply sent: raw, like insertMessage.
  if (platformMessageId) await exec(db)`UPDATE "Message" SET "status" = ${status}, "platformMessageId" = ${platformMessageId} WHERE "outboxId" = ${outboxId}`;
  else await exec(db)`UPDATE "Message" SET "status" = ${status} WHERE "outboxId" = ${outboxId}`;
}

/** The ticket of the history message an outbox item carries (null: none, or no such message). */
export async function ticketIdOfOutboxMessage(db: DbClient, outboxId: number): Promise<string | null> {
  return (await db.message.findFirst({ where: { outboxId }, select: { ticketId: true } }))?.ticketId ?? null;
}

/** A conversation's history, oldest first. */
export async function conversationHistory(db: DbClient, conversationId: string): Promise<Message[]> {
  return db.message.findMany({ where: { conversationId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

/**
 * Whether `messageId` (the message a button was on) asked an earlier question than the
 * conversation's latest message with buttons: its buttons differ from the latest ones. (The same
 * question asked again, after an answer that was not understood, keeps its buttons: its older
 * message still counts.) Not known, e.g. before the latest question's delivery is recorded: not stale.
 */
export async function askedEarlierQuestion(db: DbClient, conversationId: string, messageId: string): Promise<boolean> {
  const q = query<{ platformMessageId: string | null; choices: unknown }>(db);
  const [latest] = await q`SELECT "platformMessageId", "choices" FROM "Message"
    WHERE "conversationId" = ${conversationId} AND "direction" = ${'out'} AND "choices" IS NOT NULL AND "choices" <> ${'[]'} ORDER BY "id" DESC LIMIT 1`;
  if (!latest?.platformMessageId || latest.platformMessageId === messageId) return false;
  const [pressed] = await q`SELECT "platformMessageId", "choices" FROM "Message"
    WHERE "conversationId" = ${conversationId} AND "direction" = ${'out'} AND "platformMessageId" = ${messageId} ORDER BY "id" DESC LIMIT 1`;
  if (!pressed) return false;
  const ids = (choices: unknown) =>
    JSON.stringify((((typeof choices === 'string' ? JSON.parse(choices) : choices) as Array<{ id: string }> | null) ?? []).map((c) => c.id));
  return ids(pressed.choices) !== ids(latest.choices);
}

/** The conversation's latest message to the customer (the question it waits on), if any. */
export async function lastOutboundMessage(db: DbClient, conversationId: string): Promise<Message | null> {
  return db.message.findFirst({ where: { conversationId, direction: 'out' }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}
