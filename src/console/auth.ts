/**
 * Sign-in for the console: sessions in the database (so several processes share them), the
 * session cookie, idle and absolute timeouts, CSRF tokens, the Origin check, and the role guard.
 * docs/console.md, "Security", says why each is as it is.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { HttpBindings } from '@hono/node-server';
import { isLang, type Lang } from '../shared/lang.js';
import { createSession, deleteSession, sessionWithUser, touchSession, type OperatorSession, type OperatorUser } from '../store/operators.js';
import type { PrismaClient } from '../store/types.js';
import { messagePage } from './layout.js';
import { ct } from './texts.js';

export const SESSION_COOKIE = 'linka_session';
/** The signed-out forms' CSRF cookie (sign-in, first set-up): double submit. */
export const FORM_COOKIE = 'linka_csrf';

export type Role = 'admin' | 'technician' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'technician', 'viewer'];
const RANK: Record<Role, number> = { viewer: 0, technician: 1, admin: 2 };

/** What the console's handlers get. */
export interface AuthSettings {
  prisma: PrismaClient;
  clock: () => Date;
  idleMinutes: number;
  sessionHours: number;
  /** PUBLIC_URL: its origin is this server's; https makes the cookies Secure. */
  publicUrl: string | null;
}

export type ConsoleEnv = {
  Bindings: HttpBindings;
  Variables: { user: OperatorUser; session: OperatorSession; lang: Lang; form: Record<string, string> };
};
export type Ctx = Context<ConsoleEnv>;

/** A random token for a cookie or form: 32 bytes, base64url. */
export const newToken = () => randomBytes(32).toString('base64url');
export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const langOf = (user: OperatorUser | undefined): Lang => (user && isLang(user.language) ? user.language : 'cs');
export const clientIp = (c: Ctx): string => c.env?.incoming?.socket?.remoteAddress ?? 'unknown';

function secure(s: AuthSettings): boolean {
  return Boolean(s.publicUrl?.toLowerCase().startsWith('https:'));
}

/** Signs the user in: a new session row, and its cookie. */
export async function startSession(c: Ctx, s: AuthSettings, user: OperatorUser): Promise<void> {
  const token = newToken();
  const now = s.clock();
  await createSession(s.prisma, {
    id: sha256(token),
    userId: user.id,
    csrfToken: newToken(),
    now,
    expiresAt: new Date(now.getTime() + s.sessionHours * 3_600_000),
    ip: clientIp(c),
    userAgent: c.req.header('user-agent')?.slice(0, 300) ?? null,
  });
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', path: '/console', secure: secure(s), maxAge: s.sessionHours * 3600 });
  deleteCookie(c, FORM_COOKIE, { path: '/console', secure: secure(s) });
}

/** Ends this browser's session. */
export async function endSession(c: Ctx, s: AuthSettings): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await deleteSession(s.prisma, sha256(token));
  deleteCookie(c, SESSION_COOKIE, { path: '/console', secure: secure(s) });
}

/**
 * The signed-in user, or null (no cookie, unknown, expired, idle too long, account disabled):
 * an ended session's row is deleted. A session in use is kept alive (lastSeenAt).
 */
export async function currentSession(c: Ctx, s: AuthSettings): Promise<(OperatorSession & { user: OperatorUser }) | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return null;
  const id = sha256(token);
  const session = await sessionWithUser(s.prisma, id);
  if (!session) return null;
  const now = s.clock();
  const idle = now.getTime() - session.lastSeenAt.getTime() >= s.idleMinutes * 60_000;
  if (idle || session.expiresAt <= now || session.user.disabledAt) {
    await deleteSession(s.prisma, id);
    return null;
  }
  await touchSession(s.prisma, id, now);
  return session;
}

/** Pages behind sign-in: a signed-out GET goes to the sign-in page; anything else is 401. */
export function requireSession(s: AuthSettings): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const session = await currentSession(c, s);
    if (!session) {
      const had = Boolean(getCookie(c, SESSION_COOKIE));
      if (had) deleteCookie(c, SESSION_COOKIE, { path: '/console', secure: secure(s) });
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.redirect(had ? '/console/login?expired=1' : '/console/login', 302);
      return c.html(messagePage('cs', ct('cs', 'login.title'), ct('cs', 'login.expired')), 401);
    }
    c.set('session', session);
    c.set('user', session.user);
    c.set('lang', langOf(session.user));
    await next();
  };
}

/** Whether `user` has at least `role`: a viewer reads, a technician acts on tickets, an admin does everything. */
export function hasRole(user: Pick<OperatorUser, 'role'>, role: Role): boolean {
  const rank = RANK[user.role as Role];
  return rank !== undefined && rank >= RANK[role];
}

/** The role guard: fewer rights than `role` is 403 (a forged POST of a viewer included). */
export function requireRole(role: Role): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const user = c.get('user');
    if (!user || !hasRole(user, role)) {
      const lang = langOf(user);
      return c.html(messagePage(lang, ct(lang, 'error.forbidden.title'), ct(lang, 'error.forbidden')), 403);
    }
    await next();
  };
}

/** Whether the request's Origin (when it sent one) is this server: PUBLIC_URL's origin, or the Host it was sent to. */
function originAllowed(c: Ctx, s: AuthSettings): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  if (s.publicUrl) {
    try {
      if (new URL(s.publicUrl).origin === origin) return true;
    } catch {
      /* not a URL: fall through to the Host */
    }
  }
  const host = c.req.header('host');
  return Boolean(host) && (origin === `http://${host}` || origin === `https://${host}`);
}

function csrfRefused(c: Ctx): Response | Promise<Response> {
  const lang = langOf(c.get('user'));
  return c.html(messagePage(lang, ct(lang, 'error.csrf.title'), ct(lang, 'error.csrf')), 403);
}

/** The form's fields (the urlencoded or multipart body, strings only), read once. */
export async function formOf(c: Ctx): Promise<Record<string, string>> {
  const cached = c.get('form');
  if (cached) return cached;
  const type = c.req.header('content-type') ?? '';
  const body = type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data') ? await c.req.parseBody() : {};
  const form = Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
  c.set('form', form);
  return form;
}

/**
 * CSRF for every POST: the Origin, when sent, must be this server's; and the token (form field
 * `_csrf` or header `x-csrf-token`) must be the session's, or for the signed-out forms the
 * `linka_csrf` cookie's. Refused: 403 with a page that says what to do.
 */
export function checkCsrf(s: AuthSettings, signedOut = false): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    if (!originAllowed(c, s)) return csrfRefused(c);
    const sent = c.req.header('x-csrf-token') ?? (await formOf(c))._csrf;
    const expected = signedOut ? getCookie(c, FORM_COOKIE) : c.get('session')?.csrfToken;
    if (!sameToken(sent, expected)) return csrfRefused(c);
    await next();
  };
}

/** The signed-out forms' token: the cookie's (made now when there is none). */
export function formToken(c: Ctx, s: AuthSettings): string {
  const existing = getCookie(c, FORM_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = newToken();
  setCookie(c, FORM_COOKIE, token, { httpOnly: true, sameSite: 'Lax', path: '/console', secure: secure(s) });
  return token;
}
