/**
 * The flow file format (docs/flows.md): one conversation per YAML file, the data the engine
 * interprets (src/engine/flow.ts). Every text is a catalogue key (`checklist.unplug`) or the
 * text itself in each language (`{ cs: …, sk: …, en: … }`); a text written in the file is given a
 * key of its own (`flows.<flow>.<where>`) and installed with the configuration's texts. Pure.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ChoiceDef, FlowDef, StepDef, Target } from '../engine/flow.js';
import { isMessageKey, type TextOverrides } from '../messages/index.js';
import type { Lang } from '../shared/lang.js';

const LANGS = ['cs', 'sk', 'en'] as const;
const written = z.string().trim().min(1, 'an empty text');
/** A text: a catalogue key, or the text in every language. */
const text = z.union([z.string().trim().min(1, 'an empty text key'), z.strictObject({ cs: written, sk: written, en: written })], {
  error: 'a text key such as checklist.unplug, or the text in each language: { cs: "…", sk: "…", en: "…" }',
});
type TextIn = z.infer<typeof text>;
const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a name of letters, digits and _, starting with a letter');
const target = z.union([z.string().min(1), z.strictObject({ flow: z.string().min(1), step: z.string().min(1).optional() })], {
  error: 'a step of this flow, "@back", or { flow: NAME, step: STEP }',
});

const choice = z.strictObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  label: text,
  match: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
  keywords: z.array(z.string()).optional(),
  next: target,
  set: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
  say: text.optional(),
  setLang: z.enum(LANGS).optional(),
});
type ChoiceIn = z.infer<typeof choice>;

// A step as written; `sms` is the same step asked over SMS with fewer messages (src/engine/flow.ts).
type StepIn = { kind: string; prompt?: TextIn; retry?: TextIn; choices?: ChoiceIn[]; quick?: ChoiceIn[]; sms?: StepIn; [k: string]: unknown };
const sms = { sms: z.lazy((): z.ZodType<StepIn> => step).optional() };
const prompted = { prompt: text, ...sms };
const step: z.ZodType<StepIn> = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('choice'),
      ...prompted,
      choices: z.array(choice).min(1),
      field: name.optional(),
      freeText: target.optional(),
      followUp: z.boolean().optional(),
    }),
    z.strictObject({
      kind: z.literal('input'),
      ...prompted,
      field: name,
      minLength: z.number().int().min(0).default(1),
      pattern: z.string().min(1).refine(isRegExp, 'a regular expression (JavaScript syntax), such as "[A-Z]{2}-\\d{6}"').optional(),
      retry: text,
      next: target,
      quick: z.array(choice).optional(),
    }),
    z.strictObject({
      kind: z.literal('wait'),
      ...prompted,
      minutes: z.union([z.number().positive(), z.literal('waitMinutes')]),
      then: target,
      choices: z.array(choice),
    }),
    z.strictObject({ kind: z.literal('summary'), ...prompted, choices: z.array(choice).min(1) }),
    z.strictObject({ kind: z.literal('openTicket') }),
    z.strictObject({ kind: z.literal('end'), ...prompted, outcome: z.enum(['resolved_by_customer', 'abandoned']) }),
    z.strictObject({ kind: z.enum(['identify', 'ticketOpen', 'done', 'rate', 'offer']), ...prompted, choices: z.array(choice).optional() }),
  ],
  { error: 'kind: choice, input, wait, summary, openTicket, end (or identify, ticketOpen, offer, rate, done in the main flow)' },
) as unknown as z.ZodType<StepIn>;

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** One flow file, as written. */
export const flowFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'a flow name of small letters, digits, - and _, such as internet'),
  /** The ticket category: internet, voip, wifi, other, or one of the file's own with `categoryName`. */
  category: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a category of small letters, such as internet or software'),
  /** The name of a category of the file's own ("Software"), for the team's cards and the queue. */
  categoryName: z.strictObject({ cs: written, sk: written, en: written }).optional(),
  title: text,
  start: z.string().min(1),
  params: z.record(name, text).optional(),
  summaryFields: z.array(name).default([]),
  /** How the summary names answers this file adds ("Licence: LIC-123456"): the name in each language. */
  fields: z.record(name, z.strictObject({ cs: written, sk: written, en: written })).optional(),
  steps: z.record(z.string().min(1), step).refine((steps) => Object.keys(steps).length > 0, 'at least one step'),
});
export type FlowFile = z.infer<typeof flowFileSchema>;

/** A flow ready for the engine, with the texts its file wrote out and the catalogue keys it names. */
export interface LoadedFlow {
  flow: FlowDef;
  texts: TextOverrides;
  /** Catalogue keys the file names that do not exist: "steps.unplug.prompt: no text checklist.unplg". */
  unknownKeys: string[];
}

/** The file's flow for the engine: written-out texts replaced by keys of their own; version = content hash. */
export function toFlowDef(file: FlowFile): LoadedFlow {
  const texts: Record<Lang, Record<string, string>> = { cs: {}, sk: {}, en: {} };
  const unknownKeys: string[] = [];
  const key = (value: TextIn, where: string): string => {
    if (typeof value === 'string') {
      if (!isMessageKey(value)) unknownKeys.push(`${where}: no text "${value}" (a catalogue key: linka texts list; or the text in each language)`);
      return value;
    }
    const own = `flows.${file.id}.${where}`;
    for (const lang of LANGS) texts[lang][own] = value[lang];
    return own;
  };
  const choiceDef = ({ say, ...c }: ChoiceIn, where: string): ChoiceDef => ({
    ...c,
    label: key(c.label, `${where}.${c.id}.label`),
    next: c.next as Target,
    ...(say ? { say: key(say, `${where}.${c.id}.say`) } : {}),
  });
  const stepDef = (s: StepIn, where: string): StepDef => {
    const out: Record<string, unknown> = { ...s };
    if ('prompt' in s && s.prompt) out.prompt = key(s.prompt, `${where}.prompt`);
    if ('retry' in s && s.retry) out.retry = key(s.retry, `${where}.retry`);
    if ('choices' in s && s.choices) out.choices = s.choices.map((c) => choiceDef(c, `${where}.choices`));
    if ('quick' in s && s.quick) out.quick = s.quick.map((c) => choiceDef(c, `${where}.quick`));
    if (s.sms) out.sms = stepDef(s.sms, `${where}.sms`);
    return out as unknown as StepDef;
  };
  const { steps, params, title, fields, categoryName, ...rest } = file;
  if (categoryName) for (const lang of LANGS) texts[lang][`problem.${file.category}`] = categoryName[lang];
  else if (!isMessageKey(`problem.${file.category}`))
    unknownKeys.push(
      `category: "${file.category}" has no name for the team; add categoryName: { cs: "…", sk: "…", en: "…" } (built in: internet, voip, wifi, other)`,
    );
  for (const [field, names] of Object.entries(fields ?? {})) for (const lang of LANGS) texts[lang][`field.${field}`] = names[lang];
  for (const field of file.summaryFields)
    if (!fields?.[field] && !isMessageKey(`field.${field}`))
      unknownKeys.push(`summaryFields: "${field}" has no name for the summary; add fields: { ${field}: { cs: "…", sk: "…", en: "…" } }`);
  const body: Omit<FlowDef, 'version'> = {
    ...rest,
    title: key(title, 'title'),
    ...(params ? { params: Object.fromEntries(Object.entries(params).map(([p, v]) => [p, key(v, `params.${p}`)])) } : {}),
    steps: Object.fromEntries(Object.entries(steps).map(([n, s]) => [n, stepDef(s, `steps.${n}`)])),
  };
  return { flow: { ...body, version: contentVersion(body, texts) }, texts, unknownKeys };
}

/**
 * A flow's version: a hash of its definition and its own texts, so any change to a file is a new
 * version (a conversation in progress keeps the version it started on). 28 bits: a database INT.
 */
export function contentVersion(body: unknown, texts: unknown): number {
  const canonical = JSON.stringify([body, texts], (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
  return Number.parseInt(createHash('sha256').update(canonical).digest('hex').slice(0, 7), 16);
}
