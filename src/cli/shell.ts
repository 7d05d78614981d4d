/**
 * `linka shell`: chat as a customer in the terminal, against the same engine and
 * database as the server. Lines starting with ":" are shell commands (":help").
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { consoleConversationId, createConsoleAdapter, parseConsoleLine } from '../../adapters/console/index.js';
import { toE164 } from '../domain/phone.js';
import { LinkaError } from '../errors.js';
import { silentLogger } from '../observability/logger.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { conversationHistory } from '../store/messages.js';
import { ticketByNumber } from '../store/tickets.js';
import { fastForwardTimers, pendingTimers } from '../store/timers.js';
import type { LinkaConfig } from '../config/schema.js';
import type { Db } from '../store/client.js';
import { type CliCommand, type CliIo, configOf, withDatabase } from './command.js';

const HELP = `Shell commands:
  :wait      fast-forward: fire the pending timers now (the 3-minute wait, follow-ups)
  :timers    list the pending timers
  :history   show this conversation's history
  :ticket ID show a ticket and its history (default: the last one opened here)
  :help      this help
  :quit      leave the shell (Ctrl-D works too)
Anything else is sent to Linka as the customer's message; "/start CONTRACT" is a Telegram-style deep link.`;

/** `linka shell [--phone N] [--lang cs|sk|en]`; reads the customer's lines from `io.input` (standard input). */
export const shellCommand: CliCommand = async (args, io) => {
  const { values } = parseArgs({ args, options: { phone: { type: 'string' }, lang: { type: 'string' } }, strict: true });
  if (values.lang !== undefined && !['cs', 'sk', 'en'].includes(values.lang))
    throw new LinkaError('usage', `--lang must be cs, sk or en, not "${values.lang}"`);
  const lang = values.lang as 'cs' | 'sk' | 'en' | undefined;
  const config = configOf(io);
  let phone: string | undefined;
  if (values.phone) {
    const e164 = toE164(values.phone, config.phoneRegion);
    if (!e164) throw new Error(`--phone ${values.phone} is not a valid phone number`);
    phone = e164;
  }
  await withDatabase(io.env, (db) => chat(db, { config, phone, lang, io }));
  return 0;
};

async function chat(db: Db, opts: { config: LinkaConfig; phone: string | undefined; lang: 'cs' | 'sk' | 'en' | undefined; io: CliIo }): Promise<void> {
  const print = opts.io.out;
  const { phone } = opts;
  const conversationId = consoleConversationId(phone ?? 'local');
  const port = createConsoleAdapter({ write: (text) => print(`\nLinka> ${text.replace(/\n/g, '\n       ')}\n`) });
  const runtime = createRuntime({ prisma: db.prisma, config: opts.config, log: silentLogger(), ports: [port] });
  runtime.start();
  let lastTicket: string | null = null;
  // --lang is the customer's choice of language for the conversation, as if they had switched
  // to it in the chat (also for a known customer with another language on record); said once,
  // with the session's first message, so a switch in the chat later still works.
  let chosenLang = opts.lang;

  print(`Linka shell: you are the customer${phone ? ` ${phone}` : ''} (conversation ${conversationId}). Type :help for shell commands.`);
  const rl = createInterface({ input: opts.io.input ?? process.stdin, terminal: false });
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === '') continue;
      if (line.startsWith(':')) {
        const [cmd, ...args] = line.slice(1).split(/\s+/);
        if (cmd === 'quit' || cmd === 'q' || cmd === 'exit') break;
        else if (cmd === 'help') print(HELP);
        else if (cmd === 'wait' || cmd === 'ff') {
          const n = await fastForwardTimers(db.prisma, conversationId, new Date());
          if (n === 0) print('(no pending timers)');
          await runtime.timers.drain();
          await runtime.outbox.drain();
        } else if (cmd === 'timers') {
          const timers = await pendingTimers(db.prisma, conversationId);
          print(timers.length ? timers.map((t) => `  ${t.name} due ${t.dueAt.toISOString()}`).join('\n') : '(no pending timers)');
        } else if (cmd === 'history') {
          for (const m of await conversationHistory(db.prisma, conversationId))
            print(`  ${m.createdAt.toISOString()} ${m.direction.padEnd(6)} ${m.text.replace(/\n/g, ' / ')}`);
        } else if (cmd === 'ticket') {
          const number = args[0] ?? lastTicket;
          const ticket = number ? await ticketByNumber(db.prisma, number) : null;
          if (!ticket) print(number ? `No ticket ${number}.` : 'No ticket was opened in this shell yet; give its id: :ticket T-2026-00001');
          else {
            print(`${ticket.number} [${ticket.status}] ${ticket.category}${ticket.verified ? '' : ' (unverified)'}\n${ticket.summary}\nHistory:`);
            for (const m of ticket.messages) print(`  ${m.direction.padEnd(6)} ${m.text.replace(/\n/g, ' / ')}`);
          }
        } else print(`Unknown shell command ":${cmd}". ${HELP}`);
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
    }
  } finally {
    rl.close();
    await runtime.stop();
  }
}
