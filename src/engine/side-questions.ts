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

const TICKET_REFERENCE = /^(?:(.+?)\s+)?([a-z]{1,5})-(\d{4})-(\d{1,9})$/;

/**
 * Whether the customer asks how a ticket stands: "stav", "co je s tím", "jak to vypadá s mým
 * požadavkem" (`typed` null: their latest), or a ticket number alone or after such words
 * ("stav T-2026-00042", "T-2026-42"; `typed` the number). The number must carry the configured
 * prefix; null when the text is no such question.
 */
export function asksStatus(n: string, prefix: string): { typed: string | null } | null {
  const bare = n.replace(/\s*\?+$/, '');
  if (commandWords.status.includes(bare)) return { typed: null };
  const m = TICKET_REFERENCE.exec(bare);
  if (!m || (m[2] as string) !== prefix.toLowerCase()) return null;
  if (m[1] !== undefined && !commandWords.status.includes(m[1]) && !['pozadavek', 'poziadavka', 'ticket', 'request'].includes(m[1])) return null;
  return { typed: `${prefix.toUpperCase()}-${m[3]}-${m[4]}` };
}

/** Asks the runtime how the ticket stands; what was said so far goes out with the answer. */
export function queryTicketStatus(turn: Turn, typed: string | null): void {
  if (turn.pending.length) turn.s.held = turn.pending;
  turn.pending = [];
  turn.out.push({ type: 'queryTicketStatus', typed });
}

/** The runtime's answer to `queryTicketStatus`: the state, who has it, the technician's last message; then the current question again. */
export function onTicketStatus(turn: Turn, report: Extract<CoreEvent, { kind: 'ticketStatus' }>): void {
  if (!report.found) {
    if (report.typed) say(turn, 'status.notFound', { number: report.typed });
    else say(turn, turn.s.customerId === null ? 'status.identifyFirst' : 'status.none');
    return prompt(turn);
  }
  if (report.status === 'resolved') say(turn, 'status.resolved', { number: report.number, time: report.resolvedAt ?? '' });
  else if (report.status === 'claimed') say(turn, 'status.claimed', { number: report.number, name: report.technician ?? '' });
  else say(turn, 'status.open', { number: report.number });
  if (report.lastMessage) say(turn, 'status.lastMessage', { name: report.lastMessage.technician, time: report.lastMessage.at, text: report.lastMessage.text });
  else if (report.status !== 'resolved') say(turn, 'status.noMessage');
  prompt(turn);
}
