/** Configuration mistakes as lines a person reads: zod's issues by key path, YAML syntax errors in context. */
import type { YAMLError } from 'yaml';
import type { z } from 'zod';

/** Turns zod issues into lines such as `checklist.waitMinutes: expected number, received string`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], reference = 'linka.config.example.yaml'): string[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    let what = issue.message.replace(/^Invalid (input|option): /, '');
    if (issue.code === 'unrecognized_keys')
      what = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (see ${reference})`;
    // A check of the whole file (the texts) names its key in its message.
    if (!path && issue.code === 'custom') return what;
    return `${path || '(top level)'}: ${what}`;
  });
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
