// linka.config.example.yaml documents every key of the schema, and is itself valid.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

describe('linka.config.example.yaml', () => {
  const example = parse(readFileSync(path.join(root, 'linka.config.example.yaml'), 'utf8')) as unknown;

  it('is a valid configuration', () => {
    expect(() => parseConfig(example, 'linka.config.example.yaml')).not.toThrow();
  });

  it('documents every key the schema knows', () => {
    const known = leafPaths(parseConfig({})).sort();
    // texts: is keyed by the catalogue's keys, empty by default: the example shows one language's.
    const documented = leafPaths(example)
      .filter((p) => !p.startsWith('texts.'))
      .sort();
    expect(documented).toEqual(known);
    expect(leafPaths(example)).toEqual(expect.arrayContaining(['texts.cs.devices.internet', 'texts.cs.devices.internet@sms']));
  });
});
