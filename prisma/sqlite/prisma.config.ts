// Prisma CLI config for the SQLite flavour (generate, migrate diff, migrate deploy), offline:
// the JS/WASM schema engine talks to the database through the better-sqlite3 driver adapter.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { defineConfig } from 'prisma/config';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '../..');

/** DATABASE_URL (relative paths against the cwd, as at run time), else ./data/linka.db in the project. */
function databaseFile(): string {
  const url = process.env.DATABASE_URL;
  if (!url) return path.join(projectRoot, 'data/linka.db');
  if (!url.startsWith('file:')) throw new Error(`DATABASE_URL must be a file: URL for the SQLite config, got "${url}"`);
  return path.resolve(url.slice('file:'.length).replace(/^\/\/(?=\/)/, '').split('?')[0]!);
}

/**
 * The engine replays migration scripts into the shadow database through parameterless
 * `executeRaw` calls, but better-sqlite3 runs one statement per call (P3006). Route them
 * through `executeScript`, which runs a whole script.
 */
function scriptAwareShadow(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    if (query.args.length > 0) return executeRaw(query);
    await adapter.executeScript(query.sql);
    return 0;
  };
  return adapter;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(here),
  migrations: { path: path.join(here, 'migrations') },
  async adapter(): Promise<SqlMigrationAwareDriverAdapterFactory> {
    const file = databaseFile();
    mkdirSync(path.dirname(file), { recursive: true });
    const factory = new PrismaBetterSQLite3({ url: `file:${file}` });
    return {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: () => factory.connect(),
      connectToShadowDb: async () => scriptAwareShadow(await factory.connectToShadowDb()),
    };
  },
});
