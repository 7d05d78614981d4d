// The README stands alone in a fresh clone: every link it gives leads to a file of the repository.
// It is the user's and operator's guide: it starts with the two commands, and stays short (the
// rest lives in docs/; test/docs.test.ts checks the links of every page, anchors included).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The most lines the README may have: past that, move a section into docs/. */
const MAX_LINES = 450;

describe('README.md', () => {
  it('links only to files of the repository (or to web addresses)', () => {
    const targets = [...README.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string).filter((t) => !/^(https?:|mailto:|#)/.test(t));
    const missing = targets.filter((t) => !existsSync(path.join(ROOT, t.split('#')[0] as string)));
    expect(missing).toEqual([]);
  });

  it('names no path outside the repository ("../"), which a fresh clone does not have', () => {
    const outside = README.split('\n')
      .map((line, i) => ({ line: i + 1, text: line }))
      .filter((l) => /(^|[\s(`'"])\.\.\//.test(l.text));
    expect(outside).toEqual([]);
  });

  it('starts with the two commands: start Linka, run the tests', () => {
    const first = /```sh\n([\s\S]*?)```/.exec(README)?.[1]?.split('\n').filter(Boolean) ?? [];
    expect(first.map((l) => l.split('#')[0]?.trim())).toEqual(['npm install && npm start', 'npm test']);
    expect(README.indexOf('```sh')).toBeLessThan(README.indexOf('\n## '));
  });

  it(`has at most ${MAX_LINES} lines (the guide; the rest is in docs/)`, () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(MAX_LINES);
  });
});
