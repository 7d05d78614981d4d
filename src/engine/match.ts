/** Matching a customer's answer (button, number or words) to a step's choices. */
import { catalogues, SHORT_VARIANT } from '../messages/index.js';
import { lexicon } from '../messages/lexicon.js';
import { LANGS } from '../shared/lang.js';
import { normalize } from '../shared/normalize.js';
import type { ChoiceDef } from './flow.js';

/** The normalised words that pick `choice`: its label in every language plus its `match` words. */
export function choiceWords(choice: ChoiceDef): Set<string> {
  const words = new Set<string>();
  for (const lang of LANGS) {
    const catalogue = catalogues[lang] as Record<string, string>;
    for (const key of [choice.label, `${choice.label}${SHORT_VARIANT}`]) {
      const label = catalogue[key];
      if (label) words.add(normalize(label));
    }
  }
  for (const m of choice.match ?? []) {
    const group = lexicon[m];
    if (group) for (const w of group) words.add(w);
    else words.add(normalize(m));
  }
  words.delete('');
  return words;
}

const cache = new WeakMap<ChoiceDef, Set<string>>();
function wordsOf(choice: ChoiceDef): Set<string> {
  let w = cache.get(choice);
  if (!w) cache.set(choice, (w = choiceWords(choice)));
  return w;
}

/**
 * Finds the choice meant by a typed answer: its number ("1"), a whole word or label
 * ("ano", "Áno", "yes"), or failing that the answer's first one or two words
 * ("ano, už to jede"), or a choice's keyword anywhere in a sentence ("nejde mi wifi").
 * Returns null when nothing or more than one choice fits.
 */
export function matchChoice(choices: readonly ChoiceDef[], text: string): ChoiceDef | null {
  const n = normalize(text);
  if (n === '') return null;
  if (/^\d{1,2}$/.test(n)) return choices[Number(n) - 1] ?? null;
  const exact = choices.filter((c) => wordsOf(c).has(n));
  if (exact.length === 1) return exact[0] ?? null;
  if (exact.length > 1) return null;
  const tokens = n.split(' ');
  for (const len of [2, 1]) {
    if (tokens.length <= len) continue;
    const head = tokens.slice(0, len).join(' ');
    const hits = choices.filter((c) => wordsOf(c).has(head));
    if (hits.length === 1) return hits[0] ?? null;
  }
  const padded = ` ${n} `;
  const mentioned = choices.filter((c) => c.keywords?.some((k) => padded.includes(` ${k} `)));
  return mentioned.length === 1 ? (mentioned[0] ?? null) : null;
}

/**
 * The replies that answer a paid call-out offer: the whole normalised reply must be one of
 * these (or a button's label in any language). A consent is a legal record, so nothing is
 * guessed from the first word or a keyword: "ano, ale kolik to stojí?", "ano ne", "no
 * problem", "jo", "sure" are all asked again.
 */
export const CONSENT_WORDS: Readonly<Record<'accept' | 'decline', readonly string[]>> = {
  accept: [
    'ano',
    'souhlasim',
    'suhlasim',
    'yes',
    'i agree',
    'agree',
    'ano souhlasim',
    'ano suhlasim',
    'yes i agree',
    'prijimam',
    'prijimam podminky',
    'accept',
    'i accept',
  ],
  decline: [
    'ne',
    'nie',
    'nesouhlasim',
    'nesuhlasim',
    'no',
    'decline',
    'i decline',
    'odmitam',
    'odmietam',
    'dont agree',
    'i dont agree',
    'i do not agree',
    'ne nesouhlasim',
    'nie nesuhlasim',
    'no i dont agree',
    'no i do not agree',
  ],
};

/**
 * The strict matcher of the offer step: the choice's number ("1"), or the whole reply as one
 * of {@link CONSENT_WORDS} or a choice's label ("Ano, souhlasím"). Anything else is null.
 */
export function matchConsent(choices: readonly ChoiceDef[], text: string): ChoiceDef | null {
  const n = normalize(text);
  if (n === '') return null;
  if (/^\d{1,2}$/.test(n)) return choices[Number(n) - 1] ?? null;
  const hits = choices.filter((c) => {
    const words = CONSENT_WORDS[c.id as keyof typeof CONSENT_WORDS];
    if (!words) return false;
    if (words.includes(n)) return true;
    return LANGS.some((lang) => {
      const label = (catalogues[lang] as Record<string, string>)[c.label];
      return label !== undefined && normalize(label) === n;
    });
  });
  return hits.length === 1 ? (hits[0] ?? null) : null;
}
