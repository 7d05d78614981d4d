/**
 * `/linka outage ...` in Slack (technicians only), mapped onto the shared outage commands
 * (src/domain/team-commands.ts checks them, adapters/team/actions.ts carries them out):
 *   outage start Bory, Doubravka [| title]     declare (areas comma-separated; "Plzeň*" = prefix)
 *   outage update ID [status] [2026-11-24 14:30]  change status and/or expected end ("-" clears it)
 *   outage resolve ID                          resolve
 *   outage list                                the outages in progress, with their ids
 */
import { parseOutageStatus, problemText, readOutageCommand, type OutageCommandArgs } from '../../src/domain/team-commands.js';
import type { SubCommand } from './command-types.js';
import { firstWord, slackTextToPlain } from './parse.js';

const FORMS = {
  start: 'start Bory, Doubravka [| title]',
  update: 'update ID [investigating|identified|monitoring|resolved] [2026-11-24 14:30]',
  resolve: 'resolve ID',
  list: 'list',
} as const;

/**
 * The positional arguments of "update ID [status] [when]": a word that is a status is the
 * status; otherwise what follows the id is the expected end when it starts like one (a digit)
 * or is "-", and a mistyped status when not ("update ID fixed").
 */
function updateArgs(args: string): OutageCommandArgs {
  const [outage, more] = firstWord(args);
  const [word, afterWord] = firstWord(more);
  if (parseOutageStatus(word)) return { outage, status: word, eta: afterWord };
  if (/^\d/.test(more) || more === '-') return { outage, eta: more };
  return { outage, status: word, eta: afterWord };
}

export function outageCommand(): SubCommand {
  return {
    args: 'start|update|resolve|list',
    async run(rest, ctx, name) {
      const usage = (...forms: Array<keyof typeof FORMS>) =>
        forms.map((f) => problemText({ problem: 'usage' }, ctx.lang, `${ctx.command} ${name} ${FORMS[f]}`)).join('\n');
      const [typed, args] = firstWord(slackTextToPlain(rest));
      const action = typed.toLowerCase();
      let raw: OutageCommandArgs;
      switch (action) {
        case 'start': {
          const bar = args.indexOf('|');
          raw = bar < 0 ? { areas: args } : { areas: args.slice(0, bar), title: args.slice(bar + 1) };
          break;
        }
        case 'update':
          raw = updateArgs(args);
          break;
        case 'resolve': {
          const [outage, extra] = firstWord(args);
          if (extra) return usage('resolve');
          raw = { outage };
          break;
        }
        case 'list':
          raw = {};
          break;
        default:
          return usage('start', 'update', 'resolve', 'list');
      }
      const read = readOutageCommand(action, raw, ctx.timezone);
      if (!read.ok) return read.problem === 'usage' ? usage(action as keyof typeof FORMS) : problemText(read, ctx.lang, '');
      const context = { outages: ctx.outages, lang: ctx.lang, timezone: ctx.timezone, source: 'slack', actor: async () => (await ctx.technician()).id };
      if (read.command.name === 'list') return ctx.actions.outage(read.command, context);
      const answer = await ctx.actions.once(null, () => ctx.actions.outage(read.command, context));
      return answer === 'duplicate' ? '' : answer;
    },
  };
}
