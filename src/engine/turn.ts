/**
 * One turn of the engine: the state being built, the effects collected, and the
 * moves every step kind shares (enter a step, prompt, timers, going back).
 */
import { helpdeskParams, t } from '../messages/index.js';
import type { ChoiceDef, FlowDef, StepDef, Target } from './flow.js';
import { summarize } from './summary.js';
import { hoursText } from '../domain/date-format.js';
import { OFFICE_HOURS } from '../domain/business-time.js';
import type { ConversationState, Effect, ReplyChoice, StepContext } from './types.js';

/** The mutable working set of one `step()` call. */
export interface Turn {
  s: ConversationState;
  out: Effect[];
  now: Date;
  ctx: StepContext;
  /** Lines said before the next prompt; sent together in one message (SMS is billed per segment). */
  pending: string[];
}

const MAX_BACK = 30;

export function flowOf(turn: Turn, id: string = turn.s.flow): FlowDef {
  const flow = turn.ctx.flows[id];
  if (!flow) throw new Error(`unknown flow: ${id}`);
  return flow;
}

export function currentStep(turn: Turn): StepDef | undefined {
  return stepOf(turn.ctx.flows[turn.s.flow], turn.s.step, turn.ctx);
}

/** Whether the short texts are used: on a channel billed per segment (SMS), when the settings ask for them. */
export function shortTexts(ctx: Pick<StepContext, 'capabilities' | 'settings'>): boolean {
  return ctx.capabilities.billedPerSegment && ctx.settings.shortSms;
}

/** A step of `flow` as asked on the context's channel: its `sms` variant where {@link shortTexts} are used. */
export function stepOf(flow: FlowDef | undefined, id: string, ctx: Pick<StepContext, 'capabilities' | 'settings'>): StepDef | undefined {
  const def = flow?.steps[id];
  return def && 'sms' in def && def.sms && shortTexts(ctx) ? def.sms : def;
}

/** The choices a step offers (buttons, numbers, words). */
export function choicesOf(def: StepDef | undefined): readonly ChoiceDef[] {
  if (!def) return [];
  if (def.kind === 'input') return def.quick ?? [];
  if ('choices' in def && def.choices) return def.choices;
  return [];
}

/** Renders a customer-facing message: their language, the short variant where {@link shortTexts} are used. */
export function text(turn: Turn, key: string, params: Record<string, string | number> = {}): string {
  return t(turn.s.lang, key, params, shortTexts(turn.ctx));
}

/** Queues a line to be sent with the next prompt (or on its own at the end of the turn). */
export function say(turn: Turn, key: string, params: Record<string, string | number> = {}): void {
  turn.pending.push(text(turn, key, { ...promptParams(turn), ...params }));
}

/** The parameters every prompt may use. */
function promptParams(turn: Turn): Record<string, string | number> {
  const { s, ctx } = turn;
  const flow = ctx.flows[s.flow];
  const params: Record<string, string | number> = {
    company: ctx.settings.companyName,
    ...helpdeskParams(s.lang, ctx.settings.helpdeskPhone, shortTexts(ctx)),
    minutes: ctx.settings.waitMinutes,
    name: ctx.customer?.name ?? '',
    number: s.ticketNumber ?? '',
    teamHours: hoursText(ctx.settings.teamHours ?? OFFICE_HOURS, s.lang),
  };
  for (const [name, key] of Object.entries(flow?.params ?? {})) params[name] = text(turn, key);
  if (flow && currentStep(turn)?.kind === 'summary') {
    params.summary = summarize(flow, s.answers, s.lang, s.verified && s.customerId !== null);
  }
  return params;
}

/** Sends what is pending plus the current step's prompt and choices as one reply. */
export function prompt(turn: Turn, params: Record<string, string | number> = {}, keyOverride?: string): void {
  const def = currentStep(turn);
  if (!def || !('prompt' in def)) return flush(turn);
  let key = keyOverride ?? def.prompt;
  // An offer asking for paid work (not a call-out) asks about that work.
  if (def.kind === 'offer' && turn.s.offer?.work && (key === 'offer.prompt' || key === 'offer.ambiguous')) key = key.replace('offer.', 'offer.paidWork.');
  let contactButton: string | undefined;
  if (def.kind === 'identify' && turn.ctx.capabilities.contactShare) {
    key = 'identify.askWithContact';
    contactButton = text(turn, 'identify.shareContact');
  }
  const body = text(turn, key, { ...promptParams(turn), ...params });
  // Where there is no menu to go back to (e-mail), the way back to it is not offered.
  const offered = turn.ctx.capabilities.menu ? choicesOf(def) : choicesOf(def).filter((c) => c.next !== 'menu');
  const choices: ReplyChoice[] = offered.map((c) => ({ id: c.id, label: text(turn, c.label) }));
  const reply = { text: [...turn.pending, body].join('\n\n'), key, ...(choices.length ? { choices } : {}), ...(contactButton ? { contactButton } : {}) };
  turn.pending = [];
  turn.out.push({ type: 'reply', reply });
}

/** Sends whatever is pending as a reply without choices. */
export function flush(turn: Turn): void {
  if (turn.pending.length === 0) return;
  turn.out.push({ type: 'reply', reply: { text: turn.pending.join('\n\n') } });
  turn.pending = [];
}

export function startTimer(turn: Turn, name: string, minutes: number): void {
  const { s, now } = turn;
  const token = `${s.flow}.${s.step}.${name}.${now.getTime()}`;
  const dueAt = new Date(now.getTime() + minutes * 60_000).toISOString();
  s.timer = { name, token, dueAt };
  turn.out.push({ type: 'startTimer', name, token, dueAt });
}

export function clearTimer(turn: Turn): void {
  if (!turn.s.timer) return;
  turn.s.timer = null;
  turn.out.push({ type: 'cancelTimers' });
}

function resolve(turn: Turn, target: Exclude<Target, '@back'>): { flow: string; step: string } {
  if (typeof target === 'string') return { flow: turn.s.flow, step: target };
  return { flow: target.flow, step: target.step ?? flowOf(turn, target.flow).start };
}

/** Moves to `target` and runs the new step's entry (prompt, timer, ticket...). */
export function enter(turn: Turn, target: Target, push = true): void {
  if (target === '@back') return goBack(turn);
  const { s } = turn;
  const to = resolve(turn, target);
  if (push && s.step) {
    s.back.push({ flow: s.flow, step: s.step });
    if (s.back.length > MAX_BACK) s.back.shift();
  }
  clearTimer(turn);
  if (to.flow !== s.flow) s.flowVersion = flowOf(turn, to.flow).version;
  s.flow = to.flow;
  s.step = to.step;
  s.misses = 0;
  s.followUps = 0;
  onEnter(turn);
}

/** Returns to the previous step, or says it cannot. */
export function goBack(turn: Turn): void {
  const prev = turn.s.back.pop();
  if (!prev) {
    say(turn, 'common.backUnavailable');
    return prompt(turn);
  }
  enter(turn, { flow: prev.flow, step: prev.step }, false);
}

function onEnter(turn: Turn): void {
  const { s, ctx } = turn;
  const def = currentStep(turn);
  if (!def) throw new Error(`unknown step ${s.flow}.${s.step}`);
  switch (def.kind) {
    case 'wait': {
      prompt(turn);
      const minutes = def.minutes === 'waitMinutes' ? ctx.settings.waitMinutes : def.minutes;
      return startTimer(turn, 'wait', minutes);
    }
    case 'choice':
      prompt(turn);
      if (def.followUp) startTimer(turn, 'followUp', ctx.settings.followUpMinutes);
      return;
    case 'openTicket': {
      const flow = flowOf(turn);
      const verified = s.verified && s.customerId !== null;
      turn.out.push({
        type: 'openTicket',
        ticket: {
          category: flow.category,
          verified,
          likelyCustomerSide: s.answers.customerSide === 'yes',
          answers: { problem: flow.id, ...s.answers },
          summary: summarize(flow, s.answers, ctx.settings.teamLanguage, verified),
        },
      });
      return;
    }
    case 'end':
      say(turn, def.prompt);
      flush(turn);
      turn.out.push({ type: 'record', text: t(ctx.settings.teamLanguage, `outcome.${def.outcome}`), outcome: def.outcome });
      s.flow = 'main';
      s.step = 'done';
      s.back = [];
      return;
    default:
      return prompt(turn);
  }
}

/** Ends whatever is going on and shows the menu of problems (or asks who the customer is). */
export function goMenu(turn: Turn): void {
  resetToMenu(turn);
  onEnter(turn);
}

/** Clears the session and stands on the menu (or identification) without prompting. */
export function resetToMenu(turn: Turn): void {
  const { s } = turn;
  clearTimer(turn);
  if (s.ticketNumber !== null || s.step === 'done') turn.out.push({ type: 'newSession' });
  s.answers = {};
  s.back = [];
  s.ticketNumber = null;
  s.flow = 'main';
  s.step = s.customerId === null && s.verified ? 'identify' : 'menu';
  s.misses = 0;
  s.followUps = 0;
  s.flowVersion = flowOf(turn, 'main').version;
}
