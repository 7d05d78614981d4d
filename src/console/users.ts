/**
 * Accounts in the browser: /console/users for the admin (add, change role, language, name and
 * Slack/Discord links, disable and enable, a new password), the same as `linka users`; and
 * /console/me for everyone (their language, their password). A password the console makes is
 * shown once, on the page that answers the form, never in an address or the log.
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { isLang, LANGS, type Lang } from '../shared/lang.js';
import { createOperator, deleteSessionsOf, listOperators, operatorByUsername, type OperatorUser, updateOperator } from '../store/operators.js';
import { isUniqueViolation } from '../store/types.js';
import { type AuthSettings, type ConsoleEnv, type Ctx, formOf, requireRole, ROLES, type Role } from './auth.js';
import { csrfField, type Markup, page, option } from './layout.js';
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password.js';
import { accountProblem } from './sign-in.js';
import { ct, type ConsoleTextKey } from './texts.js';
import { viewerOf } from './tickets.js';

const LANG_NAMES: Record<Lang, string> = { cs: 'Čeština', sk: 'Slovenčina', en: 'English' };
/** A platform id as Slack and Discord give them: letters and digits. */
const PLATFORM_ID = /^[A-Za-z0-9]{1,40}$/;

interface Notice {
  text: string;
  ok: boolean;
  /** A password made now, shown once. */
  password?: { username: string; value: string };
}

function noticeOf(lang: Lang, n: Notice | undefined): Markup {
  if (!n) return html``;
  return html`<div class="notice${n.ok ? '' : ' error'}" role="${n.ok ? 'status' : 'alert'}"><p>${n.text}</p>${
    n.password ? html`<p>${ct(lang, 'users.passwordOnce', { username: n.password.username })}</p><p><code class="secret">${n.password.value}</code></p>` : ''
  }</div>`;
}

function usersBody(lang: Lang, users: OperatorUser[], me: OperatorUser, csrf: string, notice?: Notice): Markup {
  const roleOptions = (selected: string) => ROLES.map((r) => option(r, ct(lang, `role.${r}` as ConsoleTextKey), selected));
  const langOptions = (selected: string) => LANGS.map((l) => option(l, LANG_NAMES[l], selected));
  return html`${noticeOf(lang, notice)}
<div class="table-wrap"><table>
<thead><tr><th scope="col">${ct(lang, 'users.username')}</th><th scope="col">${ct(lang, 'users.name')}</th><th scope="col">${ct(lang, 'users.role')}</th><th scope="col">${ct(lang, 'users.language')}</th><th scope="col">${ct(lang, 'users.linked')}</th><th scope="col">${ct(lang, 'users.state')}</th></tr></thead>
<tbody>${users.map(
    (
      u,
    ) => html`<tr><td><a href="#u-${u.username}">${u.username}</a></td><td>${u.displayName}</td><td>${ct(lang, `role.${u.role}` as ConsoleTextKey)}</td><td>${LANG_NAMES[u.language as Lang] ?? u.language}</td>
<td>${[u.slackId ? `Slack ${u.slackId}` : '', u.discordId ? `Discord ${u.discordId}` : ''].filter(Boolean).join(', ') || '–'}</td><td>${ct(lang, u.disabledAt ? 'users.disabled' : 'users.active')}</td></tr>`,
  )}</tbody></table></div>
<h2>${ct(lang, 'users.add')}</h2>
<form method="post" action="/console/users" class="account">${csrfField(csrf)}
<label for="n-username">${ct(lang, 'users.username')}</label><input type="text" id="n-username" name="username" required maxlength="40" pattern="[a-z0-9._\\-]{2,40}" autocomplete="off">
<label for="n-name">${ct(lang, 'users.name')}</label><input type="text" id="n-name" name="displayName" required maxlength="100">
<label for="n-role">${ct(lang, 'users.role')}</label><select id="n-role" name="role">${roleOptions('technician')}</select>
<label for="n-lang">${ct(lang, 'users.language')}</label><select id="n-lang" name="language">${langOptions('cs')}</select>
<label for="n-slack">${ct(lang, 'users.slack')}</label><input type="text" id="n-slack" name="slackId" maxlength="40">
<label for="n-discord">${ct(lang, 'users.discord')}</label><input type="text" id="n-discord" name="discordId" maxlength="40">
<p class="hint">${ct(lang, 'users.addHint')}</p>
<p><button type="submit">${ct(lang, 'users.addSubmit')}</button></p>
</form>
${users.map((u) => {
  const self = u.id === me.id;
  const base = `/console/users/${encodeURIComponent(u.username)}`;
  return html`<section class="account" id="u-${u.username}" aria-labelledby="h-${u.username}"><h2 id="h-${u.username}">${u.displayName} (${u.username})</h2>
<form method="post" action="${base}">${csrfField(csrf)}
<label for="e-name-${u.username}">${ct(lang, 'users.name')}</label><input type="text" id="e-name-${u.username}" name="displayName" value="${u.displayName}" required maxlength="100">
<label for="e-role-${u.username}">${ct(lang, 'users.role')}</label><select id="e-role-${u.username}" name="role"${self ? html` disabled` : ''}>${roleOptions(u.role)}</select>
<label for="e-lang-${u.username}">${ct(lang, 'users.language')}</label><select id="e-lang-${u.username}" name="language">${langOptions(u.language)}</select>
<label for="e-slack-${u.username}">${ct(lang, 'users.slack')}</label><input type="text" id="e-slack-${u.username}" name="slackId" value="${u.slackId ?? ''}" maxlength="40">
<label for="e-discord-${u.username}">${ct(lang, 'users.discord')}</label><input type="text" id="e-discord-${u.username}" name="discordId" value="${u.discordId ?? ''}" maxlength="40">
<p><button type="submit">${ct(lang, 'users.save')}<span class="visually-hidden"> (${u.username})</span></button></p>
</form>
<div class="inline-forms">
${
  self
    ? html`<a href="/console/me">${ct(lang, 'me.password')}</a>`
    : html`<form method="post" action="${base}/password">${csrfField(csrf)}<button type="submit">${ct(lang, 'users.newPassword')}<span class="visually-hidden"> (${u.username})</span></button></form>
${
  u.disabledAt
    ? html`<form method="post" action="${base}/enable">${csrfField(csrf)}<button type="submit">${ct(lang, 'users.enable')}<span class="visually-hidden"> (${u.username})</span></button></form>`
    : html`<form method="post" action="${base}/disable">${csrfField(csrf)}<button type="submit" class="danger">${ct(lang, 'users.disable')}<span class="visually-hidden"> (${u.username})</span></button></form>`
}`
}
</div></section>`;
})}`;
}

function meBody(lang: Lang, me: OperatorUser, csrf: string, notice?: Notice): Markup {
  return html`${noticeOf(lang, notice)}
<dl class="facts"><dt>${ct(lang, 'users.username')}</dt><dd>${me.username}</dd><dt>${ct(lang, 'users.role')}</dt><dd>${ct(lang, `role.${me.role}` as ConsoleTextKey)}</dd></dl>
<h2>${ct(lang, 'users.language')}</h2>
<form method="post" action="/console/me/language" class="account">${csrfField(csrf)}
<label for="m-lang">${ct(lang, 'me.languageLabel')}</label><select id="m-lang" name="language">${LANGS.map((l) => option(l, LANG_NAMES[l], me.language))}</select>
<p><button type="submit">${ct(lang, 'users.save')}</button></p>
</form>
<h2>${ct(lang, 'me.password')}</h2>
<form method="post" action="/console/me/password" class="account">${csrfField(csrf)}
<label for="m-current">${ct(lang, 'me.current')}</label><input type="password" id="m-current" name="current" autocomplete="current-password" required>
<label for="m-new">${ct(lang, 'login.password')}</label><input type="password" id="m-new" name="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required>
<label for="m-new2">${ct(lang, 'setup.password2')}</label><input type="password" id="m-new2" name="password2" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required>
<p><button type="submit">${ct(lang, 'me.passwordSubmit')}</button></p>
</form>`;
}

/** A Slack or Discord id from a form: trimmed, null when empty; undefined when it is not one. */
function platformId(value: string | undefined): string | null | undefined {
  const v = (value ?? '').trim();
  if (v === '') return null;
  return PLATFORM_ID.test(v) ? v : undefined;
}

export function userPages(app: Hono<ConsoleEnv>, s: AuthSettings): void {
  const show = async (c: Ctx, notice?: Notice, status: 200 | 400 | 404 | 409 = 200) => {
    const lang = c.get('lang');
    const users = await listOperators(s.prisma);
    return c.html(
      page({
        lang,
        title: ct(lang, 'users.title'),
        viewer: viewerOf(c),
        current: '/console/users',
        body: usersBody(lang, users, c.get('user'), c.get('session').csrfToken, notice),
      }),
      status,
    );
  };
  const target = async (c: Ctx) => operatorByUsername(s.prisma, c.req.param('username') ?? '');

  app.get('/users', requireRole('admin'), (c) => show(c));

  app.post('/users', requireRole('admin'), async (c) => {
    const lang = c.get('lang');
    const f = await formOf(c);
    const username = (f.username ?? '').trim();
    const displayName = (f.displayName ?? '').trim().slice(0, 100);
    const role = f.role ?? '';
    const language = f.language ?? 'cs';
    const slackId = platformId(f.slackId);
    const discordId = platformId(f.discordId);
    const password = generatePassword();
    const problem =
      accountProblem(lang, { username, displayName, password }) ??
      (!(ROLES as readonly string[]).includes(role) || !isLang(language) || slackId === undefined || discordId === undefined
        ? ct(lang, 'users.invalid')
        : null);
    if (problem) return show(c, { text: problem, ok: false }, 400);
    try {
      await createOperator(s.prisma, { username, displayName, role: role as Role, language, passwordHash: await hashPassword(password), slackId, discordId });
    } catch (err) {
      if (isUniqueViolation(err)) return show(c, { text: ct(lang, 'users.taken'), ok: false }, 409);
      throw err;
    }
    return show(c, { text: ct(lang, 'users.added', { username }), ok: true, password: { username, value: password } });
  });

  app.post('/users/:username', requireRole('admin'), async (c) => {
    const lang = c.get('lang');
    const user = await target(c);
    if (!user) return show(c, { text: ct(lang, 'users.notFound'), ok: false }, 404);
    const f = await formOf(c);
    const self = user.id === c.get('user').id;
    const displayName = (f.displayName ?? '').trim().slice(0, 100);
    const role = self ? user.role : (f.role ?? '');
    const language = f.language ?? '';
    const slackId = platformId(f.slackId);
    const discordId = platformId(f.discordId);
    if (!displayName || !(ROLES as readonly string[]).includes(role) || !isLang(language) || slackId === undefined || discordId === undefined)
      return show(c, { text: ct(lang, 'users.invalid'), ok: false }, 400);
    try {
      await updateOperator(s.prisma, user.id, { displayName, role, language, slackId, discordId });
    } catch (err) {
      if (isUniqueViolation(err)) return show(c, { text: ct(lang, 'users.taken'), ok: false }, 409);
      throw err;
    }
    // A new role takes effect at once: the account's sessions end.
    if (role !== user.role) await deleteSessionsOf(s.prisma, user.id);
    return show(c, { text: ct(lang, 'users.saved', { username: user.username }), ok: true });
  });

  app.post('/users/:username/:action{disable|enable|password}', requireRole('admin'), async (c) => {
    const lang = c.get('lang');
    const user = await target(c);
    if (!user) return show(c, { text: ct(lang, 'users.notFound'), ok: false }, 404);
    const action = c.req.param('action');
    // Your own password is changed on /console/me (a password made here would sign you out unseen).
    if (user.id === c.get('user').id) return show(c, { text: ct(lang, 'users.notYourself'), ok: false }, 409);
    if (action === 'password') {
      const password = generatePassword();
      await updateOperator(s.prisma, user.id, { passwordHash: await hashPassword(password) });
      await deleteSessionsOf(s.prisma, user.id);
      return show(c, { text: ct(lang, 'users.passwordSet', { username: user.username }), ok: true, password: { username: user.username, value: password } });
    }
    await updateOperator(s.prisma, user.id, { disabledAt: action === 'disable' ? (user.disabledAt ?? s.clock()) : null });
    if (action === 'disable') await deleteSessionsOf(s.prisma, user.id);
    return show(c, { text: ct(lang, action === 'disable' ? 'users.disabledNow' : 'users.enabledNow', { username: user.username }), ok: true });
  });

  const showMe = (c: Ctx, lang: Lang, me: OperatorUser, notice?: Notice, status: 200 | 400 = 200) =>
    c.html(page({ lang, title: ct(lang, 'me.title'), viewer: viewerOf(c), body: meBody(lang, me, c.get('session').csrfToken, notice) }), status);

  app.get('/me', (c) => showMe(c, c.get('lang'), c.get('user')));

  app.post('/me/language', async (c) => {
    const language = (await formOf(c)).language ?? '';
    if (!isLang(language)) return showMe(c, c.get('lang'), c.get('user'), { text: ct(c.get('lang'), 'users.invalid'), ok: false }, 400);
    const me = await updateOperator(s.prisma, c.get('user').id, { language });
    return showMe(c, language, me, { text: ct(language, 'me.languageSaved'), ok: true });
  });

  app.post('/me/password', async (c) => {
    const lang = c.get('lang');
    const me = c.get('user');
    const f = await formOf(c);
    if (!(await verifyPassword(f.current ?? '', me.passwordHash))) return showMe(c, lang, me, { text: ct(lang, 'me.wrongCurrent'), ok: false }, 400);
    const problem = accountProblem(lang, { username: me.username, displayName: me.displayName, password: f.password ?? '', password2: f.password2 ?? '' });
    if (problem) return showMe(c, lang, me, { text: problem, ok: false }, 400);
    await updateOperator(s.prisma, me.id, { passwordHash: await hashPassword(f.password as string) });
    // Every other browser of the account is signed out; this one signs in anew.
    await deleteSessionsOf(s.prisma, me.id);
    return c.redirect('/console/login?changed=1', 303);
  });
}
