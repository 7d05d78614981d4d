/**
 * `linka shell`: chat as a customer in the terminal, against the same engine and
 * database as the server. Lines starting with ":" are shell commands (":help").
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { consoleConversationId, createConsoleAdapter, parseConsoleLine, renderConsole } from '../../adapters/console/index.js';
import { cliName } from '../config/env.js';
import { operatorTime } from '../domain/date-format.js';
import { toE164 } from '../domain/phone.js';
import { parseTicketReference } from '../domain/team-commands.js';
import type { ReplyChoice } from '../engine/types.js';
import { LinkaError } from '../errors.js';
import { silentLogger } from '../observability/logger.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { customerByPhone, customerCount } from '../store/customers.js';
import { conversationHistory, lastOutboundMessage } from '../store/messages.js';
import { ticketByNumber } from '../store/tickets.js';
import { fastForwardTimers, pendingTimers } from '../store/timers.js';
import type { LinkaConfig } from '../config/schema.js';
import type { Db } from '../store/client.js';
import { type CliIo, configOf, withDatabase } from './command.js';

const HELP = `Shell commands:
  :wait      fast-forward: fire the pending timers now (the wait after the restart, follow-ups)
  :timers    list the pending timers
  :history   show this conversation's history
  :ticket ID show a ticket and its history: T-2026-00001, t-2026-1 or just 1 (default: the last one opened here)
  :help      this help
  :quit      leave the shell (Ctrl-D or Ctrl-C work too)
Anything else is sent to Linka as the customer's message; "/start CONTRACT" is a Telegram-style deep link.`;

type ShellLang = 'cs' | 'sk' | 'en';

/** The options of `linka shell` (parsed in src/cli/index.ts). */
export interface ShellOptions {
  phone?: string;
  lang?: ShellLang;
  new?: boolean;
}

/**
 * `linka shell [--phone N] [--lang cs|sk|en] [--new]`; reads the customer's lines from
 * `io.input` (standard input). With --phone, the conversation of that phone goes on from where
 * it stopped (--new starts another one); without it, each run is a new, unidentified customer.
 */
export async function shellCommand(values: ShellOptions, io: CliIo): Promise<number> {
  if (values.new && !values.phone) throw new LinkaError('usage', '--new goes with --phone (without --phone, every run is a new conversation already)');
  const lang = values.lang;
  const config = configOf(io);
  let phone: string | undefined;
  if (values.phone) {
    const e164 = toE164(values.phone, config.phoneRegion);
    if (!e164) throw new LinkaError('usage', `--phone ${values.phone} is not a valid phone number`);
    phone = e164;
  }
  const fresh = randomUUID().slice(0, 8);
  const conversationId = consoleConversationId(phone ? (values.new ? `${phone}~${fresh}` : phone) : `guest-${fresh}`);
  await withDatabase(io.env, (db) => chat(db, { config, phone, lang, io, conversationId }));
  return 0;
}

interface ChatOptions {
  config: LinkaConfig;
  phone: string | undefined;
  lang: ShellLang | undefined;
  io: CliIo;
  conversationId: string;
}

/** Who the shell's customer is, said in its first line. */
async function whoYouAre(db: Db, opts: ChatOptions): Promise<string> {
  const customer = opts.phone ? await customerByPhone(db.prisma, opts.phone) : null;
  const you = customer
    ? `the customer ${customer.name} (contract ${customer.contractNumber}, phone ${opts.phone})`
    : opts.phone
      ? `${opts.phone}, a number no customer has: Linka will ask for a contract number`
      : 'a new customer nobody knows yet: Linka will ask for a contract number (or use --phone)';
  return `Linka shell: you are ${you}; conversation ${opts.conversationId}. Type :help for shell commands.`;
}

async function chat(db: Db, opts: ChatOptions): Promise<void> {
  const { phone, conversationId, io } = opts;
  // What is said before the first prompt, looked up before the input is read: lines typed (or
  // piped) meanwhile wait in the input stream instead of being lost.
  const intro = [await whoYouAre(db, opts)];
  if ((await customerCount(db.prisma)) === 0)
    intro.push(
      `There are no customers yet, so nobody can be identified: import some first, e.g. ${cliName(io.env)} customers import examples/customers.example.csv`,
    );
  // A conversation that goes on: its pending question again, so the next answer has its context.
  const pending = await lastOutboundMessage(db.prisma, conversationId);
  if (pending) {
    const choices = (pending.choices as ReplyChoice[] | null) ?? undefined;
    intro.push("(Linka's last message in this conversation:)", bot(renderConsole({ text: pending.text, choices })));
  }

  const terminal = Boolean(io.terminal);
  const rl = createInterface({
    input: io.input ?? process.stdin,
    output: terminal ? (io.output ?? process.stdout) : undefined,
    terminal,
    prompt: 'Vy> ',
    historySize: 200,
  });
  const lines = rl[Symbol.asyncIterator]();
  // Bot messages (also those a timer sends while the person types) go above the prompt line.
  const print = (text: string) => {
    if (!terminal) return io.out(text);
    (io.output ?? process.stdout).write(`\r\x1b[K${text}\n`);
    rl.prompt(true);
  };
  const port = createConsoleAdapter({ write: (text) => print(bot(text)) });
  const runtime = createRuntime({ prisma: db.prisma, config: opts.config, log: silentLogger(), ports: [port] });
  runtime.start();
  let lastTicket: string | null = null;
  // --lang is the customer's choice of language for the conversation, as if they had switched
  // to it in the chat (also for a known customer with another language on record); said once,
  // with the session's first message, so a switch in the chat later still works.
  let chosenLang = opts.lang;
  for (const line of intro) print(line);

  let interrupted = false;
  const leave = () => {
    interrupted = true;
    rl.close();
  };
  rl.on('SIGINT', leave); // Ctrl-C at the prompt (a terminal)
  process.on('SIGINT', leave); // Ctrl-C with piped input
  rl.prompt();
  try {
    for await (const raw of { [Symbol.asyncIterator]: () => lines }) {
      const line = raw.trim();
      if (line === '') {
        rl.prompt();
        continue;
      }
      if (line.startsWith(':')) {
        const [cmd, ...args] = line.slice(1).split(/\s+/);
        if (cmd === 'quit' || cmd === 'q' || cmd === 'exit') break;
        if (cmd === 'help') print(HELP);
        else if (cmd === 'wait' || cmd === 'ff') {
          const n = await fastForwardTimers(db.prisma, conversationId, new Date());
          if (n === 0) print('(no pending timers)');
          await runtime.timers.drain();
          await runtime.outbox.drain();
        } else if (cmd === 'timers') {
          const timers = await pendingTimers(db.prisma, conversationId);
          print(timers.length ? timers.map((t) => `  ${t.name} due ${operatorTime(t.dueAt, opts.config.timezone)}`).join('\n') : '(no pending timers)');
        } else if (cmd === 'history') {
          for (const m of await conversationHistory(db.prisma, conversationId))
            print(historyLine(`  ${operatorTime(m.createdAt, opts.config.timezone)} ${m.direction.padEnd(6)} `, m.text));
        } else if (cmd === 'ticket') {
          const typed = args.join(' ');
          const number = typed ? parseTicketReference(typed, opts.config.tickets.prefix, yearIn(opts.config.timezone)) : lastTicket;
          const ticket = number ? await ticketByNumber(db.prisma, number) : null;
          if (!ticket)
            print(
              typed
                ? `No ticket ${number ?? typed}.`
                : `No ticket was opened in this shell yet; give its number: :ticket ${opts.config.tickets.prefix}-${yearIn(opts.config.timezone)}-00001 (or just :ticket 1)`,
            );
          else {
            print(`${ticket.number} [${ticket.status}] ${ticket.category}${ticket.verified ? '' : ' (unverified)'}\n${ticket.summary}\nHistory:`);
            for (const m of ticket.messages) print(historyLine(`  ${m.direction.padEnd(6)} `, m.text));
          }
        } else print(`Unknown shell command ":${cmd}". ${HELP}`);
        rl.prompt();
        continue;
      }
      const result = await runtime.dispatch({
        dedupeId: `console:${randomUUID()}`,
        conversationId,
        channel: 'console',
        event: parseConsoleLine(line),
        sender: { phone, langHint: opts.lang, lang: chosenLang },
      });
      chosenLang = undefined;
      if (result.ticketNumber) lastTicket = result.ticketNumber;
      await runtime.outbox.drain();
      rl.prompt();
    }
  } finally {
    process.off('SIGINT', leave);
    rl.close();
    // Standard input left open (Ctrl-C, :quit with more lines piped) would keep the process alive.
    if ((io.input ?? process.stdin) === process.stdin) process.stdin.destroy();
    await runtime.stop();
  }
  io.out(
    `${interrupted ? '\n' : ''}Bye. The conversation is kept${phone ? `: ${cliName(io.env)} shell --phone ${phone} goes on with it` : ''}; :ticket and ${cliName(io.env)} statement show what was done.`,
  );
}

/** A bot message as the shell shows it: "Linka> " and the text indented under it. */
function bot(text: string): string {
  return `\nLinka> ${text.replace(/\n/g, '\n       ')}\n`;
}

/** A message in a history listing: `head` and its first line, each further line indented under the first (blank lines left out). */
function historyLine(head: string, text: string): string {
  const [first = '', ...rest] = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return [`${head}${first}`, ...rest.map((line) => `${' '.repeat(head.length)}${line}`)].join('\n');
}

/** The current year in the configuration's time zone (ticket numbers carry it). */
function yearIn(timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(new Date()));
}
