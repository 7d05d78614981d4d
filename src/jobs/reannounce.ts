/**
 * Announces an unclaimed ticket again after `everyMinutes`, at most `max` times. Each
 * announcement is counted with a conditional UPDATE, so two processes never both post it.
 */
import { t } from '../messages/index.js';
import { toTeamChannel } from '../services/enqueue-team-posts.js';
import { markReannounced, ticketsDueForReannouncement } from '../store/tickets.js';
import type { TeamJobDeps } from './digest.js';

export async function reannounceUnclaimed(deps: TeamJobDeps, opts: { everyMinutes: number; max: number }): Promise<string[]> {
  const { prisma, clock, teamLanguage: lang, teamPlatforms } = deps;
  if (teamPlatforms.length === 0 || opts.max === 0) return [];
  const now = clock();
  const cutoff = new Date(now.getTime() - opts.everyMinutes * 60_000);
  const due = await ticketsDueForReannouncement(prisma, opts.max, cutoff);
  const announced: string[] = [];
  for (const ticket of due) {
    await prisma.$transaction(async (tx) => {
      if (!(await markReannounced(tx, ticket, now))) return;
      const age = Math.round((now.getTime() - ticket.createdAt.getTime()) / 60_000);
      await toTeamChannel(tx, teamPlatforms, t(lang, 'team.reannounce', { number: ticket.number, problem: t(lang, `problem.${ticket.category}`), age }), now);
      announced.push(ticket.number);
    });
  }
  if (announced.length) deps.onQueued?.();
  return announced;
}
