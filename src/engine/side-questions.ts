/**
 * Questions a customer may ask at any step (part of the pure engine, src/engine/step.ts): how
 * many support hours are used and left this month, and "I have paid".
 */
import { commandWords } from '../messages/lexicon.js';
import { formatMinutes } from '../shared/time.js';
import { prompt, say, type Turn } from './turn.js';
import type { CoreEvent } from './types.js';

/** "kolik hodin", "čerpání", "hours"... (a trailing question mark allowed). */
export function asksHours(n: string): boolean {
  return commandWords.hours.includes(n.replace(/\s*\?+$/, ''));
}

/** Asks the runtime for this month's hours; what was said so far goes out with the answer. */
export function queryHours(turn: Turn): void {
  if (turn.pending.length) turn.s.held = turn.pending;
  turn.pending = [];
  turn.out.push({ type: 'queryHours' });
}

/** The runtime's answer to `queryHours`: used / included / left, then the current question again. */
export function onHours(turn: Turn, report: Extract<CoreEvent, { kind: 'hoursReport' }>): void {
  if ('unknown' in report) say(turn, 'hours.unknown');
  else if (report.includedMinutes <= 0) say(turn, 'hours.none', { used: formatMinutes(report.usedMinutes) });
  else {
    const left = Math.max(0, report.includedMinutes - report.usedMinutes);
    say(turn, 'hours.report', { used: formatMinutes(report.usedMinutes), included: formatMinutes(report.includedMinutes), left: formatMinutes(left) });
  }
  if (!('unknown' in report) && report.packageLeftMinutes) say(turn, 'hours.packages', { left: formatMinutes(report.packageLeftMinutes) });
  prompt(turn);
}

/** "zaplatil jsem", "už jsem platil", "zaplatila", "zaplatil som", "paid"... */
export function saysPaid(n: string): boolean {
  return commandWords.paid.includes(n);
}

/** The customer says they paid: the runtime opens a billing ticket; unidentified, they are asked who they are first. */
export function reportPayment(turn: Turn): void {
  if (turn.s.customerId === null) {
    say(turn, 'payment.identifyFirst');
    return prompt(turn);
  }
  if (turn.pending.length) turn.s.held = turn.pending;
  turn.pending = [];
  turn.out.push({ type: 'reportPayment' });
}

/** The runtime's answer to `reportPayment`: the ticket's number, then the current question again. */
export function onPaymentReported(turn: Turn, report: Extract<CoreEvent, { kind: 'paymentReported' }>): void {
  if ('unknown' in report) say(turn, 'payment.identifyFirst');
  else say(turn, report.again ? 'payment.reportedAgain' : 'payment.reported', { number: report.number });
  prompt(turn);
}
