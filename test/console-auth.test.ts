// The operator console's accounts and sign-in (issue 17, "Accounts and sign-in"), over HTTP
// against a real Linka: the first-run set-up link, throttled sign-in, CSRF, the role guard,
// idle and absolute timeouts, sign-out everywhere, and sessions shared by two processes on
// one PostgreSQL. The new tables are written on SQLite and PostgreSQL.
import { afterEach, describe, expect, it } from 'vitest';
import { pgAvailable } from './helpers/db.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { addOperator, capturingLogger, ConsoleClient, csrfOf } from './helpers/console-client.js';

const PG = await pgAvailable();

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('console sign-in on $provider', ({ provider, skip }) => {
  const started: TestLinka[] = [];
  afterEach(async () => {
    for (const t of started.reverse()) await t.stop();
    started.length = 0;
  });
  async function start(opts: Parameters<typeof startTestLinka>[0] = {}) {
    const t = await startTestLinka({ provider, ...opts });
    started.push(t);
    return t;
  }

  it.skipIf(skip)('first run: the start-up log has a one-time set-up link; it makes the first admin, who is signed in and can sign in again', async () => {
    const { log, lines } = capturingLogger();
    const t = await start({ log });
    const line = lines.find((l) => l.includes('/console/setup?token='));
    expect(line).toBeDefined();
    // The link is in that one line only.
    const link = /(http:\/\/[^\s"]+\/console\/setup\?token=([a-p]{64}))/.exec(line as string);
    expect(link).not.toBeNull();
    expect(lines.filter((l) => l.includes(link?.[2] as string))).toHaveLength(1);
    const path = new URL(link?.[1] as string).pathname + new URL(link?.[1] as string).search;
    expect(link?.[1]).toBe(`http://127.0.0.1:${t.linka.address.port}${path}`);

    const browser = new ConsoleClient(t.base);
    expect((await browser.get('/console')).location).toBe('/console/login');
    const form = await browser.get(path);
    expect(form.status).toBe(200);
    // Too short a password, and two that differ, are refused with the reason.
    const short = await browser.post('/console/setup', {
      _csrf: csrfOf(form.text),
      token: link?.[2] as string,
      username: 'eva',
      displayName: 'Eva Malá',
      password: 'short',
      password2: 'short',
    });
    expect(short.status).toBe(400);
    expect(short.text).toContain('Heslo musí mít aspoň 10 znaků.');
    const made = await browser.post('/console/setup', {
      _csrf: csrfOf(form.text),
      token: link?.[2] as string,
      username: 'eva',
      displayName: 'Eva Malá',
      password: 'correct horse battery',
      password2: 'correct horse battery',
    });
    expect(made.status).toBe(303);
    expect(made.location).toBe('/console/tickets');
    const tickets = await browser.get('/console/tickets');
    expect(tickets.status).toBe(200);
    expect(tickets.text).toContain('Eva Malá (správce)');
    expect(tickets.text).toContain('>Uživatelé<');
    expect((await browser.get('/console')).location).toBe('/console/tickets');
    const user = await t.linka.db.prisma.operatorUser.findUniqueOrThrow({ where: { username: 'eva' } });
    expect(user.role).toBe('admin');
    expect(user.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);

    // The link works once.
    expect((await new ConsoleClient(t.base).get(path)).status).toBe(404);
    // Signed out, then in again with the password.
    const out = await browser.submit('/console/tickets', '/console/logout', {});
    expect(out.location).toBe('/console/login?bye=1');
    expect((await browser.get('/console/tickets')).location).toBe('/console/login');
    const again = await browser.signIn('eva', 'correct horse battery');
    expect(again.status).toBe(303);
    expect((await browser.get('/console/tickets')).status).toBe(200);
  });

  it.skipIf(skip)(
    'sets the session cookie HttpOnly, SameSite=Lax, Path=/console, Secure only when PUBLIC_URL is https; every page has the strict CSP',
    async () => {
      const t = await start({ env: { PUBLIC_URL: 'https://linka.example.cz' } });
      await addOperator(t.linka.db.prisma, 'petr', 'technician', { password: 'petr-password-1' });
      const browser = new ConsoleClient(t.base);
      const login = await browser.get('/console/login');
      expect(login.headers.get('content-security-policy')).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
      );
      expect(login.text).not.toMatch(/<script>|<style|style="|onclick=/);
      const res = await fetch(`${t.base}/console/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `linka_csrf=${browser.cookies.get('linka_csrf')}` },
        body: new URLSearchParams({ _csrf: csrfOf(login.text), username: 'petr', password: 'petr-password-1' }).toString(),
      });
      expect(res.status).toBe(303);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('linka_session='));
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Path=\/console/);
      expect(cookie).toMatch(/; Secure/);
      // The database keeps only the token's hash.
      const token = /linka_session=([^;]+)/.exec(cookie as string)?.[1] as string;
      const sessions = await t.linka.db.prisma.operatorSession.findMany();
      expect(sessions).toHaveLength(1);
      expect(sessions[0]?.id).not.toBe(token);
      expect(sessions[0]?.id).toMatch(/^[0-9a-f]{64}$/);
    },
  );

  it.skipIf(skip)('refuses sign-in after 5 failed attempts for an account (429, with a clear message) until 15 minutes have passed', async () => {
    const t = await start();
    await addOperator(t.linka.db.prisma, 'petr', 'technician', { password: 'petr-password-1' });
    const browser = new ConsoleClient(t.base);
    for (let i = 0; i < 5; i++) expect((await browser.signIn('petr', 'wrong password')).status).toBe(401);
    const refused = await browser.signIn('petr', 'petr-password-1');
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Příliš mnoho neúspěšných pokusů o přihlášení. Zkuste to prosím znovu za 15 minut.');
    expect(await t.linka.db.prisma.loginAttempt.count({ where: { username: 'petr', ok: false } })).toBe(5);
    t.clock.advance(16);
    expect((await browser.signIn('petr', 'petr-password-1')).status).toBe(303);
  });

  it.skipIf(skip)('rejects a POST without the CSRF token, with a wrong one, or from another Origin: 403 with a page that says what to do', async () => {
    const t = await start();
    await addOperator(t.linka.db.prisma, 'admin', 'admin', { password: 'admin-password-1' });
    const browser = new ConsoleClient(t.base);
    // The sign-in form too.
    expect((await browser.post('/console/login', { username: 'admin', password: 'admin-password-1' })).status).toBe(403);
    expect((await browser.signIn('admin', 'admin-password-1')).status).toBe(303);
    const missing = await browser.post('/console/logout-everywhere', {});
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('Formulář vypršel nebo nepochází z této konzole.');
    expect((await browser.post('/console/logout', { _csrf: 'x'.repeat(43) })).status).toBe(403);
    const page = await browser.get('/console/tickets');
    expect((await browser.post('/console/logout', { _csrf: csrfOf(page.text) }, { origin: 'https://evil.example' })).status).toBe(403);
    // Still signed in after all that; the header form of the token works (fetch).
    expect((await browser.get('/console/tickets')).status).toBe(200);
    expect((await browser.post('/console/logout', {}, { 'x-csrf-token': csrfOf(page.text), origin: t.base })).status).toBe(303);
  });

  it.skipIf(skip)('signs out after console.idleMinutes without a request, and console.sessionHours after sign-in however active', async () => {
    const t = await start({ config: { company: { name: 'Test ISP' }, console: { idleMinutes: 30, sessionHours: 2 } } });
    await addOperator(t.linka.db.prisma, 'petr', 'technician', { password: 'petr-password-1' });
    const browser = new ConsoleClient(t.base);
    await browser.signIn('petr', 'petr-password-1');
    t.clock.advance(29);
    expect((await browser.get('/console/tickets')).status).toBe(200);
    t.clock.advance(31);
    expect((await browser.get('/console/tickets')).location).toBe('/console/login?expired=1');
    expect(await t.linka.db.prisma.operatorSession.count()).toBe(0);

    await browser.signIn('petr', 'petr-password-1');
    for (let i = 0; i < 4; i++) {
      t.clock.advance(29);
      expect((await browser.get('/console/tickets')).status).toBe(200);
    }
    t.clock.advance(5); // 121 minutes after sign-in
    expect((await browser.get('/console/tickets')).location).toBe('/console/login?expired=1');
  });

  it.skipIf(skip)('signing out everywhere ends every session of the user, not other users\u2019', async () => {
    const t = await start();
    await addOperator(t.linka.db.prisma, 'petr', 'technician', { password: 'petr-password-1' });
    await addOperator(t.linka.db.prisma, 'eva', 'viewer', { password: 'eva-password-1' });
    const phone = new ConsoleClient(t.base);
    const desk = new ConsoleClient(t.base);
    const eva = new ConsoleClient(t.base);
    await phone.signIn('petr', 'petr-password-1');
    await desk.signIn('petr', 'petr-password-1');
    await eva.signIn('eva', 'eva-password-1');
    expect((await desk.submit('/console/tickets', '/console/logout-everywhere', {})).status).toBe(303);
    expect((await phone.get('/console/tickets')).status).toBe(302);
    expect((await desk.get('/console/tickets')).status).toBe(302);
    expect((await eva.get('/console/tickets')).status).toBe(200);
  });

  it.skipIf(skip || provider !== 'postgresql')('a session made on one process works on a second process sharing the PostgreSQL database', async () => {
    const one = await start();
    const two = await start({ databaseUrl: one.url });
    await addOperator(one.linka.db.prisma, 'petr', 'technician', { password: 'petr-password-1' });
    const browser = new ConsoleClient(one.base);
    expect((await browser.signIn('petr', 'petr-password-1')).status).toBe(303);
    const other = new ConsoleClient(two.base);
    other.cookies = browser.cookies;
    const page = await other.get('/console/tickets');
    expect(page.status).toBe(200);
    expect(page.text).toContain('petr (technik)');
  });
});
