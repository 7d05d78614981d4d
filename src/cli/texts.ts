/**
 * `linka texts list [--lang cs|sk|en] [--changed]`: every customer- and team-facing text with
 * its current wording and where it comes from, the built-in catalogue or the config's `texts:`.
 * The keys are what `texts.<lang>["<key>"]` in the config replaces.
 */
import { catalogues, type MessageKey, t, textSource } from '../messages/index.js';
import type { Lang } from '../shared/lang.js';
import { type CliIo, configOf } from './command.js';

/** The options of `linka texts list` (parsed in src/cli/index.ts). */
export interface TextsListOptions {
  lang?: Lang;
  changed?: boolean;
}

export async function textsList(opts: TextsListOptions, io: CliIo): Promise<number> {
  configOf(io); // installs the config's texts
  const langs: Lang[] = opts.lang ? [opts.lang] : ['cs', 'sk', 'en'];
  const keys = Object.keys(catalogues.cs) as MessageKey[];
  let shown = 0;
  for (const lang of langs) {
    for (const key of keys) {
      const source = textSource(lang, key);
      if (opts.changed && source === 'built-in') continue;
      shown += 1;
      io.out(`${lang} ${key} (${source})`);
      for (const line of t(lang, key).split('\n')) io.out(`    ${line}`);
    }
  }
  const where = io.env.LINKA_CONFIG || './linka.config.yaml';
  if (opts.changed && shown === 0) io.out(`No text is replaced by the configuration (${where}, texts:).`);
  else io.out(`${shown} text(s)${opts.changed ? ` replaced by the configuration (${where})` : ''}; {name} is filled in when the text is sent.`);
  return 0;
}
