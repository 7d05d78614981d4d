/** Delivery reports: finding an outgoing message by the platform's id, and sending one again. */
import type { DbClient, Message, OutboxItem, Prisma, Tx } from './types.js';

/** The outgoing message the platform knows as `platformMessageId` (the latest, should ids ever repeat). */
export async function outgoingByPlatformId(db: DbClient, platformMessageId: string): Promise<Message | null> {
  return db.message.findFirst({ where: { platformMessageId, direction: 'out' }, orderBy: { id: 'desc' } });
}

export async function messageById(db: DbClient, id: number): Promise<Message | null> {
  return db.message.findUnique({ where: { id } });
}

export async function setMessageStatus(db: DbClient, id: number, status: string): Promise<void> {
  await db.message.update({ where: { id }, data: { status } });
}

export async function outboxItemById(db: DbClient, id: number): Promise<OutboxItem | null> {
  return db.outboxItem.findUnique({ where: { id } });
}

interface RedeliveryPayload {
  /** The outbox item this one sends again. */
  redeliveryOf?: number;
}

/** True when the item is itself a second attempt at an undelivered message. */
export function isRedelivery(item: OutboxItem): boolean {
  return typeof (item.payload as RedeliveryPayload | null)?.redeliveryOf === 'number';
}

/**
 * Queues `item`'s effect once more, due at `nextAttemptAt`, and points the message at the new
 * item, so the outbox's delivery result (and the new platform id) lands on the same message.
 */
export async function requeue(tx: Tx, args: { message: Message; item: OutboxItem; status: string; now: Date; nextAttemptAt: Date }): Promise<OutboxItem> {
  const { message, item, status, now, nextAttemptAt } = args;
  const payload = { ...(item.payload as Record<string, unknown>), redeliveryOf: item.id };
  const again = await tx.outboxItem.create({
    data: { kind: item.kind, channel: item.channel, target: item.target, payload: payload as Prisma.InputJsonValue, nextAttemptAt, createdAt: now },
  });
  await tx.message.update({ where: { id: message.id }, data: { status, outboxId: again.id } });
  return again;
}
