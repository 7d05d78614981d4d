/**
 * Plain SQL for the hot path (every inbound event, every delivery), past the Prisma client.
 *
 * Profiling the webhook (README, "Performance") showed ~80 % of a dispatch's CPU in the Prisma 6
 * client: its WebAssembly query compiler plans every model query anew (no plan cache in 6.x),
 * and even a raw query costs a trip through its runtime; the driver itself (better-sqlite3)
 * was a few percent. So:
 *
 * - On SQLite, a transaction opened with `transaction()` registers the one better-sqlite3
 *   connection the Prisma adapter holds (it is inside that very transaction: BEGIN ran on it, and
 *   the adapter's mutex keeps other transactions out until COMMIT). `exec`/`query` on that
 *   transaction client run there directly, with prepared statements cached by their text:
 *   same connection, same transaction, same atomicity, a fraction of the cost.
 * - On PostgreSQL, store/client.ts wraps the adapter's startTransaction so that a transaction
 *   opened with `transaction()` learns the pool connection Prisma took for it; `exec`/`query` go
 *   through pg on that connection, inside that transaction.
 * - On PostgreSQL outside a transaction (the root client), they go through pg on the adapter's own
 *   pool, once Prisma has made it: a statement on its own, committed by itself.
 * - Anywhere else (a SQLite root client, a transaction not opened by `transaction()`), they are
 *   Prisma raw queries, which still skip the query compiler.
 *
 * The SQL is written once for all three: double-quoted identifiers, template literals whose
 * placeholders are made per driver. Values: strings, numbers, null, booleans and Dates; Dates
 * are written in the text form Prisma uses (SQLite "2026-11-22T03:39:58.981+00:00", PostgreSQL
 * UTC), so Prisma's own reads and comparisons keep working on them. Rows come back as the driver
 * gives them: `mapRow` reads their DateTime, Json and Int columns the same on each.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import type { Pool, PoolClient, QueryConfig } from 'pg';
import type { DbClient, PrismaClient, Tx } from './types.js';

export type SqlValue = string | number | bigint | boolean | Date | null;

interface Direct {
  db: BetterSqlite3.Database;
  statements: Map<string, BetterSqlite3.Statement>;
}

/** The better-sqlite3 connection behind each SQLite client (registered by openDatabase). */
const connections = new WeakMap<object, Direct>();
/** Transaction clients opened by `transaction()` on SQLite, and their connection. */
const direct = new WeakMap<object, Direct>();

/**
 * PostgreSQL: the pool connection Prisma's adapter took for the transaction being opened in this
 * async context (store/client.ts wraps the adapter's startTransaction to fill it in).
 */
const pgOpening = new AsyncLocalStorage<{ client?: PoolClient }>();
/** PostgreSQL clients whose adapter reports its transactions' connections. */
const pgClients = new WeakSet<object>();
/** Transaction clients opened by `transaction()` on PostgreSQL, and their connection. */
const directPg = new WeakMap<object, PoolClient>();

/** The pg pool behind each PostgreSQL client (registered once Prisma's adapter has made it). */
const pgPools = new WeakMap<object, Pool>();

/** Tells this module the pg pool a PostgreSQL Prisma client's adapter uses (store/client.ts). */
export function registerPgPool(prisma: PrismaClient, pool: Pool): void {
  pgPools.set(prisma, pool);
}

/** Tells this module that a PostgreSQL client's adapter reports its transactions' connections (store/client.ts). */
export function registerPgClient(prisma: PrismaClient): void {
  pgClients.add(prisma);
}

/** For the adapter's startTransaction: the connection of a transaction opened by `transaction()`. */
export function reportPgTransaction(client: PoolClient): void {
  const opening = pgOpening.getStore();
  if (opening && !opening.client) opening.client = client;
}

/** Tells this module the better-sqlite3 connection a SQLite Prisma client uses (store/client.ts). */
export function registerSqliteConnection(prisma: PrismaClient, db: BetterSqlite3.Database): void {
  connections.set(prisma, { db, statements: new Map() });
}

/** SQLite clients (registered when opened, before their connection is made). */
const sqliteClients = new WeakSet<object>();

/** Tells this module that `prisma` is a SQLite client (store/client.ts), so its transactions are grouped. */
export function registerSqliteClient(prisma: PrismaClient): void {
  sqliteClients.add(prisma);
}

/**
 * An interactive Prisma transaction whose `exec`/`query` run directly on the connection where
 * SQLite allows it. On SQLite, transactions asked for while one is running share the next one
 * (group commit, below, with the group's own time limits); on PostgreSQL each is its own, with `opts`.
 */
export function transaction<T>(prisma: PrismaClient, work: (tx: Tx) => Promise<T>, opts?: { timeout?: number; maxWait?: number }): Promise<T> {
  if (sqliteClients.has(prisma)) return grouped(prisma, work);
  const opening: { client?: PoolClient } = {};
  const open = () =>
    prisma.$transaction(async (tx) => {
      if (opening.client) directPg.set(tx, opening.client);
      try {
        return await work(tx);
      } finally {
        directPg.delete(tx);
      }
    }, opts);
  return pgClients.has(prisma) ? pgOpening.run(opening, open) : open();
}

// SQLite group commit. SQLite has one writer and Linka one connection to it, so transactions run
// one after the other anyway; what each one costs beyond its statements (Prisma's transaction
// bookkeeping, BEGIN, COMMIT: about a third of a webhook's database time) is paid once for all
// the work that arrived while the previous transaction ran. Each piece of work runs inside its
// own SAVEPOINT, so one that fails is rolled back alone and its caller gets its error; the
// others' callers learn their result only once the shared COMMIT is done. If the transaction as
// a whole fails (its commit, its time limit), its work is run again, each piece alone, so one
// piece cannot fail the others. Under light load a group is one piece: a plain transaction.
interface GroupJob {
  work: (tx: Tx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}
interface Group {
  queue: GroupJob[];
  running: boolean;
}
const groups = new WeakMap<object, Group>();
/** At most this many pieces of work share a transaction (a few milliseconds of statements). */
const GROUP_MAX = 64;
/** A group's transaction may take this long (its pieces are database work only, no network). */
const GROUP_OPTIONS = { maxWait: 10_000, timeout: 15_000 };

function grouped<T>(prisma: PrismaClient, work: (tx: Tx) => Promise<T>): Promise<T> {
  let group = groups.get(prisma);
  if (!group) {
    group = { queue: [], running: false };
    groups.set(prisma, group);
  }
  const g = group;
  return new Promise<T>((resolve, reject) => {
    g.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    if (!g.running) {
      g.running = true;
      // setImmediate, not a microtask: requests read from the network in the same turn join.
      setImmediate(() => void drainGroups(prisma, g));
    }
  });
}

async function drainGroups(prisma: PrismaClient, g: Group): Promise<void> {
  try {
    while (g.queue.length > 0) {
      const jobs = g.queue.splice(0, GROUP_MAX);
      if (!(await runGroup(prisma, jobs)) && jobs.length > 1) {
        for (const job of jobs) await runGroup(prisma, [job]);
      }
    }
  } finally {
    g.running = false;
    if (g.queue.length > 0) {
      g.running = true;
      setImmediate(() => void drainGroups(prisma, g));
    }
  }
}

/**
 * Runs `jobs` in one transaction and settles them once it is committed. Returns false, settling
 * nothing, when a transaction of several failed as a whole (the caller runs them again alone).
 */
async function runGroup(prisma: PrismaClient, jobs: GroupJob[]): Promise<boolean> {
  const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
  const alone = jobs.length === 1;
  try {
    await prisma.$transaction(async (tx) => {
      // The connection is known once Prisma has made it (before its first transaction's BEGIN).
      const conn = connections.get(prisma);
      if (!conn) throw new Error('SQLite connection not registered (store/client.ts)');
      direct.set(tx, conn);
      try {
        for (const job of jobs) {
          if (alone) {
            // A group of one needs no savepoint: its error rolls the transaction back.
            outcomes.push({ ok: true, value: await job.work(tx) });
            continue;
          }
          statement(conn, 'SAVEPOINT linka_work').run();
          try {
            const value = await job.work(tx);
            statement(conn, 'RELEASE linka_work').run();
            outcomes.push({ ok: true, value });
          } catch (error) {
            statement(conn, 'ROLLBACK TO linka_work').run();
            statement(conn, 'RELEASE linka_work').run();
            outcomes.push({ ok: false, error });
          }
        }
      } finally {
        direct.delete(tx);
      }
    }, GROUP_OPTIONS);
  } catch (error) {
    if (!alone) return false;
    (jobs[0] as GroupJob).reject(error);
    return true;
  }
  jobs.forEach((job, i) => {
    const outcome = outcomes[i] as (typeof outcomes)[number];
    if (outcome.ok) job.resolve(outcome.value);
    else job.reject(outcome.error);
  });
  return true;
}

// PostgreSQL, straight through pg: TIMESTAMP(3) columns hold UTC (as Prisma writes them), so they
// are read as UTC whatever the process's time zone; Dates are written as UTC text.
const PG_TIMESTAMP = 1114;
const pgTypes = {
  getTypeParser: (oid: number, format?: string) =>
    oid === PG_TIMESTAMP ? (v: string) => new Date(`${v.replace(' ', 'T')}Z`) : (pgTypeParser as (oid: number, format?: string) => unknown)(oid, format),
} as unknown as QueryConfig['types'];
let pgTypeParser: unknown = null;

function pgValue(v: SqlValue): string | number | boolean | null {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  return v;
}

/** Each statement's text and its name as a prepared statement, by its template (a template literal's strings are one object per call site). */
const pgTexts = new WeakMap<TemplateStringsArray, { text: string; name: string }>();
let pgStatementCount = 0;

function pgQuery(client: Pick<PoolClient, 'query'>, strings: TemplateStringsArray, values: SqlValue[]) {
  let known = pgTexts.get(strings);
  if (!known) {
    known = { text: strings.reduce((acc, s, i) => (i === 0 ? s : `${acc}$${i}${s}`), ''), name: `linka_${++pgStatementCount}` };
    pgTexts.set(strings, known);
  }
  return client.query({ ...known, values: values.map(pgValue), types: pgTypes });
}

/** Loads pg's own type parsers (once, before the first direct PostgreSQL query). */
async function pgReady(): Promise<void> {
  if (pgTypeParser) return;
  const pg = await import('pg');
  pgTypeParser = (pg.default ?? pg).types.getTypeParser;
}

const STATEMENT_CACHE = 200;

function statement(d: Direct, text: string): BetterSqlite3.Statement {
  let s = d.statements.get(text);
  if (!s) {
    if (d.statements.size >= STATEMENT_CACHE) d.statements.delete(d.statements.keys().next().value as string);
    s = d.db.prepare(text);
    d.statements.set(text, s);
  }
  return s;
}

/** A Date as Prisma writes DateTime columns on SQLite. */
function sqliteDate(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

function sqliteValue(v: SqlValue): string | number | bigint | null {
  if (v instanceof Date) return sqliteDate(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/** Whether `prisma` is a SQLite client whose connection this module knows (transactions on it are cheap and local). */
export function onSqlite(prisma: PrismaClient): boolean {
  return sqliteClients.has(prisma);
}

/**
 * Whether `exec`/`query` on `db` run through pg (a `transaction()` client, or a root client whose
 * pool is known): PostgreSQL's own SQL may be used.
 */
export function isDirectPg(db: DbClient): boolean {
  return directPg.has(db) || pgPools.has(db);
}

/** The pg connection or pool `exec`/`query` use for `db`, if any. */
function pgTarget(db: DbClient): Pick<PoolClient, 'query'> | undefined {
  return directPg.get(db) ?? pgPools.get(db);
}

/** Whether `exec`/`query` on `db` run directly on SQLite (a `transaction()` client on SQLite): SQLite's own SQL may be used. */
export function isDirectSqlite(db: DbClient): boolean {
  return direct.has(db);
}

/** A tag that runs a statement on `db` and returns the rows it changed: exec(tx)`UPDATE ... ${v}`. */
export function exec(db: DbClient): (strings: TemplateStringsArray, ...values: SqlValue[]) => Promise<number> {
  return async (strings, ...values) => {
    const d = direct.get(db);
    if (d) return statement(d, strings.join('?')).run(...values.map(sqliteValue)).changes;
    const pg = pgTarget(db);
    if (pg) {
      await pgReady();
      return (await pgQuery(pg, strings, values)).rowCount ?? 0;
    }
    return db.$executeRaw(strings, ...values);
  };
}

/** A tag that runs a query (or a statement with RETURNING) on `db` and returns its rows. */
export function query<T>(db: DbClient): (strings: TemplateStringsArray, ...values: SqlValue[]) => Promise<T[]> {
  return async (strings, ...values) => {
    const d = direct.get(db);
    if (d) return statement(d, strings.join('?')).all(...values.map(sqliteValue)) as T[];
    const pg = pgTarget(db);
    if (pg) {
      await pgReady();
      return (await pgQuery(pg, strings, values)).rows as T[];
    }
    return db.$queryRaw<T[]>(strings, ...values);
  };
}

/**
 * A tag for a read-only query outside any transaction. On SQLite it runs directly on the
 * connection (a cached prepared statement; reading needs no transaction); elsewhere like `query`.
 */
export function read<T>(db: DbClient): (strings: TemplateStringsArray, ...values: SqlValue[]) => Promise<T[]> {
  const conn = connections.get(db);
  if (!conn) return query<T>(db);
  return async (strings, ...values) => statement(conn, strings.join('?')).all(...values.map(sqliteValue)) as T[];
}

/** A DateTime column as either driver returns it. */
function asDate(v: unknown): Date {
  return v instanceof Date ? v : new Date(v as string | number);
}

/** A nullable DateTime column. */
function asDateOrNull(v: unknown): Date | null {
  return v === null || v === undefined ? null : asDate(v);
}

/** A Json column as either driver returns it (SQLite: text). */
function asJson<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

/** An integer column (PostgreSQL may return bigint for counts and serials). */
function asInt(v: unknown): number {
  return Number(v);
}

/**
 * A row built by PostgreSQL's to_json: its DateTime columns are written without a zone; they
 * hold UTC (as Prisma writes them), so they are read as UTC whatever the process's time zone.
 */
export function utcJsonDates(r: Record<string, unknown>, dates: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r };
  for (const k of dates) {
    const v = r[k];
    if (typeof v === 'string' && !/(Z|[+-]\d\d:?\d\d)$/.test(v)) out[k] = new Date(`${v}Z`);
  }
  return out;
}

/** A row with its DateTime and Json columns read (the other columns as they come). */
export function mapRow<T>(r: Record<string, unknown>, dates: readonly string[], json: readonly string[] = [], ints: readonly string[] = []): T {
  const out: Record<string, unknown> = { ...r };
  for (const k of dates) out[k] = asDateOrNull(r[k]);
  for (const k of json) out[k] = r[k] === null || r[k] === undefined ? null : asJson(r[k]);
  for (const k of ints) out[k] = r[k] === null || r[k] === undefined ? null : asInt(r[k]);
  return out as T;
}
