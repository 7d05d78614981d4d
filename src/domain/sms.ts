/**
 * SMS cost arithmetic (pure): the GSM-7 alphabet (GSM 03.38), transliteration into it,
 * and how many billed segments a text takes. One Czech letter with a háček forces the
 * whole message into UCS-2: 70 characters a segment instead of 160.
 */

/** The GSM 03.38 basic character set (one septet each). ESC (0x1B) is left out: it is not a character. */
const BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);

/** The extension table: each costs two septets (ESC + the character). */
const EXTENSION = new Set('\f^{}\\[~]|€');

/** Typographic characters and their GSM-7 stand-ins (after diacritics are stripped). */
const SUBSTITUTES: Readonly<Record<string, string>> = {
  '„': '"',
  '“': '"',
  '”': '"',
  '‟': '"',
  '«': '"',
  '»': '"',
  '″': '"',
  '‚': "'",
  '‘': "'",
  '’': "'",
  '‛': "'",
  '‹': "'",
  '›': "'",
  '′': "'",
  '´': "'",
  '`': "'",
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '–': '-',
  '—': '-',
  '―': '-',
  '−': '-',
  '…': '...',
  '•': '-',
  '·': '.',
  '×': 'x',
  '÷': ':',
  '\u00A0': ' ',
  '\u2007': ' ',
  '\u2009': ' ',
  '\u200A': ' ',
  '\u202F': ' ',
  '\t': ' ',
  '\u200B': '',
  '\u200C': '',
  '\u200D': '',
  '\u2060': '',
  '\uFEFF': '',
  '\u00AD': '',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ı: 'i',
  œ: 'oe',
  Œ: 'OE',
  ð: 'd',
  þ: 'th',
  Þ: 'Th',
  '¢': 'c',
  '©': '(c)',
  '®': '(R)',
  '™': 'TM',
};

/** Combining marks left after canonical decomposition (háček, čárka, kroužek...). */
const COMBINING = /\p{M}/gu;

/** True when every character of `text` is in the GSM-7 basic set or its extension table. */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENSION.has(ch)) return false;
  return true;
}

/**
 * Transliterates `text` to GSM-7: diacritics are stripped (all of them, also from letters
 * GSM-7 has such as é or ä, so Czech and Slovak read consistently without háčky a čárky),
 * typographic quotes, dashes, ellipses and spaces become their plain equivalents, and
 * whatever is still outside GSM-7 (emoji, Cyrillic...) becomes '?'.
 */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const substitute = SUBSTITUTES[ch];
    if (substitute !== undefined) {
      out += substitute;
      continue;
    }
    const plain = ch.normalize('NFD').replace(COMBINING, '');
    for (const c of plain) out += BASIC.has(c) || EXTENSION.has(c) ? c : '?';
  }
  return out;
}

/** How a text is billed. */
export interface SmsSegments {
  /** GSM-7 when every character is in the GSM-7 alphabet, else UCS-2. */
  encoding: 'GSM-7' | 'UCS-2';
  /** Billed segments (0 for an empty text). */
  segments: number;
  /**
   * The units counted against the limits: septets for GSM-7 (extension characters such as
   * € [ ] { } | ^ ~ \ count two), UTF-16 code units for UCS-2 (an emoji counts two).
   */
  characters: number;
}

/**
 * Counts the segments `text` is billed as: GSM-7 fits 160 septets in one message and 153 in
 * each part of a concatenated one; UCS-2 fits 70 / 67. Like the handsets, a part never ends
 * in half of a two-unit character (an escape pair or a surrogate pair).
 */
export function smsSegments(text: string): SmsSegments {
  const gsm = isGsm7(text);
  const costs = [...text].map((ch) => (gsm ? (EXTENSION.has(ch) ? 2 : 1) : ch.length));
  const characters = costs.reduce((a, b) => a + b, 0);
  const [single, part] = gsm ? [160, 153] : [70, 67];
  const encoding = gsm ? 'GSM-7' : 'UCS-2';
  if (characters === 0) return { encoding, segments: 0, characters };
  if (characters <= single) return { encoding, segments: 1, characters };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > part) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { encoding, segments, characters };
}
