// The README's trial, run as it is written: the shell block after "<!-- trial" in README.md, by
// bash, in the clone's root, on a new SQLite database. A newcomer's first five minutes: customers
// imported, a conversation that opens ticket 1, time logged from the command line, and a
// statement that has that line.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/child-linka.js';
import { runProcess } from './helpers/run-linka.js';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const dir = mkdtempSync(path.join(tmpdir(), 'linka-trial-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The commands of the trial block. */
function trialBlock(): string {
  const block = /<!-- trial[^>]*-->\n```sh\n([\s\S]*?)```/.exec(README)?.[1];
  if (!block) throw new Error('README.md has no "<!-- trial -->" shell block');
  return block;
}

describe("the README's trial", () => {
  it('imports the customers, opens ticket 1 in the shell, logs 45 minutes and shows them on the statement', async () => {
    const script = trialBlock();
    // The commands as a newcomer types them: nothing but ./linka, examples/ and standard tools.
    expect(script).toContain('./linka customers import examples/customers.example.csv');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // The database the README's default would be (./data/linka.db), here in a directory of the test's own.
      DATABASE_URL: `file:${path.join(dir, 'linka.db')}`,
      // `date +%Y-%m` and the company's time zone agree on the month also near midnight.
      TZ: 'Europe/Prague',
    };
    const { code, stdout, stderr } = await runProcess('bash', ['-euo', 'pipefail', '-c', script], { cwd: ROOT, env, timeoutMs: 100_000 });
    expect(stderr).toBe('');
    expect(code).toBe(0);

    const year = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Prague', year: 'numeric' }).format(new Date());
    const ticket = `T-${year}-00001`;
    expect(stdout).toContain('Imported 3 customer(s) from examples/customers.example.csv: 3 created');
    expect(stdout).toContain('you are the customer Jan Novák (contract 2024-0153');
    // The ticket was opened from the conversation, and :ticket shows it with its history.
    expect(stdout).toContain(`Váš požadavek jsem předala technikům pod číslem ${ticket}.`);
    expect(stdout).toMatch(new RegExp(`${ticket} \\[open\\] internet`));
    expect(stdout).toContain('Od rána nejde žádná stránka.');
    expect(stdout).toContain(`Zapsáno 45 min k ${ticket}.`);
    // The statement: its header, the line of those 45 minutes, the customer's total.
    const csv = stdout.slice(stdout.indexOf('type,month,contract'));
    const rows = csv.trim().split('\n');
    expect(rows[0]).toMatch(/^type,month,contract,customer,tier,date,time,ticket,technician,kind,activity,minutes,/);
    const line = rows.find((r) => r.startsWith('line,'));
    expect(line).toContain(`2024-0153,Jan Novák,PLUS,`);
    expect(line).toContain(`,${ticket},Petr Novák,work,Výměna routeru,45,45,45,`);
    expect(rows.some((r) => r.startsWith('total,') && r.includes('2024-0153'))).toBe(true);
  }, 120_000);
});
