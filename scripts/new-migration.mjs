// Creates the next migration for BOTH providers from the current prisma/models.prisma:
//   npm run db:migration -- add_customer_note
// Offline replacement for `prisma migrate dev --create-only` (which does not work with the JS
// schema engine): `prisma migrate diff --from-migrations <dir> --to-schema-datamodel <schema>`.
// The PostgreSQL diff needs a server for its shadow database: LINKA_TEST_PG_URL
// (default postgresql://postgres@127.0.0.1:5432/postgres); nothing is written to that database.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prismaBin = path.join(root, 'node_modules/prisma/build/index.js');
const pgUrl = process.env.LINKA_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const scratch = mkdtempSync(path.join(tmpdir(), 'linka-migration-'));
const providers = {
  sqlite: { url: `file:${path.join(scratch, 'scratch.db')}` },
  postgres: { url: pgUrl },
};

function fail(message) {
  console.error(`new-migration: ${message}`);
  rmSync(scratch, { recursive: true, force: true });
  process.exit(1);
}

/** Runs `prisma migrate diff --exit-code`; resolves to { code, sql } (0 = no change, 2 = change). */
function diff(provider, out) {
  const dir = path.join(root, 'prisma', provider);
  const args = [
    prismaBin,
    'migrate',
    'diff',
    '--config',
    path.join(dir, 'prisma.config.ts'),
    '--from-migrations',
    path.join(dir, 'migrations'),
    '--to-schema-datamodel',
    dir,
    '--script',
    '--exit-code',
    '-o',
    out,
  ];
  const env = { ...process.env, DATABASE_URL: providers[provider].url, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** UTC YYYYMMDDHHMMSS, bumped past the newest existing migration so the order always holds. */
function nextTimestamp() {
  const now = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const existing = Object.keys(providers).flatMap((p) =>
    readdirSync(path.join(root, 'prisma', p, 'migrations'))
      .filter((n) => /^\d{14}_/.test(n))
      .map((n) => n.slice(0, 14)),
  );
  const newest = existing.sort().at(-1);
  return newest && newest >= now ? String(BigInt(newest) + 1n) : now;
}

const name = (process.argv[2] ?? '')
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, '_')
  .replace(/^_+|_+$/g, '');
if (!name) fail('usage: npm run db:migration -- <name>   (e.g. add_customer_note)');

const results = await Promise.all(
  Object.keys(providers).map(async (provider) => {
    const out = path.join(scratch, `${provider}.sql`);
    const { code, output } = await diff(provider, out);
    if (code !== 0 && code !== 2) fail(`prisma migrate diff failed for ${provider}:\n${output}`);
    return { provider, changed: code === 2, sql: code === 2 ? readFileSync(out, 'utf8') : '' };
  }),
);

const changed = results.filter((r) => r.changed).map((r) => r.provider);
if (changed.length === 0) fail('the models match the migrations of both providers: nothing to write.');
if (changed.length !== results.length) {
  fail(`only ${changed.join(', ')} has changes; the providers' migrations have drifted apart. Fix that first.`);
}

const folder = `${nextTimestamp()}_${name}`;
for (const { provider, sql } of results) {
  const dir = path.join(root, 'prisma', provider, 'migrations', folder);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'migration.sql'), sql);
  console.log(`wrote prisma/${provider}/migrations/${folder}/migration.sql`);
}
rmSync(scratch, { recursive: true, force: true });
console.log('Review both scripts: unlike `migrate dev`, `migrate diff` prints no data-loss warnings.');
