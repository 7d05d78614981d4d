/**
 * The database types used everywhere. Both generated clients (SQLite and PostgreSQL)
 * have the same API; the SQLite one's types stand for both.
 */
import type { Prisma, PrismaClient } from '../generated/sqlite/client.js';

export type {
  Customer,
  Conversation,
  Message,
  Outage,
  OutboxItem,
  Ticket,
  TicketEvent,
  Timer,
  CalloutOffer as CalloutOfferRow,
  Consent,
} from '../generated/sqlite/client.js';
export type { PrismaClient, Prisma };

/** A client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;

/** Either a transaction client or the root client. */
export type DbClient = Tx | PrismaClient;

/** True when `err` is a unique-constraint violation: Prisma's, or the driver's (SQLite, PostgreSQL 23505) from the plain SQL of store/sql.ts. */
export function isUniqueViolation(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return code === 'P2002' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
