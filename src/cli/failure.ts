/**
 * What a failed command prints: for the failures a new operator meets first (a port in use, a
 * database that is not there), what happened in their terms and what to do; for anything else,
 * the error's own message. Never prints a password from DATABASE_URL.
 */
import { defaultDatabaseUrl } from '../store/client.js';

interface SystemishError {
  code?: unknown;
  port?: unknown;
  address?: unknown;
  message?: unknown;
  errors?: unknown;
}

/** The PostgreSQL server and database DATABASE_URL names, without its credentials; null for SQLite. */
function postgresTarget(env: NodeJS.ProcessEnv): { host: string; port: string; database: string; user: string } | null {
  const url = env.DATABASE_URL || defaultDatabaseUrl();
  if (!/^postgres(ql)?:/i.test(url)) return null;
  try {
    const u = new URL(url);
    return {
      host: u.hostname || 'localhost',
      port: u.port || '5432',
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
      user: decodeURIComponent(u.username) || 'postgres',
    };
  } catch {
    return null;
  }
}

/** The first error with a code among `err` and, for an AggregateError (localhost on IPv4 and IPv6), its errors. */
function codeOf(err: unknown): SystemishError | null {
  const e = err as SystemishError | null;
  if (!e || typeof e !== 'object') return null;
  if (typeof e.code === 'string') return e;
  if (Array.isArray(e.errors)) for (const inner of e.errors) if (codeOf(inner)) return codeOf(inner);
  return null;
}

/** The line a failed command prints (after "linka: "). */
export function explainFailure(err: unknown, env: NodeJS.ProcessEnv): string {
  const message = err instanceof Error ? err.message : String(err);
  const e = codeOf(err);
  const code = e?.code;
  const pg = postgresTarget(env);
  if (code === 'EADDRINUSE') {
    const port = e?.port ?? env.PORT ?? 3000;
    return `port ${port} is in use (another Linka, or another program listens on ${e?.address ?? env.HOST ?? '127.0.0.1'}:${port}); set PORT to a free one, e.g. PORT=${Number(port) + 1}, or stop the other program`;
  }
  if (code === 'EACCES' && /listen/.test(message)) {
    return `port ${e?.port ?? env.PORT} may not be opened by this user; set PORT to a port above 1023 (e.g. 3000) and put a reverse proxy in front`;
  }
  if (pg && (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ETIMEDOUT')) {
    const why = code === 'ECONNREFUSED' ? 'nothing answers there' : code === 'ETIMEDOUT' ? 'it does not answer' : 'that host name is unknown';
    return `cannot reach PostgreSQL at ${pg.host}:${pg.port}, the server DATABASE_URL names (${why}): is PostgreSQL running, and is DATABASE_URL right? Without DATABASE_URL, Linka uses SQLite at ./data/linka.db.`;
  }
  if (pg && (code === '3D000' || /database ".*" does not exist/.test(message))) {
    return `the database "${pg.database}" does not exist on the PostgreSQL server at ${pg.host}:${pg.port} (DATABASE_URL); create it, e.g. createdb -h ${pg.host} -p ${pg.port} -U ${pg.user} ${pg.database} (or CREATE DATABASE "${pg.database}"; in psql), then run the command again: Linka creates its tables itself`;
  }
  if (pg && (code === '28P01' || code === '28000')) {
    return `PostgreSQL at ${pg.host}:${pg.port} refused the user "${pg.user}" (DATABASE_URL): check the user name and password in DATABASE_URL (${message})`;
  }
  if (!pg && /unable to open database file|SQLITE_CANTOPEN/i.test(message)) {
    return `cannot open the SQLite database ${env.DATABASE_URL || defaultDatabaseUrl()} (DATABASE_URL): its directory must exist and be writable by this user`;
  }
  return message;
}
