/**
 * The `linka` command: serve, shell, customers import, telegram. The composition root for
 * the command line; everything else is wired in app.ts and shell.ts.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from './config/load.js';
import { LinkaError } from './errors.js';
import { defaultDatabaseUrl, openDatabase } from './store/client.js';
import { applyMigrations } from './store/migrate.js';
// Each command imports what only it needs when it runs: `serve` starts faster without the
// shell, the CSV parser and the other commands' modules.

const USAGE = `Usage: linka <command>

Commands:
  serve                          start the HTTP server and the workers (npm start)
  shell [--phone N] [--lang L]   chat as a customer in the terminal (npm run shell)
  customers import FILE.csv      import or update customers by contract number
  telegram set-webhook           register the webhook for PUBLIC_URL with Telegram
  telegram info                  show what Telegram has registered and its last error
  statement --month YYYY-MM [--customer CONTRACT] [--format csv|json]
                                 the month's billed time per customer (CSV by default, on stdout)
  discord register-commands      register the /linka slash command with Discord
  maintenance schedule --area A --start "YYYY-MM-DD HH:MM" --end "..." [--service S] [--text-cs T]
                                 plan a maintenance; customers in the areas are told at the lead times
  maintenance cancel ID | reschedule ID --start ... --end ... | list [--all]
  balances import FILE.csv       import outstanding balances (payment reminders; 0 = paid)
  outage start|update|resolve|list
                                 declare, update, resolve and list outages (linka outage help)
  help                           this text

Environment: DATABASE_URL (default file:./data/linka.db), LINKA_CONFIG (default ./linka.config.yaml),
PORT (3000), HOST (127.0.0.1), PUBLIC_URL. See README.md.`;

class UsageError extends Error {}

async function serve(): Promise<void> {
  const { config } = loadConfig();
  const { startLinka } = await import('./app.js');
  // The handlers are in place before the server starts: a SIGTERM that arrives while it starts,
  // or just after "linka is serving", stops it cleanly once it is up (not Node's default exit).
  let linka: Awaited<ReturnType<typeof startLinka>> | null = null;
  let received: string | null = null;
  const shutdown = (signal: string) => {
    if (!linka) return;
    linka.log.info({ signal }, 'shutting down');
    void linka.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        linka?.log.error({ err: String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: string) => {
    if (received) return;
    received = signal;
    shutdown(signal);
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  linka = await startLinka({ config });
  if (received) shutdown(received);
}

async function shell(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { phone: { type: 'string' }, lang: { type: 'string' } }, strict: true });
  if (values.lang !== undefined && !['cs', 'sk', 'en'].includes(values.lang)) throw new UsageError(`--lang must be cs, sk or en, not "${values.lang}"`);
  const { config } = loadConfig();
  const { runShell } = await import('./shell.js');
  await runShell({ config, phone: values.phone, lang: values.lang as 'cs' | 'sk' | 'en' | undefined });
}

async function customers(args: string[]): Promise<void> {
  const [sub, file, ...rest] = args;
  if (sub !== 'import' || !file || rest.length) throw new UsageError('usage: linka customers import FILE.csv');
  const { config } = loadConfig();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LinkaError('file_unreadable', `cannot read ${file}: ${(err as Error).message}`);
  }
  const { importCustomers, parseCustomersCsv } = await import('./import/customers-csv.js');
  const rows = parseCustomersCsv(text, { region: config.phoneRegion, defaultLanguage: config.defaultLanguage });
  const url = process.env.DATABASE_URL || defaultDatabaseUrl();
  await applyMigrations(url);
  const db = await openDatabase(url);
  try {
    const counts = await importCustomers(db.prisma, rows);
    process.stdout.write(
      `Imported ${rows.length} customer(s) from ${file}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged.\n`,
    );
  } finally {
    await db.close();
  }
}

/** Runs the CLI; returns the exit code (serve keeps running and returns 0). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'serve':
        await serve();
        return 0;
      case 'shell':
        await shell(args);
        return 0;
      case 'customers':
        await customers(args);
        return 0;
      case 'telegram':
        return await (await import('./cli-telegram.js')).telegramCommand(args, process.env, (line) => process.stdout.write(`${line}\n`));
      case 'statement':
        return await (await import('./cli-statement.js')).statementCommand(
          args,
          process.env,
          (text) => process.stdout.write(text),
          (line) => process.stderr.write(`linka: ${line}\n`),
        );
      case 'outage':
        return await (await import('./cli-outage.js')).outageCommand(
          args,
          process.env,
          (line) => process.stdout.write(`${line}\n`),
          (line) => process.stderr.write(`linka: ${line}\n`),
        );
      case 'discord':
        return await (await import('./cli-discord.js')).discordCommand(args, process.env, (line) => process.stdout.write(`${line}\n`));
      case 'maintenance':
        return await (await import('./cli-maintenance.js')).maintenanceCommand(args, process.env, (line) => process.stdout.write(`${line}\n`));
      case 'balances':
        return await (await import('./cli-balances.js')).balancesCommand(args, process.env, (line) => process.stdout.write(`${line}\n`));
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    // Any node:util parseArgs complaint (unknown option, missing value, stray argument) is a usage error.
    if (
      err instanceof UsageError ||
      (err instanceof LinkaError && err.code === 'usage') ||
      String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')
    ) {
      process.stderr.write(`linka: ${(err as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`linka: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
