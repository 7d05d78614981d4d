/** Plain-text recap of a session's answers, for the customer and for the ticket. */
import { t } from '../messages/index.js';
import type { ChoiceDef, FlowDef } from './flow.js';
import type { Lang } from '../shared/lang.js';

/** The choices that can answer `field` anywhere in `flow`. */
function choicesFor(flow: FlowDef, field: string): ChoiceDef[] {
  const found: ChoiceDef[] = [];
  for (const def of Object.values(flow.steps)) {
    if (def.kind === 'choice' && def.field === field) found.push(...def.choices);
    if (def.kind === 'input' && def.field === field) found.push(...(def.quick ?? []));
  }
  return found;
}

/** "Label: value" lines of the answers in the flow's order; choice ids become their labels. */
export function summarize(flow: FlowDef, answers: Readonly<Record<string, string>>, lang: Lang, verified: boolean): string {
  const lines = [`${t(lang, 'field.problem')}: ${t(lang, flow.title)}`];
  for (const field of flow.summaryFields) {
    const value = answers[field];
    if (value === undefined) continue;
    const choice = choicesFor(flow, field).find((c) => c.id === value);
    lines.push(`${t(lang, `field.${field}`)}: ${choice ? t(lang, choice.label) : value}`);
  }
  if (!verified) lines.push(t(lang, 'field.unverified'));
  return lines.join('\n');
}
