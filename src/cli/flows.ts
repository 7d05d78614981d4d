/**
 * `linka flows list` and `linka flows show NAME [--format text|mermaid] [--lang L]`: the
 * conversations Linka leads, drawn so an operator can check one before going live (every step,
 * answer, timer and where tickets open; src/engine/flow-drawing.ts).
 */
import { flowMermaid, flowText } from '../engine/flow-drawing.js';
import { LinkaError } from '../errors.js';
import { t } from '../messages/index.js';
import type { Lang } from '../shared/lang.js';
import { loadFlowSet } from '../config/flows.js';
import { type CliIo, configOf } from './command.js';

/** The options of `linka flows show` (parsed in src/cli/index.ts). */
export interface FlowsShowOptions {
  format: 'text' | 'mermaid';
  lang?: Lang;
}

export async function flowsList(io: CliIo): Promise<number> {
  const config = configOf(io);
  const { flows } = loadFlowSet(config.flows);
  for (const flow of Object.values(flows))
    io.out(`${flow.id.padEnd(10)} version ${flow.version}, ${Object.keys(flow.steps).length} steps: ${t(config.defaultLanguage, flow.title)}`);
  return 0;
}

export async function flowsShow(name: string, opts: FlowsShowOptions, io: CliIo): Promise<number> {
  const config = configOf(io);
  const { flows } = loadFlowSet(config.flows);
  const flow = Object.hasOwn(flows, name) ? flows[name] : undefined;
  if (!flow) throw new LinkaError('usage', `no flow "${name}"; the flows are ${Object.keys(flows).join(', ')} (linka flows list)`);
  const draw = {
    lang: opts.lang ?? config.defaultLanguage,
    waitMinutes: config.checklist.waitMinutes,
    params: { company: config.company.name, phone: config.company.helpdeskPhone },
  };
  io.write(opts.format === 'mermaid' ? flowMermaid(flow, draw) : flowText(flow, draw));
  return 0;
}
