// Migration runner for SQLite, straight through better-sqlite3 (no Prisma at run time).
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { MigrationFile } from './migration-files.js';
import type { MigrationLedger, RecordedMigration } from './migration-ledger.js';

// Prisma's DDL for SQLite, verbatim (plus IF NOT EXISTS).
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** The text format Prisma's SQLite adapter writes for DateTime: `2026-11-22T00:04:27.663+00:00`. */
const timestamp = (): string => new Date().toISOString().replace('Z', '+00:00');

/** Opens (creating the file and its folder if needed) a SQLite database for migrating. */
export function openSqliteLedger(file: string): MigrationLedger {
  mkdirSync(path.dirname(file), { recursive: true });
  // timeout = busy_timeout: a second process starting at the same time waits for the first.
  const db = new Database(file, { timeout: 15_000 });
  db.exec(CREATE_TABLE);
  const isRecorded = db.prepare('SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND rolled_back_at IS NULL');
  const insert = db.prepare(
    `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
     VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
  );

  return {
    async recorded() {
      return db
        .prepare('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at')
        .all() as RecordedMigration[];
    },
    async apply(migration: MigrationFile) {
      // PRAGMA foreign_keys is a no-op inside a transaction, so it is switched off around it:
      // Prisma's table redefinitions (copy, DROP TABLE, rename) would otherwise fire ON DELETE
      // CASCADE and empty the child tables. The check below replaces the enforcement.
      db.pragma('foreign_keys = OFF');
      try {
        db.exec('BEGIN IMMEDIATE');
        try {
          if (isRecorded.get(migration.name)) {
            db.exec('ROLLBACK');
            return false;
          }
          const startedAt = timestamp();
          db.exec(migration.sql);
          const violations = db.pragma('foreign_key_check') as unknown[];
          if (violations.length > 0) {
            throw new Error(`leaves ${violations.length} foreign key violation(s), e.g. ${JSON.stringify(violations[0])}`);
          }
          insert.run(randomUUID(), migration.checksum, timestamp(), migration.name, startedAt);
          db.exec('COMMIT');
          return true;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      } finally {
        db.pragma('foreign_keys = ON');
      }
    },
    async close() {
      db.close();
    },
  };
}
