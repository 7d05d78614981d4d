// The store's foundations on both providers: migrations match the models, the in-app migrator
// keeps Prisma's ledger honest, and the client reads back what it writes.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, parseDatabaseUrl, type Provider } from '../src/store/client.js';
import { applyMigrations } from '../src/store/migrate.js';
import { migrationsDir, readMigrations } from '../src/store/migration-files.js';
import { createEmptyDatabase, createTestDatabase, pgAvailable, testPgUrl, type EmptyDatabase } from './helpers/db.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PG = await pgAvailable();
const providers: { provider: Provider; folder: string; skip: boolean }[] = [
  { provider: 'sqlite', folder: 'sqlite', skip: false },
  { provider: 'postgresql', folder: 'postgres', skip: !PG },
];

/** Runs the Prisma CLI (offline config of one provider); resolves to its exit code and output. */
function prisma(folder: string, args: string[], databaseUrl: string): Promise<{ code: number; output: string }> {
  const config = path.join(root, 'prisma', folder, 'prisma.config.ts');
  const env = { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'node_modules/prisma/build/index.js'), ...args, '--config', config],
      { cwd: root, env },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** Runs SQL on the database at `url` through the raw driver; returns the rows. */
async function sql(url: string, text: string): Promise<Record<string, unknown>[]> {
  if (url.startsWith('file:')) {
    const db = new Database(url.slice('file:'.length));
    try {
      const stmt = db.prepare(text);
      if (stmt.reader) return stmt.all() as Record<string, unknown>[];
      stmt.run();
      return [];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

async function tables(url: string): Promise<string[]> {
  const rows = url.startsWith('file:')
    ? await sql(url, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    : await sql(url, "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'");
  return rows.map((r) => String(r.name)).sort();
}

/** A copy of the committed migrations plus extra ones, for tests that need a different history. */
function migrationsWith(provider: Provider, extra: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'linka-migrations-'));
  cpSync(migrationsDir(provider), dir, { recursive: true });
  for (const [name, script] of Object.entries(extra)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'migration.sql'), script);
  }
  return dir;
}

describe.each(providers)('$provider', ({ provider, folder, skip }) => {
  describe.skipIf(skip)('migrations', () => {
    it('match the models (no drift)', async () => {
      const scratch = mkdtempSync(path.join(tmpdir(), 'linka-drift-'));
      // The diff only needs the shadow database; on SQLite point the CLI at a scratch file.
      const url = provider === 'sqlite' ? `file:${path.join(scratch, 'scratch.db')}` : testPgUrl();
      const schemaDir = path.join(root, 'prisma', folder);
      const { code, output } = await prisma(
        folder,
        ['migrate', 'diff', '--from-migrations', path.join(schemaDir, 'migrations'), '--to-schema-datamodel', schemaDir, '--script', '--exit-code'],
        url,
      );
      rmSync(scratch, { recursive: true, force: true });
      // 0 = no difference, 2 = the models changed without a migration (`npm run db:migration -- <name>`).
      expect(code, `prisma migrate diff exited with ${code}:\n${output}`).toBe(0);
    }, 30_000);
  });

  describe.skipIf(skip)('applyMigrations', () => {
    let empty: EmptyDatabase;
    const dirs: string[] = [];
    beforeAll(async () => {
      empty = await createEmptyDatabase(provider);
    });
    afterAll(async () => {
      await empty?.drop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it('creates the tables once, then applies nothing', async () => {
      const first = await applyMigrations(empty.url);
      expect(first.applied).toContain('20261122000000_init');
      expect(await tables(empty.url)).toEqual(expect.arrayContaining(['Customer', 'CustomerPhone', 'OutboxItem', '_prisma_migrations']));
      expect(await applyMigrations(empty.url)).toEqual({ applied: [] });
    });

    it('is recognised by `prisma migrate status` as up to date', async () => {
      const { code, output } = await prisma(folder, ['migrate', 'status'], empty.url);
      expect(code, output).toBe(0);
      expect(output).toContain('Database schema is up to date');
    }, 30_000);

    it('rolls a failing migration back and records nothing', async () => {
      const dir = migrationsWith(provider, { '29990101000000_broken': 'CREATE TABLE "Half" ("id" INTEGER);\nSELECT nonsense(;\n' });
      dirs.push(dir);
      await expect(applyMigrations(empty.url, { migrationsDir: dir })).rejects.toMatchObject({ code: 'migration_failed' });
      expect(await tables(empty.url)).not.toContain('Half');
      expect(await sql(empty.url, `SELECT 1 FROM _prisma_migrations WHERE migration_name = '29990101000000_broken'`)).toEqual([]);
    });

    it('refuses a migration whose file changed after it was applied', async () => {
      await sql(empty.url, `UPDATE _prisma_migrations SET checksum = '${'0'.repeat(64)}' WHERE migration_name = '20261122000000_init'`);
      await expect(applyMigrations(empty.url)).rejects.toMatchObject({
        code: 'migration_checksum_mismatch',
        message: expect.stringContaining('20261122000000_init'),
      });
    });

    it('refuses a database with an applied migration this build does not have', async () => {
      await sql(
        empty.url,
        `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
         VALUES ('ghost', '${'1'.repeat(64)}', CURRENT_TIMESTAMP, '29990101000000_from_the_future', CURRENT_TIMESTAMP, 1)`,
      );
      await sql(empty.url, `DELETE FROM _prisma_migrations WHERE migration_name = '20261122000000_init'`);
      await expect(applyMigrations(empty.url)).rejects.toMatchObject({ code: 'migration_missing' });
    });
  });

  describe.skipIf(skip)('openDatabase', () => {
    let opened: Awaited<ReturnType<typeof createTestDatabase>>;
    beforeAll(async () => {
      opened = await createTestDatabase(provider);
    });
    afterAll(async () => {
      await opened?.drop();
    });

    it('writes and reads a customer with a phone, and JSON', async () => {
      const { prisma } = opened.db;
      expect(opened.db.provider).toBe(provider);
      const customer = await prisma.customer.create({
        data: { contractNumber: 'K-1001', name: 'Jana Nováková', phones: { create: { e164: '+420601234567' } } },
      });
      const answers = { restarted: true, lights: ['power', 'los'], note: 'žluťoučký kůň', nested: { n: 1.5, none: null } };
      await prisma.ticket.create({ data: { number: 'T-2026-00001', category: 'internet', answers, summary: 'No internet', customerId: customer.id } });
      const found = await prisma.customer.findUniqueOrThrow({ where: { contractNumber: 'K-1001' }, include: { phones: true, tickets: true } });
      expect(found.phones.map((p) => p.e164)).toEqual(['+420601234567']);
      expect(found.tickets[0]?.answers).toEqual(answers);
      expect(found.createdAt).toBeInstanceOf(Date);
      await prisma.customer.delete({ where: { id: customer.id } });
      expect(await prisma.customerPhone.count()).toBe(0); // ON DELETE CASCADE works
    });
  });
});

describe('SQLite table redefinitions', () => {
  it('do not cascade-delete child rows (foreign keys are off around the transaction)', async () => {
    const empty = await createEmptyDatabase('sqlite');
    await applyMigrations(empty.url);
    await sql(empty.url, `INSERT INTO "Customer" (id, "contractNumber", name, "updatedAt") VALUES ('c1', 'K-1', 'Jana', CURRENT_TIMESTAMP)`);
    await sql(empty.url, `INSERT INTO "CustomerPhone" (id, "customerId", e164) VALUES ('p1', 'c1', '+420601234567')`);
    const [{ sql: create }] = (await sql(empty.url, `SELECT sql FROM sqlite_master WHERE name = 'Customer'`)) as [{ sql: string }];
    // What Prisma emits when SQLite cannot ALTER a column: copy, DROP the old table, rename.
    const redefine = [
      'PRAGMA defer_foreign_keys=ON;',
      'PRAGMA foreign_keys=OFF;',
      `${create.replace('"Customer"', '"new_Customer"')};`,
      'INSERT INTO "new_Customer" SELECT * FROM "Customer";',
      'DROP TABLE "Customer";',
      'ALTER TABLE "new_Customer" RENAME TO "Customer";',
      'PRAGMA foreign_keys=ON;',
      'PRAGMA defer_foreign_keys=OFF;',
    ].join('\n');
    const dir = migrationsWith('sqlite', { '29990101000000_redefine_customer': redefine });
    try {
      expect((await applyMigrations(empty.url, { migrationsDir: dir })).applied).toEqual(['29990101000000_redefine_customer']);
      expect(await sql(empty.url, 'SELECT id FROM "CustomerPhone"')).toEqual([{ id: 'p1' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await empty.drop();
    }
  });
});

describe.skipIf(!PG)('PostgreSQL, two processes starting at once', () => {
  it('apply each migration once (advisory lock)', async () => {
    const empty = await createEmptyDatabase('postgresql');
    try {
      const results = await Promise.all([applyMigrations(empty.url), applyMigrations(empty.url), applyMigrations(empty.url)]);
      const all = readMigrations(migrationsDir('postgresql')).map((m) => m.name);
      expect(results.flatMap((r) => r.applied).sort()).toEqual(all);
    } finally {
      await empty.drop();
    }
  });
});

describe('database URLs', () => {
  it('resolve relative SQLite paths against the cwd, and name DATABASE_URL when unusable', async () => {
    expect(parseDatabaseUrl('file:./data/linka.db')).toMatchObject({ provider: 'sqlite', file: path.resolve('data/linka.db') });
    expect(parseDatabaseUrl('file:///var/lib/linka/linka.db')).toMatchObject({ file: '/var/lib/linka/linka.db' });
    expect(parseDatabaseUrl('postgres://u@h/db')).toMatchObject({ provider: 'postgresql' });
    await expect(openDatabase('mysql://root@localhost/linka')).rejects.toThrow(/DATABASE_URL has an unsupported scheme mysql:/);
  });
});
