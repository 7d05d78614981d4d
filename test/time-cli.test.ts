// `linka time`: a trial without Slack or Discord can log time on a ticket from the command line
// and see it on the month's statement. The ticket is opened the way a customer opens one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/store/client.js';
import { createTestDatabase } from './helpers/db.js';
import { createHarness, seedCustomers } from './helpers/harness.js';
import { type LinkaRun, runLinka } from './helpers/run-linka.js';

let db: Db;
let url: string;
let drop: () => Promise<void>;
let number: string;

beforeAll(async () => {
  const made = await createTestDatabase('sqlite');
  ({ db, url, drop } = made);
  await seedCustomers(db);
  const h = createHarness(db);
  for (const text of ['Dobrý den', '4', 'Potřebuji změnit nastavení routeru.', 'dnes']) await h.say(text, { phone: '+420603123456' });
  number = (await h.say('ano', { phone: '+420603123456' })).ticketNumber as string;
  await db.close();
});
afterAll(async () => {
  await drop();
});

function linka(args: string[]): Promise<LinkaRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url };
  for (const k of ['LINKA_CONFIG', 'NODE_ENV', 'TELEGRAM_BOT_TOKEN', 'TWILIO_ACCOUNT_SID', 'SLACK_BOT_TOKEN', 'DISCORD_BOT_TOKEN']) delete env[k];
  return runLinka(args, { env });
}

describe('linka time', () => {
  it('logs time on a ticket by its short number, and the statement shows it', async () => {
    expect(number).toMatch(/^T-\d{4}-00001$/);
    // "placene:" makes the work billable whatever the ticket's kind of work ("Something else" is free by default).
    const logged = await linka(['time', '1', '1h30', 'placene:', 'Výměna', 'routeru', '--technician', 'Petr Novák']);
    expect(logged.stderr).toBe('');
    expect(logged.code).toBe(0);
    expect(logged.stdout).toBe(`Zapsáno 90 min k ${number}.\n`);
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Prague', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
    const statement = await linka(['statement', '--month', month, '--format', 'json']);
    expect(statement.code).toBe(0);
    const lines = JSON.parse(statement.stdout).customers.flatMap((c: { lines: unknown[] }) => c.lines) as Array<Record<string, unknown>>;
    // Jan Novák's PLUS tier includes three hours a month: the 90 minutes come out of them.
    expect(lines).toEqual([
      expect.objectContaining({ ticket: number, technicianName: 'Petr Novák', minutes: 90, activity: 'Výměna routeru', kind: 'work', includedMinutes: 90 }),
    ]);
  });

  it('explains a bad ticket, duration or missing activity (exit 2), and an unknown ticket (exit 1)', async () => {
    const noActivity = await linka(['time', '1', '45m']);
    expect(noActivity.code).toBe(2);
    expect(noActivity.stderr).toBe(
      "linka: missing required argument 'activity'\nusage: linka time [options] <ticket> <duration> <activity...>\nsee `linka time --help` (every command: `linka --help`)\n",
    );
    const badDuration = await linka(['time', '1', 'hodinu', 'něco']);
    expect(badDuration.code).toBe(2);
    expect(badDuration.stderr).toContain('"hodinu" is not a duration such as 45m, 1h30 or 90');
    const unknown = await linka(['time', '999', '45m', 'něco']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^linka: .*T-\d{4}-00999/);
  });
});
