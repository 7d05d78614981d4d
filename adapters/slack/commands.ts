/**
 * The `/linka` slash command: a router from sub-command to handler. Each handler parses its
 * arguments, calls the queue and returns the (ephemeral) answer's text. New sub-commands
 * (`outage`...) are added with `router.set(name, handler)`, without touching the others.
 */
import { parseWorkCategory } from '../../src/domain/billing.js';
import { parseLocalDateTime } from '../../src/domain/business-time.js';
import { localTime, timeLeft } from '../../src/domain/ticket-card.js';
import type { Lang } from '../../src/engine/types.js';
import { isMessageKey, t } from '../../src/messages/index.js';
import type { Outages } from '../../src/runtime/outages.js';
import type { Queue, QueueResult, Technician } from '../../src/runtime/queue.js';
import { outageCommand } from './outage-command.js';
import { firstWord, parseCommandText, parseDuration, parseTicketNumber } from './parse.js';

/** What a sub-command's handler gets. */
export interface CommandContext {
  /** The command as typed in Slack ("/linka"), for usage lines. */
  command: string;
  /** The Slack user who typed it, and as a technician (display name looked up on demand). */
  userId: string;
  technician(): Promise<Technician>;
  queue: Queue;
  /** Declaring, updating and resolving outages (`/linka outage`). */
  outages: Outages;
  lang: Lang;
  timezone: string;
  ticketPrefix: string;
  now: () => Date;
}

export interface SubCommand {
  /** The arguments, for usage lines: "ID [note]". */
  args: string;
  /** True when anyone may run it (help); otherwise only technicians. */
  open?: boolean;
  /** `name` is the sub-command as registered, for usage lines. */
  run(rest: string, ctx: CommandContext, name: string): Promise<string>;
}

export type CommandRouter = Map<string, SubCommand>;

/** The most queue lines one answer lists (Slack cuts long messages; the digest has the rest). */
const MAX_QUEUE_LINES = 40;

function usage(ctx: CommandContext, name: string, sub: SubCommand): string {
  const example = sub.args.replace('ID', `${ctx.ticketPrefix}-${ctx.now().getUTCFullYear()}-00042`);
  return t(ctx.lang, 'team.usage', { usage: `${ctx.command} ${name}${example ? ` ${example}` : ''}` });
}

/**
 * A handler for "<name> ID <text>": parses the ticket number (a bad one is answered with
 * the usage line), requires the text when `textRequired`, then runs `act`.
 */
function ticketCommand(args: string, textRequired: boolean, act: (ctx: CommandContext, number: string, text: string, tech: Technician) => Promise<QueueResult | string>): SubCommand {
  const sub: SubCommand = {
    args,
    async run(rest, ctx, name) {
      const [id, text] = firstWord(rest);
      const number = parseTicketNumber(id, ctx.ticketPrefix);
      if (!number) {
        const notFound = id ? `${t(ctx.lang, 'team.notFound', { number: id })}\n` : '';
        return `${notFound}${usage(ctx, name, sub)}`;
      }
      if (textRequired && !text) return usage(ctx, name, sub);
      const result = await act(ctx, number, text, await ctx.technician());
      return typeof result === 'string' ? result : result.message;
    },
  };
  return sub;
}

function queueLines(rows: Awaited<ReturnType<Queue['open']>>, ctx: CommandContext): string {
  const { lang } = ctx;
  if (!rows.length) return t(lang, 'team.queueEmpty');
  const now = ctx.now();
  const lines = rows.slice(0, MAX_QUEUE_LINES).map((r) => t(lang, 'team.queueLine', {
    number: r.number,
    problem: isMessageKey(`problem.${r.category}`) ? t(lang, `problem.${r.category}`) : r.category,
    customer: r.customer?.name ?? t(lang, 'team.unknownCustomer'),
    state: r.status === 'claimed' ? t(lang, 'team.state.claimed', { name: r.claimedByName ?? '?' }) : t(lang, 'team.state.open'),
    deadline: r.deadline ? `${localTime(r.deadline, ctx.timezone, lang)} (${timeLeft(r.deadline, now, lang)})` : t(lang, 'team.noDeadline'),
  }));
  if (rows.length > MAX_QUEUE_LINES) lines.push('…');
  return [t(lang, 'team.queueTitle', { count: rows.length }), ...lines].join('\n');
}

/** The built-in sub-commands. */
export function createCommandRouter(): CommandRouter {
  const router: CommandRouter = new Map<string, SubCommand>([
    ['queue', { args: '', run: async (_rest, ctx) => queueLines(await ctx.queue.open(), ctx) }],
    ['claim', ticketCommand('ID', false, (ctx, n, _text, tech) => ctx.queue.claim(n, tech))],
    ['release', ticketCommand('ID', false, (ctx, n, _text, tech) => ctx.queue.release(n, tech))],
    ['resolve', ticketCommand('ID [note]', false, (ctx, n, text, tech) => ctx.queue.resolve(n, tech, text || undefined))],
    ['note', ticketCommand('ID text', true, (ctx, n, text, tech) => ctx.queue.note(n, tech, text))],
    ['reply', ticketCommand('ID text', true, (ctx, n, text, tech) => ctx.queue.reply(n, tech, text))],
    ['time', ticketCommand('ID 45m text', true, async (ctx, n, text, tech) => {
      const [duration, activity] = firstWord(text);
      const minutes = parseDuration(duration);
      if (minutes === null) return t(ctx.lang, 'team.badDuration');
      if (!activity) return t(ctx.lang, 'team.usage', { usage: `${ctx.command} time ${n} ${duration} …` });
      return ctx.queue.logTime(n, tech, minutes, activity);
    })],
    ['category', ticketCommand('ID configuration', true, async (ctx, n, text, tech) => {
      const category = parseWorkCategory(text);
      if (category === null) return t(ctx.lang, 'team.badCategory');
      return ctx.queue.setCategory(n, tech, category);
    })],
    ['visit', ticketCommand('ID 2026-11-24 14:30', true, async (ctx, n, text, tech) => {
      const at = parseLocalDateTime(text, ctx.timezone);
      if (at === null) return t(ctx.lang, 'team.badTime');
      return ctx.queue.bookVisit(n, tech, at);
    })],
    ['outage', outageCommand()],
    ['help', { args: '', open: true, run: async (_rest, ctx) => t(ctx.lang, 'team.help') }],
  ]);
  return router;
}

/**
 * Runs the command line `text` (what follows "/linka"). `mayAct` is asked only for
 * sub-commands that are not open to everyone. Returns the answer's text.
 */
export async function runCommand(router: CommandRouter, text: string, ctx: CommandContext, mayAct: () => Promise<boolean>): Promise<string> {
  const { name, rest } = parseCommandText(text);
  if (!name) return t(ctx.lang, 'team.help');
  const sub = router.get(name);
  if (!sub) return `${t(ctx.lang, 'team.unknownCommand', { command: name })}\n${t(ctx.lang, 'team.help')}`;
  if (!sub.open && !(await mayAct())) return t(ctx.lang, 'team.notAllowed');
  return sub.run(rest, ctx, name);
}
