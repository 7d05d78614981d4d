/**
 * A small HTTP layer on node:http: exact-path routes (and path templates with `:name`
 * segments, e.g. "/api/outages/:id/resolve"), a body size limit (413),
 * 404/405 for unknown routes and methods, latency metrics, and errors that never
 * take the process down: a route that fails because the database is unreachable answers
 * 503 with Retry-After (the platforms retry), anything else 500.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { databaseUnavailable, json, type HttpResponse, type Route } from '../runtime/routes.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { isDatabaseUnavailable } from '../store/availability.js';

// The route types and response helpers live in routes.ts (no server code, so adapters may import
// them); they are re-exported here for the server's other callers (the API, the tests).
export { databaseUnavailable, json, parseJson, RETRY_AFTER_SECONDS, type HttpResponse, type Route, type RouteRequest } from '../runtime/routes.js';

class BodyTooLarge extends Error {}
/** The client's side of the body failed (it hung up mid-body): not our error, and not the database's. */
class BodyUnreadable extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', (err) => reject(new BodyUnreadable(err.message)));
  });
}

export interface HttpServer {
  server: Server;
  /** Adds routes (adapters register theirs). */
  add(...routes: Route[]): void;
  /**
   * Hands every request whose path is `prefix` or below it (`/console`, `/console/...`) to
   * `listener`, a whole application of its own (the operator console). The server still refuses
   * bodies declared larger than the limit (413) and answers 503 while stopping; the listener
   * limits undeclared (chunked) bodies itself. `tooLarge` is the mount's own answer to such a
   * body (the console's is a page a person can read), instead of the API's JSON.
   */
  mount(prefix: string, listener: (req: IncomingMessage, res: ServerResponse) => void, opts?: { tooLarge?: () => HttpResponse }): void;
  /** Stops accepting connections; resolves when open requests have finished. */
  close(): Promise<void>;
}

/** A path template ("/api/outages/:id") as a matcher: the segment names and a RegExp. */
interface Template {
  re: RegExp;
  names: string[];
  byMethod: Map<string, Route>;
}

function compileTemplate(path: string): Omit<Template, 'byMethod'> {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { re: new RegExp(`^${source}$`), names };
}

/** The routes of a path and its parameters: an exact path first, then the templates in order. */
function lookup(
  routes: Map<string, Map<string, Route>>,
  templates: Map<string, Template>,
  pathname: string,
): { byMethod: Map<string, Route>; params: Record<string, string> } | null {
  const exact = routes.get(pathname);
  if (exact) return { byMethod: exact, params: {} };
  for (const t of templates.values()) {
    const m = t.re.exec(pathname);
    if (!m) continue;
    try {
      return { byMethod: t.byMethod, params: Object.fromEntries(t.names.map((name, i) => [name, decodeURIComponent(m[i + 1] as string)])) };
    } catch {
      return null; // a malformed %-escape: no such resource
    }
  }
  return null;
}

export function createHttpServer(opts: { log: Logger; metrics?: Metrics; bodyLimitBytes: number }): HttpServer {
  const routes = new Map<string, Map<string, Route>>();
  const templates = new Map<string, Template>();
  const mounts: Array<{ prefix: string; listener: (req: IncomingMessage, res: ServerResponse) => void; tooLarge?: () => HttpResponse }> = [];
  let closing = false;

  /** Whether a mounted application took the request. */
  function handOver(req: IncomingMessage, res: ServerResponse, started: bigint): boolean {
    const pathname = (req.url ?? '/').split('?')[0] as string;
    const mounted = mounts.find((m) => pathname === m.prefix || pathname.startsWith(`${m.prefix}/`));
    if (!mounted) return false;
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      opts.metrics?.httpDuration.observe({ route: mounted.prefix, status: String(res.statusCode) }, seconds);
    });
    const refuse = (out: HttpResponse) => {
      res.writeHead(out.status, out.headers ?? {});
      res.end(out.body ?? '');
    };
    if (closing) refuse(json(503, { error: 'shutting down' }));
    else if (Number(req.headers['content-length'] ?? 0) > opts.bodyLimitBytes) {
      req.resume();
      refuse(mounted.tooLarge?.() ?? json(413, { error: `body larger than ${opts.bodyLimitBytes} bytes` }));
    } else mounted.listener(req, res);
    return true;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    if (handOver(req, res, started)) return;
    let routeLabel = 'unknown';
    let out: HttpResponse;
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const found = lookup(routes, templates, url.pathname);
      const byMethod = found?.byMethod;
      // HEAD is answered as GET without the body (load balancers probe /healthz with it).
      const route = byMethod?.get(req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET'));
      if (closing) out = json(503, { error: 'shutting down' });
      else if (!byMethod) out = json(404, { error: 'not found' });
      else if (!route)
        out = {
          ...json(405, { error: 'method not allowed' }),
          headers: { 'content-type': 'application/json; charset=utf-8', allow: [...byMethod.keys()].join(', ') },
        };
      else {
        routeLabel = route.path;
        const body = await readBody(req, opts.bodyLimitBytes);
        out = await route.handler({ req, url, body, params: found?.params ?? {} });
      }
    } catch (err) {
      if (err instanceof BodyTooLarge) out = json(413, { error: `body larger than ${opts.bodyLimitBytes} bytes` });
      else if (err instanceof BodyUnreadable) out = json(400, { error: 'the request body could not be read' });
      else if (isDatabaseUnavailable(err)) {
        // A failure that passes: the platform's retry will find the database back.
        opts.log.warn({ err: err instanceof Error ? err.message : String(err), route: routeLabel }, 'request refused: the database is unavailable');
        out = databaseUnavailable();
      } else {
        opts.log.error({ err: err instanceof Error ? err.message : String(err), route: routeLabel }, 'request failed');
        out = json(500, { error: 'internal error' });
      }
    }
    res.writeHead(out.status, out.headers ?? {});
    res.end(req.method === 'HEAD' ? '' : (out.body ?? ''));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    opts.metrics?.httpDuration.observe({ route: routeLabel, status: String(out.status) }, seconds);
  }

  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 5_000;
  return {
    server,
    mount(prefix, listener, mountOpts = {}) {
      mounts.push({ prefix, listener, ...(mountOpts.tooLarge ? { tooLarge: mountOpts.tooLarge } : {}) });
    },
    add(...rs) {
      for (const r of rs) {
        if (r.path.includes('/:')) {
          const template = templates.get(r.path) ?? { ...compileTemplate(r.path), byMethod: new Map<string, Route>() };
          template.byMethod.set(r.method, r);
          templates.set(r.path, template);
          continue;
        }
        const byMethod = routes.get(r.path) ?? new Map<string, Route>();
        byMethod.set(r.method, r);
        routes.set(r.path, byMethod);
      }
    },
    close() {
      closing = true;
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}
