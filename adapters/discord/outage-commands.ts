/**
 * `/linka outage start|update|resolve|list` from Discord (technicians only): the options
 * read into the shared outage commands (src/runtime/outage-commands.ts).
 */
import { parseLocalDateTime } from '../../src/domain/business-time.js';
import type { Lang } from '../../src/engine/types.js';
import { t } from '../../src/messages/index.js';
import { listOutages, parseAreas, parseOutageStatus, resolveOutage, startOutage, updateOutage } from '../../src/runtime/outage-commands.js';
import type { Outages } from '../../src/runtime/outages.js';

const USAGE: Record<string, string> = {
  start: '/linka outage start areas:Plzeň-Bory, Doubravka [title:…] [eta:2026-11-24 14:30]',
  update: '/linka outage update outage:ID [status:…] [eta:2026-11-24 14:30]',
  resolve: '/linka outage resolve outage:ID',
  list: '/linka outage list',
};

/**
 * Runs one outage sub-command; returns the answer's text. `act` runs the change at most once
 * per interaction (a replayed interaction answers `replayed`).
 */
export async function runOutageCommand(
  sub: string,
  options: Record<string, string>,
  ctx: { outages: Outages; lang: Lang; timezone: string; actor: string },
  act: (run: () => Promise<string>) => Promise<string>,
): Promise<string> {
  const { lang, timezone } = ctx;
  const command = { outages: ctx.outages, lang, timezone, actor: ctx.actor, source: 'discord' };
  const usage = () => t(lang, 'team.usage', { usage: USAGE[sub] ?? Object.values(USAGE).join('\n') });
  let eta: Date | null | undefined;
  if (options.eta === '-') eta = null;
  else if (options.eta) {
    eta = parseLocalDateTime(options.eta, timezone);
    if (eta === null) return t(lang, 'team.badTime');
  }
  switch (sub) {
    case 'start': {
      const areas = parseAreas(options.areas ?? '');
      if (!areas.length) return usage();
      return act(() => startOutage(command, { areas, title: options.title || undefined, eta }));
    }
    case 'update': {
      const status = options.status ? parseOutageStatus(options.status) : undefined;
      if (status === null) return t(lang, 'team.outageBadStatus');
      if (!options.outage || (!status && eta === undefined)) return usage();
      return act(() => updateOutage(command, options.outage as string, { ...(status ? { status } : {}), ...(eta !== undefined ? { eta } : {}) }));
    }
    case 'resolve':
      if (!options.outage) return usage();
      return act(() => resolveOutage(command, options.outage as string));
    case 'list':
      return listOutages(command);
    default:
      return usage();
  }
}
