// The shape shared by the SQLite and PostgreSQL migration runners: Prisma's own
// `_prisma_migrations` table, so `prisma migrate deploy` and Linka agree on what is applied.
import { LinkaError } from '../errors.js';
import type { MigrationFile } from './migration-files.js';

/** A row of `_prisma_migrations`, as far as the migrator needs it. */
export interface RecordedMigration {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/** One open connection to a database being migrated. */
export interface MigrationLedger {
  /** Every recorded migration (including rolled-back ones), oldest first. */
  recorded(): Promise<RecordedMigration[]>;
  /**
   * Runs the migration and records it, in one transaction. Returns false (and changes nothing)
   * when another process recorded it meanwhile.
   */
  apply(migration: MigrationFile): Promise<boolean>;
  close(): Promise<void>;
}

/** The error of a migration run; `code` says which rule was broken. */
export class MigrationError extends LinkaError {
  constructor(code: 'migration_checksum_mismatch' | 'migration_missing' | 'migration_failed', message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'MigrationError';
  }
}
