/** Where Linka's package is (its package.json), from the sources (src/) or the build (dist/src/). */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/** The folder of Linka's package.json: the clone, or the installed package. */
export function packageRoot(): string {
  if (root) return root;
  for (const up of ['../../', '../../../']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    try {
      if (existsSync(`${dir}package.json`) && (JSON.parse(readFileSync(`${dir}package.json`, 'utf8')) as { name?: string }).name === 'linka') {
        root = dir;
        return dir;
      }
    } catch {
      // not this level
    }
  }
  throw new Error('cannot find the package.json of linka above src/config');
}

/** Linka's version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(`${packageRoot()}package.json`, 'utf8')) as { version?: string }).version ?? 'unknown';
}
