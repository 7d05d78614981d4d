/**
 * The `linka` command: its commands, sub-commands and options, parsed by commander (help on
 * every level, --version, errors with the one usage line that applies). Each command's work is
 * in its own module in src/cli/, imported when it runs: `serve` starts faster without the
 * shell, the CSV parser and the other commands' modules.
 */
import { Command, CommanderError, Option } from 'commander';
import { packageVersion } from '../config/package-root.js';
import { OUTAGE_SERVICES, OUTAGE_STATUSES } from '../domain/outages.js';
import { LinkaError } from '../errors.js';
import { type CliIo, processIo } from './command.js';
import { explainFailure } from './failure.js';
import type { FlowsShowOptions } from './flows.js';
import type { MaintenanceOptions } from './maintenance.js';
import type { OutageOptions } from './outage.js';
import type { ShellOptions } from './shell.js';
import type { StatementOptions } from './statement.js';
import type { TextsListOptions } from './texts.js';
import type { UsersAddOptions } from './users.js';

/** Repeated options (--area A --area B) collect into a list. */
const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

const ENVIRONMENT = `
Environment: DATABASE_URL (default file:./data/linka.db), LINKA_CONFIG (default ./linka.config.yaml),
PORT (3000), HOST (127.0.0.1), PUBLIC_URL, LOG_FORMAT (json or pretty). See README.md.`;

/** "linka outage start": the command's name with its parents'. */
function pathOf(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** What follows an error: the one usage line that applies and where the rest is. */
function usageHint(cmd: Command): string {
  const path = pathOf(cmd);
  const more = cmd.parent ? ` (every command: \`linka --help\`)` : '';
  return `usage: ${path} ${cmd.usage()}\nsee \`${path} --help\`${more}`;
}

/** The options outage start and outage update share. */
function outageFields(cmd: Command, required: boolean): Command {
  const area = `affected area (repeat it, or separate areas with commas)${required ? '' : '; replaces the list'}`;
  return cmd
    .addOption(required ? new Option('--area <area>', area).argParser(collect).makeOptionMandatory() : new Option('--area <area>', area).argParser(collect))
    .addOption(new Option('--service <service>', `affected service: ${OUTAGE_SERVICES.join(', ')} (repeatable)`).argParser(collect))
    .option('--title <title>', 'a short title for the team')
    .addOption(new Option('--status <status>', 'where the outage stands').choices([...OUTAGE_STATUSES]))
    .option('--eta <time>', 'expected end: "2026-11-24 14:30" (config time zone), ISO 8601 with an offset, or none')
    .option('--text-cs <text>', 'the customers\u2019 notice in Czech (instead of the default text)')
    .option('--text-sk <text>', 'the notice in Slovak')
    .option('--text-en <text>', 'the notice in English');
}

type Run = (...args: unknown[]) => Promise<number>;

/**
 * The program. `done` receives the exit code of the command that ran. Usage mistakes a command
 * finds after parsing (LinkaError 'usage') are told like commander's own: message, usage line, hint.
 */
export function buildProgram(io: CliIo, done: (code: number) => void): Command {
  const program = new Command('linka');
  // Each action: its arguments as commander gives them (positionals, options, the command).
  const act =
    (run: Run) =>
    async (...args: unknown[]) => {
      const cmd = args.at(-1) as Command;
      try {
        done(await run(...args));
      } catch (err) {
        if (err instanceof LinkaError && err.code === 'usage') cmd.error(err.message, { exitCode: 2, code: 'linka.usage' });
        throw err;
      }
    };

  program
    .description('Linka: customer support on Telegram and SMS, worked from Slack and Discord.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for the command')
    .helpCommand('help [command]', 'show help for a command')
    .addHelpText('after', ENVIRONMENT)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.write(text),
      writeErr: (text) => io.writeErr(text),
      outputError: (text) => io.err(text.trim().replace(/^error: /, '')),
    });

  program
    .command('serve')
    .description('start the HTTP server and the workers (what npm start runs); stops on Ctrl-C or SIGTERM')
    .action(act(async () => (await import('./serve.js')).serveCommand(io)));

  program
    .command('shell')
    .description('chat with Linka as a customer, in the terminal')
    .option('--phone <number>', "the customer's phone number: that customer's conversation goes on")
    .addOption(new Option('--lang <lang>', 'the language the customer chooses').choices(['cs', 'sk', 'en']))
    .option('--new', 'with --phone: start a new conversation instead of going on')
    .action(act(async (opts) => (await import('./shell.js')).shellCommand(opts as ShellOptions, io)));

  const customers = program.command('customers').description('customer records');
  customers
    .command('import')
    .description('import or update customers by contract number (columns: see README.md)')
    .argument('<file>', 'a CSV file, e.g. examples/customers.example.csv')
    .action(act(async (file) => (await import('./customers.js')).customersImport(file as string, io)));

  const telegram = program.command('telegram').description("the Telegram bot's webhook");
  telegram
    .command('set-webhook')
    .description('register PUBLIC_URL/telegram/webhook with Telegram, with TELEGRAM_WEBHOOK_SECRET')
    .action(act(async () => (await import('./telegram.js')).telegramCommand('set-webhook', io)));
  telegram
    .command('info')
    .description('show what Telegram has registered and its last delivery error')
    .action(act(async () => (await import('./telegram.js')).telegramCommand('info', io)));

  program
    .command('statement')
    .description("the month's billed time per customer, on standard output, or e-mailed to each customer (--send)")
    .requiredOption('--month <YYYY-MM>', 'the month, e.g. 2026-11')
    .option('--customer <contract>', "only this customer's statement (by contract number)")
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .option('--send', 'e-mail each customer with an address their statement (queued; the running `linka serve` sends them; once per customer and month)')
    .option('--dry-run', 'with --send: list what would be sent, queue nothing')
    .action(act(async (opts) => (await import('./statement.js')).statementCommand(opts as StatementOptions, io)));

  const discord = program.command('discord').description('the Discord application');
  discord
    .command('register-commands')
    .description('register the /linka slash command with Discord (DISCORD_BOT_TOKEN)')
    .action(act(async () => (await import('./discord.js')).discordRegister(io)));

  const maintenance = program.command('maintenance').description('planned maintenance: customers in the areas are told at the lead times');
  const maintenanceRun = (sub: string) => async (first: unknown, second?: unknown) => {
    const [id, opts] = typeof first === 'string' ? [first, second] : [undefined, first];
    return (await import('./maintenance.js')).maintenanceCommand(sub, id, opts as MaintenanceOptions, io);
  };
  maintenance
    .command('schedule')
    .description('plan a maintenance (times are local, in the config time zone)')
    .addOption(new Option('--area <area>', 'affected area (repeat it, or separate areas with commas)').argParser(collect).makeOptionMandatory())
    .requiredOption('--start <time>', 'start, e.g. "2026-11-24 22:00" or "24. 11. 2026 22:00"')
    .requiredOption('--end <time>', 'end, e.g. "2026-11-25 02:00"')
    .addOption(new Option('--service <service>', 'affected service (repeatable)').argParser(collect))
    .option('--text-cs <text>', 'the customers\u2019 notice in Czech (instead of the default text)')
    .option('--text-sk <text>', 'the notice in Slovak')
    .option('--text-en <text>', 'the notice in English')
    .action(act(maintenanceRun('schedule')));
  maintenance
    .command('cancel')
    .description('cancel a maintenance; customers already told are told it is off')
    .argument('<id>', 'its number, from linka maintenance list')
    .action(act(maintenanceRun('cancel')));
  maintenance
    .command('reschedule')
    .description('move a maintenance (only --start keeps its length; only --end keeps its start)')
    .argument('<id>', 'its number, from linka maintenance list')
    .option('--start <time>', 'new start, e.g. "2026-11-24 22:00"')
    .option('--end <time>', 'new end')
    .action(act(maintenanceRun('reschedule')));
  maintenance
    .command('list')
    .description('planned and running maintenance')
    .option('--all', 'also finished and cancelled ones')
    .action(act(maintenanceRun('list')));

  const balances = program.command('balances').description('outstanding balances, for payment reminders');
  balances
    .command('import')
    .description('import outstanding balances from the accounting system (0 = paid)')
    .argument('<file>', 'a CSV file: contract_number,balance[,due_date,currency,restricted,restricted_since]')
    .action(act(async (file) => (await import('./balances.js')).balancesImport(file as string, io)));
  balances
    .command('unreachable')
    .description('customers who owe or are restricted but whom no payment notice reaches (no channel, or opted out)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'csv', 'json']).default('text'))
    .action(act(async (opts) => (await import('./balances.js')).balancesUnreachable(opts as { format: 'text' | 'csv' | 'json' }, io)));

  const packages = program.command('packages').description('prepaid hour packages customers bought (billing.packages)');
  packages
    .command('import')
    .description('import bought packages: used after the included hours, before anything is billed')
    .argument('<file>', 'a CSV file: contract_number,package,bought_on[,valid_until,reference]')
    .action(act(async (file) => (await import('./packages.js')).packagesImport(file as string, io)));

  program
    .command('time')
    .description('log time on a ticket, as /linka time does in Slack and Discord')
    .argument('<ticket>', "T-2026-00042, t-2026-42 or 42 (this year's)")
    .argument('<duration>', '90, 45m, 1h, 1h30 or 1:30')
    .argument('<activity...>', 'what was done; "cesta:" marks travel ("cesta 35km:" with the km), "zdarma:" unbilled work, "@2026-11-30" another day')
    .option('--technician <name>', 'who did it (default: your user name)')
    .option('--rate <rate>', 'the rate of billing.rates the work is billed at (default: billing.defaultRate)')
    .action(
      act(async (ticket, duration, words, opts) =>
        (await import('./time.js')).timeCommand(ticket as string, duration as string, words as string[], opts as { technician?: string; rate?: string }, io),
      ),
    );

  program
    .command('visit')
    .description("book a technician's visit on a ticket, as /linka visit does in Slack and Discord; the customer is told")
    .argument('<ticket>', "T-2026-00042, t-2026-42 or 42 (this year's)")
    .argument('<when...>', 'local date and time, e.g. 2026-11-24 14:30')
    .option('--free', "a free visit: the fault is on the provider's side (no consent needed, nothing billed)")
    .option('--technician <name>', 'who books it (default: your user name)')
    .action(
      act(async (ticket, when, opts) =>
        (await import('./visit.js')).visitCommand(ticket as string, when as string[], opts as { free?: boolean; technician?: string }, io),
      ),
    );

  const flowsCmd = program.command('flows').description('the conversations Linka leads: list them, draw one to check it');
  flowsCmd
    .command('list')
    .description('every flow with its version and number of steps')
    .action(act(async () => (await import('./flows.js')).flowsList(io)));
  flowsCmd
    .command('show')
    .description('draw a flow: every step, answer, timer and where tickets open')
    .argument('<name>', 'the flow, e.g. internet (linka flows list)')
    .addOption(new Option('--format <format>', 'text, or Mermaid to paste into a Markdown page').choices(['text', 'mermaid']).default('text'))
    .addOption(new Option('--lang <lang>', "the customers' language to show (default: the config's defaultLanguage)").choices(['cs', 'sk', 'en']))
    .action(act(async (name, opts) => (await import('./flows.js')).flowsShow(name as string, opts as FlowsShowOptions, io)));

  const texts = program.command('texts').description("the customers' and technicians' texts, and the config's own wording (texts:)");
  texts
    .command('list')
    .description('every text with its current wording and where it comes from (built-in or config)')
    .addOption(new Option('--lang <lang>', 'only this language').choices(['cs', 'sk', 'en']))
    .option('--changed', 'only the texts the configuration replaces')
    .action(act(async (opts) => (await import('./texts.js')).textsList(opts as TextsListOptions, io)));

  const outage = program.command('outage').description('declare, update, resolve and list outages; customers in the areas are told');
  const outageRun = (sub: string) => async (first: unknown, second?: unknown) => {
    const [id, opts] = typeof first === 'string' ? [first, second] : [undefined, first];
    return (await import('./outage.js')).outageCommand(sub, id, opts as OutageOptions, io);
  };
  outageFields(outage.command('start').description('declare an outage (the same --key again updates it instead)'), true)
    .option('--key <key>', 'an id of your own, so that declaring it twice is one outage')
    .action(act(outageRun('start')));
  outageFields(outage.command('update').description('change an outage; customers are told when it matters to them'), false)
    .argument('<id>', 'the outage id, from linka outage list')
    .action(act(outageRun('update')));
  outage
    .command('resolve')
    .description('resolve an outage; customers who were told are told it is over')
    .argument('<id>', 'the outage id, from linka outage list')
    .action(act(outageRun('resolve')));
  outage
    .command('list')
    .description('outages in progress')
    .option('--json', 'as JSON (times in ISO 8601)')
    .action(act(outageRun('list')));

  const users = program.command('users').description("the operator console's accounts (docs/console.md)");
  users
    .command('add')
    .description('add an account; the password is the first line piped in, or generated and printed once')
    .argument('<username>', 'lowercase letters, digits, ".", "-", "_"')
    .addOption(new Option('--role <role>', 'what the account may do').choices(['admin', 'technician', 'viewer']).makeOptionMandatory())
    .option('--name <name>', 'the name shown to colleagues and customers (default: the username)')
    .addOption(new Option('--language <lang>', "the console's language for this user").choices(['cs', 'sk', 'en']).default('cs'))
    .option('--slack <id>', 'their Slack user id: a claim in Slack and in the console is the same person')
    .option('--discord <id>', 'their Discord user id')
    .action(act(async (name, opts) => (await import('./users.js')).usersAdd(name as string, opts as UsersAddOptions, io)));
  users
    .command('list')
    .description('list the accounts')
    .action(act(async () => (await import('./users.js')).usersList(io)));
  users
    .command('disable')
    .description('disable an account and end its sessions')
    .argument('<username>')
    .action(act(async (name) => (await import('./users.js')).usersDisable(name as string, io)));
  users
    .command('reset-password')
    .description('set a new password (piped in, or generated and printed once) and end the sessions')
    .argument('<username>')
    .action(act(async (name) => (await import('./users.js')).usersResetPassword(name as string, io)));

  // Every command: the same output, exit override and error hint; help after its description.
  const all = (cmd: Command): Command[] => [cmd, ...cmd.commands.flatMap(all)];
  for (const cmd of all(program)) {
    cmd.exitOverride().showHelpAfterError(usageHint(cmd)).showSuggestionAfterError(true);
    if (cmd !== program && cmd.commands.length) cmd.helpCommand('help [command]', 'show help for a command');
  }
  return program;
}

/** Runs the CLI; returns the exit code (serve keeps running and returns 0). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    if (argv.length === 0) {
      // No command: what there is, and exit 2 (nothing was done).
      program.outputHelp({ error: true });
      return 2;
    }
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version asked for: done. A parent command without its sub-command shows its help
      // (commander.help), as a mistake.
      // Anything else commander or a command refused (told already, with the usage line): exit 2.
      return ['commander.helpDisplayed', 'commander.version'].includes(err.code) ? 0 : 2;
    }
    io.err(explainFailure(err, io.env));
    return 1;
  }
}
