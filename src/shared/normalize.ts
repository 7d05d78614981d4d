/**
 * Text normalisation for matching answers: case- and diacritics-insensitive. Used by the
 * engine (customers' answers) and the domain (work categories, outage areas). Part of
 * src/shared (see ./index.ts): imports nothing.
 */

/**
 * Lower-cases, strips diacritics (á -> a, ř -> r, ä -> a), drops punctuation other
 * than inner hyphens and slashes, and folds white space. "Áno!" -> "ano".
 */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’'`]/g, '')
    .replace(/[^\p{L}\p{N}/?\-\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[-/]+|[-/]+$/g, '')
    .trim();
}
