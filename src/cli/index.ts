/**
 * The `linka` command: reads the command's name and runs its module (one file per command in
 * src/cli/, each a CliCommand of src/cli/command.ts). `serve` wires the server in src/app.ts.
 */
import { LinkaError } from '../errors.js';
import { type CliCommand, type CliIo, processIo } from './command.js';

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
  time TICKET DURATION ACTIVITY [--technician NAME]
                                 log time on a ticket, as /linka time does (e.g. time 1 45m Výměna routeru)
  outage start|update|resolve|list
                                 declare, update, resolve and list outages (linka outage help)
  help                           this text

Environment: DATABASE_URL (default file:./data/linka.db), LINKA_CONFIG (default ./linka.config.yaml),
PORT (3000), HOST (127.0.0.1), PUBLIC_URL. See README.md.`;

/** Each command, imported when it runs: `serve` starts faster without the shell, the CSV parser and the other commands' modules. */
const COMMANDS: Record<string, () => Promise<CliCommand>> = {
  serve: async () => (await import('./serve.js')).serveCommand,
  shell: async () => (await import('./shell.js')).shellCommand,
  customers: async () => (await import('./customers.js')).customersCommand,
  telegram: async () => (await import('./telegram.js')).telegramCommand,
  statement: async () => (await import('./statement.js')).statementCommand,
  outage: async () => (await import('./outage.js')).outageCommand,
  discord: async () => (await import('./discord.js')).discordCommand,
  maintenance: async () => (await import('./maintenance.js')).maintenanceCommand,
  balances: async () => (await import('./balances.js')).balancesCommand,
  time: async () => (await import('./time.js')).timeCommand,
};

/** Runs the CLI; returns the exit code (serve keeps running and returns 0). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === undefined || ['help', '--help', '-h'].includes(command)) {
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    }
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!load) throw new LinkaError('usage', `unknown command "${command}"`);
    return await (await load())(args, io);
  } catch (err) {
    // Any node:util parseArgs complaint (unknown option, missing value, stray argument) is a usage error.
    if ((err instanceof LinkaError && err.code === 'usage') || String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')) {
      io.err(`${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    io.err(err instanceof Error ? err.message : String(err));
    return 1;
  }
}
