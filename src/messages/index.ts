/**
 * Message catalogues and `t()`, which renders a key in a language: the configuration's own text
 * for the key when it has one (`texts:`, installed with `useTexts`), else the built-in one.
 */
import type { Lang } from '../shared/lang.js';
import { cs, type MessageKey } from './cs.js';
import { en } from './en.js';
import { sk } from './sk.js';

export type { MessageKey } from './cs.js';

/** `texts.<lang>["<key>"]`: the configuration's replacement of a built-in text (checked in src/domain/text-overrides.ts). */
export type TextOverrides = Partial<Record<Lang, Readonly<Record<string, string>>>>;

/**
 * The configuration's texts, process-wide: one process serves one provider, so its composition
 * roots (the server's runtime, each `linka` command) install the checked `texts:` of the config
 * they loaded before anything is said. Replacing them replaces all (none: the built-in texts).
 */
let configured: TextOverrides = {};

/** Makes `texts` (checked by textOverrideProblems, src/domain/text-overrides.ts, when the config was loaded) the wording of `t()`. */
export function useTexts(texts: TextOverrides): void {
  configured = texts;
}

/**
 * Adds `texts` where nothing is installed under their keys: the texts of an older version of a
 * provider's flow, which a conversation that began with it still needs (src/runtime/flow-versions.ts).
 */
export function addTexts(texts: TextOverrides): void {
  configured = Object.fromEntries((['cs', 'sk', 'en'] as const).map((lang) => [lang, { ...texts[lang], ...configured[lang] }])) as TextOverrides;
}

/** Where the text of `key` in `lang` comes from now. */
export function textSource(lang: Lang, key: MessageKey): 'config' | 'built-in' {
  return configured[lang]?.[key] === undefined ? 'built-in' : 'config';
}

/** The catalogues by language; cs is the master. */
export const catalogues: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { cs, sk, en };

/** True when `key` names a message. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(cs, key);
}

/** The suffix of a message's short variant, used on SMS where every segment is billed. */
export const SHORT_VARIANT = '@sms';

/**
 * The parameters of the texts that offer the helpdesk number: `{callUs}` ("Spěchá-li to, volejte
 * +420 …") and `{orCallUs}` ("Můžete také zavolat na +420 …"), each a whole sentence with its leading
 * space, or nothing when no number is configured (company.helpdeskPhone), so the text still reads
 * as a whole; and `{phone}`, the number itself.
 */
export function helpdeskParams(lang: Lang, phone: string | null, short = false): { phone: string; callUs: string; orCallUs: string } {
  if (!phone) return { phone: '', callUs: '', orCallUs: '' };
  return { phone, callUs: ` ${t(lang, 'helpdesk.callUs', { phone }, short)}`, orCallUs: ` ${t(lang, 'helpdesk.orCallUs', { phone }, short)}` };
}

/**
 * Renders `key` in `lang`, filling `{name}` placeholders from `params`; with `short`, the
 * key's `@sms` variant when the catalogue has one.
 * An unknown key is a programming error and throws; a missing parameter is left visible.
 */
export function t(lang: Lang, key: string, params: Readonly<Record<string, string | number>> = {}, short = false): string {
  // A key of the provider's own (a text its flow file wrote out) is known once installed.
  if (!isMessageKey(key) && configured.cs?.[key] === undefined) throw new Error(`unknown message key: ${key}`);
  const shortKey = `${key}${SHORT_VARIANT}`;
  const chosen = short && isMessageKey(shortKey) ? shortKey : key;
  const template = configured[lang]?.[chosen] ?? catalogues[lang][chosen as MessageKey] ?? cs[chosen as MessageKey] ?? configured.cs?.[chosen] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
