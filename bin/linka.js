#!/usr/bin/env node
// The `linka` command. Runs the compiled JavaScript in dist/ (built at install, or by
// `npm run build`) when it is at least as new as every TypeScript source; otherwise (a source
// changed since, or nothing was compiled) the TypeScript sources through tsx. LINKA_FROM_SOURCE=1
// always runs the sources; with NODE_ENV=production a compiled dist/ always runs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runtimeFor } from './runtime-choice.js';

// Output piped into a reader that stops early (`linka texts list | head`): stop quietly too.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
process.env.PRISMA_HIDE_UPDATE_MESSAGE ??= '1';
process.env.CHECKPOINT_DISABLE ??= '1';
const root = fileURLToPath(new URL('..', import.meta.url));
const runs = runtimeFor(root);
process.env.LINKA_RUNS = runs; // said in the start-up log line
// How a person runs this command, for the hints Linka prints: `./linka` in a clone (the script at
// its root), `linka` where it is installed as a package.
process.env.LINKA_CLI ??= existsSync(`${root}linka`) ? './linka' : 'linka';
let cli;
if (runs === 'compiled') {
  cli = await import(`${root}dist/src/cli/index.js`);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli/index.ts');
}
const code = await cli.main(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
