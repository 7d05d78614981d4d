/**
 * What every bench reports: figures (a value, its unit, the target and whether it is met),
 * written as JSON to bench/results/<bench>.json and printed as a table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_DIR = path.join(ROOT, 'bench/results');

/** One measured figure. `ok` is null when the figure has no target (or was not measured). */
export interface Figure {
  /** What was measured, e.g. "webhook p99 at 500/s (sqlite)". */
  name: string;
  value: number | null;
  unit: string;
  /** The target as text ("< 25 ms", ">= 0.5"). */
  target?: string;
  ok?: boolean | null;
  note?: string;
}

export interface BenchResult {
  bench: string;
  startedAt: string;
  durationMs: number;
  options: Record<string, unknown>;
  figures: Figure[];
  /** Raw measurements (latency summaries, per-run times...). */
  details: Record<string, unknown>;
  notes: string[];
}

/** A figure checked against "below" or "at least" a target. */
export function figure(
  name: string,
  value: number | null,
  unit: string,
  target?: { below?: number; atLeast?: number; atMost?: number },
  note?: string,
): Figure {
  let text: string | undefined;
  let ok: boolean | null = null;
  if (target?.atMost !== undefined) {
    text = `<= ${target.atMost} ${unit}`.trim();
    ok = value === null ? null : value <= target.atMost;
  } else if (target?.below !== undefined) {
    text = `< ${target.below} ${unit}`.trim();
    ok = value === null ? null : value < target.below;
  } else if (target?.atLeast !== undefined) {
    text = `>= ${target.atLeast} ${unit}`.trim();
    ok = value === null ? null : value >= target.atLeast;
  }
  return { name, value, unit, ...(text ? { target: text, ok } : {}), ...(note ? { note } : {}) };
}

export function writeResult(result: BenchResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${result.bench}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

const fmt = (v: number | null): string => {
  if (v === null || Number.isNaN(v)) return '-';
  if (Math.abs(v) >= 100) return String(Math.round(v));
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
};

/** The figures as a plain-text table. */
export function table(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.name,
    `${fmt(f.value)} ${f.unit}`.trim(),
    f.target ?? '',
    f.ok === undefined || f.ok === null ? '' : f.ok ? 'ok' : 'MISSED',
    f.note ?? '',
  ]);
  const head = ['figure', 'value', 'target', '', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 1 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Reads `--name value` / `--flag` options; numbers where the default is a number. */
export function options<T extends Record<string, string | number | boolean>>(defaults: T, argv = process.argv.slice(2)): T {
  const out: Record<string, string | number | boolean> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) continue;
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (key.startsWith('no-') && typeof defaults[key.slice(3)] === 'boolean') {
      out[key.slice(3)] = false;
      continue;
    }
    if (!(key in defaults)) continue; // options of other benches (the runner passes --scale to all)
    if (typeof defaults[key] === 'boolean') {
      out[key] = inline === undefined ? true : inline !== 'false';
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new Error(`--${key} needs a value`);
    out[key] = typeof defaults[key] === 'number' ? Number(raw) : raw;
  }
  return out as T;
}

/** The latency summary of a list of durations in ms. */
export function summarize(ms: number[]): { n: number; p50: number | null; p90: number | null; p99: number | null; max: number | null; mean: number | null } {
  if (ms.length === 0) return { n: 0, p50: null, p90: null, p99: null, max: null, mean: null };
  const sorted = Float64Array.from(ms).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    n: sorted.length,
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1] as number),
    mean: round(ms.reduce((a, b) => a + b, 0) / ms.length),
  };
}
