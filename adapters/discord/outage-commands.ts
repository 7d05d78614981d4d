/**
 * `/linka outage start|update|resolve|list` from Discord (technicians only): the options
 * mapped onto the shared outage commands (src/domain/team-commands.ts checks them,
 * adapters/team/actions.ts carries them out).
 */
import type { Lang } from '../../src/engine/types.js';
import { problemText, readOutageCommand } from '../../src/domain/team-commands.js';
import type { Outages } from '../../src/services/outages.js';
import type { TeamActions } from '../team/actions.js';

const USAGE: Record<string, string> = {
  start: '/linka outage start areas:Plzeň-Bory, Doubravka [title:…] [eta:2026-11-24 14:30]',
  update: '/linka outage update outage:ID [status:…] [eta:2026-11-24 14:30]',
  resolve: '/linka outage resolve outage:ID',
  list: '/linka outage list',
};

/**
 * Runs one outage sub-command; returns the answer's text. `act` runs a change at most once
 * per interaction (a replayed interaction answers `replayed`).
 */
export async function runOutageCommand(
  sub: string,
  options: Record<string, string>,
  ctx: { actions: TeamActions; outages: Outages; lang: Lang; timezone: string; actor: string },
  act: (run: () => Promise<string>) => Promise<string>,
): Promise<string> {
  const { lang, timezone } = ctx;
  const read = readOutageCommand(sub, options, timezone);
  if (!read.ok) return problemText(read, lang, USAGE[sub] ?? Object.values(USAGE).join('\n'));
  const command = read.command;
  const context = { outages: ctx.outages, lang, timezone, source: 'discord', actor: async () => ctx.actor };
  if (command.name === 'list') return ctx.actions.outage(command, context);
  return act(() => ctx.actions.outage(command, context));
}
