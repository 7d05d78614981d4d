/**
 * The pure conversation engine: `step(state, event, now, context) -> { state, effects }`.
 * It never sends, saves, schedules or reads the clock; the runtime does, from the effects.
 */
import { formatMinutes } from '../domain/billing.js';
import { t } from '../messages/index.js';
import { commandWords, languageWords, lexicon } from '../messages/lexicon.js';
import type { ChoiceDef, StepDef } from './flow.js';
import { matchChoice, matchConsent } from './match.js';
import { normalize } from './normalize.js';
import {
  choicesOf, clearTimer, currentStep, text, enter, flowOf, flush, goBack, goMenu, prompt, resetToMenu, say, startTimer, type Turn,
} from './turn.js';
import type { ConversationState, CoreEvent, CustomerView, Lang, StepContext, StepResult } from './types.js';
import { LANGS } from './types.js';

/** Contract numbers: letters, digits, dashes and slashes, 3 to 20 characters, no spaces. */
const CONTRACT = /^[\p{L}\p{N}][\p{L}\p{N}\-/]{2,19}$/u;

function langFromHint(hint: string | undefined): Lang | null {
  const code = hint?.slice(0, 2).toLowerCase();
  return LANGS.find((l) => l === code) ?? null;
}

/** The state of a conversation that has not started yet. */
export function initialState(ctx: StepContext): ConversationState {
  return {
    flow: 'main', step: '', flowVersion: ctx.flows.main?.version ?? 1,
    lang: ctx.customer?.language ?? langFromHint(ctx.langHint) ?? 'cs', langChosen: false,
    customerId: ctx.customer?.id ?? null, verified: true, idTries: 0,
    answers: {}, back: [], misses: 0, timer: null, followUps: 0, ticketNumber: null, lookup: null,
  };
}

/** Advances a conversation by one event. `prev` is null for a new conversation. */
export function step(prev: ConversationState | null, event: CoreEvent, now: Date, ctx: StepContext): StepResult {
  const s: ConversationState = prev ? structuredClone(prev) : initialState(ctx);
  const turn: Turn = { s, out: [], now, ctx, pending: s.held ?? [] };
  delete s.held;
  if (ctx.customer && s.customerId === null) s.customerId = ctx.customer.id;
  if (!s.langChosen) s.lang = ctx.customer?.language ?? langFromHint(ctx.langHint) ?? s.lang;

  if (event.kind === 'optOut' || event.kind === 'optIn') optOut(turn, event.kind === 'optOut', prev !== null);
  else if (!prev) begin(turn, event);
  else if (!currentStep(turn) || flowOf(turn).version !== s.flowVersion && s.flow !== 'main') {
    say(turn, 'common.flowChanged');
    goMenu(turn);
  } else handle(turn, event);
  flush(turn);
  return { state: s, effects: turn.out };
}

/** SMS STOP / START: the customer's right to silence; confirmed once, even when opted out. */
function optOut(turn: Turn, out: boolean, started: boolean): void {
  turn.out.push({ type: 'setOptOut', optedOut: out });
  if (out) {
    clearTimer(turn);
    say(turn, 'optout.confirmed');
    turn.out.push({ type: 'reply', reply: { text: turn.pending.join('\n\n'), key: 'optout.confirmed', evenIfOptedOut: true } });
    turn.pending = [];
    return;
  }
  say(turn, 'optout.resumed');
  if (!started) {
    turn.s.flow = 'main';
    turn.s.step = turn.s.customerId === null ? 'identify' : 'menu';
  }
  prompt(turn);
}

/** The first event of a conversation: greet, then identify or offer the menu. */
function begin(turn: Turn, event: CoreEvent): void {
  const { s } = turn;
  say(turn, 'greeting.hello');
  s.flow = 'main';
  if (event.kind === 'text' && asksHours(normalize(event.text))) {
    s.step = s.customerId === null ? 'identify' : 'menu';
    return queryHours(turn);
  }
  if (event.kind === 'text' && saysPaid(normalize(event.text))) {
    s.step = s.customerId === null ? 'identify' : 'menu';
    return reportPayment(turn);
  }
  if (s.customerId === null) {
    s.step = 'identify';
    if (event.kind === 'start' && event.payload) return lookup(turn, { contractNumber: event.payload });
    if (event.kind === 'contact') return onContact(turn, event.phone, event.own);
    if (event.kind === 'text' && CONTRACT.test(event.text.trim()) && /\d/.test(event.text)) {
      return lookup(turn, { contractNumber: event.text.trim() });
    }
    return prompt(turn);
  }
  s.step = 'menu';
  const menuChoice = event.kind === 'text' ? matchChoice(choicesOf(currentStep(turn)), event.text) : null;
  if (menuChoice) return take(turn, currentStep(turn), menuChoice);
  if (turn.ctx.outage) return tellOutage(turn);
  prompt(turn);
}

/** True when the choice leads into a checklist for a service the known outage affects. */
function outageCovers(turn: Turn, choice: ChoiceDef): boolean {
  const outage = turn.ctx.outage;
  if (!outage || typeof choice.next !== 'object' || choice.next === null) return false;
  const category = turn.ctx.flows[choice.next.flow]?.category;
  if (!category) return false;
  return outage.services.includes(category) || (category === 'wifi' && outage.services.includes('internet'));
}

/** The outage notice instead of the checklist; the customer is attached to the outage. */
function tellOutage(turn: Turn): void {
  const outage = turn.ctx.outage;
  if (!outage) return;
  turn.out.push({ type: 'attachOutage', outageId: outage.id });
  turn.pending.push(outage.notice);
  say(turn, 'outage.otherProblem');
  turn.s.flow = 'main';
  turn.s.step = 'menu';
  prompt(turn);
}

function handle(turn: Turn, event: CoreEvent): void {
  const { s, ctx } = turn;
  const def = currentStep(turn);
  switch (event.kind) {
    case 'timer':
      return onTimer(turn, event.token);
    case 'lookupResult':
      return onLookup(turn, event.customer);
    case 'ticketOpened':
      s.ticketNumber = event.number;
      turn.out.push({ type: 'record', text: t(ctx.settings.teamLanguage, 'outcome.ticket_opened', { number: event.number }), outcome: 'ticket_opened' });
      s.flow = 'main';
      s.step = 'ticketOpen';
      s.back = [];
      if (event.repeatWarning) turn.pending.push(text(turn, 'ticket.repeatWarning'));
      prompt(turn, {}, 'ticket.opened');
      // The reaction time promised by the customer's tier, right after the ticket's number.
      if (event.reactBy) appendToReply(turn, text(turn, 'ticket.reactBy', { time: event.reactBy }));
      else if (event.noReactionGuarantee) appendToReply(turn, text(turn, 'ticket.noReactionGuarantee'));
      return;
    case 'ticketClaimed':
      say(turn, 'ticket.claimed', { number: event.number, name: event.technician });
      return flush(turn);
    case 'technicianMessage':
      say(turn, 'ticket.fromTechnician', { name: event.technician, text: event.text });
      return flush(turn);
    case 'hoursReport':
      return onHours(turn, event);
    case 'paymentReported':
      return onPaymentReported(turn, event);
    case 'ticketResolved':
      return onResolved(turn, event.number, event.note);
    case 'calloutOffered':
      return onOffer(turn, event.offerId, event.number, event.terms);
    case 'consentResult':
      return onConsent(turn, event);
    case 'offerExpired':
      return onOfferExpired(turn, event.offerId, event.number);
    case 'offerCancelResult':
      if (event.ok) s.offer = null;
      say(turn, event.ok ? 'offer.cancelled' : 'offer.cancelTooLate');
      return flush(turn);
    case 'visitBooked':
      say(turn, 'offer.visitBooked', { time: event.time });
      return flush(turn);
    case 'start':
      if (event.payload && s.customerId === null) return lookup(turn, { contractNumber: event.payload });
      say(turn, 'greeting.hello');
      return goMenu(turn);
    case 'contact':
      if (def?.kind === 'identify') return onContact(turn, event.phone, event.own);
      return prompt(turn);
    case 'media':
      if (event.caption && def?.kind === 'input') return onText(turn, event.caption);
      say(turn, event.mediaKind === 'photo' ? 'media.photoSaved' : 'media.textPlease');
      return prompt(turn);
    case 'choice': {
      const choice = choicesOf(def).find((c) => c.id === event.choiceId);
      if (!choice) return miss(turn);
      if (def?.kind === 'rate') return rated(turn, Number(choice.id));
      if (def?.kind === 'offer') return decide(turn, choice.id === 'accept', text(turn, choice.label));
      return take(turn, def, choice);
    }
    case 'text':
      return onText(turn, event.text);
    default:
      return;
  }
}

function onTimer(turn: Turn, token: string): void {
  const { s, ctx } = turn;
  if (!s.timer || s.timer.token !== token) return; // stale: the conversation moved on
  const name = s.timer.name;
  s.timer = null;
  const def = currentStep(turn);
  // Offers expire on the server (src/jobs/offer-expiry.ts); a conversation's old offerExpiry timer does nothing.
  if (name === 'offerExpiry') return;
  if (def?.kind === 'wait' && name === 'wait') return enter(turn, def.then);
  if (name === 'followUp' && s.followUps < ctx.settings.maxFollowUps) {
    s.followUps += 1;
    say(turn, 'common.stillThere');
    prompt(turn);
    if (s.followUps < ctx.settings.maxFollowUps) startTimer(turn, 'followUp', ctx.settings.followUpMinutes);
  }
}

function lookup(turn: Turn, by: { contractNumber?: string; phone?: string }): void {
  turn.s.lookup = by.phone ? 'phone' : 'contract';
  if (by.contractNumber !== undefined) noteAttempt(turn, by.contractNumber);
  if (turn.pending.length) turn.s.held = turn.pending;
  turn.pending = [];
  turn.out.push({ type: 'lookupCustomer', ...by });
}

function onContact(turn: Turn, phone: string, own: boolean): void {
  if (!own) {
    say(turn, 'identify.contactNotOwn');
    return prompt(turn);
  }
  lookup(turn, { phone });
}

function onLookup(turn: Turn, customer: CustomerView | null): void {
  const { s, ctx } = turn;
  const by = s.lookup;
  s.lookup = null;
  if (customer) {
    s.customerId = customer.id;
    s.verified = true;
    s.idTries = 0;
    delete s.idAttempts;
    if (!s.langChosen) s.lang = customer.language;
    turn.ctx = { ...ctx, customer };
    say(turn, 'identify.welcome', { name: customer.name });
    return goMenu(turn);
  }
  if (by === 'phone') {
    say(turn, 'identify.contactNotFound');
    return prompt(turn);
  }
  failedIdentification(turn, 'identify.notFound');
}

function failedIdentification(turn: Turn, key: string): void {
  const { s, ctx } = turn;
  s.idTries += 1;
  const left = ctx.settings.maxIdTries - s.idTries;
  if (left > 0) {
    say(turn, key, { left });
    return prompt(turn);
  }
  // A human takes over at once: a ticket, marked unverified, goes to the team's queue with what
  // the customer wrote (the session's messages join its history); the customer gets its number.
  s.verified = false;
  say(turn, 'identify.handover');
  resetToMenu(turn);
  if (turn.pending.length) s.held = turn.pending;
  turn.pending = [];
  const team = ctx.settings.teamLanguage;
  const tries = (s.idAttempts ?? []).join(', ');
  delete s.idAttempts;
  turn.out.push({
    type: 'openTicket',
    ticket: {
      category: 'other', verified: false, likelyCustomerSide: false,
      answers: { problem: 'identification', ...(tries ? { contractTries: tries } : {}) },
      summary: [
        `${t(team, 'field.problem')}: ${t(team, 'identify.ticketTitle')}`,
        ...(tries ? [`${t(team, 'field.contractTries')}: ${tries}`] : []),
        t(team, 'field.unverified'),
      ].join('\n'),
    },
  });
}

/** Remembers what the customer entered as a contract number (the last few, shortened). */
function noteAttempt(turn: Turn, attempt: string): void {
  const shown = attempt.trim().replace(/\s+/g, ' ');
  turn.s.idAttempts = [...(turn.s.idAttempts ?? []), shown.length > 40 ? `${shown.slice(0, 39)}…` : shown].slice(-turn.ctx.settings.maxIdTries);
}

/** Words that work at every step. Returns true when the text was one of them. */
function command(turn: Turn, n: string): boolean {
  const { s } = turn;
  for (const lang of LANGS) {
    if (languageWords[lang].includes(n)) {
      setLang(turn, lang);
      prompt(turn);
      return true;
    }
  }
  const is = (c: keyof typeof commandWords) => commandWords[c].includes(n);
  if (is('help')) {
    say(turn, 'common.help');
    prompt(turn);
  } else if (asksHours(n)) {
    queryHours(turn);
  } else if (saysPaid(n)) {
    reportPayment(turn);
  } else if (is('language')) {
    enter(turn, { flow: 'main', step: 'language' });
  } else if (s.step === 'identify' && (is('menu') || is('restart') || is('back'))) {
    prompt(turn);
  } else if (is('menu')) {
    goMenu(turn);
  } else if (is('restart')) {
    say(turn, 'common.restart');
    goMenu(turn);
  } else if (is('back')) {
    goBack(turn);
  } else return false;
  return true;
}

/** "kolik hodin", "čerpání", "hours"... (a trailing question mark allowed). */
function asksHours(n: string): boolean {
  return commandWords.hours.includes(n.replace(/\s*\?+$/, ''));
}

/** Asks the runtime for this month's hours; what was said so far goes out with the answer. */
function queryHours(turn: Turn): void {
  if (turn.pending.length) turn.s.held = turn.pending;
  turn.pending = [];
  turn.out.push({ type: 'queryHours' });
}

/** The runtime's answer to `queryHours`: used / included / left, then the current question again. */
function onHours(turn: Turn, report: Extract<CoreEvent, { kind: 'hoursReport' }>): void {
  if ('unknown' in report) say(turn, 'hours.unknown');
  else if (report.includedMinutes <= 0) say(turn, 'hours.none', { used: formatMinutes(report.usedMinutes) });
  else {
    const left = Math.max(0, report.includedMinutes - report.usedMinutes);
    say(turn, 'hours.report', { used: formatMinutes(report.usedMinutes), included: formatMinutes(report.includedMinutes), left: formatMinutes(left) });
  }
  prompt(turn);
}

/** "zaplatil jsem", "už jsem platil", "zaplatila", "zaplatil som", "paid"... */
function saysPaid(n: string): boolean {
  return commandWords.paid.includes(n);
}

/** The customer says they paid: the runtime opens a billing ticket; unidentified, they are asked who they are first. */
function reportPayment(turn: Turn): void {
  if (turn.s.customerId === null) {
    say(turn, 'payment.identifyFirst');
    return prompt(turn);
  }
  if (turn.pending.length) turn.s.held = turn.pending;
  turn.pending = [];
  turn.out.push({ type: 'reportPayment' });
}

/** The runtime's answer to `reportPayment`: the ticket's number, then the current question again. */
function onPaymentReported(turn: Turn, report: Extract<CoreEvent, { kind: 'paymentReported' }>): void {
  if ('unknown' in report) say(turn, 'payment.identifyFirst');
  else say(turn, report.again ? 'payment.reportedAgain' : 'payment.reported', { number: report.number });
  prompt(turn);
}

function setLang(turn: Turn, lang: Lang): void {
  const { s } = turn;
  s.lang = lang;
  s.langChosen = true;
  if (s.customerId !== null) turn.out.push({ type: 'setCustomerLanguage', lang });
  say(turn, 'lang.changed');
}

function onText(turn: Turn, text: string): void {
  const { s } = turn;
  const n = normalize(text);
  if (command(turn, n)) return;
  if (s.offer?.accepted && lexicon.cancel?.includes(n)) {
    turn.out.push({ type: 'cancelOffer', offerId: s.offer.id });
    return;
  }
  const def = currentStep(turn);
  if (!def) return;
  switch (def.kind) {
    case 'offer': {
      // Strict: a consent is recorded only on an explicit answer, never on a guess.
      const choice = matchConsent(def.choices ?? [], text);
      if (!choice) return prompt(turn, {}, 'offer.ambiguous');
      return decide(turn, choice.id === 'accept', text.trim());
    }
    case 'identify':
      if (CONTRACT.test(text.trim()) && /\d/.test(text)) return lookup(turn, { contractNumber: text.trim() });
      noteAttempt(turn, text);
      return failedIdentification(turn, 'identify.badFormat');
    case 'choice':
    case 'summary':
    case 'ticketOpen': {
      const choice = matchChoice(def.choices ?? [], text);
      if (choice) return take(turn, def, choice);
      if (def.kind === 'choice' && def.freeText && /[\p{L}\p{N}]/u.test(text)) {
        if (def.field) s.answers[def.field] = text.trim();
        return enter(turn, def.freeText);
      }
      if (def.kind === 'ticketOpen') return prompt(turn);
      return miss(turn);
    }
    case 'input': {
      const quick = def.quick?.length ? matchChoice(def.quick, text) : null;
      if (quick) return take(turn, def, quick);
      const answer = text.trim();
      if (answer.length >= def.minLength && /[\p{L}\p{N}]/u.test(answer)) {
        s.answers[def.field] = answer;
        return enter(turn, def.next);
      }
      say(turn, def.retry);
      s.misses += 1;
      return flush(turn);
    }
    case 'wait': {
      const choice = matchChoice(def.choices, text);
      if (choice) return take(turn, def, choice);
      const due = s.timer?.dueAt ? Date.parse(s.timer.dueAt) : turn.now.getTime();
      return prompt(turn, { minutes: Math.max(1, Math.ceil((due - turn.now.getTime()) / 60_000)) }, 'checklist.stillWaiting');
    }
    case 'rate': {
      const choice = matchChoice(def.choices ?? [], text);
      if (choice) return rated(turn, Number(choice.id));
      endSession(turn); // not a rating: the customer has moved on
      return onText(turn, text);
    }
    case 'done': {
      resetToMenu(turn);
      const menu = currentStep(turn);
      const menuChoice = menu?.kind === 'choice' ? matchChoice(menu.choices, text) : null;
      return menuChoice ? take(turn, menu, menuChoice) : prompt(turn);
    }
    default:
      return;
  }
}

/** A paid call-out is offered: quote the exact terms and ask for an explicit yes or no. */
function onOffer(turn: Turn, offerId: string, number: string, terms: string): void {
  const { s } = turn;
  clearTimer(turn);
  s.offer = { id: offerId, number, accepted: false };
  s.flow = 'main';
  s.step = 'offer';
  say(turn, 'offer.intro', { number });
  turn.pending.push(terms);
  prompt(turn);
  // No conversation timer: the offer expires at its `expiresAt` on the server even when the
  // customer wanders off to the menu (src/jobs/offer-expiry.ts), and a late answer is refused.
}

/**
 * The customer's explicit answer: the runtime records it once (or finds the offer expired)
 * and answers with `consentResult`; what was said so far waits for that answer.
 */
function decide(turn: Turn, accepted: boolean, reply: string): void {
  const { s } = turn;
  const offer = s.offer;
  if (!offer) return;
  turn.out.push({ type: 'recordConsent', offerId: offer.id, decision: accepted ? 'accepted' : 'declined', reply });
  if (turn.pending.length) s.held = turn.pending;
  turn.pending = [];
}

/** What the runtime stored for the customer's answer: confirm it, or say the offer ran out. */
function onConsent(turn: Turn, event: Extract<CoreEvent, { kind: 'consentResult' }>): void {
  const { s } = turn;
  const offer = s.offer?.id === event.offerId ? s.offer : null;
  s.offer = event.outcome === 'accepted' ? { id: event.offerId, number: event.number, accepted: true } : offer?.accepted ? offer : null;
  s.ticketNumber = event.number;
  s.flow = 'main';
  s.step = 'ticketOpen';
  if (event.outcome === 'expired') {
    say(turn, 'offer.expired', { number: event.number });
    return prompt(turn);
  }
  if (event.outcome === 'closed') return prompt(turn);
  prompt(turn, {}, event.outcome === 'accepted' ? 'offer.accepted' : 'offer.declined');
}

/** The server expired the offer unanswered: tell the customer (once: the event's id is de-duplicated). */
function onOfferExpired(turn: Turn, offerId: string, number: string): void {
  const { s } = turn;
  say(turn, 'offer.expired', { number });
  if (s.offer?.id !== offerId || s.offer.accepted) return flush(turn);
  s.offer = null;
  if (s.step !== 'offer') return flush(turn);
  s.ticketNumber = number;
  s.step = 'ticketOpen';
  prompt(turn);
}

/** Adds a paragraph to the reply the turn has just prompted (its choices stay below it). */
function appendToReply(turn: Turn, line: string): void {
  const last = turn.out.at(-1);
  if (last?.type === 'reply') last.reply.text = `${last.reply.text}\n\n${line}`;
  else turn.out.push({ type: 'reply', reply: { text: line } });
}

/** The technician resolved the ticket: tell the customer and ask how satisfied they are. */
function onResolved(turn: Turn, number: string, note: string | undefined): void {
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

function rated(turn: Turn, score: number): void {
  const number = turn.s.ratingFor;
  if (number) turn.out.push({ type: 'rateTicket', number, score });
  say(turn, 'ticket.thanks');
  flush(turn);
  endSession(turn);
}

/** Closes the session of a resolved ticket; the next message starts afresh. */
function endSession(turn: Turn): void {
  const { s } = turn;
  s.ratingFor = null;
  s.ticketNumber = null;
  s.answers = {};
  s.back = [];
  s.flow = 'main';
  s.step = 'done';
  turn.out.push({ type: 'newSession' });
}

/** Applies a recognised answer. */
function take(turn: Turn, def: StepDef | undefined, choice: ChoiceDef): void {
  const { s } = turn;
  if (outageCovers(turn, choice)) return tellOutage(turn);
  if (def && 'field' in def && def.field) s.answers[def.field] = choice.id;
  Object.assign(s.answers, choice.set ?? {});
  if (choice.setLang) setLang(turn, choice.setLang);
  if (choice.say) say(turn, choice.say);
  enter(turn, choice.next);
}

function miss(turn: Turn): void {
  const { s } = turn;
  s.misses += 1;
  prompt(turn, {}, s.misses >= 3 ? 'common.tooManyMisses' : 'common.notUnderstood');
}
