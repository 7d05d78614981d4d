/**
 * Durations for people, the same in every language (the support hours a customer used and has
 * left, in the engine's answer to "kolik hodin"). A formatting rule below both the engine and
 * the domain, so neither has to import the other for it. Part of src/shared (see ./index.ts):
 * imports nothing, reads no clock.
 */

/** "1 h 30 min", "45 min", "3 h", "0 h": a duration for people, the same in cs, sk and en. */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (m === 0) return `${h} h`;
  return h === 0 ? `${m} min` : `${h} h ${m} min`;
}
