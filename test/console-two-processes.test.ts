// Two `linka serve` processes on one PostgreSQL behind a load balancer (issue 17, "What must be
// shown"): a console session made on one works on the other, for reading and for a POST with its
// CSRF token, and signing out on one ends it on both. Skipped without a PostgreSQL server
// (required under CI, as the other two-process suites).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/store/client.js';
import { startChildLinka, type ChildLinka } from './helpers/child-linka.js';
import { addOperator, ConsoleClient, csrfOf } from './helpers/console-client.js';
import { createEmptyDatabase, pgAvailable, type EmptyDatabase } from './helpers/db.js';

const PG = await pgAvailable();

describe.skipIf(!PG)('the console on two processes sharing one PostgreSQL', () => {
  let database: EmptyDatabase;
  let db: Db;
  const processes: ChildLinka[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    database = await createEmptyDatabase('postgresql');
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(path.join(tmpdir(), 'linka-console-two-'));
      dirs.push(dir);
      processes.push(await startChildLinka({ cwd: dir, env: { DATABASE_URL: database.url } }));
    }
    db = await openDatabase(database.url);
  }, 120_000);
  afterAll(async () => {
    for (const p of processes) await p.terminate();
    await db?.close();
    await database?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('a session made on one process works on the other, and signing out on either ends it on both', async () => {
    const [a, b] = processes as [ChildLinka, ChildLinka];
    expect(a.port).not.toBe(b.port);
    const password = await addOperator(db.prisma, 'eva', 'admin', { displayName: 'Eva Malá' });
    const onA = new ConsoleClient(a.base);
    expect((await onA.signIn('eva', password)).status).toBe(303);
    // The same browser (its cookie), now sent to the other process.
    const onB = new ConsoleClient(b.base);
    onB.cookies = new Map(onA.cookies);
    const page = await onB.get('/console/me');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Eva Malá');
    // A POST on B with the CSRF token A's page gave.
    const token = csrfOf((await onA.get('/console/me')).text);
    const saved = await onB.post('/console/me/language', { _csrf: token, language: 'en' });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('The console language is saved.');
    expect((await onA.get('/console/tickets')).text).toContain('<html lang="en">');
    // Signing out on B ends the session A knows too.
    expect((await onB.post('/console/logout', { _csrf: token })).status).toBe(303);
    expect((await onA.get('/console/tickets')).location).toBe('/console/login?expired=1');
  }, 60_000);
});
