// Throw-away databases for tests: a temp SQLite file, or a uniquely named PostgreSQL database
// on the server at LINKA_TEST_PG_URL (each run gets its own; none is ever shared).
import { afterEach, beforeEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Db, type Provider } from '../../src/store/client.js';
import { applyMigrations } from '../../src/store/migrate.js';

/** The PostgreSQL server tests use: env LINKA_TEST_PG_URL, default the local trust-auth server. */
export function testPgUrl(): string {
  return process.env.LINKA_TEST_PG_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
}

let available: Promise<boolean> | undefined;

/**
 * Whether the test PostgreSQL server answers. Under CI (env `CI` set) it must: then a server
 * that is down throws instead of returning false, so PostgreSQL tests fail rather than skip.
 * `LINKA_TEST_SKIP_PG=1` (mutation testing only) skips them on purpose.
 */
export function pgAvailable(): Promise<boolean> {
  // `npm run mutate` runs the SQLite variants only (vitest.mutate.config.ts).
  if (process.env.LINKA_TEST_SKIP_PG === '1') return Promise.resolve(false);
  available ??= (async () => {
    const client = new pg.Client({ connectionString: testPgUrl(), connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch (error) {
      if (process.env.CI) {
        throw new Error(`CI is set, so PostgreSQL at ${testPgUrl()} must be available: ${(error as Error).message}`);
      }
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return available;
}

/** An empty database (not migrated) and how to remove it. */
export interface EmptyDatabase {
  url: string;
  drop(): Promise<void>;
}

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testPgUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty database: a fresh temp SQLite file, or a new database on the test server. */
export async function createEmptyDatabase(provider: Provider): Promise<EmptyDatabase> {
  if (provider === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'linka-test-'));
    return { url: `file:${path.join(dir, 'linka.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `linka_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer(`CREATE DATABASE "${name}"`);
  const url = new URL(testPgUrl());
  url.pathname = `/${name}`;
  // FORCE (PostgreSQL 13+) ends sessions a failed test may have left open.
  return { url: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** A migrated, open database for one test (file or suite); `drop()` closes and removes it. */
export async function createTestDatabase(provider: Provider): Promise<{ db: Db; url: string; drop(): Promise<void> }> {
  const empty = await createEmptyDatabase(provider);
  try {
    await applyMigrations(empty.url);
    const db = await openDatabase(empty.url);
    return {
      db,
      url: empty.url,
      async drop() {
        await db.close();
        await empty.drop();
      },
    };
  } catch (error) {
    await empty.drop();
    throw error;
  }
}

/**
 * A new migrated database for each test of the calling suite (seeded by `seed`), dropped after
 * the test: call it in a describe block, and read the database with the function it returns.
 */
export function databaseForEachTest(provider: Provider = 'sqlite', seed?: (db: Db) => Promise<void>): () => Db {
  let current: { db: Db; drop(): Promise<void> } | null = null;
  beforeEach(async () => {
    current = await createTestDatabase(provider);
    await seed?.(current.db);
  });
  afterEach(async () => {
    await current?.drop();
    current = null;
  });
  return () => {
    if (!current) throw new Error('databaseForEachTest: no database outside a test');
    return current.db;
  };
}
