/**
 * `/linka outage ...` in Slack (technicians only), read into the shared outage commands:
 *   outage start Bory, Doubravka [| title]     declare (areas comma-separated; "Plzeň*" = prefix)
 *   outage update ID [status] [2026-11-24 14:30]  change status and/or expected end ("-" clears it)
 *   outage resolve ID                          resolve
 *   outage list                                the outages in progress, with their ids
 */
import { parseLocalDateTime } from '../../src/domain/business-time.js';
import { t } from '../../src/messages/index.js';
import { listOutages, parseAreas, parseOutageStatus, resolveOutage, startOutage, updateOutage, type OutageCommandContext } from '../../src/runtime/outage-commands.js';
import type { SubCommand } from './commands.js';
import { firstWord, slackTextToPlain } from './parse.js';

const FORMS = {
  start: 'start Bory, Doubravka [| title]',
  update: 'update ID [investigating|identified|monitoring|resolved] [2026-11-24 14:30]',
  resolve: 'resolve ID',
  list: 'list',
} as const;

export function outageCommand(): SubCommand {
  return {
    args: 'start|update|resolve|list',
    async run(rest, ctx, name) {
      const usage = (...forms: Array<keyof typeof FORMS>) => forms.map((f) => t(ctx.lang, 'team.usage', { usage: `${ctx.command} ${name} ${FORMS[f]}` })).join('\n');
      const [action, args] = firstWord(slackTextToPlain(rest));
      const context = async (): Promise<OutageCommandContext> => ({ outages: ctx.outages, lang: ctx.lang, timezone: ctx.timezone, actor: (await ctx.technician()).id, source: 'slack' });
      switch (action.toLowerCase()) {
        case 'start': {
          const bar = args.indexOf('|');
          const areas = parseAreas(bar < 0 ? args : args.slice(0, bar));
          const title = bar < 0 ? undefined : args.slice(bar + 1).trim() || undefined;
          if (!areas.length) return usage('start');
          return startOutage(await context(), { areas, title });
        }
        case 'update': {
          const [id, more] = firstWord(args);
          const [word, afterWord] = firstWord(more);
          const status = parseOutageStatus(word);
          const when = (status ? afterWord : more).trim();
          if (!id || (!status && !when)) return usage('update');
          let eta: Date | null | undefined;
          if (when === '-') eta = null;
          else if (when) {
            eta = parseLocalDateTime(when, ctx.timezone);
            // "update ID 14:3O" is a bad time; "update ID fixed" a bad status.
            if (eta === null) return status || /^\d/.test(when) ? t(ctx.lang, 'team.badTime') : t(ctx.lang, 'team.outageBadStatus');
          }
          return updateOutage(await context(), id, { ...(status ? { status } : {}), ...(eta !== undefined ? { eta } : {}) });
        }
        case 'resolve': {
          const [id, extra] = firstWord(args);
          if (!id || extra) return usage('resolve');
          return resolveOutage(await context(), id);
        }
        case 'list':
          return listOutages(ctx);
        default:
          return usage('start', 'update', 'resolve', 'list');
      }
    },
  };
}

