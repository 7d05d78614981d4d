// A reporter that says, after vitest's own summary, when the PostgreSQL suites did not run:
// a green run without them is not a full run, and should not look like one.
import pg from 'pg';
import type { Reporter, TestModule } from 'vitest/node';

/** The server the suites use (as test/helpers/db.ts reads it). */
const url = (): string => process.env.LINKA_TEST_PG_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';

async function reachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: url(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The same address without a password, for the banner. */
function shown(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(LINKA_TEST_PG_URL is not a URL)';
  }
}

export default class PostgresReporter implements Reporter {
  private down: Promise<string | null> = Promise.resolve(null);

  onInit(): void {
    this.down = reachable();
  }

  async onTestRunEnd(modules: ReadonlyArray<TestModule>): Promise<void> {
    const why = await this.down;
    if (why === null) return;
    let skipped = 0;
    for (const m of modules) for (const t of m.children.allTests()) if (t.result().state === 'skipped') skipped++;
    const red = (s: string) => (process.stderr.isTTY ? `\x1b[1;41;97m${s}\x1b[0m` : s);
    const lines = [
      '',
      red(' POSTGRESQL SUITES SKIPPED: THIS WAS NOT A FULL RUN '),
      `PostgreSQL at ${shown(url())} did not answer (${why}).`,
      `${skipped} tests were skipped, among them every PostgreSQL variant (claims across processes, two instances, the database going down).`,
      'Start PostgreSQL (or set LINKA_TEST_PG_URL) and run `npm test` again before calling it green. Under CI (CI set) they fail instead of skipping.',
      '',
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
  }
}
