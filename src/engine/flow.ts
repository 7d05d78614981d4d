/**
 * The declaration language of flows. A flow in `src/flows/` is plain data of these
 * types; the engine interprets it. Prompts are message keys, never inline strings.
 */
import type { Lang } from '../shared/lang.js';

/** Where a transition goes: a step of the same flow, another flow, or back to where we came from. */
export type Target = string | { flow: string; step?: string } | '@back';

/** One accepted answer of a step. */
export interface ChoiceDef {
  /** Stable id, also the button's callback data. */
  id: string;
  /** Message key of the label. */
  label: string;
  /** Lexicon groups (see src/messages/lexicon.ts) or literal normalised words that pick this choice. */
  match?: string[];
  next: Target;
  /** Answers to remember when this choice is taken. */
  set?: Record<string, string>;
  /** Normalised words that pick this choice when found anywhere in a longer sentence ("nejde mi wifi"). */
  keywords?: string[];
  /** Message key of a line said before the next step's prompt. */
  say?: string;
  /** Switch the conversation language (the language menu). */
  setLang?: Lang;
}

interface StepBase {
  /** Message key of the prompt. */
  prompt: string;
  /**
   * The step as asked over SMS when short texts are on (`sms.shortText`): every message is
   * billed there, so a variant may ask in one message what takes two elsewhere. It must keep
   * the answers (the same fields and choice ids), only with fewer messages.
   */
  sms?: StepDef;
}

/** A question with fixed answers (buttons, numbers or words). */
export interface ChoiceStep extends StepBase {
  kind: 'choice';
  choices: ChoiceDef[];
  /** Store the chosen choice's id under this answer name. */
  field?: string;
  /** Accept any other text as the answer to `field` and go here. */
  freeText?: Target;
  /** Ask again once if the customer goes quiet (settings.followUpMinutes). */
  followUp?: boolean;
}

/** A free-text question; too short or empty answers are asked again. */
export interface InputStep extends StepBase {
  kind: 'input';
  field: string;
  /** Minimum length of a useful answer (characters, after trimming). */
  minLength: number;
  /**
   * A regular expression the whole answer must match (a licence or contract number's form);
   * an answer that does not is asked again with `retry`, and nothing is recorded.
   */
  pattern?: string;
  /** Message key explaining what is missing when the answer is too short. */
  retry: string;
  next: Target;
  /** Quick answers offered as buttons; their label becomes the answer. */
  quick?: ChoiceDef[];
}

/** A pause with a persisted timer; answers given early can still move on. */
export interface WaitStep extends StepBase {
  kind: 'wait';
  /** Minutes to wait, or 'waitMinutes' to use the configured checklist wait. */
  minutes: number | 'waitMinutes';
  /** Where to go when the timer fires. */
  then: Target;
  choices: ChoiceDef[];
}

/** A recap of the collected answers before a ticket is opened. */
export interface SummaryStep extends StepBase {
  kind: 'summary';
  choices: ChoiceDef[];
}

/** Opens a ticket with the session's answers, then tells the customer its id. */
export interface OpenTicketStep {
  kind: 'openTicket';
}

/** Ends the session with an outcome recorded in the history. */
export interface EndStep extends StepBase {
  kind: 'end';
  outcome: 'resolved_by_customer' | 'abandoned';
}

/** Built-in steps of the main flow whose behaviour is the engine's own. */
export interface BuiltinStep extends StepBase {
  kind: 'identify' | 'ticketOpen' | 'done' | 'rate' | 'offer';
  choices?: ChoiceDef[];
}

export type StepDef = ChoiceStep | InputStep | WaitStep | SummaryStep | OpenTicketStep | EndStep | BuiltinStep;

/** A conversation, declared as data. */
export interface FlowDef {
  id: string;
  /** Bump when steps change meaning; stored with each conversation. */
  version: number;
  /** The ticket category this flow opens (internet, voip, wifi, other). */
  category: string;
  /** Message key naming the problem (menu label and ticket summary). */
  title: string;
  start: string;
  /** Extra prompt parameters, each a message key rendered in the customer's language. */
  params?: Record<string, string>;
  steps: Record<string, StepDef>;
  /** The order in which answers are listed in summaries. */
  summaryFields: string[];
}
