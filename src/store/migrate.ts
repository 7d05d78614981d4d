// The in-app migrator run at start-up: applies prisma/<provider>/migrations without the Prisma
// CLI (fast, and no schema engine at run time), recording them in Prisma's `_prisma_migrations`
// table exactly as `prisma migrate deploy` would, so either may be used on the same database.
import { parseDatabaseUrl } from './database-url.js';
import { migrationsDir, readMigrations, type MigrationFile } from './migration-files.js';
import { MigrationError, type MigrationLedger, type RecordedMigration } from './migration-ledger.js';
import { openSqliteLedger } from './migration-ledger-sqlite.js';

export { MigrationError } from './migration-ledger.js';

/** Options of {@link applyMigrations}. */
export interface ApplyMigrationsOptions {
  /** Progress messages (one per applied migration). */
  log?: (msg: string) => void;
  /** Overrides the migrations folder (tests); defaults to prisma/<provider>/migrations. */
  migrationsDir?: string;
}

/**
 * Brings the database at `url` (`file:...` or `postgresql://...`) up to date with the committed
 * migrations, each in its own transaction. On PostgreSQL it holds Prisma's advisory lock while
 * it works, so processes starting together apply each migration once.
 *
 * @throws {MigrationError} when a recorded migration failed, lost its folder, or its checksum
 *   no longer matches the file (someone edited an applied migration).
 * @returns the names of the migrations applied by this call, in order.
 */
export async function applyMigrations(url: string, opts: ApplyMigrationsOptions = {}): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => {});
  const target = parseDatabaseUrl(url);
  const files = readMigrations(opts.migrationsDir ?? migrationsDir(target.provider));
  // pg is imported only for PostgreSQL (start-up time on SQLite).
  const ledger =
    target.provider === 'sqlite' ? openSqliteLedger(target.file) : await (await import('./migration-ledger-postgres.js')).openPostgresLedger(target.url);
  const applied: string[] = [];
  try {
    const recorded = await ledger.recorded();
    verify(files, recorded);
    const done = new Set(recorded.filter((r) => r.rolled_back_at == null).map((r) => r.migration_name));
    for (const migration of files.filter((f) => !done.has(f.name))) {
      const started = performance.now();
      if (await applyOne(ledger, migration)) {
        applied.push(migration.name);
        log(`applied migration ${migration.name} (${Math.round(performance.now() - started)} ms)`);
      }
    }
  } finally {
    await ledger.close();
  }
  return { applied };
}

async function applyOne(ledger: MigrationLedger, migration: MigrationFile): Promise<boolean> {
  try {
    return await ledger.apply(migration);
  } catch (error) {
    throw new MigrationError('migration_failed', `migration ${migration.name} failed and was rolled back: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** The rules `prisma migrate deploy` enforces, plus: no recorded migration may lose its folder. */
function verify(files: MigrationFile[], recorded: RecordedMigration[]): void {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const row of recorded) {
    if (row.rolled_back_at != null) continue;
    const file = byName.get(row.migration_name);
    if (row.finished_at == null) {
      throw new MigrationError(
        'migration_failed',
        `migration ${row.migration_name} is recorded as started but not finished (a failed \`prisma migrate deploy\`?); ` +
          'fix the database, then run `prisma migrate resolve --applied|--rolled-back` on it',
      );
    }
    if (!file) {
      throw new MigrationError(
        'migration_missing',
        `migration ${row.migration_name} is applied to the database but its folder is missing; ` +
          'this build is older than the database, or the folder was renamed or deleted',
      );
    }
    if (!file.acceptedChecksums.includes(row.checksum)) {
      throw new MigrationError(
        'migration_checksum_mismatch',
        `migration ${row.migration_name} was modified after it was applied (checksum ${row.checksum.slice(0, 12)}... ` +
          `recorded, ${file.checksum.slice(0, 12)}... on disk); restore the file and put changes in a new migration`,
      );
    }
  }
}
