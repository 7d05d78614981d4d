/**
 * The contract number an e-mail names (docs/email.md, "Receiving"). Only a number the sender
 * calls one counts: the contract-shaped word right after "smlouva", "číslo smlouvy", "zmluva",
 * "contract number", "zákaznické číslo"..., or an e-mail whose own words are that word alone
 * (the answer to "send us your contract number"). Dates, amounts, model names, house numbers and
 * ticket numbers elsewhere in the text are never taken: a stranger must not be identified as
 * someone else by a number that happened to be in the mail.
 */

/** The most contract-number candidates taken from one e-mail. */
const MAX_CONTRACTS = 5;

/** A word that may be a contract number: as in the chat (src/engine/step.ts), with a digit. */
const SHAPE = /^[\p{L}\p{N}][\p{L}\p{N}\-/]{2,19}$/u;

/** Words that name a contract by themselves (cs, sk, en; without diacritics, lower-case). */
const CONTRACT_WORDS = new Set(['smlouva', 'smlouvy', 'smlouve', 'smlouvu', 'smlouvou', 'zmluva', 'zmluvy', 'zmluve', 'zmluvu', 'zmluvou', 'contract']);

/** Words that name it together with the next one: "customer number", "zákaznické číslo". */
const FIRST_OF_TWO: Readonly<Record<string, readonly string[]>> = {
  customer: ['number', 'no', 'id'],
  zakaznicke: ['cislo', 'c'],
};

/** Words that may stand between the naming words and the number: "č.", "číslo", ":", "je", "is", "number". */
const BETWEEN = new Set(['', 'c', 'cislo', 'je', 'is', 'number', 'no', 'nr']);

/** The most words between the naming words and the number. */
const MAX_BETWEEN = 3;

/** A word without diacritics and its surrounding punctuation, lower-case. */
function bare(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/** The word as a contract number (its sentence punctuation off), or null when it cannot be one. */
function asContract(word: string): string | null {
  const w = word.replace(/^[("'[]+|[.,:;!?)"'\]]+$/g, '');
  if (!SHAPE.test(w) || !/\d/.test(w)) return null;
  if (/^[A-Z]{1,5}-\d{4}-\d{1,6}$/i.test(w)) return null; // a ticket's number
  if (/^\d{1,2}[./-]\d{1,2}([./-]\d{2,4})?$/.test(w)) return null; // a date
  return w;
}

/**
 * The contract numbers an e-mail names (see the module comment), in order, at most five.
 * `subject` and `text` (the sender's own words) are searched for a named number; `text` alone
 * being one contract-shaped word is taken as the number too.
 */
export function contractCandidates(subject: string, text: string): string[] {
  const found: string[] = [];
  const alone = text.trim().split(/\s+/);
  if (alone.length === 1) {
    const only = asContract(alone[0] ?? '');
    if (only) found.push(only);
  }
  for (const part of [subject, text]) {
    const words = part.split(/\s+/).filter(Boolean);
    for (let i = 0; i < words.length; i++) {
      const w = bare(words[i] ?? '');
      let next = i + 1;
      if (FIRST_OF_TWO[w]?.includes(bare(words[i + 1] ?? ''))) next = i + 2;
      else if (!CONTRACT_WORDS.has(w)) continue;
      for (let between = 0; next < words.length && between <= MAX_BETWEEN; next++, between++) {
        const number = asContract(words[next] ?? '');
        if (number) {
          found.push(number);
          break;
        }
        if (!BETWEEN.has(bare(words[next] ?? ''))) break;
      }
    }
  }
  return [...new Set(found)].slice(0, MAX_CONTRACTS);
}
