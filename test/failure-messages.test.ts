// The failures a new operator meets first, said in their terms with what to do: a port in use,
// PostgreSQL not running, a database not created, a wrong user; DATABASE_URL's password is
// never printed. The real `linka` command against real sockets and the loopback PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainFailure } from '../src/cli/failure.js';
import { pgAvailable, testPgUrl } from './helpers/db.js';
import { runLinka } from './helpers/run-linka.js';

const dir = mkdtempSync(path.join(tmpdir(), 'linka-failures-'));
const hasPg = await pgAvailable();
let busy: Server;
let busyPort = 0;
let closedPort = 0;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
  // A port nothing listens on: bound by the kernel's choice, then closed.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterAll(async () => {
  await new Promise<void>((resolve) => busy.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME, ...extra });

describe('failure messages', () => {
  it('says the port is in use and to set PORT, instead of "listen EADDRINUSE"', async () => {
    const r = await runLinka(['serve'], { env: env({ PORT: String(busyPort), DATABASE_URL: `file:${path.join(dir, 'port.db')}` }), cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `linka: port ${busyPort} is in use (another Linka, or another program listens on 127.0.0.1:${busyPort}); set PORT to a free one, e.g. PORT=${busyPort + 1}, or stop the other program\n`,
    );
  }, 60_000);

  it('names DATABASE_URL and asks whether PostgreSQL runs when nothing answers there, without the password', async () => {
    for (const args of [['serve'], ['outage', 'list']]) {
      const r = await runLinka(args, { env: env({ PORT: '0', DATABASE_URL: `postgresql://linka:s3cretPassw0rd@127.0.0.1:${closedPort}/linka` }), cwd: dir });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toBe(
        `linka: cannot reach PostgreSQL at 127.0.0.1:${closedPort}, the server DATABASE_URL names (nothing answers there): is PostgreSQL running, and is DATABASE_URL right? Without DATABASE_URL, Linka uses SQLite at ./data/linka.db.\n`,
      );
      expect(r.stdout + r.stderr).not.toContain('s3cretPassw0rd');
    }
  }, 60_000);

  it.runIf(hasPg)(
    'says how to create a database that does not exist (PostgreSQL)',
    async () => {
      const url = new URL(testPgUrl());
      url.pathname = '/linka_never_created';
      const r = await runLinka(['outage', 'list'], { env: env({ DATABASE_URL: url.toString() }), cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `the database "linka_never_created" does not exist on the PostgreSQL server at ${url.hostname}:${url.port || '5432'} (DATABASE_URL)`,
      );
      expect(r.stderr).toContain(
        `createdb -h ${url.hostname} -p ${url.port || '5432'} -U ${decodeURIComponent(url.username) || 'postgres'} linka_never_created`,
      );
    },
    60_000,
  );

  it.runIf(hasPg)(
    'says PostgreSQL refused the user in DATABASE_URL',
    async () => {
      const url = new URL(testPgUrl());
      url.username = 'no_such_linka_role';
      url.password = 'an0therSecret';
      const r = await runLinka(['outage', 'list'], { env: env({ DATABASE_URL: url.toString() }), cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^linka: PostgreSQL at .* refused the user "no_such_linka_role" \(DATABASE_URL\): check the user name and password/);
      expect(r.stderr).not.toContain('an0therSecret');
    },
    60_000,
  );

  it('explains an SQLite file that cannot be opened, and leaves other errors as they are', () => {
    const e = Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' });
    expect(explainFailure(e, { DATABASE_URL: 'file:/nowhere/linka.db' })).toBe(
      'cannot open the SQLite database file:/nowhere/linka.db (DATABASE_URL): its directory must exist and be writable by this user',
    );
    expect(explainFailure(new Error('no outage nope'), {})).toBe('no outage nope');
    // An ECONNREFUSED that is not the database's (SQLite in use) keeps its own message.
    expect(explainFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), {})).toBe('connect ECONNREFUSED 127.0.0.1:9');
  });
});
