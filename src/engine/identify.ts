/**
 * Identifying the customer (part of the pure engine, src/engine/step.ts): by a shared contact's
 * phone or a contract number; after the configured number of wrong tries a human takes over.
 */
import { t } from '../messages/index.js';
import { goMenu, prompt, resetToMenu, say, type Turn } from './turn.js';
import type { CustomerView } from './types.js';

export function lookup(turn: Turn, by: { contractNumber?: string; phone?: string }): void {
  turn.s.lookup = by.phone ? 'phone' : 'contract';
  if (by.contractNumber !== undefined) noteAttempt(turn, by.contractNumber);
  if (turn.pending.length) turn.s.held = turn.pending;
  turn.pending = [];
  turn.out.push({ type: 'lookupCustomer', ...by });
}

export function onContact(turn: Turn, phone: string, own: boolean): void {
  if (!own) {
    say(turn, 'identify.contactNotOwn');
    return prompt(turn);
  }
  lookup(turn, { phone });
}

/** The runtime's look-up answer; an identified customer goes on with `onIdentified` (the menu by default). */
export function onLookup(turn: Turn, customer: CustomerView | null, onIdentified: (turn: Turn) => void = goMenu): void {
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
    return onIdentified(turn);
  }
  if (by === 'phone') {
    say(turn, 'identify.contactNotFound');
    return prompt(turn);
  }
  failedIdentification(turn, 'identify.notFound');
}

export function failedIdentification(turn: Turn, key: string): void {
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
  delete s.wanted;
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
      category: 'other',
      verified: false,
      likelyCustomerSide: false,
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
export function noteAttempt(turn: Turn, attempt: string): void {
  const shown = attempt.trim().replace(/\s+/g, ' ');
  turn.s.idAttempts = [...(turn.s.idAttempts ?? []), shown.length > 40 ? `${shown.slice(0, 39)}…` : shown].slice(-turn.ctx.settings.maxIdTries);
}
