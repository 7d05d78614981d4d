// The README stands alone in a fresh clone: every link it gives leads to a file of the repository.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('README.md', () => {
  it('links only to files of the repository (or to web addresses)', () => {
    const targets = [...README.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string).filter((t) => !/^(https?:|mailto:|#)/.test(t));
    const missing = targets.filter((t) => !existsSync(path.join(ROOT, t.split('#')[0] as string)));
    expect(missing).toEqual([]);
  });

  it('names no path outside the repository ("../"), which a fresh clone does not have', () => {
    const outside = README.split('\n').map((line, i) => ({ line: i + 1, text: line })).filter((l) => /(^|[\s(`'"])\.\.\//.test(l.text));
    expect(outside).toEqual([]);
  });
});
