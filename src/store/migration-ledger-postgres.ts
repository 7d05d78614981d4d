// Migration runner for PostgreSQL, straight through pg (no Prisma at run time).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { MigrationFile } from './migration-files.js';
import type { MigrationLedger, RecordedMigration } from './migration-ledger.js';

/**
 * The advisory lock key Prisma's schema engine takes for `migrate deploy`; taking the same one
 * keeps Linka processes and the Prisma CLI from migrating at the same time.
 */
const PRISMA_LOCK_KEY = 72707369;
const LOCK_WAIT = '60s';

// Prisma's DDL for PostgreSQL, verbatim (plus IF NOT EXISTS).
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

/** Connects, takes the migration lock (waiting up to a minute) and makes sure the table exists. */
export async function openPostgresLedger(url: string): Promise<MigrationLedger> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET lock_timeout = '${LOCK_WAIT}'`);
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_LOCK_KEY]);
    await client.query('RESET lock_timeout');
    await client.query(CREATE_TABLE);
  } catch (error) {
    await client.end().catch(() => {});
    throw new Error(`cannot take the migration lock on PostgreSQL: ${(error as Error).message}`, { cause: error });
  }

  return {
    async recorded() {
      const { rows } = await client.query<RecordedMigration>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at',
      );
      return rows;
    },
    async apply(migration: MigrationFile) {
      const startedAt = new Date();
      await client.query('BEGIN');
      try {
        // No parameters: pg uses the simple protocol, which runs a multi-statement script.
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, $4, 1)`,
          [randomUUID(), migration.checksum, migration.name, startedAt],
        );
        await client.query('COMMIT');
        return true;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    },
    async close() {
      // Ending the session releases the advisory lock too; unlocking first is just tidy.
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_LOCK_KEY]).catch(() => {});
      await client.end();
    },
  };
}
