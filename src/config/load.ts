/**
 * Loads the YAML configuration (LINKA_CONFIG, default ./linka.config.yaml; built-in
 * defaults when the default file is absent). A bad file stops start-up with each
 * problem's key path and what was expected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument, type YAMLError } from 'yaml';
import type { z } from 'zod';
import { LinkaError } from '../errors.js';
import { configSchema, type LinkaConfig } from './schema.js';

export type { LinkaConfig } from './schema.js';

/** Turns zod issues into lines such as `checklist.waitMinutes: expected number, received string`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    let what = issue.message.replace(/^Invalid (input|option): /, '');
    if (issue.code === 'unrecognized_keys')
      what = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (see linka.config.example.yaml)`;
    // A check of the whole file (the texts) names its key in its message.
    if (!path && issue.code === 'custom') return what;
    return `${path || '(top level)'}: ${what}`;
  });
}

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
  return { config: parseConfig(doc.toJS(), path), path };
}

/**
 * A YAML syntax error as plain lines: where and what ("line 4, column 1: All mapping items must
 * start at the same column"), then the line as written with a caret under the mistake. A tab is
 * shown as \t (often it is the mistake), so the caret still lines up.
 */
export function describeYamlError(error: YAMLError, text: string): string[] {
  const what = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.code;
  const [start, end] = error.linePos ?? [];
  if (!start) return [what];
  const source = text.split(/\r?\n/)[start.line - 1] ?? '';
  const shown = (s: string) => s.replaceAll('\t', '\\t');
  const before = shown(source.slice(0, start.col - 1));
  const span = end && end.line === start.line ? Math.max(1, shown(source.slice(start.col - 1, end.col - 1)).length) : 1;
  const number = String(start.line);
  const gutter = ' '.repeat(number.length);
  return [
    `line ${start.line}, column ${start.col}: ${what}`,
    `  ${number} | ${shown(source)}`.trimEnd(),
    `  ${gutter} | ${' '.repeat(before.length)}${'^'.repeat(span)}`,
  ];
}
