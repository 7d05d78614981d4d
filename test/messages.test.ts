/** The sk and en catalogues must match the Czech master key for key and placeholder for placeholder. */
import { describe, it, expect } from 'vitest';
import { cs } from '../src/messages/cs.js';
import { sk } from '../src/messages/sk.js';
import { en } from '../src/messages/en.js';
import { commandWords, languageWords, lexicon } from '../src/messages/lexicon.js';
import { normalize } from '../src/shared/normalize.js';

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

describe('the restart checklist (docs/domain.md)', () => {
  // Every device to unplug, by name, in every problem's checklist, the short SMS wording included.
  const devices: Record<string, { catalogue: Readonly<Record<string, string>>; names: RegExp[] }> = {
    cs: { catalogue: cs, names: [/zdroj antény/, /router/, /switch/, /VoIP brán[au]/] },
    sk: { catalogue: sk, names: [/zdroj antény/, /router/, /switch/, /VoIP brán[au]/] },
    en: { catalogue: en, names: [/antenna power supply/, /router/, /switch/, /VoIP gateway/] },
  };
  for (const [lang, { catalogue, names }] of Object.entries(devices)) {
    it(`names the antenna power supply, router, switch and VoIP gateway for every problem (${lang})`, () => {
      for (const problem of ['internet', 'voip', 'wifi']) {
        for (const key of [`devices.${problem}`, `devices.${problem}@sms`]) {
          for (const name of names) expect(catalogue[key], `${lang} ${key}`).toMatch(name);
        }
      }
    });
  }

  // "V letním bouřkovém období vám doporučujeme ... odpojíte od elektrické zásuvky a od přívodního UTP
  // datového kabelu. V případě poškození zařízení přepětím, bude výměna zařízení zpoplatněna." Also by SMS.
  it('gives the storm advice and its price over SMS too: socket and data cable, replacement charged', () => {
    expect(cs['checklist.resolved@sms']).toMatch(/ze zásuvky i od kabelu.*výměna po přepětí je placená/);
    expect(sk['checklist.resolved@sms']).toMatch(/zo zásuvky aj od kábla.*výmena po prepätí je platená/);
    expect(en['checklist.resolved@sms']).toMatch(/from the socket and the data cable.*surge-damaged ones is charged/);
  });

  it('says plainly that replacing surge-damaged devices is charged to the customer', () => {
    expect(cs['checklist.resolved']).toContain('výměna zařízení poškozených přepětím je zpoplatněná');
    expect(sk['checklist.resolved']).toContain('výmena zariadení poškodených prepätím je spoplatnená');
    expect(en['checklist.resolved']).toContain('replacing devices damaged by a power surge is charged');
    expect(cs['checklist.resolved']).not.toContain('se hradí');
    expect(sk['checklist.resolved']).not.toContain('sa platia');
  });

  it('speaks good Slovak: "Od dneška"', () => {
    expect(sk['collect.since.today']).toBe('Od dneška');
    expect(Object.values(sk).filter((text) => /\bOd dnes\b/i.test(text))).toEqual([]);
  });
});

describe('lexicon', () => {
  const lists: Array<[string, readonly string[]]> = [
    ...Object.entries(lexicon).map(([k, v]) => [`lexicon.${k}`, v] as [string, readonly string[]]),
    ...Object.entries(commandWords).map(([k, v]) => [`commandWords.${k}`, v] as [string, readonly string[]]),
    ...Object.entries(languageWords).map(([k, v]) => [`languageWords.${k}`, v] as [string, readonly string[]]),
  ];

  it('holds every word as the engine normalises input (else it could never match)', () => {
    const unmatchable = lists.flatMap(([name, words]) => words.filter((w) => normalize(w) !== w).map((w) => `${name}: "${w}" arrives as "${normalize(w)}"`));
    expect(unmatchable).toEqual([]);
  });

  it('lists no word twice in one group', () => {
    const twice = lists.flatMap(([name, words]) => words.filter((w, i) => words.indexOf(w) !== i).map((w) => `${name}: ${w}`));
    expect(twice).toEqual([]);
  });

  it('knows "reč" (sk) and "nápověda" (cs) as typed, with diacritics', () => {
    expect(commandWords.language).toContain(normalize('Reč'));
    expect(commandWords.help).toContain(normalize('Nápověda'));
  });
});
