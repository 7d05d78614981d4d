/**
 * Frequent questions answered at once, without a ticket (docs/domain.md, "Frequent questions"):
 * entries of keywords and an answer (a message key: a built-in `faq.<id>` text, or the provider's
 * own from config `faq.entries`). A general question is free; the answer is recorded in the history.
 * Part of the pure engine.
 */
import { t } from '../messages/index.js';
import { normalize } from '../shared/normalize.js';
import { flush, prompt, say, type Turn } from './turn.js';
import type { FaqEntry } from './types.js';

export type { FaqEntry } from './types.js';

/** The built-in questions and their keywords (normalised: lower case, no diacritics); the answers are the catalogues' `faq.<id>`. */
export const BUILT_IN_FAQ: readonly FaqEntry[] = [
  {
    id: 'mail',
    answer: 'faq.mail',
    keywords: [
      'smtp',
      'pop3',
      'imap',
      'nastaveni posty',
      'nastaveni e-mailu',
      'nastaveni emailu',
      'nastavit postu',
      'nastavit e-mail',
      'postovni server',
      'postovni klient',
      'odchozi posta',
      'odchozi server',
      'prichozi posta',
      'nejde odeslat e-mail',
      'nejde odeslat email',
      'nastavenie posty',
      'nastavenie e-mailu',
      'nastavenie emailu',
      'postovy server',
      'postovy klient',
      'odchadzajuca posta',
      'prichadzajuca posta',
      'mail settings',
      'email settings',
      'e-mail settings',
      'mail server',
      'outgoing mail',
    ],
  },
  {
    id: 'storm',
    answer: 'faq.storm',
    keywords: ['bourka', 'bourky', 'bource', 'blesk', 'prepeti', 'burka', 'burky', 'burke', 'prepatie', 'storm', 'thunderstorm', 'lightning', 'power surge'],
  },
  {
    id: 'payment',
    answer: 'faq.payment',
    keywords: [
      'jak zaplatit',
      'jak mam zaplatit',
      'jak platit',
      'cislo uctu',
      'platebni udaje',
      'variabilni symbol',
      'splatnost',
      'kdy mam platit',
      'ako zaplatit',
      'ako mam zaplatit',
      'ako platit',
      'platobne udaje',
      'variabilny symbol',
      'kedy mam platit',
      'how to pay',
      'how do i pay',
      'bank account',
      'payment details',
    ],
  },
  {
    id: 'hours',
    answer: 'faq.hours',
    keywords: [
      'pracovni doba',
      'provozni doba',
      'oteviraci doba',
      'kdy pracujete',
      'kdy mate otevreno',
      'kdy jsou technici',
      'pracovna doba',
      'prevadzkova doba',
      'otvaracie hodiny',
      'kedy pracujete',
      'kedy mate otvorene',
      'opening hours',
      'working hours',
      'business hours',
      'when are you open',
    ],
  },
];

/** The ids of the built-in questions (config `faq.builtIn`). */
export const BUILT_IN_FAQ_IDS = ['mail', 'storm', 'payment', 'hours'] as const;

/** The entry the text asks about: the one with the longest keyword found in it as whole words; null: none. */
export function matchFaq(text: string, entries: readonly FaqEntry[]): FaqEntry | null {
  const n = ` ${normalize(text).replace(/\?/g, ' ').replace(/\s+/g, ' ').trim()} `;
  let best: { entry: FaqEntry; length: number } | null = null;
  for (const entry of entries) {
    for (const keyword of entry.keywords) {
      if (keyword.length > (best?.length ?? 0) && n.includes(` ${keyword} `)) best = { entry, length: keyword.length };
    }
  }
  return best?.entry ?? null;
}

/**
 * Answers a frequent question when `text` asks one: the answer, a line in the history (a free
 * general question, no ticket), then the current question again. Returns whether it did.
 */
export function answerFaq(turn: Turn, text: string, then: 'prompt' | 'flush' = 'prompt'): boolean {
  const entry = matchFaq(text, turn.ctx.settings.faq ?? []);
  if (!entry) return false;
  say(turn, entry.answer, { dueDay: turn.ctx.settings.paymentDueDay ?? 20 });
  turn.out.push({ type: 'record', text: t(turn.ctx.settings.teamLanguage, 'outcome.faq_answered', { question: entry.id }), outcome: 'faq_answered' });
  if (then === 'prompt') prompt(turn);
  else flush(turn);
  return true;
}
