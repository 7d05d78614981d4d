// Parses DATABASE_URL into what the store needs: which provider, and where.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LinkaError } from '../errors.js';

/** The database engines Linka runs on. */
export type Provider = 'sqlite' | 'postgresql';

/** A parsed database URL. `file` is the absolute path of the SQLite file. */
export type DatabaseTarget = { provider: 'sqlite'; url: string; file: string } | { provider: 'postgresql'; url: string };

/** The default database: `DATABASE_URL`, else SQLite at `./data/linka.db` (relative to the cwd). */
export function defaultDatabaseUrl(): string {
  return process.env.DATABASE_URL || 'file:./data/linka.db';
}

/**
 * Parses a `file:` (SQLite; a relative path is resolved against `process.cwd()`, as Prisma
 * does) or `postgresql://` / `postgres://` URL. Anything else throws an error naming DATABASE_URL.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('file:')) {
    const withoutQuery = url.split('?')[0] ?? url;
    const raw = withoutQuery.startsWith('file://') ? fileURLToPath(withoutQuery) : withoutQuery.slice('file:'.length);
    if (!raw || raw === ':memory:') {
      throw new LinkaError('bad_database_url', `DATABASE_URL "${url}" must name a SQLite file (file:./data/linka.db)`);
    }
    return { provider: 'sqlite', url, file: path.resolve(raw) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const schema = new URL(url).searchParams.get('schema');
    if (schema && schema !== 'public') {
      throw new LinkaError('bad_database_url', `DATABASE_URL: ?schema=${schema} is not supported; Linka uses the "public" schema`);
    }
    return { provider: 'postgresql', url };
  }
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '(none)';
  throw new LinkaError(
    'bad_database_url',
    `DATABASE_URL has an unsupported scheme ${scheme}: use file:./data/linka.db (SQLite) or postgresql://user@host:5432/db`,
  );
}

/** The folder under prisma/ holding a provider's schema and migrations. */
export function providerFolder(provider: Provider): 'sqlite' | 'postgres' {
  return provider === 'sqlite' ? 'sqlite' : 'postgres';
}
