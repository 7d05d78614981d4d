/**
 * The decisions behind the technicians' actions on a ticket and behind a ticket's opening:
 * who may claim, release or resolve it, when the first reaction counts, what a logged time
 * entry is (billable or not), and what the customer is told when their ticket opens. Pure: the
 * queue (src/services/queue.ts) and the dispatcher (src/runtime/dispatch.ts) carry them out in
 * their transactions, with the conditional updates that make each action happen once.
 */
import { isFreeWork } from './billing.js';
import { type PriceList, rateNamed } from './prices.js';
import { workDateAt, type TimeNote } from './time-note.js';

/** The state of a ticket an action looks at. */
export interface TicketFacts {
  status: string;
  claimedBy: string | null;
  firstReactionAt: Date | null;
  workCategory: string;
}

/** Why an action is refused: a team catalogue key (its parameters are the caller's to give). */
export type Refusal = 'team.alreadyResolved' | 'team.notClaimed' | 'team.notYours' | 'team.alreadyClaimed';

/**
 * Whether a claim may go ahead, as read before the claim's conditional update (the update itself
 * repeats the condition, so of simultaneous claims one wins): resolved and already claimed
 * tickets are refused.
 */
export function claimRefusal(ticket: TicketFacts): Refusal | null {
  if (ticket.status === 'resolved') return 'team.alreadyResolved';
  if (ticket.status !== 'open' || ticket.claimedBy !== null) return 'team.alreadyClaimed';
  return null;
}

/** Whether `techId` may release the ticket: only a claimed ticket, only by its holder. */
export function releaseRefusal(ticket: TicketFacts, techId: string): Refusal | null {
  if (ticket.status === 'resolved') return 'team.alreadyResolved';
  if (ticket.status !== 'claimed') return 'team.notClaimed';
  return ticket.claimedBy === techId ? null : 'team.notYours';
}

/** Whether the ticket can still be resolved (or offered a call-out): open or claimed. */
export function resolvedRefusal(ticket: TicketFacts): Refusal | null {
  return ticket.status === 'open' || ticket.status === 'claimed' ? null : 'team.alreadyResolved';
}

/** The ticket's first reaction: the earliest of a claim, a reply or a resolution, kept once set. */
export function firstReaction(ticket: TicketFacts, now: Date): Date {
  return ticket.firstReactionAt ?? now;
}

/** A time entry to log, or why not (a team catalogue key and its parameters). */
export type TimeEntryDecision =
  | {
      ok: true;
      minutes: number;
      activity: string;
      billable: boolean;
      travel: boolean;
      workDate: string | null;
      workedAt: Date | null;
      /** The rate the technician named (a name of the price list); absent: the default rate (and always for travel). */
      rate?: string;
      /** Kilometres driven, when the technician gave them ("cesta 35km:"). */
      km?: number;
    }
  | {
      ok: false;
      reason: 'team.badDuration' | 'team.usage' | 'team.badWorkDate' | 'team.unknownRate' | 'team.badKm' | 'team.rateOnTravel';
      params?: Record<string, string>;
    };

/**
 * What `/linka time` logs: a positive whole number of minutes and an activity; the day of the
 * work when given (not in the future, at most MAX_WORK_DATE_AGE_DAYS back); billable as the
 * technician said, else exactly when the ticket's work category is paid; travel when said, with
 * whole kilometres; work at the rate named (one of `prices`, else refused naming it), else at
 * the default rate (recorded as none, so the entry follows the price list's default). Travel time is billed at the travel rate, so a rate named on it is refused.
 */
export function timeEntryOf(ticket: TicketFacts, minutes: number, note: TimeNote, now: Date, timeZone: string, prices?: PriceList): TimeEntryDecision {
  if (!Number.isInteger(minutes) || minutes <= 0) return { ok: false, reason: 'team.badDuration' };
  if (note.badKm !== undefined) return { ok: false, reason: 'team.badKm', params: { km: note.badKm } };
  if (!note.activity) return { ok: false, reason: 'team.usage' };
  const workedAt = note.workDate === null ? null : workDateAt(note.workDate, now, timeZone);
  if (note.workDate !== null && workedAt === null) return { ok: false, reason: 'team.badWorkDate' };
  const billable = note.billable ?? !isFreeWork(ticket.workCategory);
  let rate: string | undefined;
  if (note.rate !== undefined) {
    const named = prices ? rateNamed(prices, note.rate) : null;
    if (!prices || named === null || !prices.rates[named])
      return { ok: false, reason: 'team.unknownRate', params: { rate: note.rate, rates: Object.keys(prices?.rates ?? {}).join(', ') } };
    if (note.travel) return { ok: false, reason: 'team.rateOnTravel', params: { rate: note.rate } };
    rate = named;
  }
  return {
    ok: true,
    minutes,
    activity: note.activity,
    billable,
    travel: note.travel,
    workDate: note.workDate,
    workedAt,
    ...(rate !== undefined ? { rate } : {}),
    ...(note.km !== undefined ? { km: note.km } : {}),
  };
}

/**
 * Whether a new ticket is a repeat the customer is warned about (further help on the topic is
 * charged): `repeatCount` or more tickets on the same topic in the window, counting this one
 * (`earlierTickets` are the others: the warning comes with the repeatCount-th ticket, as the
 * configuration says); a repeatCount of 0 turns the rule off.
 */
export function isRepeatedTopic(earlierTickets: number, repeatCount: number): boolean {
  return repeatCount > 0 && earlierTickets + 1 >= repeatCount;
}

/** What the customer is told about the reaction time when their ticket opens. */
export type ReactionPromise = { kind: 'deadline'; deadline: Date } | { kind: 'none' } | { kind: 'unknown' };

/**
 * The reaction promise of a new ticket: by its tier's deadline when there is one; an identified
 * customer whose tier promises no reaction time is told so; for an unidentified sender (tier
 * unknown) nothing is promised or denied.
 */
export function reactionPromise(deadline: Date | null, customerKnown: boolean): ReactionPromise {
  if (deadline) return { kind: 'deadline', deadline };
  return customerKnown ? { kind: 'none' } : { kind: 'unknown' };
}

/** What the dispatcher does after its transaction failed. */
export type FailureOutcome = 'duplicate' | 'retry' | 'throw';

/**
 * After a failed dispatch transaction: an inbound id seen before is a duplicate (acknowledged,
 * nothing done twice); a unique-key clash on a retry means another process committed this very
 * event meanwhile (also a duplicate); a conversation saved by another process meanwhile, or a
 * first unique-key clash, is retried up to `maxRetries` times; anything else is thrown.
 */
export function afterFailure(
  failure: { duplicateInbound: boolean; uniqueViolation: boolean; conversationConflict: boolean },
  attempt: number,
  maxRetries: number,
): FailureOutcome {
  if (failure.duplicateInbound || (failure.uniqueViolation && attempt > 0)) return 'duplicate';
  const retriable = failure.conversationConflict || failure.uniqueViolation;
  return retriable && attempt < maxRetries ? 'retry' : 'throw';
}
