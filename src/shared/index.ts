/**
 * src/shared: what every layer of the core uses and none owns — languages, text
 * normalisation, durations. Pure: no I/O, no clock (test/core-imports.test.ts).
 *
 * The core's folders stack, top to bottom; a folder may import the folders below it, never
 * one above (test/layers.test.ts, "no two folders import each other"):
 *
 *   src/flows     the flow file format, its checks   imports engine (the flow types), messages
 *   src/engine    the conversation engine            imports messages, shared (domain allowed)
 *   src/domain    business rules (billing, SLA...)   imports messages, shared
 *   src/messages  catalogues, t(), the lexicon       imports shared
 *   src/shared    this folder                        imports nothing
 *
 * So src/shared imports nothing of the repository. Code that the domain and the engine
 * both need goes here, not into the engine (the domain would then import upwards).
 */
export { isLang, langFromHint, LANGS, type Lang } from './lang.js';
export { normalize } from './normalize.js';
export { formatMinutes } from './time.js';
