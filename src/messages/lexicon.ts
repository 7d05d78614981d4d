/**
 * Words customers use for common answers, in Czech, Slovak and English, already
 * normalised as shared/normalize.ts does (lower case, no diacritics, no leading slash):
 * an entry with a diacritic could never match. A flow's choice names a group in `match`.
 */
export const lexicon: Readonly<Record<string, readonly string[]>> = {
  yes: ['ano', 'jo', 'jj', 'jojo', 'hej', 'yes', 'y', 'yep', 'yeah', 'urcite', 'ano ano', 'sure'],
  no: ['ne', 'nie', 'no', 'n', 'nope', 'nn', 'ani ne'],
  done: ['hotovo', 'hotove', 'done', 'ok', 'okay', 'oki', 'jasne', 'udelano', 'urobene', 'mam', 'mam to', 'hotovo mam', 'dobre', 'uz', 'odpojeno', 'odpojene', 'restartovano', 'restartovane'],
  works: ['funguje', 'uz funguje', 'funguje to', 'jede', 'uz jede', 'ide', 'uz ide', 'funguje uz', 'works', 'it works', 'working', 'fixed', 'vyreseno', 'vyriesene', 'je to ok', 'v poradku'],
  notWorks: ['nefunguje', 'stale nefunguje', 'porad nefunguje', 'furt nefunguje', 'nefunguje to', 'nejde', 'nejede', 'neide', 'stale nejde', 'not working', 'doesnt work', 'does not work', 'still broken', 'still not working', 'porad nic'],
  ready: ['nabehlo', 'nabehla', 'nabehly', 'nabehli', 'ready', 'sviti', 'svieti'],
  cannot: ['nemohu', 'nemuzu', 'nemozem', 'nejde to', 'cannot', 'cant', 'i cant'],
  cancel: ['zrusit', 'zrusit vyjezd', 'zrusit vyjazd', 'zrusit objednavku', 'storno', 'cancel', 'cancel the visit'],
  dontKnow: ['nevim', 'neviem', 'nevim jak', 'neviem ako', 'dont know', 'i dont know', 'no idea', 'netusim'],
};

/** Words that work at every step: menu, help, back, start over, language. */
export const commandWords: Readonly<Record<'menu' | 'help' | 'back' | 'restart' | 'language' | 'hours' | 'paid', readonly string[]>> = {
  menu: ['menu', 'nabidka', 'ponuka', 'hlavni menu', 'hlavne menu', 'main menu'],
  help: ['help', 'pomoc', 'napoveda', 'navod', '?', 'co mam psat', 'what can i say'],
  back: ['zpet', 'spat', 'back', 'go back', 'predchozi', 'predchadzajuci'],
  // "/start" is no word here: the channels turn it into a start event (and normalize() drops the slash).
  restart: ['znovu', 'znova', 'od zacatku', 'od zaciatku', 'start over', 'reset', 'zacit znovu', 'zacat znova'],
  // "reč" (sk) arrives as "rec".
  language: ['jazyk', 'language', 'lang', 'zmena jazyka', 'change language', 'rec'],
  /** How many included support hours were used and are left this month. */
  hours: [
    'hodiny', 'hodin', 'hodiny podpory', 'hodin podpory', 'cerpani', 'cerpani hodin', 'cerpanie', 'cerpanie hodin',
    'kolik hodin', 'kolik hodin zbyva', 'kolik hodin mi zbyva', 'kolik hodin zbyva tento mesic', 'zbyvajici hodiny', 'vycerpane hodiny',
    'kolko hodin', 'kolko hodin zostava', 'kolko hodin mi zostava', 'zostavajuce hodiny', 'hodin zostava',
    'hours', 'support hours', 'hours left', 'how many hours', 'how many hours left', 'hours used',
  ],
  /** The customer says they have paid (an answer to a payment reminder): a billing ticket, no more reminders. */
  paid: [
    'zaplatil', 'zaplatila', 'zaplatili', 'zaplatil jsem', 'zaplatila jsem', 'jsem zaplatil', 'jsem zaplatila', 'platil jsem', 'platila jsem',
    'uz jsem platil', 'uz jsem platila', 'uz jsem zaplatil', 'uz jsem zaplatila', 'zaplatili jsme', 'uz jsme platili', 'uz jsme zaplatili',
    'zaplaceno', 'je zaplaceno', 'uz je zaplaceno', 'mam zaplaceno', 'uz mam zaplaceno',
    'zaplatil som', 'zaplatila som', 'som zaplatil', 'som zaplatila', 'platil som', 'platila som', 'uz som platil', 'uz som platila',
    'uz som zaplatil', 'uz som zaplatila', 'zaplatili sme', 'uz sme zaplatili', 'zaplatene', 'je zaplatene', 'uz je zaplatene', 'mam zaplatene',
    'paid', 'i paid', 'i have paid', 'ive paid', 'already paid', 'i already paid', 'ive already paid', 'i have already paid', 'payment sent',
  ],
};

/** Words that switch the language directly, whatever the step. */
export const languageWords: Readonly<Record<'cs' | 'sk' | 'en', readonly string[]>> = {
  cs: ['cesky', 'cestina', 'czech', 'po cesky', 'in czech'],
  sk: ['slovensky', 'slovencina', 'slovak', 'po slovensky', 'in slovak'],
  en: ['english', 'anglicky', 'anglictina', 'in english'],
};
