// Accounts in the console (issue 17, "Accounts and sign-in", "Languages"): the admin adds,
// changes, disables and re-enables users and makes new passwords (shown once); other roles are
// refused; everyone switches their own language and changes their own password.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addOperator, ConsoleClient, csrfOf } from './helpers/console-client.js';
import { pgAvailable } from './helpers/db.js';
import { startTestLinka, type TestLinka } from './helpers/linka.js';
import { operatorByUsername } from '../src/store/operators.js';

const PG = await pgAvailable();

/** The password the page shows once, for `username`. */
const shownPassword = (page: string) => /<code class="secret">([^<]+)<\/code>/.exec(page)?.[1];

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('console users on $provider', ({ provider, skip }) => {
  let t: TestLinka;
  let admin: ConsoleClient;

  beforeEach(async () => {
    if (skip) return;
    t = await startTestLinka({ provider });
    const password = await addOperator(t.linka.db.prisma, 'eva', 'admin', { displayName: 'Eva Malá' });
    admin = new ConsoleClient(t.base);
    expect((await admin.signIn('eva', password)).status).toBe(303);
  });
  afterEach(async () => {
    if (skip) return;
    await t.stop();
  });

  const signIn = async (username: string, password: string) => {
    const browser = new ConsoleClient(t.base);
    return { browser, status: (await browser.signIn(username, password)).status };
  };

  it.skipIf(skip)('the admin adds a technician, whose password is shown once and works; bad and taken names are refused', async () => {
    const added = await admin.submit('/console/users', '/console/users', {
      username: 'petr',
      displayName: 'Petr Novotný',
      role: 'technician',
      language: 'sk',
      slackId: 'U123',
    });
    expect(added.status).toBe(200);
    expect(added.text).toContain('Uživatel petr byl vytvořen.');
    const password = shownPassword(added.text) as string;
    expect(password).toMatch(/^\S{20}$/);
    expect(await operatorByUsername(t.linka.db.prisma, 'petr')).toMatchObject({
      role: 'technician',
      language: 'sk',
      slackId: 'U123',
      displayName: 'Petr Novotný',
    });
    // Shown once: the list does not show it again.
    expect((await admin.get('/console/users')).text).not.toContain(password);
    const petr = await signIn('petr', password);
    expect(petr.status).toBe(303);
    // In his language, Slovak.
    expect((await petr.browser.get('/console/tickets')).text).toContain('<html lang="sk">');

    const bad = await admin.submit('/console/users', '/console/users', { username: 'Petr Novák', displayName: 'X', role: 'technician', language: 'cs' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Uživatelské jméno smí obsahovat jen malá písmena');
    const taken = await admin.submit('/console/users', '/console/users', { username: 'petr', displayName: 'Jiný Petr', role: 'viewer', language: 'cs' });
    expect(taken.status).toBe(409);
    const role = await admin.submit('/console/users', '/console/users', { username: 'jana', displayName: 'Jana', role: 'owner', language: 'cs' });
    expect(role.status).toBe(400);
    expect(await t.linka.db.prisma.operatorUser.count()).toBe(2);
  });

  it.skipIf(skip)('a new role, a disabled account and a new password take effect at once; the admin cannot lock themselves out', async () => {
    const password = await addOperator(t.linka.db.prisma, 'petr', 'technician');
    const petr = await signIn('petr', password);
    // Technicians do not manage users: no page, and a forged POST is refused.
    expect((await petr.browser.get('/console/users')).status).toBe(403);
    const forged = await petr.browser.post('/console/users', {
      _csrf: csrfOf((await petr.browser.get('/console/tickets')).text),
      username: 'mallory',
      displayName: 'M',
      role: 'admin',
      language: 'cs',
    });
    expect(forged.status).toBe(403);
    expect(await operatorByUsername(t.linka.db.prisma, 'mallory')).toBeNull();

    const demoted = await admin.submit('/console/users', '/console/users/petr', {
      displayName: 'Petr Novotný',
      role: 'viewer',
      language: 'cs',
      slackId: '',
      discordId: '',
    });
    expect(demoted.text).toContain('Změny u uživatele petr jsou uložené.');
    expect((await petr.browser.get('/console/tickets')).location).toBe('/console/login?expired=1');
    expect(await operatorByUsername(t.linka.db.prisma, 'petr')).toMatchObject({ role: 'viewer', displayName: 'Petr Novotný' });

    expect((await admin.submit('/console/users', '/console/users/petr/disable', {})).text).toContain('Uživatel petr je zablokovaný');
    expect((await signIn('petr', password)).status).toBe(401);
    expect((await admin.submit('/console/users', '/console/users/petr/enable', {})).text).toContain('Uživatel petr se může znovu přihlásit.');
    expect((await signIn('petr', password)).status).toBe(303);

    const reset = await admin.submit('/console/users', '/console/users/petr/password', {});
    const fresh = shownPassword(reset.text) as string;
    expect(fresh).toBeDefined();
    expect((await signIn('petr', password)).status).toBe(401);
    expect((await signIn('petr', fresh)).status).toBe(303);

    const self = await admin.submit('/console/users', '/console/users/eva/disable', {});
    expect(self.status).toBe(409);
    expect(self.text).toContain('Vlastní účet zde zablokovat ani mu změnit heslo nelze');
    // Nor make themselves a password they would never see.
    expect((await admin.submit('/console/users', '/console/users/eva/password', {})).status).toBe(409);
    expect((await admin.get('/console/users')).status).toBe(200);
    // Their own role cannot be changed by the form either (the field is not sent, nothing changes).
    await admin.submit('/console/users', '/console/users/eva', { displayName: 'Eva Malá', role: 'viewer', language: 'cs' });
    expect(await operatorByUsername(t.linka.db.prisma, 'eva')).toMatchObject({ role: 'admin', disabledAt: null });
    expect((await admin.submit('/console/users', '/console/users/nobody/disable', {})).status).toBe(404);
  });

  it.skipIf(skip)('everyone picks their own language and changes their own password', async () => {
    const password = await addOperator(t.linka.db.prisma, 'zuzana', 'viewer');
    const zuzana = (await signIn('zuzana', password)).browser;
    expect((await zuzana.get('/console/me')).text).toContain('Můj účet');
    const sk = await zuzana.submit('/console/me', '/console/me/language', { language: 'sk' });
    expect(sk.text).toContain('Jazyk konzoly je uložený.');
    const tickets = (await zuzana.get('/console/tickets')).text;
    expect(tickets).toContain('<html lang="sk">');
    expect(tickets).toContain('Požiadavky');
    expect((await zuzana.submit('/console/me', '/console/me/language', { language: 'en' })).text).toContain('The console language is saved.');
    expect((await zuzana.get('/console/dashboard')).text).toContain('Conversations started');
    expect((await zuzana.submit('/console/me', '/console/me/language', { language: 'de' })).status).toBe(400);

    const wrong = await zuzana.submit('/console/me', '/console/me/password', {
      current: 'not it at all',
      password: 'a new long passphrase',
      password2: 'a new long passphrase',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('The current password is not right.');
    const short = await zuzana.submit('/console/me', '/console/me/password', { current: password, password: 'short', password2: 'short' });
    expect(short.status).toBe(400);
    const changed = await zuzana.submit('/console/me', '/console/me/password', {
      current: password,
      password: 'a new long passphrase',
      password2: 'a new long passphrase',
    });
    expect(changed.location).toBe('/console/login?changed=1');
    expect((await zuzana.get('/console/tickets')).status).toBe(302);
    expect((await signIn('zuzana', password)).status).toBe(401);
    expect((await signIn('zuzana', 'a new long passphrase')).status).toBe(303);
  });
});
