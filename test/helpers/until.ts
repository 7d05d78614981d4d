import { eventually } from '../fakes/fake-server.js';

/** `eventually()` (test/fakes/fake-server.ts) for checks that give a value or nothing yet, waiting up to 15 s: real mail servers are slower than the fakes. */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  return (await eventually(probe, ms, what)) as T;
}
