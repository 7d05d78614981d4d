/**
 * Is an error the database being unreachable (down, restarting, out of connections), rather
 * than a fault in the request or in Linka? Such a request can succeed later, so the HTTP layer
 * answers it with 503 and Retry-After (the platforms retry) instead of 500.
 */

/** Prisma's codes for a database that cannot be reached or answered in time. */
const PRISMA_CODES = new Set([
  'P1001', // Can't reach database server
  'P1002', // the server was reached but timed out
  'P1008', // operations timed out
  'P1017', // Server has closed the connection
  'P2024', // timed out fetching a new connection from the connection pool
]);

/** Socket errors (Node), and PostgreSQL's SQLSTATEs for connection failures, shutdown and overload. */
const DRIVER_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006', // connection_exception and its kinds
  '57P01',
  '57P02',
  '57P03', // admin_shutdown, crash_shutdown, cannot_connect_now
  '53300', // too_many_connections
  'SQLITE_BUSY', // another process holds the SQLite file's lock past the busy timeout
]);

/** The driver adapters' error kinds (DriverAdapterError.cause.kind) that mean the same. */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

const MESSAGES = [
  /can't reach database server/i,
  /connection terminated/i,
  /server has closed the connection/i,
  /timed out fetching a new connection/i,
  /\bECONNREFUSED\b|\bECONNRESET\b/,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /terminating connection due to administrator command/i,
  /Connection ended unexpectedly/i,
];

type Fields = {
  code?: unknown;
  errorCode?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: unknown;
  original?: unknown;
  originals?: unknown;
  errors?: unknown;
};

/**
 * True when `err` (or an error it wraps: `cause`, Prisma's `meta.driverAdapterError`,
 * Bolt's `original(s)`, an AggregateError's `errors`) says the database is unavailable:
 * Prisma P1001, P1002, P1008, P1017, P2024; ECONNREFUSED, ECONNRESET and other socket
 * errors; PostgreSQL connection and shutdown states; "Connection terminated",
 * "Can't reach database server"...
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0 && seen.size < 20) {
    const e = queue.shift();
    if (typeof e !== 'object' || e === null || seen.has(e)) continue;
    seen.add(e);
    const f = e as Fields;
    for (const code of [f.code, f.errorCode]) {
      if (typeof code === 'string' && (PRISMA_CODES.has(code) || DRIVER_CODES.has(code))) return true;
    }
    if (typeof f.kind === 'string' && ADAPTER_KINDS.has(f.kind)) return true;
    if (typeof f.message === 'string' && MESSAGES.some((re) => re.test(f.message as string))) return true;
    queue.push(f.cause, f.original);
    if (typeof f.meta === 'object' && f.meta !== null) queue.push((f.meta as { driverAdapterError?: unknown }).driverAdapterError);
    for (const list of [f.originals, f.errors]) if (Array.isArray(list)) queue.push(...list);
  }
  return false;
}
