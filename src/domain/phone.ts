/** Phone numbers in E.164, parsed with libphonenumber-js (default region from config, CZ). */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** Normalises a phone number to E.164 ("+420603123456"); null when it is not a valid number. */
export function toE164(raw: string, region = 'CZ'): string | null {
  const cleaned = raw.trim().replace(/^00/, '+');
  if (cleaned === '') return null;
  const parsed = parsePhoneNumberFromString(cleaned, region.toUpperCase() as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

/** "+420603123456" -> "+420 603 ••• 456", for places where a number is shown to staff. */
export function maskPhone(e164: string): string {
  if (e164.length < 8) return '•••';
  return `${e164.slice(0, 4)} ${e164.slice(4, 7)} ••• ${e164.slice(-3)}`;
}

/** "+420603123456" -> "+420 603 123 456", for staff who need the whole number; anything else as it is. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/**
 * What an operator may type when looking a customer up by phone: the number in E.164 when it is
 * a whole valid number in any common form ("603 123 456", "+420603123456", "00420 603-123-456"),
 * and its digits when it looks like (part of) a number, at least `minDigits` of them, without the
 * international ("00") or national ("0") prefix; else nulls.
 */
export function phoneQuery(text: string, region = 'CZ', minDigits = 4): { e164: string | null; digits: string | null } {
  const trimmed = text.trim();
  if (!/^[+(\d][\d\s().\-/]*$/.test(trimmed)) return { e164: null, digits: null };
  // "00" is the international prefix and a single leading "0" the national one: neither is in E.164.
  const digits = trimmed.replace(/\D/g, '').replace(/^00?/, '');
  return { e164: toE164(trimmed, region), digits: digits.length >= minDigits ? digits : null };
}
