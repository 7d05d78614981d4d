// Opens Linka's database with the Prisma client generated for its provider.
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { PrismaClient as SqlitePrismaClient } from '../generated/sqlite/client.js';
import type BetterSqlite3 from 'better-sqlite3';
import { defaultDatabaseUrl, parseDatabaseUrl, type Provider } from './database-url.js';
import { registerPgClient, registerPgPool, registerSqliteClient, registerSqliteConnection, reportPgTransaction } from './sql.js';

export { defaultDatabaseUrl, parseDatabaseUrl, type Provider } from './database-url.js';
/** Model and input types (identical for both providers; the runtime null markers are shared too). */
export type { Prisma } from '../generated/sqlite/client.js';

/**
 * The Prisma client type used everywhere. Both providers' generated clients have the same API
 * (the models are shared); this is the SQLite one's type, and a PostgreSQL client is typed as it.
 */
export type PrismaClient = SqlitePrismaClient;

/** An open database. */
export interface Db {
  prisma: PrismaClient;
  provider: Provider;
  /** The URL it was opened with (may hold a password: do not log it). */
  url: string;
  /** Disconnects the client and closes the driver's connections. */
  close(): Promise<void>;
}

// Server settings, set on the one better-sqlite3 connection the adapter opens: WAL lets readers
// run beside the writer; NORMAL sync is safe with WAL; foreign keys are on in better-sqlite3
// builds already, but say so. busy_timeout comes from the driver's `timeout` option.
const SQLITE_PRAGMAS = 'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;';
const SQLITE_BUSY_TIMEOUT_MS = 10_000;
// Interactive transactions: Prisma's defaults (2 s to get a connection, 5 s to finish) fail
// work that is merely slow on a busy machine; these are the defaults of every transaction
// that does not set its own.
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 };

/**
 * Opens the database at `url` (default: `DATABASE_URL`, else `file:./data/linka.db`): SQLite
 * through better-sqlite3 for `file:` URLs, PostgreSQL through pg for `postgresql://` ones.
 * It does not migrate: call `applyMigrations(url)` first.
 *
 * @throws when the URL's scheme is neither (the message names DATABASE_URL).
 */
export async function openDatabase(url: string = defaultDatabaseUrl()): Promise<Db> {
  const target = parseDatabaseUrl(url);
  let prisma: PrismaClient;
  if (target.provider === 'sqlite') {
    const { mkdirSync } = await import('node:fs');
    const path = await import('node:path');
    mkdirSync(path.dirname(target.file), { recursive: true });
    const [{ PrismaClient: Client }, { PrismaBetterSQLite3 }] = await Promise.all([
      import('../generated/sqlite/client.js'),
      import('@prisma/adapter-better-sqlite3'),
    ]);
    const factory = new PrismaBetterSQLite3({ url: target.file, timeout: SQLITE_BUSY_TIMEOUT_MS });
    const adapter: SqlDriverAdapterFactory = {
      provider: factory.provider,
      adapterName: factory.adapterName,
      async connect() {
        const connection = await factory.connect();
        await connection.executeScript(SQLITE_PRAGMAS);
        // The hot path's plain SQL runs on this same connection (store/sql.ts).
        const raw = (connection as unknown as { client?: BetterSqlite3.Database }).client;
        if (raw) registerSqliteConnection(prisma, raw);
        return connection;
      },
    };
    prisma = new Client({ adapter, transactionOptions: TRANSACTION_OPTIONS });
    registerSqliteClient(prisma);
  } else {
    const [{ PrismaClient: Client }, { PrismaPg }] = await Promise.all([import('../generated/postgres/client.js'), import('@prisma/adapter-pg')]);
    const factory = new PrismaPg({ connectionString: target.url });
    // The hot path's plain SQL runs on the pool connection of Prisma's own transaction (store/sql.ts).
    const adapter: SqlDriverAdapterFactory = {
      provider: factory.provider,
      adapterName: factory.adapterName,
      async connect() {
        const connection = await factory.connect();
        // Root statements of the hot path go through pg on this same pool (store/sql.ts).
        const pool = (connection as unknown as { underlyingDriver?: () => unknown }).underlyingDriver?.();
        if (pool) registerPgPool(prisma, pool as import('pg').Pool);
        const start = connection.startTransaction.bind(connection);
        connection.startTransaction = async (isolationLevel) => {
          const tx = await start(isolationLevel);
          const client = (tx as unknown as { client?: import('pg').PoolClient }).client;
          if (client) reportPgTransaction(client);
          return tx;
        };
        return connection;
      },
    };
    prisma = new Client({ adapter, transactionOptions: TRANSACTION_OPTIONS }) as unknown as PrismaClient;
    registerPgClient(prisma);
  }
  return {
    prisma,
    provider: target.provider,
    url,
    close: () => prisma.$disconnect(),
  };
}

/** Answers within `ms` whether the database responds. */
export async function databaseAnswers(db: Db, ms = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const probe = db.prisma.$queryRawUnsafe('SELECT 1').then(
    () => true,
    () => false,
  );
  const ok = await Promise.race([probe, timeout]);
  clearTimeout(timer);
  return ok;
}
