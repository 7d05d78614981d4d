/**
 * HTTP routes as data: what a route handler gets, what it answers, and the pure helpers that
 * build answers and read JSON bodies. No server here (src/server/http.ts serves these routes), so the
 * adapters, which only declare routes, import this module and never the server.
 */
import type { IncomingMessage } from 'node:http';

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RouteRequest {
  req: IncomingMessage;
  url: URL;
  /** The raw body (signatures are computed over it). */
  body: Buffer;
  /** The decoded values of the route's `:name` segments (empty for exact paths). */
  params: Readonly<Record<string, string>>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT';
  /** An exact path, or a template whose `:name` segments match one non-empty segment each. */
  path: string;
  handler: (r: RouteRequest) => Promise<HttpResponse>;
}

export const json = (status: number, value: unknown): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(value),
});

/** A \uD800-\uDFFF escape in JSON text: it may decode to half a surrogate pair. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const wellFormed = (s: string): string => s.replace(LONE_SURROGATE, '\uFFFD');

/**
 * Parses a request's JSON text as JSON.parse does (and throws as it does), except that lone
 * UTF-16 surrogates ("\ud800": valid JSON, but not text a database or a platform accepts)
 * become U+FFFD in strings and keys. Every webhook and API route parses its body with it.
 */
export function parseJson(text: string): unknown {
  if (!SURROGATE_ESCAPE.test(text)) return JSON.parse(text);
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value === 'string') return wellFormed(value);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const keys = Object.keys(value);
    if (keys.every((k) => wellFormed(k) === k)) return value;
    return Object.fromEntries(keys.map((k) => [wellFormed(k), (value as Record<string, unknown>)[k]]));
  });
}

/** What a request that failed because the database is unreachable is told: try again in this many seconds. */
export const RETRY_AFTER_SECONDS = 5;

/** 503 with Retry-After: the platforms retry, and nothing was accepted that could be lost. */
export const databaseUnavailable = (): HttpResponse => ({
  status: 503,
  headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(RETRY_AFTER_SECONDS) },
  body: JSON.stringify({ error: 'the database is unavailable; retry later', database: 'down' }),
});
