/**
 * What happens to the customer's ticket after it is opened (part of the pure engine,
 * src/engine/step.ts): a paid call-out offer and the customer's explicit answer, the
 * technician's resolution, the satisfaction rating, the end of the session.
 */
import { clearTimer, flush, prompt, say, text, type Turn } from './turn.js';
import type { CoreEvent } from './types.js';

/**
 * A paid call-out is offered: quote the exact terms and ask for an explicit yes or no. With
 * `work`, the support turned paid (a technician reclassified the ticket): the customer is asked
 * to agree to that paid work the same way.
 */
export function onOffer(turn: Turn, offerId: string, number: string, terms: string, work?: string): void {
  const { s } = turn;
  clearTimer(turn);
  s.offer = { id: offerId, number, accepted: false, ...(work ? { work } : {}) };
  s.flow = 'main';
  s.step = 'offer';
  if (work) say(turn, 'offer.paidWork.intro', { number, work: text(turn, `offer.work.${work}`) });
  else say(turn, 'offer.intro', { number });
  turn.pending.push(terms);
  prompt(turn);
  // No conversation timer: the offer expires at its `expiresAt` on the server even when the
  // customer wanders off to the menu (src/services/offer-expiry.ts), and a late answer is refused.
}

/**
 * The customer's explicit answer: the runtime records it once (or finds the offer expired)
 * and answers with `consentResult`; what was said so far waits for that answer.
 */
export function decide(turn: Turn, accepted: boolean, reply: string): void {
  const { s } = turn;
  const offer = s.offer;
  if (!offer) return;
  turn.out.push({ type: 'recordConsent', offerId: offer.id, decision: accepted ? 'accepted' : 'declined', reply });
  if (turn.pending.length) s.held = turn.pending;
  turn.pending = [];
}

/** What the runtime stored for the customer's answer: confirm it, or say the offer ran out. */
export function onConsent(turn: Turn, event: Extract<CoreEvent, { kind: 'consentResult' }>): void {
  const { s } = turn;
  const offer = s.offer?.id === event.offerId ? s.offer : null;
  const work = offer?.work;
  // An accepted call-out can be cancelled until the visit (ZRUŠIT); agreed paid work has nothing to cancel.
  s.offer = event.outcome === 'accepted' && !work ? { id: event.offerId, number: event.number, accepted: true } : offer?.accepted ? offer : null;
  s.ticketNumber = event.number;
  s.flow = 'main';
  s.step = 'ticketOpen';
  if (event.outcome === 'expired') {
    say(turn, work ? 'offer.paidWork.expired' : 'offer.expired', { number: event.number });
    return prompt(turn);
  }
  if (event.outcome === 'closed') return prompt(turn);
  const key = event.outcome === 'accepted' ? 'offer.accepted' : 'offer.declined';
  prompt(turn, {}, work ? key.replace('offer.', 'offer.paidWork.') : key);
}

/** The server expired the offer unanswered: tell the customer (once: the event's id is de-duplicated). */
export function onOfferExpired(turn: Turn, offerId: string, number: string, work?: string): void {
  const { s } = turn;
  say(turn, work ? 'offer.paidWork.expired' : 'offer.expired', { number });
  if (s.offer?.id !== offerId || s.offer.accepted) return flush(turn);
  s.offer = null;
  if (s.step !== 'offer') return flush(turn);
  s.ticketNumber = number;
  s.step = 'ticketOpen';
  prompt(turn);
}

/** Adds a paragraph to the reply the turn has just prompted (its choices stay below it). */
export function appendToReply(turn: Turn, line: string): void {
  const last = turn.out.at(-1);
  if (last?.type === 'reply') last.reply.text = `${last.reply.text}\n\n${line}`;
  else turn.out.push({ type: 'reply', reply: { text: line } });
}

/** The technician resolved the ticket: tell the customer and ask how satisfied they are. */
export function onResolved(turn: Turn, number: string, note: string | undefined): void {
  const { s } = turn;
  say(turn, 'ticket.resolved', { number });
  if (note) say(turn, 'ticket.resolvedNote', { note });
  if (s.ticketNumber !== number) return flush(turn); // the customer is elsewhere: just the news
  clearTimer(turn);
  s.ratingFor = number;
  s.flow = 'main';
  s.step = 'rate';
  s.back = [];
  prompt(turn);
}

export function rated(turn: Turn, score: number): void {
  const number = turn.s.ratingFor;
  if (number) turn.out.push({ type: 'rateTicket', number, score });
  say(turn, 'ticket.thanks');
  flush(turn);
  endSession(turn);
}

/** Closes the session of a resolved ticket; the next message starts afresh. */
export function endSession(turn: Turn): void {
  const { s } = turn;
  s.ratingFor = null;
  s.ticketNumber = null;
  s.answers = {};
  s.back = [];
  s.flow = 'main';
  s.step = 'done';
  turn.out.push({ type: 'newSession' });
}
