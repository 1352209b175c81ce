/**
 * Shared machinery for `npm run bench`: what a benchmark is, how it measures, and what it reports.
 *
 * House rule: speed is measured, not asserted. Every result is a ratio of a subject (our code) against a
 * baseline (the best the underlying technology does without us) measured in the same process, in the same
 * run, interleaved round by round, so that a noisy or slow machine shifts both sides together.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface BenchContext {
  /** Multiplies every size; 1 is the full benchmark, `--quick` is 0.1. */
  readonly scale: number;
  /** Measured rounds per comparison when given with `--rounds`; otherwise each benchmark picks its own. */
  readonly rounds?: number;
  /** A private temporary directory, removed after the benchmark. */
  readonly tmpDir: string;
  /** Whether a case (by its name) was selected with `--only` (all cases when `--only` is absent). */
  selected(caseName: string): boolean;
  /** Progress, on stderr so that stdout keeps only the results table. */
  log(message: string): void;
  /** A finding worth printing under the table and keeping in the JSON results. */
  note(message: string): void;
  /** Records one comparison. */
  record(result: Comparison): void;
  /** Free-form facts kept in the JSON results (sizes, setup times...). */
  detail(key: string, value: unknown): void;
}

export interface Benchmark {
  /** The name used on the command line and for `bench/results/<name>.json`. */
  readonly name: string;
  readonly description: string;
  run(ctx: BenchContext): Promise<void>;
}

/** One timed run of one side: how much work it did and how long it took. */
export interface Sample {
  /** Units of work done (events appended, events read...). */
  work: number;
  ms: number;
}

export interface Comparison {
  /** Case name, shown in the table. */
  name: string;
  unit: string;
  /** Median rate of the subject (work per second). */
  measured: number;
  /** Median rate of the baseline (work per second). */
  baseline: number;
  /** measured / baseline. Higher is better. */
  ratio: number;
  /** Minimum acceptable ratio. */
  goal: number;
  met: boolean;
  subjectLabel: string;
  baselineLabel: string;
  /** Per measured round, in order: both rates and their ratio (the spread tells how noisy the run was). */
  rounds: { measured: number; baseline: number; ratio: number }[];
  details?: Record<string, unknown>;
}

export type Side = () => Promise<Sample>;

const forceGc: (() => void) | undefined = (() => {
  try {
    setFlagsFromString('--expose_gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
})();

/** Collects garbage (when the runtime allows it) so one side's garbage is not collected on the other's clock. */
export function collectGarbage(): void {
  forceGc?.();
}

/** Times `fn` in milliseconds. */
export async function time(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The nearest-rank percentile (p in 0..100) of some values. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function rate(sample: Sample): number {
  return (sample.work / sample.ms) * 1000;
}

/**
 * Runs every side once per round, rotating the order each round (A B C, B C A, C A B...) so no side always
 * runs first or last; warm-up rounds run the same way and are discarded. Returns each side's rates (work/s)
 * per measured round.
 */
export async function interleave(
  sides: Record<string, Side>,
  options: { rounds: number; warmup?: number; log?: (message: string) => void; label?: string },
): Promise<Record<string, number[]>> {
  const names = Object.keys(sides);
  const rates: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const warmup = options.warmup ?? 1;
  for (let round = 0; round < warmup + options.rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    const line: string[] = [];
    for (const name of order) {
      collectGarbage();
      const sample = await sides[name]();
      const r = rate(sample);
      if (round >= warmup) rates[name].push(r);
      line.push(`${name} ${formatRate(r)}`);
    }
    options.log?.(`${options.label ?? ''} ${round < warmup ? 'warm-up' : `round ${round - warmup + 1}/${options.rounds}`}: ${line.join(', ')}`);
  }
  return rates;
}

/** Builds a comparison from per-round rates of the same rounds. */
export function compare(args: {
  name: string;
  unit?: string;
  goal: number;
  subject: { label: string; rates: readonly number[] };
  baseline: { label: string; rates: readonly number[] };
  details?: Record<string, unknown>;
}): Comparison {
  const measured = median(args.subject.rates);
  const baseline = median(args.baseline.rates);
  const ratio = measured / baseline;
  return {
    name: args.name,
    unit: args.unit ?? 'events/s',
    measured,
    baseline,
    ratio,
    goal: args.goal,
    met: ratio >= args.goal,
    subjectLabel: args.subject.label,
    baselineLabel: args.baseline.label,
    rounds: args.subject.rates.map((m, i) => ({ measured: m, baseline: args.baseline.rates[i], ratio: m / args.baseline.rates[i] })),
    ...(args.details ? { details: args.details } : {}),
  };
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return String(perSecond);
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

/** Scales a size, never below `min`. */
export function scaled(ctx: Pick<BenchContext, 'scale'>, size: number, min = 1): number {
  return Math.max(min, Math.round(size * ctx.scale));
}

export { seededRandom } from '@tsunagi/domain';
