// Which code `linka` runs: the compiled JavaScript in dist/ or the TypeScript sources (through
// tsx). Used by bin/linka.js; kept apart so the choice can be tested.
import { existsSync, readdirSync, statSync } from 'node:fs';

/** The latest modification time of a .ts file under `dir` (0 when there is none). */
export function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    newest = Math.max(newest, statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs);
  }
  return newest;
}

/**
 * The choice itself: "source" when LINKA_FROM_SOURCE=1 or nothing is compiled; "compiled" with
 * NODE_ENV=production; otherwise "compiled" only when the build is at least as new as every source.
 * `newestSourceMtime` is asked only when needed.
 */
export function chooseRuntime({ env, compiledMtime, newestSourceMtime }) {
  if (env.LINKA_FROM_SOURCE === '1' || compiledMtime === null) return 'source';
  if (env.NODE_ENV === 'production') return 'compiled';
  return newestSourceMtime() <= compiledMtime ? 'compiled' : 'source';
}

/** The choice for the checkout at `root` (ends with a slash): its dist/src/cli/index.js against its src/ and adapters/. */
export function runtimeFor(root, env = process.env) {
  const compiled = `${root}dist/src/cli/index.js`;
  return chooseRuntime({
    env,
    compiledMtime: existsSync(compiled) ? statSync(compiled).mtimeMs : null,
    newestSourceMtime: () => Math.max(newestSource(`${root}src`), newestSource(`${root}adapters`)),
  });
}
