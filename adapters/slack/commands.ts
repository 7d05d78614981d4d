/**
 * The `/linka` slash command: a router from sub-command to handler. Each handler maps Slack's
 * positional syntax ("claim T-2026-00042", "time T-2026-00042 45m text") onto the shared team
 * commands (src/domain/team-commands.ts), which check the arguments; the queue acts through the
 * shared team actions. New sub-commands (`outage`...) are added with `router.set(name, handler)`.
 */
import { problemText, queueListing, readTicketCommand, type TicketCommandArgs, type TicketCommandName } from '../../src/domain/team-commands.js';
import { t } from '../../src/messages/index.js';
import type { CommandContext, CommandRouter, SubCommand } from './command-types.js';
import { outageCommand } from './outage-command.js';
import { firstWord, parseCommandText } from './parse.js';

export type { CommandContext, CommandRouter, SubCommand } from './command-types.js';

/** The longest private answer (a ticket with its history): Slack shows up to 4,000 characters of a message's text in full. */
const SLACK_ANSWER_CHARS = 3_900;

function usageOf(ctx: CommandContext, name: string, sub: SubCommand): string {
  const example = sub.args.replace('ID', `${ctx.ticketPrefix}-${ctx.now().getUTCFullYear()}-00042`);
  return `${ctx.command} ${name}${example ? ` ${example}` : ''}`;
}

/**
 * A handler for "<name> ID <rest>": the first word is the ticket, `argsOf` maps the rest onto
 * the command's arguments; the shared rules check them and the queue acts.
 */
function ticketCommand(name: TicketCommandName, args: string, argsOf: (rest: string) => TicketCommandArgs = (text) => ({ text })): SubCommand {
  const sub: SubCommand = {
    args,
    async run(rest, ctx, as) {
      const [ticket, more] = firstWord(rest);
      const read = readTicketCommand(name, { ...argsOf(more), ticket }, ctx);
      if (!read.ok) return problemText(read, ctx.lang, usageOf(ctx, as, sub));
      const tech = await ctx.technician();
      const result = await ctx.actions.once(null, () => ctx.actions.ticket(read.command, tech, { maxChars: SLACK_ANSWER_CHARS }));
      return result === 'duplicate' ? t(ctx.lang, 'team.done', { number: read.command.number }) : result.message;
    },
  };
  return sub;
}

/** The built-in sub-commands. */
export function createCommandRouter(): CommandRouter {
  const router: CommandRouter = new Map<string, SubCommand>([
    ['queue', { args: '', run: async (_rest, ctx) => queueListing(await ctx.queue.open(), { lang: ctx.lang, timezone: ctx.timezone, now: ctx.now() }) }],
    ['ticket', ticketCommand('ticket', 'ID')],
    ['claim', ticketCommand('claim', 'ID')],
    ['release', ticketCommand('release', 'ID')],
    ['resolve', ticketCommand('resolve', 'ID [note]')],
    ['note', ticketCommand('note', 'ID text')],
    ['reply', ticketCommand('reply', 'ID text')],
    [
      'time',
      ticketCommand('time', 'ID 45m text', (rest) => {
        const [duration, text] = firstWord(rest);
        return { duration, text };
      }),
    ],
    ['category', ticketCommand('category', 'ID configuration', (kind) => ({ kind }))],
    ['visit', ticketCommand('visit', 'ID 2026-11-24 14:30 [zdarma]', (when) => ({ when }))],
    ['emergency', ticketCommand('emergency', 'ID [off]')],
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
