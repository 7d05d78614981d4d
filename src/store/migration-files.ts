// The committed migrations: prisma/<provider>/migrations/<timestamp>_<name>/migration.sql.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { providerFolder, type Provider } from './database-url.js';

/** One migration folder, read from disk. */
export interface MigrationFile {
  /** The folder name, e.g. `20261122000000_init`; also `_prisma_migrations.migration_name`. */
  name: string;
  sql: string;
  /** sha256 hex of the file, as Prisma records it. */
  checksum: string;
  /** Checksums this file also matches (line endings changed by git), as Prisma accepts them. */
  acceptedChecksums: string[];
}

const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

/**
 * The migrations folder of a provider. Found by walking up from this module to the project
 * root, so it works from `src/` (tsx) and from a compiled `dist/src/`.
 */
export function migrationsDir(provider: Provider): string {
  const relative = path.join('prisma', providerFolder(provider), 'migrations');
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${relative} above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** Reads every migration folder in `dir`, in name order (the order Prisma applies them). */
export function readMigrations(dir: string): MigrationFile[] {
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return folders.map((name) => {
    const file = path.join(dir, name, 'migration.sql');
    if (!existsSync(file)) throw new Error(`migration folder ${name} in ${dir} has no migration.sql`);
    const bytes = readFileSync(file);
    const sql = bytes.toString('utf8');
    const checksum = sha256(bytes);
    const acceptedChecksums = [checksum, sha256(sql.replace(/\r\n/g, '\n')), sha256(sql.replace(/\r?\n/g, '\r\n'))];
    return { name, sql, checksum, acceptedChecksums };
  });
}
