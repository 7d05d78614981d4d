/**
 * The languages Linka speaks to customers, and helpers to read one. Part of src/shared, the
 * bottom of the core (see ./index.ts): imports nothing.
 */

/** A language of the message catalogues. */
export type Lang = 'cs' | 'sk' | 'en';

/** Every language, the master catalogue's (cs) first. */
export const LANGS: readonly Lang[] = ['cs', 'sk', 'en'];

/** True when `value` names a language of the catalogues. */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** The language of a platform's hint (Telegram's language_code "sk", "en-GB"), or null when it is none of ours. */
export function langFromHint(hint: string | undefined): Lang | null {
  const code = hint?.slice(0, 2).toLowerCase();
  return isLang(code) ? code : null;
}
