/**
 * The queue digest posted to the team channels on schedule: unclaimed first, each part most urgent
 * first (emergencies, then by deadline: src/domain/sla.ts byUrgency), time left to each deadline
 * (and the resolution deadline where there is one).
 */
import { EMERGENCY_MARK, resolutionLine, timeLeft } from '../domain/ticket-card.js';
import { DEFAULT_TIME_ZONE } from '../domain/business-time.js';
import { byUrgency, isEmergency } from '../domain/sla.js';
import type { Lang } from '../engine/types.js';
import { t } from '../messages/index.js';
import { toTeamChannel } from '../services/enqueue-team-posts.js';
import { ticketsOpenOrClaimed } from '../store/tickets.js';
import type { PrismaClient } from '../store/types.js';

export interface TeamJobDeps {
  prisma: PrismaClient;
  clock: () => Date;
  teamPlatforms: readonly string[];
  teamLanguage: Lang;
  /** The company's time zone, for the times the digest shows (default Europe/Prague). */
  timezone?: string;
  onQueued?: () => void;
}

/** Builds the digest text from the open tickets as they are at `now`. */
export async function digestText(deps: TeamJobDeps): Promise<string> {
  const { prisma, clock, teamLanguage: lang } = deps;
  const now = clock();
  const tickets = await ticketsOpenOrClaimed(prisma);
  const unclaimed = tickets.filter((x) => x.status === 'open').sort(byUrgency);
  const claimed = tickets.filter((x) => x.status === 'claimed').sort(byUrgency);
  const lines = [t(lang, 'team.digestTitle', { open: unclaimed.length, claimed: claimed.length })];
  for (const x of [...unclaimed, ...claimed]) {
    lines.push(
      `• ${isEmergency(x) ? `${EMERGENCY_MARK} ` : ''}${t(lang, 'team.queueLine', {
        number: x.number,
        problem: t(lang, `problem.${x.category}`),
        customer: x.customer?.name ?? t(lang, 'team.unknownCustomer'),
        state: x.status === 'claimed' ? t(lang, 'team.state.claimed', { name: x.claimedByName ?? '?' }) : t(lang, 'team.state.open'),
        deadline:
          (x.deadline ? timeLeft(x.deadline, now, lang) : t(lang, 'team.noDeadline')) +
          (x.resolutionDeadline ? ` · ${resolutionLine(x.resolutionDeadline, now, deps.timezone ?? DEFAULT_TIME_ZONE, lang)}` : ''),
      })}`,
    );
  }
  return lines.join('\n');
}

/** Queues the digest for every team channel. */
export async function postDigest(deps: TeamJobDeps): Promise<void> {
  if (deps.teamPlatforms.length === 0) return;
  const text = await digestText(deps);
  await toTeamChannel(deps.prisma, deps.teamPlatforms, text, deps.clock());
  deps.onQueued?.();
}
