// Prisma CLI config for the PostgreSQL flavour (generate, migrate diff, migrate deploy), offline:
// the JS/WASM schema engine talks to the database through the pg driver adapter.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { defineConfig } from 'prisma/config';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The database the CLI works on; there is no safe default server-side, so it must be given. */
function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(`DATABASE_URL must be a postgresql:// URL for the PostgreSQL config, got "${url ?? ''}"`);
  }
  return url;
}

// Workaround for prisma/orm#27403: the schema engine reads catalog columns of type "char" (18),
// name (19) and their arrays (1002, 1003), which adapter-pg cannot map. Report them as text / text[].
const TEXT_OIDS: Record<number, number> = { 18: 25, 19: 25, 1002: 1009, 1003: 1009 };
const getTypeParser = pg.types.getTypeParser as (oid: number, format: 'text') => (value: string) => unknown;
const parseTextArray = getTypeParser(1009, 'text');

type PerformIO = (query: unknown) => Promise<pg.QueryResult<unknown[]>>;

function withTextOids<T extends object>(queryable: T): T {
  const target = queryable as T & { performIO: PerformIO; startTransaction?: (...a: unknown[]) => Promise<object> };
  const performIO = target.performIO.bind(target);
  target.performIO = async (query) => {
    const result = await performIO(query);
    // A parameterless multi-statement script (shadow replay) yields an array of results.
    if (Array.isArray(result)) return result;
    result.fields.forEach((field, i) => {
      const oid = TEXT_OIDS[field.dataTypeID];
      if (oid === undefined) return;
      if (oid === 1009) {
        for (const row of result.rows) if (typeof row[i] === 'string') row[i] = parseTextArray(row[i] as string);
      }
      field.dataTypeID = oid;
    });
    return result;
  };
  const startTransaction = target.startTransaction?.bind(target);
  if (startTransaction) target.startTransaction = async (...a) => withTextOids(await startTransaction(...a));
  return queryable;
}

/**
 * adapter-pg's own connectToShadowDb ignores the database name when a connection string is
 * set, so it would replay the migrations into the real database. Create a uniquely named
 * shadow database on the same server instead, and drop it once the engine disposes of it.
 */
async function connectToShadowDb(url: string): Promise<SqlDriverAdapter> {
  const name = `linka_shadow_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const shadowUrl = new URL(url);
  shadowUrl.pathname = `/${name}`;
  const adapter = withTextOids(await new PrismaPg({ connectionString: shadowUrl.toString(), allowExitOnIdle: true }).connect());
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    const dropper = new pg.Client({ connectionString: url });
    await dropper.connect();
    try {
      await dropper.query(`DROP DATABASE IF EXISTS "${name}"`);
    } finally {
      await dropper.end();
    }
  };
  return adapter;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(here),
  migrations: { path: path.join(here, 'migrations') },
  async adapter(): Promise<SqlMigrationAwareDriverAdapterFactory> {
    const url = databaseUrl();
    // allowExitOnIdle: the CLI does not end the pool, whose idle client kept it alive ~10 s after a diff.
    const factory = new PrismaPg({ connectionString: url, allowExitOnIdle: true });
    return {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => withTextOids(await factory.connect()),
      connectToShadowDb: () => connectToShadowDb(url),
    };
  },
});
