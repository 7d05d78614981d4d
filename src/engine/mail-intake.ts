/**
 * E-mail from customers (docs/email.md, "Receiving"; part of the pure engine, src/engine/step.ts).
 * An e-mail usually describes the whole problem at once, so it opens a ticket directly when it
 * has what a ticket needs (a known customer and a description), or asks for what is missing and
 * keeps what it has; never an empty ticket. A reply in a ticket's thread is the customer's answer
 * there: the dispatcher records it and relays it to the technicians, and the engine answers only
 * where a question waits (a paid call-out's consent, a rating, an input).
 */
import { t } from '../messages/index.js';
import type { ChoiceDef } from './flow.js';
import { lookup, onLookup } from './identify.js';
import { matchChoice } from './match.js';
import { restrictionCovers, tellRestriction } from './restriction.js';
import { asksHours, asksStatus, queryHours, queryTicketStatus, reportPayment, saysPaid } from './side-questions.js';
import { normalize } from '../shared/normalize.js';
import { endSession, rated } from './ticket-talk.js';
import { choicesOf, currentStep, flowOf, flush, resetToMenu, say, type Turn } from './turn.js';
import type { CoreEvent, CustomerView } from './types.js';

type MailEvent = Extract<CoreEvent, { kind: 'mail' }>;

/** Steps where a question waits for the customer's answer, which an e-mail may give. */
const ANSWERED_BY_MAIL = new Set(['offer', 'input']);

/** The longest description kept in the ticket's summary (the whole e-mail is in the history). */
const SUMMARY_DESCRIPTION = 1500;

/**
 * Handles one e-mail. `onText` is the engine's handling of a typed answer at the current step;
 * `fresh`: the conversation has no state yet.
 */
export function onMail(turn: Turn, event: MailEvent, fresh: boolean, onText: (turn: Turn, text: string) => void): void {
  const { s } = turn;
  const def = fresh ? undefined : currentStep(turn);
  if (event.ticket !== null) {
    // A reply to another (older) ticket of theirs: recorded and relayed by the dispatcher, nothing to say.
    if (event.ticket !== s.ticketNumber) return;
    if (def?.kind === 'rate') return rateOrEnd(turn, event);
    if (def && ANSWERED_BY_MAIL.has(def.kind)) return onText(turn, event.text);
    // At an open ticket: the dispatcher adds it to the ticket; no acknowledgement mail for every reply.
    return;
  }
  if (def?.kind === 'rate') return rateOrNew(turn, event);
  if (def && ANSWERED_BY_MAIL.has(def.kind) && s.ticketNumber !== null) return onText(turn, event.text);
  newMail(turn, event);
}

/** At the rating question: a rating is taken, anything else ends the session and is a new e-mail. */
function rateOrNew(turn: Turn, event: MailEvent): void {
  if (rating(turn, event)) return;
  endSession(turn);
  newMail(turn, event);
}

/**
 * A reply in the resolved ticket's own thread at the rating question: a rating is taken; anything
 * else ("děkuji, už to jede") ends the session quietly: the dispatcher records it on that ticket.
 */
function rateOrEnd(turn: Turn, event: MailEvent): void {
  if (!rating(turn, event)) endSession(turn);
}

/** Takes the rating the e-mail gives, if it gives one. */
function rating(turn: Turn, event: MailEvent): boolean {
  const choice = matchChoice(choicesOf(currentStep(turn)), event.text);
  if (!choice || !/^[1-5]$/.test(choice.id)) return false;
  rated(turn, Number(choice.id));
  return true;
}

/** A new e-mail (or the answer to what the last one lacked): identify, ask for a description, or open the ticket. */
function newMail(turn: Turn, event: MailEvent): void {
  const { s } = turn;
  // A new e-mail while a ticket is open is a new request: the open one keeps what was said so far.
  if (s.ticketNumber !== null || s.step === 'done') resetToMenu(turn);
  const kept = s.mail ?? null;
  const subject = kept?.subject || event.subject.trim();
  // The answer to "send us your contract number" (the number alone) describes nothing.
  const described = hasWords(withoutContracts(event.text, event.contracts)) ? event.text.trim() : '';
  const description = hasWords(kept?.description ?? '') ? (kept?.description as string) : described;
  s.mail = { subject, description };
  s.flow = 'main';
  s.back = [];
  // Unknown, and not yet handed over unverified (then a technician checks who it is, as in the chat).
  if (s.customerId === null && s.verified) {
    s.step = 'identify';
    const contract = event.contracts[0];
    if (contract) return lookup(turn, { contractNumber: contract });
    // Asked before and still no number: asked again; only a wrong number uses up a try.
    if (kept) {
      say(turn, 'mail.stillNeedContract', { left: turn.ctx.settings.maxIdTries - s.idTries });
      return flush(turn);
    }
    say(turn, 'mail.needContract');
    return flush(turn);
  }
  s.step = 'menu';
  if (sideQuestion(turn, event.text)) {
    s.mail = null;
    return;
  }
  if (!hasWords(`${subject} ${description}`)) {
    say(turn, 'mail.needDescription');
    return flush(turn);
  }
  openMailTicket(turn);
}

/**
 * A line of the e-mail that is one of the words working at every step of the chat ("zaplaceno",
 * "stav T-2026-00042", "kdy pracujete"): answered as in the chat (a payment report opens its
 * billing ticket), not as a new request.
 */
function sideQuestion(turn: Turn, text: string): boolean {
  const prefix = turn.ctx.settings.ticketPrefix ?? 'T';
  for (const line of text.split('\n').slice(0, 5)) {
    const n = normalize(line);
    if (n === '' || n.length > 60) continue;
    const status = asksStatus(n, prefix);
    if (saysPaid(n)) reportPayment(turn);
    else if (asksHours(n)) queryHours(turn);
    else if (status) queryTicketStatus(turn, status.typed);
    else continue;
    return true;
  }
  return false;
}

/** The runtime's answer to the look-up by an e-mail's contract number. */
export function onMailLookup(turn: Turn, customer: CustomerView | null): void {
  if (customer) return onLookup(turn, customer, afterIdentified);
  turn.s.lookup = null;
  failedMailIdentification(turn, 'mail.contractNotFound');
}

/** Whether the conversation keeps an e-mail waiting for its sender's contract number. */
export function waitsWithMail(turn: Turn): boolean {
  return Boolean(turn.s.mail) && turn.s.step === 'identify';
}

function afterIdentified(turn: Turn): void {
  turn.s.flow = 'main';
  turn.s.step = 'menu';
  if (!hasWords(`${turn.s.mail?.subject ?? ''} ${turn.s.mail?.description ?? ''}`)) {
    say(turn, 'mail.needDescription');
    return flush(turn);
  }
  openMailTicket(turn);
}

/** A wrong contract number: tries left are told; after the last one a technician takes the e-mail over, unverified. */
function failedMailIdentification(turn: Turn, key: string): void {
  const { s, ctx } = turn;
  s.idTries += 1;
  const left = ctx.settings.maxIdTries - s.idTries;
  if (left > 0) {
    say(turn, key, { left });
    return flush(turn);
  }
  s.verified = false;
  say(turn, 'identify.handover');
  s.step = 'menu';
  if (!hasWords(`${s.mail?.subject ?? ''} ${s.mail?.description ?? ''}`)) {
    say(turn, 'mail.needDescription');
    return flush(turn);
  }
  openMailTicket(turn);
}

/** The flow the e-mail is about, by the menu's words in its subject and text; else "something else". */
function categoryOf(turn: Turn, words: string): { choice: ChoiceDef | null; category: string; flow: string } {
  const choice = matchChoice(choicesOf(flowOf(turn, 'main').steps.menu), words);
  const next = choice && typeof choice.next === 'object' && choice.next !== null ? choice.next.flow : null;
  const flow = next && turn.ctx.flows[next] ? next : 'other';
  return { choice, category: turn.ctx.flows[flow]?.category ?? 'other', flow };
}

/**
 * Opens the ticket of the kept e-mail. A customer restricted for non-payment writing about a
 * service is told why it does not work instead, as in the chat (no ticket); an outage in their
 * area is told with the confirmation, and the ticket opens all the same: an e-mail may describe
 * more than the outage explains, and the technicians link it.
 */
function openMailTicket(turn: Turn): void {
  const { s, ctx } = turn;
  const mail = s.mail ?? { subject: '', description: '' };
  const { choice, category, flow } = categoryOf(turn, `${mail.subject}\n${mail.description}`);
  if (choice && s.customerId !== null && restrictionCovers(turn, choice)) {
    s.mail = null;
    return tellRestriction(turn);
  }
  const outage = ctx.outage;
  if (outage && s.customerId !== null && (outage.services.includes(category) || (category === 'wifi' && outage.services.includes('internet')))) {
    turn.out.push({ type: 'attachOutage', outageId: outage.id });
    turn.pending.push(outage.notice);
  }
  const team = ctx.settings.teamLanguage;
  const verified = s.verified && s.customerId !== null;
  const tries = (s.idAttempts ?? []).join(', ');
  delete s.idAttempts;
  const description = mail.description.length > SUMMARY_DESCRIPTION ? `${mail.description.slice(0, SUMMARY_DESCRIPTION - 1)}…` : mail.description;
  s.mail = null;
  if (turn.pending.length) s.held = turn.pending;
  turn.pending = [];
  turn.out.push({
    type: 'openTicket',
    ticket: {
      category,
      verified,
      likelyCustomerSide: false,
      answers: { problem: flow, subject: mail.subject, description: mail.description, ...(tries ? { contractTries: tries } : {}) },
      summary: [
        t(team, 'mail.ticketSummary', { subject: mail.subject || t(team, 'mail.noSubject') }),
        ...(description ? [`${t(team, 'field.description')}: ${description}`] : []),
        ...(tries ? [`${t(team, 'field.contractTries')}: ${tries}`] : []),
        ...(verified ? [] : [t(team, 'field.unverified')]),
      ].join('\n'),
    },
  });
}

/** The text without the contract numbers it names. */
function withoutContracts(text: string, contracts: readonly string[]): string {
  return contracts.reduce((rest, c) => rest.split(c).join(' '), text);
}

function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
