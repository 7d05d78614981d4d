/** The sk and en catalogues must match the Czech master key for key and placeholder for placeholder. */
import { describe, it, expect } from 'vitest';
import { cs } from '../src/messages/cs.js';
import { sk } from '../src/messages/sk.js';
import { en } from '../src/messages/en.js';

const master: Readonly<Record<string, string>> = cs;
const translations: Record<string, Readonly<Record<string, string>>> = { sk, en };

/** The sorted, de-duplicated {placeholder} names in a text. */
function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))].sort();
}

describe('message catalogues', () => {
  it('cs has no empty texts', () => {
    const empty = Object.keys(master).filter((key) => (master[key] ?? '').trim() === '');
    expect(empty).toEqual([]);
  });

  for (const [lang, catalogue] of Object.entries(translations)) {
    describe(lang, () => {
      it('has every key of cs', () => {
        const missing = Object.keys(master).filter((key) => !Object.hasOwn(catalogue, key));
        expect(missing).toEqual([]);
      });

      it('has no key that cs lacks', () => {
        const extra = Object.keys(catalogue).filter((key) => !Object.hasOwn(master, key));
        expect(extra).toEqual([]);
      });

      it('has no empty texts', () => {
        const empty = Object.keys(catalogue).filter((key) => {
          const text = catalogue[key];
          return typeof text !== 'string' || text.trim() === '';
        });
        expect(empty).toEqual([]);
      });

      it('uses the same {placeholders} as cs in every text', () => {
        const differing = Object.keys(master)
          .filter((key) => Object.hasOwn(catalogue, key))
          .map((key) => ({ key, cs: placeholders(master[key] ?? ''), [lang]: placeholders(catalogue[key] ?? '') }))
          .filter((row) => JSON.stringify(row.cs) !== JSON.stringify(row[lang]));
        expect(differing).toEqual([]);
      });
    });
  }

  describe('short SMS variants', () => {
    const shortKeys = Object.keys(master).filter((key) => key.endsWith('@sms'));

    it('exist, each beside its full message, and use no placeholder the full one lacks', () => {
      expect(shortKeys.length).toBeGreaterThan(20);
      for (const key of shortKeys) {
        const base = key.slice(0, -'@sms'.length);
        expect(Object.hasOwn(master, base), `${key} has no full message ${base}`).toBe(true);
        for (const p of placeholders(master[key] ?? '')) expect(placeholders(master[base] ?? '')).toContain(p);
      }
    });

    it('fit one GSM-7 segment (160 characters) even with a long placeholder value', () => {
      for (const catalogue of [master, sk, en] as Array<Record<string, string>>) {
        const long = shortKeys.filter((key) => (catalogue[key] ?? '').replace(/\{\w+\}/g, 'x'.repeat(20)).length > 140);
        expect(long).toEqual([]);
      }
    });
  });
});
