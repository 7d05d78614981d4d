/**
 * The main flow: identification, the menu of problems, the language menu, and the
 * states after a ticket was opened or the problem was solved.
 */
import type { FlowDef } from '../engine/flow.js';

export const mainFlow: FlowDef = {
  id: 'main',
  version: 1,
  category: 'other',
  title: 'problem.other',
  start: 'menu',
  summaryFields: [],
  steps: {
    identify: { kind: 'identify', prompt: 'identify.ask' },
    menu: {
      kind: 'choice',
      prompt: 'menu.prompt',
      choices: [
        {
          id: 'internet',
          label: 'problem.internet',
          match: ['internet', 'net', 'pripojeni', 'pripojenie', 'connection'],
          keywords: ['internet', 'net', 'pripojeni', 'pripojenie', 'internetem', 'internetom', 'stranky', 'stranka', 'web', 'connection', 'online'],
          next: { flow: 'internet' },
        },
        {
          id: 'voip',
          label: 'problem.voip',
          match: ['voip', 'telefon', 'phone', 'pevna linka'],
          keywords: ['voip', 'telefon', 'telefonem', 'telefonom', 'volat', 'volani', 'vytocit', 'phone', 'call', 'calls'],
          next: { flow: 'voip' },
        },
        {
          id: 'wifi',
          label: 'problem.wifi',
          match: ['wifi', 'wi fi', 'wlan', 'router'],
          keywords: ['wifi', 'wi-fi', 'wifina', 'wifinu', 'wlan', 'wireless'],
          next: { flow: 'wifi' },
        },
        { id: 'other', label: 'problem.other', match: ['jine', 'ine', 'other', 'neco jineho', 'nieco ine', 'something else'], next: { flow: 'other' } },
      ],
    },
    language: {
      kind: 'choice',
      prompt: 'lang.pick',
      choices: [
        { id: 'cs', label: 'lang.cs', match: ['cs', 'cz', 'cesky', 'cestina', 'czech'], next: '@back', setLang: 'cs' },
        { id: 'sk', label: 'lang.sk', match: ['sk', 'slovensky', 'slovencina', 'slovak'], next: '@back', setLang: 'sk' },
        { id: 'en', label: 'lang.en', match: ['en', 'english', 'anglicky', 'anglictina'], next: '@back', setLang: 'en' },
      ],
    },
    ticketOpen: {
      kind: 'ticketOpen',
      // Said when the question is asked again (after "pomoc", a language switch, an hours
      // question); words for the technician get 'ticket.noted' instead (src/engine/step.ts).
      prompt: 'ticket.stillOpen',
      choices: [{ id: 'newProblem', label: 'ticket.newProblem', match: ['menu', 'novy', 'new'], next: 'menu' }],
    },
    offer: {
      kind: 'offer',
      prompt: 'offer.prompt',
      // No `match` words: a consent is matched strictly by matchConsent (src/engine/match.ts,
      // CONSENT_WORDS and the labels), never by the lexicon; the engine's onConsent decides the next step.
      choices: [
        { id: 'accept', label: 'offer.accept', next: 'ticketOpen' },
        { id: 'decline', label: 'offer.decline', next: 'ticketOpen' },
      ],
    },
    rate: {
      kind: 'rate',
      prompt: 'ticket.rate',
      choices: [1, 2, 3, 4, 5].map((n) => ({ id: String(n), label: `rate.${n}`, match: [String(n)], next: 'done' })),
    },
    done: { kind: 'done', prompt: 'done.prompt' },
  },
};
