/**
 * A customer whose services are restricted for non-payment (docs/payments.md, "Restricted
 * customers"; part of the pure engine, src/engine/step.ts). The terms: unpaid by the end of the
 * month, the services are restricted. Such a customer reporting a fault is told why the service
 * does not work, the amount, how to pay and when it comes back, instead of the checklist: no
 * checklist, no ticket, no paid call-out. "Zaplaceno" still takes the payment report path (a
 * command at every step), and "jiné" still reaches the other-matters flow and a technician.
 */
import { t } from '../messages/index.js';
import type { ChoiceDef } from './flow.js';
import { say, type Turn } from './turn.js';

/** Categories of flows that are not a service's checklist: a restricted customer may still take them. */
const NOT_A_SERVICE = new Set(['other', 'billing']);

/** True when the customer is restricted and the choice leads into a service's checklist (internet, voip, wifi...). */
export function restrictionCovers(turn: Turn, choice: ChoiceDef): boolean {
  if (!turn.ctx.restriction || typeof choice.next !== 'object' || choice.next === null) return false;
  const category = turn.ctx.flows[choice.next.flow]?.category;
  return category !== undefined && !NOT_A_SERVICE.has(category);
}

/**
 * Tells the customer their services are restricted for an unpaid balance: the amount, how to
 * pay, how soon the service comes back, and what to answer. Stands at the menu afterwards
 * (without sending it: over SMS every segment is billed), so "jiné" or a number still works.
 */
export function tellRestriction(turn: Turn): void {
  const r = turn.ctx.restriction;
  if (!r) return;
  const contract = turn.ctx.customer?.contractNumber ?? '';
  if (r.amount !== null && r.due !== null) say(turn, 'restriction.notice', { amount: r.amount, due: r.due });
  else say(turn, 'restriction.noticeNoAmount');
  // The contract number is named as the variable symbol only when config payments.variableSymbol says so.
  say(turn, r.variableSymbol === 'contract' ? 'payment.howToPayContract' : 'payment.howToPay', { contract });
  if (r.restoreWithinHours !== null) say(turn, 'restriction.restoreWithin', { hours: r.restoreWithinHours });
  else say(turn, 'restriction.restoreOnCredit');
  say(turn, 'restriction.next');
  turn.out.push({ type: 'record', text: t(turn.ctx.settings.teamLanguage, 'restriction.told') });
  turn.s.flow = 'main';
  turn.s.step = 'menu';
  // One message (over SMS, as few billed segments as the lines take).
  turn.out.push({ type: 'reply', reply: { text: turn.pending.join('\n\n'), key: 'restriction.notice' } });
  turn.pending = [];
}
