/**
 * The pure conversation engine: `step(state, event, now, context) -> { state, effects }`.
 * It never sends, saves, schedules or reads the clock; the runtime does, from the effects.
 */
import { t } from '../messages/index.js';
import { commandWords, languageWords, lexicon } from '../messages/lexicon.js';
import { langFromHint, LANGS, type Lang } from '../shared/lang.js';
import { normalize } from '../shared/normalize.js';
import { OFFICE_HOURS } from '../domain/business-time.js';
import { hoursText } from '../domain/date-format.js';
import type { ChoiceDef, StepDef } from './flow.js';
import { matchChoice, matchConsent } from './match.js';
import {
  choicesOf,
  clearTimer,
  currentStep,
  shortTexts,
  text,
  enter,
  flowOf,
  flush,
  goBack,
  goMenu,
  prompt,
  resetToMenu,
  say,
  startTimer,
  type Turn,
} from './turn.js';
import type { ConversationState, CoreEvent, StepContext, StepResult } from './types.js';
import { failedIdentification, lookup, noteAttempt, onContact, onLookup } from './identify.js';
import { asksHours, asksStatus, onHours, onPaymentReported, onTicketStatus, queryHours, queryTicketStatus, reportPayment, saysPaid } from './side-questions.js';
import { answerFaq } from './faq.js';
import { appendToReply, decide, endSession, onConsent, onOffer, onOfferExpired, onResolved, rated } from './ticket-talk.js';
import { restrictionCovers, tellRestriction } from './restriction.js';
import { onMail, onMailLookup, waitsWithMail } from './mail-intake.js';

/** Contract numbers: letters, digits, dashes and slashes, 3 to 20 characters, no spaces. */
const CONTRACT = /^[\p{L}\p{N}][\p{L}\p{N}\-/]{2,19}$/u;

/** The state of a conversation that has not started yet. */
export function initialState(ctx: Pick<StepContext, 'flows' | 'customer' | 'langHint'>): ConversationState {
  return {
    flow: 'main',
    step: '',
    flowVersion: ctx.flows.main?.version ?? 1,
    lang: ctx.customer?.language ?? langFromHint(ctx.langHint) ?? 'cs',
    langChosen: false,
    customerId: ctx.customer?.id ?? null,
    verified: true,
    idTries: 0,
    answers: {},
    back: [],
    misses: 0,
    timer: null,
    followUps: 0,
    ticketNumber: null,
    lookup: null,
  };
}

/** Advances a conversation by one event. `prev` is null for a new conversation. */
export function step(prev: ConversationState | null, event: CoreEvent, now: Date, ctx: StepContext): StepResult {
  const s: ConversationState = prev ? structuredClone(prev) : initialState(ctx);
  const turn: Turn = { s, out: [], now, ctx, pending: s.held ?? [] };
  delete s.held;
  if (ctx.customer && s.customerId === null) s.customerId = ctx.customer.id;
  if (!s.langChosen) s.lang = ctx.customer?.language ?? langFromHint(ctx.langHint) ?? s.lang;

  if (event.kind === 'optOut' || event.kind === 'optIn') optOut(turn, event.kind === 'optOut');
  else if (event.kind === 'mail') onMail(turn, event, !prev, onText);
  else if (!prev) begin(turn, event);
  else if (!currentStep(turn) || (flowOf(turn).version !== s.flowVersion && s.flow !== 'main')) {
    say(turn, 'common.flowChanged');
    goMenu(turn);
  } else handle(turn, event);
  flush(turn);
  return { state: s, effects: turn.out };
}

/** SMS STOP / START: the customer's right to silence; confirmed once, even when opted out. */
function optOut(turn: Turn, out: boolean): void {
  turn.out.push({ type: 'setOptOut', optedOut: out });
  if (out) {
    clearTimer(turn);
    say(turn, 'optout.confirmed');
    turn.out.push({ type: 'reply', reply: { text: turn.pending.join('\n\n'), key: 'optout.confirmed', evenIfOptedOut: true } });
    turn.pending = [];
    return;
  }
  say(turn, 'optout.resumed');
  // A conversation that has no step yet (START first, or STOP then START) starts here.
  if (!currentStep(turn)) {
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
  const status = event.kind === 'text' ? asksStatus(normalize(event.text), prefixOf(turn.ctx)) : null;
  if (status) {
    s.step = s.customerId === null ? 'identify' : 'menu';
    return queryTicketStatus(turn, status.typed);
  }
  if (s.customerId === null) {
    s.step = 'identify';
    if (event.kind === 'start' && event.payload) return lookup(turn, { contractNumber: event.payload });
    if (event.kind === 'contact') return onContact(turn, event.phone, event.own);
    if (event.kind === 'text' && CONTRACT.test(event.text.trim()) && /\d/.test(event.text)) {
      return lookup(turn, { contractNumber: event.text.trim() });
    }
    // "Nejde mi internet" from someone not yet known: asked who they are first, then taken
    // straight to that problem (over SMS, the menu in between would be a billed message).
    if (event.kind === 'text') {
      const named = matchChoice(choicesOf(flowOf(turn, 'main').steps.menu), event.text);
      if (named) s.wanted = named.id;
      else if (answerFaq(turn, event.text)) return;
    }
    return prompt(turn);
  }
  s.step = 'menu';
  const menuChoice = event.kind === 'text' ? matchChoice(choicesOf(currentStep(turn)), event.text) : null;
  if (menuChoice) return take(turn, currentStep(turn), menuChoice);
  if (event.kind === 'text' && answerFaq(turn, event.text)) return;
  // Restricted for non-payment: told at once, before an outage (the service stays off after it).
  if (turn.ctx.restriction) return tellRestriction(turn);
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
      if (waitsWithMail(turn)) return onMailLookup(turn, event.customer);
      return onLookup(turn, event.customer, takeWanted);
    case 'ticketOpened':
      s.ticketNumber = event.number;
      turn.out.push({ type: 'record', text: t(ctx.settings.teamLanguage, 'outcome.ticket_opened', { number: event.number }), outcome: 'ticket_opened' });
      s.flow = 'main';
      s.step = 'ticketOpen';
      s.back = [];
      if (event.repeatWarning) turn.pending.push(text(turn, 'ticket.repeatWarning'));
      prompt(turn, {}, 'ticket.opened');
      // The reaction time promised by the customer's tier, right after the ticket's number, and the
      // resolution time where the tier promises one.
      if (event.reactBy) appendToReply(turn, text(turn, 'ticket.reactBy', { time: event.reactBy }));
      else if (event.noReactionGuarantee) appendToReply(turn, text(turn, 'ticket.noReactionGuarantee'));
      if (event.resolveBy) appendToReply(turn, text(turn, 'ticket.resolveBy', { time: event.resolveBy }));
      // Linka answers at any hour, the technicians in theirs: outside them, the customer is told when.
      // Over SMS, where every segment is billed, the reaction deadline just said is that answer.
      if (event.techniciansFrom && !(shortTexts(ctx) && event.reactBy))
        appendToReply(turn, text(turn, 'ticket.afterHours', { hours: hoursText(ctx.settings.teamHours ?? OFFICE_HOURS, s.lang), from: event.techniciansFrom }));
      // Before any paid work: the plan ended, so help is paid, on these terms.
      if (event.planNotice) appendToReply(turn, event.planNotice);
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
    case 'ticketStatus':
      return onTicketStatus(turn, event);
    case 'ticketResolved':
      return onResolved(turn, event.number, event.note);
    case 'calloutOffered':
      return onOffer(turn, event.offerId, event.number, event.terms, event.work);
    case 'consentResult':
      return onConsent(turn, event);
    case 'offerExpired':
      return onOfferExpired(turn, event.offerId, event.number, event.work);
    case 'offerCancelResult':
      if (event.ok) s.offer = null;
      say(turn, event.ok ? 'offer.cancelled' : 'offer.cancelTooLate');
      return flush(turn);
    case 'visitBooked':
      say(turn, event.free ? 'offer.freeVisitBooked' : 'offer.visitBooked', { time: event.time });
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
      // A button of an earlier question (its id may also be one of the question asked now).
      if (event.stale) {
        say(turn, 'common.oldButton');
        return prompt(turn);
      }
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
  // Offers expire on the server (src/services/offer-expiry.ts); a conversation's old offerExpiry timer does nothing.
  if (name === 'offerExpiry') return;
  if (def?.kind === 'wait' && name === 'wait') return enter(turn, def.then);
  if (name === 'followUp' && s.followUps < ctx.settings.maxFollowUps) {
    s.followUps += 1;
    say(turn, 'common.stillThere');
    prompt(turn);
    if (s.followUps < ctx.settings.maxFollowUps) startTimer(turn, 'followUp', ctx.settings.followUpMinutes);
  }
}

/**
 * Whether a customer's text is one of the words that work at every step (help, menu, back,
 * start over, a language, the hours question, "I have paid"): a command to Linka, which the
 * runtime keeps out of an open ticket's history and the technicians' thread.
 */
export function isCommandText(text: string, ticketPrefix = DEFAULT_TICKET_PREFIX): boolean {
  const n = normalize(text);
  if (n === '') return false;
  if (LANGS.some((lang) => languageWords[lang].includes(n))) return true;
  if ((['help', 'menu', 'back', 'restart', 'language'] as const).some((c) => commandWords[c].includes(n))) return true;
  return asksHours(n) || saysPaid(n) || asksStatus(n, ticketPrefix) !== null;
}

const DEFAULT_TICKET_PREFIX = 'T';

/** The ticket numbers' prefix ("T"). */
function prefixOf(ctx: StepContext): string {
  return ctx.settings.ticketPrefix ?? DEFAULT_TICKET_PREFIX;
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
  const status = asksStatus(n, prefixOf(turn.ctx));
  if (is('help')) {
    say(turn, 'common.help');
    prompt(turn);
  } else if (asksHours(n)) {
    queryHours(turn);
  } else if (saysPaid(n)) {
    reportPayment(turn);
  } else if (status) {
    queryTicketStatus(turn, status.typed);
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
      // A frequent question is answered before who they are is asked again, and costs no attempt.
      if (answerFaq(turn, text)) return;
      noteAttempt(turn, text);
      return failedIdentification(turn, 'identify.badFormat');
    case 'choice':
    case 'summary':
    case 'ticketOpen': {
      const choice = matchChoice(def.choices ?? [], text);
      if (choice) return take(turn, def, choice);
      // On the menu, a frequent question is answered at once (no ticket); inside a flow the text is an answer.
      if (def.kind === 'choice' && s.flow === 'main' && answerFaq(turn, text)) return;
      if (def.kind === 'choice' && def.freeText && /[\p{L}\p{N}]/u.test(text)) {
        if (def.field) s.answers[def.field] = text.trim();
        return enter(turn, def.freeText);
      }
      if (def.kind === 'ticketOpen') return prompt(turn, {}, 'ticket.noted');
      return miss(turn);
    }
    case 'input': {
      const quick = def.quick?.length ? matchChoice(def.quick, text) : null;
      if (quick) return take(turn, def, quick);
      const answer = text.trim();
      const fits = def.pattern === undefined || new RegExp(`^(?:${def.pattern})$`, 'iu').test(answer);
      if (answer.length >= def.minLength && /[\p{L}\p{N}]/u.test(answer) && fits) {
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
      if (menuChoice) return take(turn, menu, menuChoice);
      if (answerFaq(turn, text)) return;
      return prompt(turn);
    }
    default:
      return;
  }
}

/** After identification: the problem the customer named before it, if any; else the menu. */
function takeWanted(turn: Turn): void {
  const wanted = turn.s.wanted;
  delete turn.s.wanted;
  resetToMenu(turn);
  const menu = currentStep(turn);
  const choice = wanted ? choicesOf(menu).find((c) => c.id === wanted) : undefined;
  if (!choice) return turn.ctx.restriction ? tellRestriction(turn) : goMenu(turn);
  take(turn, menu, choice);
}

/** Applies a recognised answer. */
function take(turn: Turn, def: StepDef | undefined, choice: ChoiceDef): void {
  const { s } = turn;
  if (restrictionCovers(turn, choice)) return tellRestriction(turn);
  if (outageCovers(turn, choice)) return tellOutage(turn);
  // Leaving an open ticket starts a new problem: its number and answers must not carry over
  // (a 'customerSide' answer left behind would offer the next problem a paid call-out).
  if (def?.kind === 'ticketOpen') {
    if (choice.next === 'menu') return goMenu(turn);
    resetToMenu(turn);
  }
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
