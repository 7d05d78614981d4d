/**
 * The configuration's own wording (`texts:` in the config): any catalogue key, per language,
 * the `@sms` variants included. Checked before Linka starts: each problem names the key. Pure.
 */
import { catalogues, type TextOverrides } from '../messages/index.js';
import type { Lang } from '../shared/lang.js';
import { smsSegments, toGsm7 } from './sms.js';

const BUILT_IN: Readonly<Record<Lang, Readonly<Record<string, string>>>> = catalogues;
const cs = catalogues.cs;
const SMS = '@sms';

/** The `{placeholders}` of a text, sorted and without repeats. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string))].sort();
}

/** What a placeholder may stand for at most, for the SMS budget: a name, a ticket number, a time. */
const PLACEHOLDER_BUDGET = 'x'.repeat(20);

/** The billed segments of an SMS text with each placeholder filled with 20 characters, as the SMS channel sends it. */
function segmentsOf(text: string, transliterate: boolean): number {
  const filled = text.replace(/\{\w+\}/g, PLACEHOLDER_BUDGET);
  return smsSegments(transliterate ? toGsm7(filled) : filled).segments;
}

/** The keys nearest to an unknown one (same first part, or a typo away), for the error. */
function nearKeys(key: string): string[] {
  const keys = Object.keys(cs);
  const head = key.split('.')[0] ?? '';
  const sameHead = keys.filter((k) => k.split('.')[0] === head && !k.endsWith(SMS));
  return (sameHead.length ? sameHead : keys.filter((k) => k.toLowerCase() === key.toLowerCase())).slice(0, 6);
}

const quoted = (lang: string, key: string) => `texts.${lang}["${key}"]`;
/**
 * Placeholders a provider's text may leave out: what they add is told elsewhere too ({teamHours},
 * the technicians' hours in the greeting, is in the after-hours confirmation and the hours answer).
 */
const MAY_LEAVE_OUT: readonly string[] = ['teamHours'];

const list = (names: string[]) => names.map((n) => `{${n}}`).join(', ');

/**
 * Every problem with the configured texts, one line each: an unknown key, a placeholder missing
 * or not given to that text, an SMS variant over the built-in one's segment budget (with
 * `transliterate`, as `sms.transliterate` sends it: in GSM-7), or a text with an SMS variant
 * replaced without its variant (SMS would keep the old wording).
 */
export function textOverrideProblems(texts: TextOverrides, opts: { transliterate: boolean }): string[] {
  const problems: string[] = [];
  for (const [lang, own] of Object.entries(texts) as Array<[Lang, Readonly<Record<string, string>>]>) {
    const builtIn = BUILT_IN[lang];
    for (const [key, text] of Object.entries(own)) {
      const where = quoted(lang, key);
      if (!Object.hasOwn(cs, key)) {
        const near = nearKeys(key);
        problems.push(`${where}: no such text${near.length ? ` (texts with similar names: ${near.join(', ')})` : ''}; \`linka texts list\` shows them all`);
        continue;
      }
      const original = builtIn[key] ?? cs[key as keyof typeof cs];
      const wanted = placeholdersOf(original);
      const given = placeholdersOf(text);
      const missing = wanted.filter((p) => !given.includes(p) && !MAY_LEAVE_OUT.includes(p));
      const extra = given.filter((p) => !wanted.includes(p));
      if (missing.length) problems.push(`${where}: lacks ${list(missing)} (the text must keep ${list(wanted)})`);
      if (extra.length)
        problems.push(
          `${where}: ${list(extra)} ${extra.length > 1 ? 'are' : 'is'} not given to this text (it gets ${wanted.length ? list(wanted) : 'no placeholder'})`,
        );
      if (key.endsWith(SMS)) {
        const budget = Math.max(1, segmentsOf(original, opts.transliterate));
        const takes = segmentsOf(text, opts.transliterate);
        if (takes > budget)
          problems.push(
            `${where}: takes ${takes} SMS segments with its placeholders filled, the built-in text ${budget}; shorten it${opts.transliterate ? '' : ' (sms.transliterate is off, so a letter outside GSM-7 such as "ř" makes a segment 70 characters)'}`,
          );
      } else if (Object.hasOwn(cs, `${key}${SMS}`) && !Object.hasOwn(own, `${key}${SMS}`)) {
        problems.push(`${where}: replaced, but not its SMS wording ${quoted(lang, `${key}${SMS}`)}, which SMS customers would still get; give both`);
      }
    }
  }
  return problems;
}
