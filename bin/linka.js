#!/usr/bin/env node
// The `linka` command. Runs the TypeScript sources through tsx; with NODE_ENV=production
// and a compiled dist/ (`npm run build`), runs the compiled JavaScript instead.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

process.env.PRISMA_HIDE_UPDATE_MESSAGE ??= '1';
process.env.CHECKPOINT_DISABLE ??= '1';
const compiled = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url));
let cli;
if (process.env.NODE_ENV === 'production' && existsSync(compiled)) {
  cli = await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli.ts');
}
const code = await cli.main(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
