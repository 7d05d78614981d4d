/** Message catalogues and the pure `t()` that renders a key in a language. */
import type { Lang } from '../shared/lang.js';
import { cs, type MessageKey } from './cs.js';
import { en } from './en.js';
import { sk } from './sk.js';

export type { MessageKey } from './cs.js';

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
  if (!isMessageKey(key)) throw new Error(`unknown message key: ${key}`);
  const shortKey = `${key}${SHORT_VARIANT}`;
  const chosen = short && isMessageKey(shortKey) ? shortKey : key;
  const template = catalogues[lang][chosen] ?? cs[chosen];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
