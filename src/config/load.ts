/**
 * Loads the YAML configuration (LINKA_CONFIG, default ./linka.config.yaml; built-in
 * defaults when the default file is absent). A bad file stops start-up with each
 * problem's key path and what was expected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { LinkaError } from '../errors.js';
import { describeIssues, describeYamlError } from './describe.js';
import { loadFlowSet } from './flows.js';
import { configSchema, type LinkaConfig } from './schema.js';

export type { LinkaConfig } from './schema.js';
export { describeIssues, describeYamlError } from './describe.js';

/** Validates an already parsed object. */
export function parseConfig(raw: unknown, source = 'config'): LinkaConfig {
  const result = configSchema.safeParse(withoutEmptySections(raw ?? {}));
  if (result.success) return result.data;
  const lines = describeIssues(result.error.issues);
  throw new LinkaError('config_invalid', `Invalid configuration in ${source}:\n  ${lines.join('\n  ')}`);
}

// A section whose keys are all commented out parses as null; every key is optional, so it
// means "all defaults", like a missing section.
const SECTIONS = new Set(
  Object.entries(configSchema.parse({}))
    .filter(([, v]) => typeof v === 'object')
    .map(([k]) => k),
);
function withoutEmptySections(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  return Object.fromEntries(Object.entries(raw).filter(([k, v]) => !(v === null && SECTIONS.has(k))));
}

/**
 * Reads and validates the configuration file named by LINKA_CONFIG (or the default path).
 * Relative paths are resolved against `cwd`. An empty LINKA_CONFIG counts as unset.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): { config: LinkaConfig; path: string | null } {
  const explicit = env.LINKA_CONFIG || undefined;
  const path = resolve(cwd, explicit ?? 'linka.config.yaml');
  if (!existsSync(path)) {
    if (explicit) throw new LinkaError('config_missing', `LINKA_CONFIG points to ${path}, which does not exist`);
    return { config: parseConfig({}), path: null };
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new LinkaError('config_unreadable', `cannot read the configuration ${path}: ${(err as Error).message}`, { cause: err });
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.flatMap((e) => describeYamlError(e, text));
    throw new LinkaError('config_invalid', `${path} is not valid YAML:\n  ${lines.join('\n  ')}`);
  }
  const config = parseConfig(doc.toJS(), path);
  // The provider's flows: relative to this file, read and checked now (a mistake stops start-up).
  if (config.flows) config.flows = resolve(dirname(path), config.flows);
  loadFlowSet(config.flows);
  return { config, path };
}
