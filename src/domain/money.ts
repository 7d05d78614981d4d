/** Money in integer minor units (haléře, cents), formatted without floating point. */
import type { Lang } from '../shared/lang.js';

/** 123456 CZK in cs -> "1 234,56 CZK"; in en -> "1,234.56 CZK". */
export function formatMoney(minor: number, currency: string, lang: Lang): string {
  if (!Number.isSafeInteger(minor)) throw new Error(`money must be an integer of minor units, got ${minor}`);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const whole = String(Math.floor(abs / 100));
  const cents = String(abs % 100).padStart(2, '0');
  const group = lang === 'en' ? ',' : ' ';
  const decimal = lang === 'en' ? '.' : ',';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return `${sign}${grouped}${decimal}${cents} ${currency}`;
}
