/**
 * The database types used everywhere. Both generated clients (SQLite and PostgreSQL)
 * have the same API; the SQLite one's types stand for both.
 */
import type { Prisma, PrismaClient } from '../generated/sqlite/client.js';

export type { Customer, Conversation, Message, OutboxItem, Ticket, TicketEvent, Timer, CalloutOffer as CalloutOfferRow, Consent } from '../generated/sqlite/client.js';
export type { PrismaClient, Prisma };

/** A client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;

/** Either a transaction client or the root client. */
export type DbClient = Tx | PrismaClient;

/** True when `err` is Prisma's unique-constraint violation. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}
