// `linka users add|list|disable|reset-password` (issue 17: "linka users ... in the CLI as well"):
// accounts for the operator console from the command line, on SQLite and PostgreSQL.
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/command.js';
import { main } from '../src/cli/index.js';
import { verifyPassword } from '../src/console/password.js';
import { openDatabase } from '../src/store/client.js';
import { createTestDatabase, pgAvailable } from './helpers/db.js';

const PG = await pgAvailable();

describe.each([
  { provider: 'sqlite' as const, skip: false },
  { provider: 'postgresql' as const, skip: !PG },
])('linka users on $provider', ({ provider, skip }) => {
  let url: string;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    if (skip) return;
    const made = await createTestDatabase(provider);
    ({ url, drop } = made);
    // The commands open the database themselves (on SQLite, one connection at a time): the test
    // reads it afresh each time.
    await made.db.close();
  });
  afterEach(async () => {
    if (skip) return;
    await drop();
  });

  /** Runs `linka ARGS` in-process with `stdin` piped in (undefined: no input at all). */
  async function linka(args: string[], stdin?: string) {
    let out = '';
    let err = '';
    const io: CliIo = {
      env: { DATABASE_URL: url, LINKA_CONFIG: '/nonexistent/linka.config.yaml' },
      out: (line) => {
        out += `${line}\n`;
      },
      write: (text) => {
        out += text;
      },
      err: (line) => {
        err += `linka: ${line}\n`;
      },
      writeErr: (text) => {
        err += text;
      },
      input: stdin === undefined ? undefined : Readable.from([stdin]),
    };
    const code = await main(args, io);
    return { code, out, err };
  }
  async function inDb<T>(work: (prisma: Awaited<ReturnType<typeof openDatabase>>['prisma']) => Promise<T>): Promise<T> {
    const db = await openDatabase(url);
    try {
      return await work(db.prisma);
    } finally {
      await db.close();
    }
  }
  const user = (username: string) => inDb((prisma) => prisma.operatorUser.findUniqueOrThrow({ where: { username } }));

  it.skipIf(skip)('adds users with the password piped in, or generated and printed once; lists them', async () => {
    const added = await linka(['users', 'add', 'Petr', '--role', 'technician', '--name', 'Petr Novotný', '--slack', 'U123'], 'tajne-heslo-123\n');
    expect(added).toMatchObject({ code: 0, err: '', out: 'added petr (technician)\n' });
    const petr = await user('petr');
    expect(petr).toMatchObject({ displayName: 'Petr Novotný', role: 'technician', language: 'cs', slackId: 'U123', disabledAt: null });
    expect(await verifyPassword('tajne-heslo-123', petr.passwordHash)).toBe(true);

    const generated = await linka(['users', 'add', 'eva', '--role', 'viewer', '--language', 'sk']);
    expect(generated.code).toBe(0);
    const password = /password for eva \(shown once, give it to them safely\): (\S+)/.exec(generated.out)?.[1];
    expect(password).toMatch(/^[a-zA-Z2-9]{20}$/);
    expect(await verifyPassword(password as string, (await user('eva')).passwordHash)).toBe(true);

    const list = await linka(['users', 'list']);
    expect(list.code).toBe(0);
    expect(list.out.split('\n')[0]).toMatch(/^username\s+name\s+role\s+language\s+state\s+linked$/);
    expect(list.out).toMatch(/eva\s+eva\s+viewer\s+sk\s+active\s+-/);
    expect(list.out).toMatch(/petr\s+Petr Novotný\s+technician\s+cs\s+active\s+slack:U123/);
    expect(list.out).not.toContain('scrypt');
  });

  it.skipIf(skip)('refuses a bad role, a short password and a username taken (exit 2)', async () => {
    expect((await linka(['users', 'add', 'petr', '--role', 'boss'], 'tajne-heslo-123\n')).code).toBe(2);
    const short = await linka(['users', 'add', 'petr', '--role', 'admin'], 'kratke\n');
    expect(short.code).toBe(2);
    expect(short.err).toContain('the password must be at least 10 characters long');
    expect((await linka(['users', 'add', 'petr', '--role', 'admin'], 'tajne-heslo-123\n')).code).toBe(0);
    const taken = await linka(['users', 'add', 'petr', '--role', 'admin'], 'tajne-heslo-456\n');
    expect(taken.code).toBe(2);
    expect(taken.err).toContain('the user petr exists already');
  });

  it.skipIf(skip)('disable and reset-password end the user\u2019s sessions; the old password stops working', async () => {
    await linka(['users', 'add', 'petr', '--role', 'technician'], 'tajne-heslo-123\n');
    const petr = await user('petr');
    const session = (id: string) => ({
      id,
      userId: petr.id,
      csrfToken: 'x',
      createdAt: new Date(),
      lastSeenAt: new Date(),
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    await inDb((prisma) => prisma.operatorSession.create({ data: session('a'.repeat(64)) }));
    const reset = await linka(['users', 'reset-password', 'petr'], 'nove-heslo-4567\n');
    expect(reset).toMatchObject({ code: 0, out: 'new password set for petr; 1 session(s) ended\n' });
    const after = await user('petr');
    expect(await verifyPassword('nove-heslo-4567', after.passwordHash)).toBe(true);
    expect(await verifyPassword('tajne-heslo-123', after.passwordHash)).toBe(false);

    await inDb((prisma) => prisma.operatorSession.create({ data: session('b'.repeat(64)) }));
    expect(await linka(['users', 'disable', 'petr'])).toMatchObject({ code: 0, out: 'disabled petr; 1 session(s) ended\n' });
    expect((await user('petr')).disabledAt).not.toBeNull();
    expect(await inDb((prisma) => prisma.operatorSession.count())).toBe(0);
    expect((await linka(['users', 'disable', 'nobody'])).code).toBe(2);
  });
});
