/**
 * A flow drawn for the operator who checks it before going live (`linka flows show`): as a
 * Mermaid flowchart, or as indented text. Every step with its kind and what the customer is
 * asked, every answer and where it leads, the timers, and where tickets open. Pure: the flow,
 * the language and the prompt parameters come in.
 */
import { t } from '../messages/index.js';
import type { Lang } from '../shared/lang.js';
import type { ChoiceDef, FlowDef, StepDef, Target } from './flow.js';

export interface DrawOptions {
  lang: Lang;
  /** Minutes of the configured checklist wait (checklist.waitMinutes), for `wait` steps and `{minutes}`. */
  waitMinutes: number;
  /** Prompt parameters the flow does not give itself ({company}...). */
  params?: Readonly<Record<string, string | number>>;
}

interface Edge {
  to: Target;
  label: string;
}

const MAX_LABEL = 70;

/** A prompt in the language, first paragraph, shortened: what the customer reads first. */
function promptText(flow: FlowDef, key: string, opts: DrawOptions, max = MAX_LABEL): string {
  const params: Record<string, string | number> = { minutes: opts.waitMinutes, ...opts.params };
  for (const [name, messageKey] of Object.entries(flow.params ?? {})) params[name] = t(opts.lang, messageKey);
  const text =
    t(opts.lang, key, params)
      .split('\n')
      .find((l) => l.trim()) ?? '';
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

function waitOf(step: Extract<StepDef, { kind: 'wait' }>, opts: DrawOptions): number {
  return step.minutes === 'waitMinutes' ? opts.waitMinutes : step.minutes;
}

/** Where a step goes: each answer, the customer's own words, the timer. */
function edgesOf(flow: FlowDef, step: StepDef, opts: DrawOptions): Edge[] {
  const choice = (c: ChoiceDef): Edge => ({ to: c.next, label: promptText(flow, c.label, opts, 40) });
  switch (step.kind) {
    case 'choice':
      return [...step.choices.map(choice), ...(step.freeText ? [{ to: step.freeText, label: t(opts.lang, 'flow.ownWords') }] : [])];
    case 'input':
      return [...(step.quick ?? []).map(choice), { to: step.next, label: t(opts.lang, 'flow.answer') }];
    case 'wait':
      return [...step.choices.map(choice), { to: step.then, label: t(opts.lang, 'flow.after', { minutes: waitOf(step, opts) }) }];
    case 'summary':
      return step.choices.map(choice);
    case 'openTicket':
    case 'end':
      return [];
    default:
      return (step.choices ?? []).map(choice);
  }
}

/** "choice", "wait 3 min", "opens a ticket"...: the kind of a step in words. */
function kindText(step: StepDef, opts: DrawOptions): string {
  if (step.kind === 'wait') return t(opts.lang, 'flow.kind.wait', { minutes: waitOf(step, opts) });
  return t(opts.lang, `flow.kind.${step.kind}`);
}

const targetName = (target: Target): string =>
  target === '@back' ? '@back' : typeof target === 'string' ? target : `${target.flow}${target.step ? `.${target.step}` : ''}`;

/** Mermaid node ids: letters, digits and underscores only. */
const nodeId = (name: string) => `s_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;

/** A label inside "...": Mermaid's entity codes for the characters that end or break it. */
const mermaidLabel = (text: string) => text.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

/** The flow as a Mermaid flowchart (top to bottom). */
export function flowMermaid(flow: FlowDef, opts: DrawOptions): string {
  const lines = ['flowchart TD', `  start(("${mermaidLabel(promptText(flow, flow.title, opts))}")) --> ${nodeId(flow.start)}`];
  const outside = new Map<string, string>();
  for (const [name, step] of Object.entries(flow.steps)) {
    const head = `${name} · ${kindText(step, opts)}`;
    const body = 'prompt' in step ? promptText(flow, step.prompt, opts) : '';
    const label = body ? `${mermaidLabel(head)}<br/>${mermaidLabel(body)}` : mermaidLabel(head);
    const id = nodeId(name);
    if (step.kind === 'openTicket') lines.push(`  ${id}[["${label}"]]`);
    else if (step.kind === 'end' || step.kind === 'done') lines.push(`  ${id}(["${label}"])`);
    else if (step.kind === 'wait') lines.push(`  ${id}[/"${label}"/]`);
    else if (step.kind === 'choice' || step.kind === 'summary') lines.push(`  ${id}{{"${label}"}}`);
    else lines.push(`  ${id}["${label}"]`);
    for (const edge of edgesOf(flow, step, opts)) {
      const target = targetName(edge.to);
      let to = nodeId(target);
      if (typeof edge.to !== 'string' || edge.to === '@back') {
        to = `out_${target.replace(/[^A-Za-z0-9_]/g, '_')}`;
        outside.set(to, edge.to === '@back' ? t(opts.lang, 'flow.back') : t(opts.lang, 'flow.toFlow', { flow: target }));
      }
      lines.push(`  ${id} -->|"${mermaidLabel(edge.label)}"| ${to}`);
    }
  }
  for (const [id, label] of outside) lines.push(`  ${id}>"${mermaidLabel(label)}"]`);
  return `${lines.join('\n')}\n`;
}

/** The flow as indented text: each step, what it asks, and each answer's way on. */
export function flowText(flow: FlowDef, opts: DrawOptions): string {
  const lines = [`${flow.id} (version ${flow.version}, ${t(opts.lang, 'flow.category')} ${flow.category}): ${promptText(flow, flow.title, opts)}`];
  lines.push(`  ${t(opts.lang, 'flow.startsAt')} ${flow.start}`);
  for (const [name, step] of Object.entries(flow.steps)) {
    const prompt = 'prompt' in step ? `: ${promptText(flow, step.prompt, opts, 200)}` : '';
    lines.push(`  ${name} [${kindText(step, opts)}]${prompt}`);
    for (const edge of edgesOf(flow, step, opts)) lines.push(`    "${edge.label}" -> ${targetName(edge.to)}`);
    if (step.kind !== 'openTicket' && step.sms) lines.push(`    (${t(opts.lang, 'flow.smsVariant', { kind: kindText(step.sms, opts) })})`);
  }
  return `${lines.join('\n')}\n`;
}
