/**
 * The SLA watch, run every minute, for each of a tier's two promises (docs/domain.md, "Service
 * levels"): a technician's first reaction (`watchSla`) and the ticket's resolution
 * (`watchResolution`). For each ticket with such a deadline that is not met yet: one warning to
 * the team channels when `warnAt` of its time (in the tier's business minutes) is used, and one
 * escalation mentioning the on-call people at the deadline. It also decides `slaMet` from the
 * technician's first reaction (set by the queue on claim, reply or resolve) and `resolutionMet`
 * from the resolution, and counts met and missed deadlines of each kind.
 * Every change is a conditional UPDATE, so two processes never warn, escalate or count twice.
 */
import { reactedInTime, slaStatus, spanText, tierCalendar, type SlaCalendar, type TierLevel } from '../domain/sla.js';
import type { MessageKey } from '../messages/index.js';
import { t } from '../messages/index.js';
import type { Metrics } from '../observability/metrics.js';
import { ON_CALL_PLACEHOLDER, toTeamChannel } from '../services/enqueue-team-posts.js';
import {
  decideResolutionMet,
  decideSlaMet,
  markResolutionBreached,
  markResolutionWarned,
  markSlaBreached,
  markSlaWarned,
  ticketsAwaitingReaction,
  ticketsAwaitingResolution,
  ticketsReactedUndecided,
  ticketsResolvedUndecided,
} from '../store/tickets.js';
import type { Ticket, Tx } from '../store/types.js';
import type { TeamJobDeps } from './digest.js';

export interface SlaWatchSettings {
  tiers: Readonly<Record<string, TierLevel>>;
  calendar: SlaCalendar;
  /** The fraction of the reaction (or resolution) time used when the team is warned (0.75). */
  warnAt: number;
}

export interface SlaWatchResult {
  warned: string[];
  /** Escalated now: the deadline passed unmet (slaMet / resolutionMet false, counted as missed). */
  breached: string[];
  /** Decided from a first reaction (or the resolution): in time... */
  met: string[];
  /** ...or late (after a deadline the watch had not escalated yet). */
  missed: string[];
}

type WatchDeps = TeamJobDeps & { metrics?: Metrics };

/** How the watch treats one kind of deadline: which tickets, which columns, which texts and counters. */
interface DeadlineKind {
  /** Tickets whose deadline was met or missed by the event (a reaction, the resolution) and is not decided yet. */
  undecided(deps: WatchDeps): Promise<Array<{ id: string; number: string; deadline: Date | null; doneAt: Date | null }>>;
  decide(deps: WatchDeps, id: string, met: boolean): Promise<boolean>;
  /** Tickets still waiting for the event, not escalated yet, with their deadline and whether the team was warned. */
  waiting(deps: WatchDeps): Promise<Array<{ ticket: Ticket; deadline: Date | null; warnedAt: Date | null }>>;
  markBreached(tx: Tx, id: string, now: Date, warnedAt: Date): Promise<boolean>;
  markWarned(tx: Tx, id: string, now: Date): Promise<boolean>;
  warningText: MessageKey;
  breachText: MessageKey;
  counters(metrics: Metrics | undefined): { met?: Metrics['slaMet']; missed?: Metrics['slaMissed'] };
}

const REACTION: DeadlineKind = {
  undecided: async ({ prisma }) => (await ticketsReactedUndecided(prisma)).map((x) => ({ ...x, doneAt: x.firstReactionAt })),
  decide: ({ prisma }, id, met) => decideSlaMet(prisma, id, met),
  waiting: async ({ prisma }) => (await ticketsAwaitingReaction(prisma)).map((x) => ({ ticket: x, deadline: x.deadline, warnedAt: x.slaWarnedAt })),
  markBreached: markSlaBreached,
  markWarned: markSlaWarned,
  warningText: 'team.slaWarning',
  breachText: 'team.slaBreach',
  counters: (m) => ({ met: m?.slaMet, missed: m?.slaMissed }),
};

const RESOLUTION: DeadlineKind = {
  undecided: async ({ prisma }) =>
    (await ticketsResolvedUndecided(prisma)).map((x) => ({ id: x.id, number: x.number, deadline: x.resolutionDeadline, doneAt: x.resolvedAt })),
  decide: ({ prisma }, id, met) => decideResolutionMet(prisma, id, met),
  waiting: async ({ prisma }) =>
    (await ticketsAwaitingResolution(prisma)).map((x) => ({ ticket: x, deadline: x.resolutionDeadline, warnedAt: x.resolutionWarnedAt })),
  markBreached: markResolutionBreached,
  markWarned: markResolutionWarned,
  warningText: 'team.resolutionWarning',
  breachText: 'team.resolutionBreach',
  counters: (m) => ({ met: m?.resolutionMet, missed: m?.resolutionMissed }),
};

/** One round of the reaction watch at `deps.clock()`; returns the ticket numbers it acted on. */
export function watchSla(deps: WatchDeps, settings: SlaWatchSettings): Promise<SlaWatchResult> {
  return watch(REACTION, deps, settings);
}

/** One round of the resolution watch at `deps.clock()`: the same, for tickets whose tier promises a resolution. */
export function watchResolution(deps: WatchDeps, settings: SlaWatchSettings): Promise<SlaWatchResult> {
  return watch(RESOLUTION, deps, settings);
}

async function watch(kind: DeadlineKind, deps: WatchDeps, settings: SlaWatchSettings): Promise<SlaWatchResult> {
  const { prisma, clock, teamLanguage: lang, teamPlatforms, metrics } = deps;
  const now = clock();
  const result: SlaWatchResult = { warned: [], breached: [], met: [], missed: [] };
  const counters = kind.counters(metrics);

  // Reacted (or resolved) since the last round: met when it came by the deadline.
  for (const x of await kind.undecided(deps)) {
    if (!x.deadline || !x.doneAt) continue;
    const met = reactedInTime(x.doneAt, x.deadline);
    if (!(await kind.decide(deps, x.id, met))) continue;
    (met ? counters.met : counters.missed)?.inc();
    (met ? result.met : result.missed).push(x.number);
  }

  // Still waiting: warn once, escalate once.
  for (const { ticket: x, deadline, warnedAt } of await kind.waiting(deps)) {
    const status = slaStatus(
      { createdAt: x.createdAt, deadline, firstReactionAt: null },
      now,
      tierCalendar(settings.tiers, x.tier, settings.calendar),
      settings.warnAt,
    );
    const problem = t(lang, `problem.${x.category}`);
    if (status.state === 'breached') {
      const won = await prisma.$transaction(async (tx) => {
        if (!(await kind.markBreached(tx, x.id, now, warnedAt ?? now))) return false;
        const text = t(lang, kind.breachText, { number: x.number, problem, onCall: ON_CALL_PLACEHOLDER });
        await toTeamChannel(tx, teamPlatforms, text, now, { mentionOnCall: true });
        return true;
      });
      if (won) {
        counters.missed?.inc();
        result.breached.push(x.number);
      }
    } else if (status.state === 'warning' && !warnedAt) {
      await prisma.$transaction(async (tx) => {
        if (!(await kind.markWarned(tx, x.id, now))) return;
        const text = t(lang, kind.warningText, { number: x.number, problem, left: spanText(status.leftMinutes ?? 0) });
        await toTeamChannel(tx, teamPlatforms, text, now);
        result.warned.push(x.number);
      });
    }
  }
  if ((result.warned.length || result.breached.length) && teamPlatforms.length) deps.onQueued?.();
  return result;
}
