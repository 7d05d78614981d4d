/**
 * The SLA watch, run every minute: for each ticket with a reaction deadline and no reaction
 * yet, one warning to the team channels when `warnAt` of its reaction time (in the tier's
 * business minutes) is used, and one escalation mentioning the on-call people at the
 * deadline. It also decides `slaMet` from the technician's first reaction (set by the queue
 * on claim, reply or resolve) and counts met and missed service levels.
 * Every change is a conditional UPDATE, so two processes never warn, escalate or count twice.
 */
import { reactedInTime, slaStatus, spanText, tierCalendar, type SlaCalendar, type TierLevel } from '../domain/sla.js';
import { t } from '../messages/index.js';
import type { Metrics } from '../observability/metrics.js';
import { ON_CALL_PLACEHOLDER, toTeamChannel } from '../services/enqueue-team-posts.js';
import { decideSlaMet, markSlaBreached, markSlaWarned, ticketsAwaitingReaction, ticketsReactedUndecided } from '../store/tickets.js';
import type { TeamJobDeps } from './digest.js';

export interface SlaWatchSettings {
  tiers: Readonly<Record<string, TierLevel>>;
  calendar: SlaCalendar;
  /** The fraction of the reaction time used when the team is warned (0.75). */
  warnAt: number;
}

export interface SlaWatchResult {
  warned: string[];
  /** Escalated now: the deadline passed without a reaction (slaMet false, counted as missed). */
  breached: string[];
  /** Decided from a first reaction: in time... */
  met: string[];
  /** ...or late (after a deadline the watch had not escalated yet). */
  missed: string[];
}

/** One round of the watch at `deps.clock()`; returns the ticket numbers it acted on. */
export async function watchSla(deps: TeamJobDeps & { metrics?: Metrics }, settings: SlaWatchSettings): Promise<SlaWatchResult> {
  const { prisma, clock, teamLanguage: lang, teamPlatforms, metrics } = deps;
  const now = clock();
  const result: SlaWatchResult = { warned: [], breached: [], met: [], missed: [] };

  // Reacted since the last round: met when the first reaction came by the deadline.
  const reacted = await ticketsReactedUndecided(prisma);
  for (const x of reacted) {
    if (!x.deadline || !x.firstReactionAt) continue;
    const met = reactedInTime(x.firstReactionAt, x.deadline);
    if (!(await decideSlaMet(prisma, x.id, met))) continue;
    (met ? metrics?.slaMet : metrics?.slaMissed)?.inc();
    (met ? result.met : result.missed).push(x.number);
  }

  // Still waiting for a reaction: warn once, escalate once.
  const waiting = await ticketsAwaitingReaction(prisma);
  for (const x of waiting) {
    const status = slaStatus(x, now, tierCalendar(settings.tiers, x.tier, settings.calendar), settings.warnAt);
    const problem = t(lang, `problem.${x.category}`);
    if (status.state === 'breached') {
      const won = await prisma.$transaction(async (tx) => {
        if (!(await markSlaBreached(tx, x.id, now, x.slaWarnedAt ?? now))) return false;
        const text = t(lang, 'team.slaBreach', { number: x.number, problem, onCall: ON_CALL_PLACEHOLDER });
        await toTeamChannel(tx, teamPlatforms, text, now, { mentionOnCall: true });
        return true;
      });
      if (won) {
        metrics?.slaMissed.inc();
        result.breached.push(x.number);
      }
    } else if (status.state === 'warning' && !x.slaWarnedAt) {
      await prisma.$transaction(async (tx) => {
        if (!(await markSlaWarned(tx, x.id, now))) return;
        const text = t(lang, 'team.slaWarning', { number: x.number, problem, left: spanText(status.leftMinutes ?? 0) });
        await toTeamChannel(tx, teamPlatforms, text, now);
        result.warned.push(x.number);
      });
    }
  }
  if ((result.warned.length || result.breached.length) && teamPlatforms.length) deps.onQueued?.();
  return result;
}
