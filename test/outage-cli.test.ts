// `linka outage start|list|update|resolve` through the real CLI (child processes) on a temp
// SQLite database with imported customers, Telegram "on" in the environment (its secrets set;
// nothing is sent: the notices wait in the outbox for the server).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LinkaRun, runLinka } from './helpers/run-linka.js';
import { importCustomers, parseCustomersCsv } from '../src/import/customers-csv.js';
import { openDatabase } from '../src/store/client.js';
import { applyMigrations } from '../src/store/migrate.js';

const CSV = `contract_number,name,phones,language,tier,area,access_point,address,email,telegram_id
2024-0153,Jan Novák,+420603123456,cs,PLUS,Plzeň-Bory,,,,7001
2024-0200,Eva Malá,+420603999888,cs,,Plzeň-Doubravka,,,,7003
SK-77,Zuzana Kováčová,+421905123456,sk,,Petržalka,,,,7002
`;

let dir: string;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'linka-outage-'));
  url = `file:${path.join(dir, 'linka.db')}`;
  await applyMigrations(url);
  const db = await openDatabase(url);
  try {
    await importCustomers(db.prisma, parseCustomersCsv(CSV, { region: 'CZ', defaultLanguage: 'cs' }));
  } finally {
    await db.close();
  }
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function linka(args: string[], opts: { channels?: boolean } = {}): Promise<LinkaRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    TELEGRAM_BOT_TOKEN: '123456:TEST',
    TELEGRAM_WEBHOOK_SECRET: 'tg-secret',
    TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
  };
  for (const k of ['LINKA_CONFIG', 'NODE_ENV', 'TWILIO_ACCOUNT_SID', 'SLACK_BOT_TOKEN', 'DISCORD_BOT_TOKEN']) delete env[k];
  if (opts.channels === false) delete env.TELEGRAM_BOT_TOKEN;
  return runLinka(['outage', ...args], { env, cwd: dir });
}

/** The texts of the replies queued for one conversation, oldest first. */
async function queuedTexts(target: string): Promise<string[]> {
  const db = await openDatabase(url);
  try {
    const items = await db.prisma.outboxItem.findMany({ where: { kind: 'reply', target }, orderBy: { id: 'asc' } });
    return items.map((i) => (i.payload as { reply: { text: string } }).reply.text);
  } finally {
    await db.close();
  }
}

async function queued(): Promise<Record<string, number>> {
  const db = await openDatabase(url);
  try {
    const items = await db.prisma.outboxItem.findMany({ where: { kind: 'reply' } });
    const counts: Record<string, number> = {};
    for (const i of items) counts[i.target] = (counts[i.target] ?? 0) + 1;
    return counts;
  } finally {
    await db.close();
  }
}

describe('linka outage', () => {
  it('starts, lists, updates and resolves an outage, notifying the customers of its areas only', async () => {
    const start = await linka([
      'start',
      '--area',
      'Plzeň-Bory',
      '--area',
      'Plzeň-Doubravka',
      '--title',
      'Přerušené vlákno',
      '--eta',
      '2026-11-24 14:30',
      '--text-cs',
      'Výpadek na Borech a v Doubravce.',
    ]);
    expect(start.stderr).toBe('');
    expect(start.code).toBe(0);
    const lines = start.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^Declared: (\S+) {2}"Přerušené vlákno" · areas Plzeň-Bory, Plzeň-Doubravka · services internet · status investigating · since \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d CES?T · expected end 24 Nov 2026, 14:30 CET · source cli$/,
    );
    // The operator's times are company time (Europe/Prague) with the zone, never 24/11/2026; the
    // customers read the time in their language.
    expect(lines[0]).not.toMatch(/\d\/\d/);
    expect(await queuedTexts('telegram:7001')).toEqual([expect.stringContaining('Předpokládaný konec: 24. 11. 2026 14:30.')]);
    expect(lines.slice(1)).toEqual([
      'Customer notices queued: 2 (2 on Telegram).',
      'The running server (./linka serve) sends what is queued, within the configured rate limits.',
    ]);
    const id = /^Declared: (\S+)/.exec(lines[0] ?? '')?.[1] as string;
    expect(await queued()).toEqual({ 'telegram:7001': 1, 'telegram:7003': 1 });

    const list = await linka(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^Outages in progress \\(1\\):\\n${id} {2}"Přerušené vlákno" · areas Plzeň-Bory, Plzeň-Doubravka`));

    const update = await linka(['update', id, '--status', 'identified', '--eta', 'none']);
    expect(update.code).toBe(0);
    expect(update.stdout).toMatch(
      /^Updated: \S+ {2}"Přerušené vlákno" · .* · status identified · since [^·]+ · source cli\nCustomer notices queued: 2 \(2 on Telegram\)\./,
    );

    const resolve = await linka(['resolve', id]);
    expect(resolve.code).toBe(0);
    expect(resolve.stdout).toMatch(/^Resolved: \S+ .* · status resolved · .*\nCustomer notices queued: 2 \(2 on Telegram\)\./);
    // Resolving again changes nothing and queues nothing, and says so.
    const again = await linka(['resolve', id]);
    expect(again.stdout.trim().split('\n').slice(1)).toEqual(['Nothing changed, so no notice was queued.']);
    expect(await queued()).toEqual({ 'telegram:7001': 3, 'telegram:7003': 3 });
    expect((await linka(['list'])).stdout).toBe('No outage is in progress.\n');
  }, 90_000);

  it('says that no notice was queued when no customer channel is on, and why', async () => {
    const run = await linka(['start', '--area', 'Plzeň-Lochotín', '--title', 'Bez kanálů'], { channels: false });
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').slice(1)).toEqual([
      "Customer notices queued: none, because no customer channel is on in this environment (Telegram: TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET; SMS: TWILIO_* and PUBLIC_URL); run this command with the server's environment. Customers in these areas who write to Linka are told about the outage when they do.",
    ]);
    const id = /^Declared: (\S+)/.exec(run.stdout)?.[1] as string;
    await linka(['resolve', id], { channels: false });
  }, 90_000);

  it('explains usage mistakes (exit 2) and unknown outages (exit 1)', async () => {
    const noArea = await linka(['start', '--title', 'X']);
    expect(noArea.code).toBe(2);
    expect(noArea.stderr).toBe(
      "linka: required option '--area <area>' not specified\nusage: linka outage start [options]\nsee `linka outage start --help` (every command: `linka --help`)\n",
    );
    const badStatus = await linka(['start', '--area', 'Bory', '--status', 'broken']);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain("argument 'broken' is invalid. Allowed choices are investigating, identified, monitoring, resolved.");
    const badService = await linka(['start', '--area', 'Bory', '--service', 'internet,plyn']);
    expect(badService.code).toBe(2);
    expect(badService.stderr).toMatch(/^linka: --service must be one of internet, .*, not "plyn"\nusage: linka outage start \[options\]\n/);
    const unknown = await linka(['resolve', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('linka: no outage nope\n');
  }, 90_000);
});
