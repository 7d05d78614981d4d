/**
 * Service levels: the reaction and resolution deadlines of a ticket from its customer's tier,
 * each by its rule (src/domain/deadlines.ts) on the tier's business time, and where a ticket
 * stands against one. Pure: time comes in as arguments.
 */
import { businessMinutesBetween, type BusinessCalendar, type BusinessHours, type HolidayCountry } from './business-time.js';
import { DEADLINE_FORMS, deadlineAfter, parseDeadline, type DeadlineRule } from './deadlines.js';

/** A tier's service level as configured. */
export interface TierLevel {
  /** The reaction deadline ("8h", "next working day"... see src/domain/deadlines.ts); null: none. Wins over `reactionHours`. */
  reaction?: string | null;
  /** The older form of the reaction deadline: hours of the tier's business time; null: none. */
  reactionHours?: number | null;
  /** The resolution deadline, written like `reaction`; null or absent: none. */
  resolution?: string | null;
  /** When the clock runs; default 'always' (plain elapsed time). */
  hours?: BusinessHours;
}

/** The company's calendar shared by every tier: its time zone, public holidays and closures. */
export interface SlaCalendar {
  timeZone: string;
  holidays: HolidayCountry | null;
  closures: readonly string[];
}

/** Which of a tier's promises: a technician's first reaction, or the ticket's resolution. */
export type Commitment = 'reaction' | 'resolution';

/** The business calendar of `tier`: its hours on the company's calendar ('always' for an unknown tier). */
export function tierCalendar(tiers: Readonly<Record<string, TierLevel>>, tier: string, calendar?: SlaCalendar): BusinessCalendar {
  return { ...calendar, hours: tiers[tier]?.hours ?? 'always' };
}

/** The rule of a tier's reaction or resolution deadline; null when it promises none (or the tier is unknown). */
export function tierRule(level: TierLevel | undefined, promise: Commitment): DeadlineRule | null {
  if (!level) return null;
  const text = promise === 'reaction' ? level.reaction : level.resolution;
  if (text === undefined && promise === 'reaction') {
    const hours = level.reactionHours ?? null;
    return hours === null ? null : { kind: 'hours', hours };
  }
  if (text === undefined || text === null) return null;
  const rule = parseDeadline(text);
  if (!rule) throw new RangeError(`${promise} "${text}" is not ${DEADLINE_FORMS}`);
  return rule;
}

/** The deadline of `promise` for a ticket opened at `openedAt` for `tier`, on the tier's business calendar; null when the tier promises none. */
export function tierDeadline(
  tiers: Readonly<Record<string, TierLevel>>,
  tier: string,
  promise: Commitment,
  openedAt: Date,
  calendar?: SlaCalendar,
): Date | null {
  const rule = tierRule(tiers[tier], promise);
  return rule === null ? null : deadlineAfter(openedAt, rule, tierCalendar(tiers, tier, calendar));
}

/** The reaction deadline of a ticket opened at `openedAt` for `tier`; null when the tier promises none. */
export function reactionDeadline(tiers: Readonly<Record<string, TierLevel>>, tier: string, openedAt: Date, calendar?: SlaCalendar): Date | null {
  return tierDeadline(tiers, tier, 'reaction', openedAt, calendar);
}

/** The resolution deadline of a ticket opened at `openedAt` for `tier`; null when the tier promises none. */
export function resolutionDeadline(tiers: Readonly<Record<string, TierLevel>>, tier: string, openedAt: Date, calendar?: SlaCalendar): Date | null {
  return tierDeadline(tiers, tier, 'resolution', openedAt, calendar);
}

/**
 * Whether a ticket is an emergency (docs/domain.md, "Emergencies first"): an outage of the
 * provider's own system is the only real one. A ticket opened while a known outage covered the
 * customer's area (kind of work `outage`), or one a technician marked (`/linka emergency`).
 */
export function isEmergency(ticket: { emergency?: boolean; workCategory?: string }): boolean {
  return ticket.emergency === true || ticket.workCategory === 'outage';
}

/**
 * Sorts tickets most urgent first: emergencies (see {@link isEmergency}), then tickets with a
 * tier's deadline by deadline, then the rest; within each, the older first (emergencies by
 * their deadline where they have one).
 */
export function byUrgency<T extends { deadline: Date | null; createdAt: Date; emergency?: boolean; workCategory?: string }>(a: T, b: T): number {
  const emergency = Number(isEmergency(b)) - Number(isEmergency(a));
  if (emergency !== 0) return emergency;
  if (a.deadline && b.deadline) return a.deadline.getTime() - b.deadline.getTime() || a.createdAt.getTime() - b.createdAt.getTime();
  if (a.deadline) return -1;
  if (b.deadline) return 1;
  return a.createdAt.getTime() - b.createdAt.getTime();
}

/** What the SLA watch needs of a ticket. */
export interface SlaTicket {
  createdAt: Date;
  deadline: Date | null;
  firstReactionAt: Date | null;
}

/**
 * Where a ticket stands: `none` (no deadline), `met` / `missed` (decided by the first
 * reaction), or without a reaction yet `running`, `warning` (at least `warnAt` of the
 * reaction time used) and `breached` (the deadline has passed).
 */
export type SlaState = 'none' | 'met' | 'missed' | 'running' | 'warning' | 'breached';

export interface SlaStatus {
  state: SlaState;
  /** Business minutes left until the deadline (negative past it); null without a deadline. */
  leftMinutes: number | null;
  /** The fraction of the reaction time used (business time); null without a deadline. */
  used: number | null;
}

/** True when a first reaction at `reactedAt` met `deadline`. */
export function reactedInTime(reactedAt: Date, deadline: Date): boolean {
  return reactedAt.getTime() <= deadline.getTime();
}

/**
 * The ticket's SLA status at `now`, measured in the business time of `cal` (the tier's
 * calendar) against the deadline stored on the ticket.
 */
export function slaStatus(ticket: SlaTicket, now: Date, cal: BusinessCalendar, warnAt = 0.75): SlaStatus {
  const { deadline } = ticket;
  if (!deadline) return { state: 'none', leftMinutes: null, used: null };
  const budget = businessMinutesBetween(ticket.createdAt, deadline, cal);
  const leftMinutes = businessMinutesBetween(now, deadline, cal);
  const used = budget > 0 ? (budget - leftMinutes) / budget : 1;
  if (ticket.firstReactionAt) return { state: reactedInTime(ticket.firstReactionAt, deadline) ? 'met' : 'missed', leftMinutes, used };
  const state = now.getTime() >= deadline.getTime() ? 'breached' : used >= warnAt ? 'warning' : 'running';
  return { state, leftMinutes, used };
}

/** "2 h 15 min" / "45 min" from minutes (rounded; never negative). */
export function spanText(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min`;
}
