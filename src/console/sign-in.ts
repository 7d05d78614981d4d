/**
 * The sign-in page, sign-out (here and everywhere), and the first admin's set-up page.
 * Sign-in attempts are throttled per account and per address (docs/console.md, "Sign-in").
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { Lang } from '../shared/lang.js';
import {
  adminExists,
  deleteSessionsOf,
  failedAttempts,
  operatorByUsername,
  pruneLoginAttempts,
  recordLoginAttempt,
  setupTokenValid,
  useSetupToken,
} from '../store/operators.js';
import {
  type AuthSettings,
  checkCsrf,
  clientIp,
  type ConsoleEnv,
  type Ctx,
  endSession,
  formOf,
  formToken,
  requireSession,
  sha256,
  startSession,
} from './auth.js';
import { csrfField, messagePage, page } from './layout.js';
import { dummyHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password.js';
import { ct } from './texts.js';

/** Failed attempts within the window after which sign-in is refused, per account and per address. */
export const THROTTLE = { windowMinutes: 15, perAccount: 5, perAddress: 20 };

/** A username: lowercase ASCII letters, digits, dot, hyphen, underscore; 2 to 40 characters. */
export const USERNAME = /^[a-z0-9._-]{2,40}$/;

function loginForm(lang: Lang, token: string, opts: { username?: string; error?: string; info?: string } = {}) {
  return page({
    lang,
    title: ct(lang, 'login.title'),
    body: html`<div class="card">
${opts.error ? html`<p class="notice error" role="alert">${opts.error}</p>` : ''}${opts.info ? html`<p class="notice" role="status">${opts.info}</p>` : ''}
<form method="post" action="/console/login">${csrfField(token)}
<label for="username">${ct(lang, 'login.username')}</label>
<input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${opts.username ?? ''}">
<label for="password">${ct(lang, 'login.password')}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<p><button type="submit">${ct(lang, 'login.submit')}</button></p>
</form></div>`,
  });
}

function setupForm(lang: Lang, csrf: string, setupToken: string, opts: { username?: string; displayName?: string; error?: string } = {}) {
  return page({
    lang,
    title: ct(lang, 'setup.title'),
    body: html`<div class="card"><p>${ct(lang, 'setup.intro')}</p>
${opts.error ? html`<p class="notice error" role="alert">${opts.error}</p>` : ''}
<form method="post" action="/console/setup">${csrfField(csrf)}<input type="hidden" name="token" value="${setupToken}">
<label for="username">${ct(lang, 'login.username')}</label>
<input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${opts.username ?? ''}">
<label for="displayName">${ct(lang, 'setup.displayName')}</label>
<input type="text" id="displayName" name="displayName" autocomplete="name" required value="${opts.displayName ?? ''}">
<label for="password">${ct(lang, 'login.password')}</label>
<input type="password" id="password" name="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required>
<label for="password2">${ct(lang, 'setup.password2')}</label>
<input type="password" id="password2" name="password2" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required>
<p><button type="submit">${ct(lang, 'setup.submit')}</button></p>
</form></div>`,
  });
}

/** Why a new account's fields are refused, or null. */
export function accountProblem(lang: Lang, f: { username: string; displayName: string; password: string; password2?: string }): string | null {
  if (!f.username || !f.displayName || !f.password) return ct(lang, 'setup.required');
  if (!USERNAME.test(f.username)) return ct(lang, 'setup.username');
  if (f.password.length < MIN_PASSWORD_LENGTH) return ct(lang, 'setup.short', { min: MIN_PASSWORD_LENGTH });
  if (f.password2 !== undefined && f.password !== f.password2) return ct(lang, 'setup.mismatch');
  return null;
}

export function signInRoutes(app: Hono<ConsoleEnv>, s: AuthSettings): void {
  const lang: Lang = 'cs';

  app.get('/login', async (c) => {
    const info = c.req.query('bye')
      ? ct(lang, 'login.signedOut')
      : c.req.query('expired')
        ? ct(lang, 'login.expired')
        : c.req.query('changed')
          ? ct(lang, 'me.passwordChanged')
          : undefined;
    return c.html(loginForm(lang, formToken(c, s), { info }));
  });

  app.post('/login', checkCsrf(s, true), async (c) => {
    const form = await formOf(c);
    const username = (form.username ?? '').trim().toLowerCase();
    const password = form.password ?? '';
    const ip = clientIp(c);
    const now = s.clock();
    const since = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000);
    const failed = await failedAttempts(s.prisma, username, ip, since);
    if (failed.account >= THROTTLE.perAccount || failed.address >= THROTTLE.perAddress) {
      c.header('retry-after', String(THROTTLE.windowMinutes * 60));
      return c.html(loginForm(lang, formToken(c, s), { username, error: ct(lang, 'login.throttled') }), 429);
    }
    const user = username ? await operatorByUsername(s.prisma, username) : null;
    // An unknown account costs the same time as a known one.
    const matches = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    const ok = Boolean(user && matches && !user.disabledAt);
    await recordLoginAttempt(s.prisma, { username, ip, at: now, ok });
    if (!ok || !user) return c.html(loginForm(lang, formToken(c, s), { username, error: ct(lang, 'login.failed') }), 401);
    await pruneLoginAttempts(s.prisma, new Date(now.getTime() - 24 * 3_600_000));
    await startSession(c, s, user);
    return c.redirect('/console/tickets', 303);
  });

  app.post('/logout', requireSession(s), checkCsrf(s), async (c) => {
    await endSession(c, s);
    return c.redirect('/console/login?bye=1', 303);
  });

  app.post('/logout-everywhere', requireSession(s), checkCsrf(s), async (c) => {
    await deleteSessionsOf(s.prisma, c.get('user').id);
    await endSession(c, s);
    return c.redirect('/console/login?bye=1', 303);
  });

  const setupInvalid = (c: Ctx) => c.html(messagePage(lang, ct(lang, 'setup.title'), ct(lang, 'setup.invalid')), 404);

  app.get('/setup', async (c) => {
    const token = c.req.query('token') ?? '';
    if (!token || (await adminExists(s.prisma)) || !(await setupTokenValid(s.prisma, sha256(token), s.clock()))) return setupInvalid(c);
    return c.html(setupForm(lang, formToken(c, s), token));
  });

  app.post('/setup', checkCsrf(s, true), async (c) => {
    const form = await formOf(c);
    const token = form.token ?? '';
    const now = s.clock();
    if (!token || !(await setupTokenValid(s.prisma, sha256(token), now))) return setupInvalid(c);
    const fields = {
      username: (form.username ?? '').trim().toLowerCase(),
      displayName: (form.displayName ?? '').trim(),
      password: form.password ?? '',
      password2: form.password2 ?? '',
    };
    const problem = accountProblem(lang, fields);
    if (problem) return c.html(setupForm(lang, formToken(c, s), token, { ...fields, error: problem }), 400);
    const user = await useSetupToken(s.prisma, sha256(token), now, {
      username: fields.username,
      displayName: fields.displayName,
      role: 'admin',
      passwordHash: await hashPassword(fields.password),
    });
    if (!user) return setupInvalid(c);
    await startSession(c, s, user);
    return c.redirect('/console/tickets', 303);
  });
}
