/**
 * Checks a set of flows before Linka starts (docs/flows.md): every `next` leads somewhere,
 * every step can be reached, no loop lacks a way out, the main flow has the steps the engine
 * enters by name, summaries list answers some step records. Each problem names its step. Pure.
 */
import type { ChoiceDef, FlowDef, StepDef, Target } from '../engine/flow.js';

/** Steps of the main flow the engine itself goes to by name, and the kind each must be. */
export const MAIN_STEPS: Readonly<Record<string, StepDef['kind']>> = {
  identify: 'identify',
  menu: 'choice',
  language: 'choice',
  ticketOpen: 'ticketOpen',
  offer: 'offer',
  rate: 'rate',
  done: 'done',
};

/** Placeholders the engine fills in every prompt of a flow (src/engine/turn.ts, promptParams); a summary step also gets {summary}. */
const ENGINE_PARAMS = ['company', 'phone', 'callUs', 'orCallUs', 'minutes', 'name', 'number'];

/** The texts a step shows: its prompt, retry, answers' labels and what they say. */
function textsOf(step: StepDef): string[] {
  const own = [
    ...('prompt' in step && step.prompt ? [step.prompt] : []),
    ...(step.kind === 'input' ? [step.retry] : []),
    ...choicesOf(step).flatMap((c) => [c.label, ...(c.say ? [c.say] : [])]),
  ];
  return step.kind !== 'openTicket' && step.sms ? [...own, ...textsOf(step.sms)] : own;
}

/** Kinds after which the engine, not the flow, decides what comes next. */
const ENDS: ReadonlySet<StepDef['kind']> = new Set(['end', 'openTicket', 'identify', 'ticketOpen', 'done', 'rate', 'offer']);

function choicesOf(step: StepDef): ChoiceDef[] {
  if (step.kind === 'input') return step.quick ?? [];
  return 'choices' in step ? (step.choices ?? []) : [];
}

/** Every way on from a step (its SMS variant's included). */
function targetsOf(step: StepDef): Target[] {
  const own: Target[] = choicesOf(step).map((c) => c.next);
  if (step.kind === 'choice' && step.freeText) own.push(step.freeText);
  if (step.kind === 'input') own.push(step.next);
  if (step.kind === 'wait') own.push(step.then);
  return step.kind !== 'openTicket' && step.sms ? [...own, ...targetsOf(step.sms)] : own;
}

/** The answer names a step records: its field and what its choices set. */
function fieldsOf(step: StepDef): string[] {
  const own = [...('field' in step && step.field ? [step.field] : []), ...choicesOf(step).flatMap((c) => Object.keys(c.set ?? {}))];
  return step.kind !== 'openTicket' && step.sms ? [...own, ...fieldsOf(step.sms)] : own;
}

/**
 * Problems with `flows`, each "flow X, step Y: what is wrong"; `source` names the file a flow came
 * from; `textOf` gives a text by its key (to check that its placeholders get a value).
 */
export function flowProblems(
  flows: Readonly<Record<string, FlowDef>>,
  source: (flow: string) => string = (f) => `flow ${f}`,
  textOf: (key: string) => string | undefined = () => undefined,
): string[] {
  const problems: string[] = [];
  const main = flows.main;
  if (!main) problems.push('there is no main flow (the menu, identification and the steps after a ticket)');
  else
    for (const [name, kind] of Object.entries(MAIN_STEPS)) {
      const step = main.steps[name];
      if (!step) problems.push(`${source('main')}: the main flow needs a step "${name}" (kind ${kind})`);
      else if (step.kind !== kind) problems.push(`${source('main')}, step ${name}: must be of kind ${kind}, not ${step.kind}`);
    }

  // Steps other flows lead into by name ({ flow: software, step: emergency }) are entries too.
  const enteredFromOutside = new Map<string, string[]>();
  for (const flow of Object.values(flows))
    for (const step of Object.values(flow.steps))
      for (const target of targetsOf(step))
        if (typeof target === 'object' && target.step) enteredFromOutside.set(target.flow, [...(enteredFromOutside.get(target.flow) ?? []), target.step]);

  for (const flow of Object.values(flows)) {
    const where = (step?: string) => `${source(flow.id)}${step ? `, step ${step}` : ''}`;
    const steps = flow.steps;
    if (!Object.hasOwn(steps, flow.start)) problems.push(`${where()}: start "${flow.start}" is not a step of the flow`);

    // Each way on leads to a step, a flow, or back.
    const local = new Map<string, string[]>();
    const leaves = new Set<string>();
    for (const [name, step] of Object.entries(steps)) {
      const ids = choicesOf(step).map((c) => c.id);
      const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
      if (twice.length) problems.push(`${where(name)}: two answers with the id "${twice[0]}"`);
      const next: string[] = [];
      for (const target of targetsOf(step)) {
        if (target === '@back') leaves.add(name);
        else if (typeof target === 'string') {
          if (Object.hasOwn(steps, target)) next.push(target);
          else problems.push(`${where(name)}: next "${target}" is not a step of the flow`);
        } else if (!Object.hasOwn(flows, target.flow)) problems.push(`${where(name)}: next flow "${target.flow}" does not exist`);
        else {
          const other = flows[target.flow] as FlowDef;
          if (target.step && !Object.hasOwn(other.steps, target.step)) problems.push(`${where(name)}: flow ${target.flow} has no step "${target.step}"`);
          leaves.add(name);
        }
      }
      if (ENDS.has(step.kind)) leaves.add(name);
      local.set(name, next);
    }

    // Reachable from the start, from steps other flows lead into, and in the main flow from the steps the engine enters by name.
    const entries = [flow.start, ...(flow.id === 'main' ? Object.keys(MAIN_STEPS) : []), ...(enteredFromOutside.get(flow.id) ?? [])].filter((s) =>
      local.has(s),
    );
    const reached = new Set(entries);
    for (const queue = [...entries]; queue.length; )
      for (const next of local.get(queue.shift() as string) ?? [])
        if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
    for (const name of Object.keys(steps)) if (!reached.has(name)) problems.push(`${where(name)}: cannot be reached from the start (${flow.start})`);

    // A way out from every reachable step: an end, a ticket, another flow or back.
    const out = new Set(leaves);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [name, next] of local)
        if (!out.has(name) && next.some((n) => out.has(n))) {
          out.add(name);
          grew = true;
        }
    }
    const stuck = [...reached].filter((name) => !out.has(name));
    if (stuck.length) problems.push(`${where(stuck[0])}: a loop with no way out (${stuck.join(', ')}: no end, ticket or other flow can be reached from them)`);

    // Every {placeholder} of what a step shows gets a value: from the engine or the flow's params
    // (the main flow's own steps get more from the engine, so only its choices are checked).
    for (const [name, step] of Object.entries(steps)) {
      if (flow.id === 'main' && step.kind !== 'choice') continue;
      const given = new Set([...ENGINE_PARAMS, ...Object.keys(flow.params ?? {}), ...(step.kind === 'summary' ? ['summary'] : [])]);
      const missing = [...new Set(textsOf(step).flatMap((key) => [...(textOf(key) ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string)))].filter(
        (p) => !given.has(p),
      );
      if (missing.length)
        problems.push(
          `${where(name)}: its texts use ${missing.map((p) => `{${p}}`).join(', ')}, which nothing fills in (give the flow params: { ${missing[0]}: … })`,
        );
    }

    const recorded = new Set(Object.values(steps).flatMap(fieldsOf));
    for (const field of flow.summaryFields)
      if (!recorded.has(field)) problems.push(`${where()}: summaryFields names "${field}", which no step records (a field, or a choice's set)`);
  }
  return problems;
}
