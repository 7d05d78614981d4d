/**
 * What the token-protected API routes share: the bearer token check (constant time), JSON
 * bodies validated with zod into 400 answers that list each field's path and problem, and
 * LinkaError codes as HTTP statuses.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { LinkaError } from '../../errors.js';
import { json, parseJson, type HttpResponse, type RouteRequest } from '../http.js';

/** One problem with a request body: where ("areas[0]", "texts.cs", "(body)") and what. */
export interface FieldIssue {
  path: string;
  message: string;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * A check of `Authorization: Bearer <token>` against `token`. Both sides are hashed first, so
 * the comparison takes the same time whatever the length or content of the guess.
 * Returns null when the request may proceed, else the answer: 503 when the API is off (no
 * token configured), 401 when the header is missing or wrong.
 */
export function bearerGuard(token: string | undefined): (r: RouteRequest) => HttpResponse | null {
  const expected = token ? digest(token) : null;
  return (r) => {
    if (!expected) return json(503, { error: "the API is off: set LINKA_API_TOKEN in the server's environment to turn it on" });
    const header = r.req.headers.authorization ?? '';
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (m && timingSafeEqual(digest(m[1] as string), expected)) return null;
    const answer = json(401, { error: m ? 'wrong bearer token' : 'missing "Authorization: Bearer <LINKA_API_TOKEN>" header' });
    return { ...answer, headers: { ...answer.headers, 'www-authenticate': 'Bearer realm="linka"' } };
  };
}

/** A zod issue path as text: ["areas", 0] -> "areas[0]", ["texts", "cs"] -> "texts.cs", [] -> "(body)". */
export function pathText(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(body)';
}

/** Each problem of a failed parse, an unknown field reported at its own path. */
export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: pathText([...issue.path, key]), message: 'unknown field' }));
    return [{ path: pathText(issue.path), message: issue.message }];
  });
}

export const badRequest = (issues: FieldIssue[]): HttpResponse =>
  json(400, {
    error: `invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  });

/**
 * The body parsed as JSON and validated by `schema`; an empty body counts as `emptyAs`.
 * Returns the value, or the 400 answer to give.
 */
export function parseBody<S extends z.ZodType>(
  r: RouteRequest,
  schema: S,
  emptyAs?: unknown,
): { ok: true; value: z.output<S> } | { ok: false; answer: HttpResponse } {
  const raw = r.body.toString('utf8');
  let data: unknown;
  if (raw.trim() === '' && emptyAs !== undefined) data = emptyAs;
  else {
    try {
      data = parseJson(raw);
    } catch (err) {
      return { ok: false, answer: badRequest([{ path: '(body)', message: `not valid JSON (${(err as Error).message})` }]) };
    }
  }
  const parsed = schema.safeParse(data);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, answer: badRequest(issuesOf(parsed.error)) };
}

/** The HTTP answer to an outage error of the runtime; anything else is thrown on (500). */
export function outageErrorAnswer(err: unknown): HttpResponse {
  if (err instanceof LinkaError) {
    if (err.code === 'outage_not_found') return json(404, { error: err.message, code: err.code });
    if (err.code === 'outage_resolved') return json(409, { error: err.message, code: err.code });
    if (err.code === 'outage_invalid') return json(400, { error: err.message, code: err.code, issues: [{ path: '(body)', message: err.message }] });
  }
  throw err;
}

/** True for the database's unique-constraint violation (two requests declared the same key at once). */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}
