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
