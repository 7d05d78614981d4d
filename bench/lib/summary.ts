/**
 * The runner's closing table: every bench's figures against their targets, in one place, also
 * written to bench/results/summary.json. A bench's result is either a BenchResult (figures of its
 * own) or, for fanout.ts, its FanoutResult (mapped here).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { figure, RESULTS_DIR, table, type Figure } from './report.js';

function figuresOf(result: unknown): Figure[] {
  if (typeof result !== 'object' || result === null) return [];
  const r = result as Record<string, unknown>;
  if (Array.isArray(r.figures)) return r.figures as Figure[];
  if (typeof r.ratio === 'number' && typeof r.allowedPerSecond === 'number') {
    const n = (k: string) => (typeof r[k] === 'number' ? (r[k] as number) : null);
    return [
      figure(
        `fan-out: achieved / allowed rate (${n('notices')} notices, limits x${n('scale')})`,
        n('ratio'),
        '',
        { atLeast: 0.95 },
        `${n('achievedPerSecond')}/s of ${n('allowedPerSecond')}/s in ${n('elapsedSeconds')} s`,
      ),
      figure(
        'fan-out: most sent in any 1 s window',
        n('maxInAnySecond'),
        'msgs',
        { atMost: n('allowedPerSecond') ?? Infinity },
        `to one chat: ${n('maxPerChatInAnySecond')} (limit ${n('perChatLimit')})`,
      ),
    ];
  }
  return [];
}

/** Prints the table of all figures and writes bench/results/summary.json. */
export function printSummary(results: Array<{ bench: string; result: unknown; seconds?: number }>): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const benches = results.map(({ bench, result, seconds }) => ({ bench, seconds, figures: figuresOf(result) }));
  const all = benches.flatMap((b) => (b.figures.length ? b.figures : [{ name: `${b.bench}: see its output`, value: null, unit: '' }]));
  writeFileSync(path.join(RESULTS_DIR, 'summary.json'), `${JSON.stringify({ at: new Date().toISOString(), benches }, null, 2)}\n`);
  console.log(`\n== summary (bench/results/summary.json)\n${table(all)}`);
}
