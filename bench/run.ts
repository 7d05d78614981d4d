/**
 * `npm run bench`: runs every bench/*.ts that exports a `run` function, one after another,
 * passing it the command-line arguments (e.g. `npm run bench -- --scale 10`). A bench that is
 * a plain script (it runs when imported) is left out: run it with `npx tsx bench/<name>.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { printSummary } from './lib/summary.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const exportsRun = /export\s+(async\s+)?function\s+run\s*\(/;
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && exportsRun.test(readFileSync(path.join(here, f), 'utf8')))
  .sort();
const skipped = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !benches.includes(f));
if (skipped.length) console.log(`not run (no exported run function): ${skipped.join(', ')}`);
const results: Array<{ bench: string; result: unknown; seconds: number }> = [];
for (const file of benches) {
  console.log(`\n== bench/${file}`);
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { run: (argv: string[]) => Promise<unknown> };
  const t0 = Date.now();
  results.push({ bench: file.slice(0, -3), result: await mod.run(process.argv.slice(2)), seconds: Math.round((Date.now() - t0) / 1000) });
}
// One table of every bench's figures against its targets.
printSummary(results);
