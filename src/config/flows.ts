/**
 * The flows Linka leads: the built-in ones (flows/*.yaml at the package's root) with the
 * provider's own (config `flows:`, a YAML file or a folder of them) added or put in their place
 * by id. Read and checked once per path: a mistake stops start-up naming the file, the step and
 * what is wrong (src/flows/schema.ts, src/flows/check.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve as resolvePath } from 'node:path';
import { parseDocument } from 'yaml';
import type { FlowDef } from '../engine/flow.js';
import { BUILT_IN_FAQ, BUILT_IN_FAQ_IDS, type FaqEntry } from '../engine/faq.js';
import { LinkaError } from '../errors.js';
import { flowProblems } from '../flows/check.js';
import { flowFileSchema, toFlowDef } from '../flows/schema.js';
import { catalogues, isMessageKey, SHORT_VARIANT, type TextOverrides } from '../messages/index.js';
import type { Lang } from '../shared/lang.js';
import { describeIssues, describeYamlError } from './describe.js';
import { packageRoot } from './package-root.js';
import type { LinkaConfig } from './schema.js';

/** Flows by id, the texts their files wrote out, and the file each came from. */
export interface FlowSet {
  flows: Readonly<Record<string, FlowDef>>;
  texts: TextOverrides;
  files: Readonly<Record<string, string>>;
}

const cache = new Map<string, FlowSet>();

/** The YAML files of `path`: the file itself, or the .yaml/.yml files of the folder in name order. */
function yamlFiles(path: string): string[] {
  if (!existsSync(path)) throw new LinkaError('config_invalid', `flows: ${path} does not exist (a YAML file or a folder of them)`);
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => join(path, f));
}

/** Reads the flows of `files` into `set`, later files replacing earlier flows of the same id. */
function readInto(
  set: { flows: Record<string, FlowDef>; texts: Record<Lang, Record<string, string>>; files: Record<string, string> },
  files: string[],
  problems: string[],
) {
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const doc = parseDocument(text, { prettyErrors: true });
    if (doc.errors.length) {
      problems.push(`${file} is not valid YAML: ${doc.errors.flatMap((e) => describeYamlError(e, text)).join('\n    ')}`);
      continue;
    }
    const parsed = flowFileSchema.safeParse(doc.toJS());
    if (!parsed.success) {
      problems.push(...describeIssues(parsed.error.issues, 'docs/flows.md').map((line) => `${file}: ${line}`));
      continue;
    }
    const loaded = toFlowDef(parsed.data);
    problems.push(...loaded.unknownKeys.map((line) => `${file}: ${line}`));
    set.flows[loaded.flow.id] = loaded.flow;
    set.files[loaded.flow.id] = file;
    for (const lang of ['cs', 'sk', 'en'] as const) Object.assign(set.texts[lang], loaded.texts[lang]);
  }
}

/**
 * The built-in flows, and with `own` (an absolute path) the provider's on top. Cached per path;
 * a problem anywhere throws LinkaError('config_invalid') listing every problem.
 */
export function loadFlowSet(own: string | null = null): FlowSet {
  const key = own ? resolvePath(own) : '';
  const known = cache.get(key);
  if (known) return known;
  const set = {
    flows: {} as Record<string, FlowDef>,
    texts: { cs: {}, sk: {}, en: {} } as Record<Lang, Record<string, string>>,
    files: {} as Record<string, string>,
  };
  const problems: string[] = [];
  readInto(set, yamlFiles(join(packageRoot(), 'flows')), problems);
  if (own) readInto(set, yamlFiles(key), problems);
  const textOf = (key: string) => set.texts.cs[key] ?? (isMessageKey(key) ? catalogues.cs[key] : undefined);
  if (!problems.length) problems.push(...flowProblems(set.flows, (id) => `${set.files[id] ? basename(set.files[id]) : id} (flow ${id})`, textOf));
  if (problems.length) throw new LinkaError('config_invalid', `Invalid flows:\n  ${problems.join('\n  ')}`);
  const result: FlowSet = set;
  cache.set(key, result);
  return result;
}

/**
 * Every text the provider words: those its flow files wrote out, and the configuration's
 * `texts:` (which win). What the composition roots install with `useTexts`.
 */
export function providerTexts(config: Pick<LinkaConfig, 'flows' | 'texts'> & Partial<Pick<LinkaConfig, 'faq'>>): TextOverrides {
  const flowTexts = loadFlowSet(config.flows).texts;
  const faq = faqTexts(config.faq?.entries ?? []);
  return Object.fromEntries((['cs', 'sk', 'en'] as const).map((lang) => [lang, { ...flowTexts[lang], ...faq[lang], ...config.texts[lang] }]));
}

/**
 * The answers of the provider's frequent questions as texts `faq.<id>`, in every language (one
 * left out gets the Czech, else the Slovak, else the English answer). An entry replacing a built-in
 * one replaces its SMS wording too.
 */
function faqTexts(entries: LinkaConfig['faq']['entries']): TextOverrides {
  const texts: Record<'cs' | 'sk' | 'en', Record<string, string>> = { cs: {}, sk: {}, en: {} };
  for (const e of entries) {
    for (const lang of ['cs', 'sk', 'en'] as const) {
      const answer = e.answer[lang] ?? e.answer.cs ?? e.answer.sk ?? e.answer.en ?? '';
      texts[lang][`faq.${e.id}`] = answer;
      if ((BUILT_IN_FAQ_IDS as readonly string[]).includes(e.id)) texts[lang][`faq.${e.id}${SHORT_VARIANT}`] = answer;
    }
  }
  return texts;
}

/** The frequent questions the engine answers: the chosen built-in ones, and the provider's (which replace a built-in one of the same id). */
export function faqEntries(config: Pick<LinkaConfig, 'faq'>): FaqEntry[] {
  const own = config.faq.entries.map((e) => ({ id: e.id, keywords: e.keywords, answer: `faq.${e.id}` }));
  const builtIn = BUILT_IN_FAQ.filter((b) => (config.faq.builtIn as readonly string[]).includes(b.id) && !own.some((e) => e.id === b.id));
  return [...builtIn, ...own];
}

/** The built-in flows alone. */
export function builtInFlows(): Readonly<Record<string, FlowDef>> {
  return loadFlowSet(null).flows;
}
