/**
 * `npm run bench [-- <name>...] [--quick] [--scale=<x>] [--rounds=<n>] [--only=<text>] [--strict] [--list]`
 *
 * Runs the benchmarks of the registry (all, or those named), prints one table of results and writes each
 * benchmark's results to `bench/results/<name>.json`. Sizes scale with `--scale=<x>`, `--quick` (= 0.1) or the
 * environment variable BENCH_SCALE, in that order of precedence. `--only=<text>` runs only the cases whose
 * name contains the text (handy with `node --cpu-prof dist/bench/run.js ...`). `--strict` exits with 1
 * when a goal is not met.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BenchContext, Comparison, formatMs, formatRate } from './harness';
import { BENCHMARKS } from './registry';

interface Options {
  names: string[];
  scale: number;
  rounds?: number;
  only?: string;
  strict: boolean;
  list: boolean;
}

interface BenchmarkOutcome {
  name: string;
  results: Comparison[];
  notes: string[];
  details: Record<string, unknown>;
  durationMs: number;
  error?: string;
}

function usage(): string {
  return [
    'usage: npm run bench [-- <benchmark>...] [--quick] [--scale=<x>] [--rounds=<n>] [--only=<text>] [--strict] [--list]',
    `benchmarks: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
  ].join('\n');
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { names: [], scale: 1, strict: false, list: false };
  let quick = false;
  let scale: number | undefined;
  for (const arg of argv) {
    const [flag, value] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--quick') quick = true;
    else if (flag === '--strict') options.strict = true;
    else if (flag === '--list') options.list = true;
    else if (flag === '--scale') scale = positiveNumber('--scale', value);
    else if (flag === '--rounds') options.rounds = Math.round(positiveNumber('--rounds', value));
    else if (flag === '--only') options.only = value;
    else if (flag === '--help' || flag === '-h') {
      console.log(usage());
      process.exit(0);
    } else if (flag.startsWith('-')) throw new Error(`Unknown option ${arg}\n${usage()}`);
    else options.names.push(arg);
  }
  const fromEnv = process.env.BENCH_SCALE ? positiveNumber('BENCH_SCALE', process.env.BENCH_SCALE) : undefined;
  options.scale = scale ?? (quick ? 0.1 : fromEnv ?? 1);
  const unknown = options.names.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length) throw new Error(`Unknown benchmark ${unknown.join(', ')}\n${usage()}`);
  return options;
}

function positiveNumber(what: string, value: string | undefined): number {
  const n = Number(value);
  if (!value || !Number.isFinite(n) || n <= 0) throw new Error(`${what} needs a positive number, got ${value ?? 'nothing'}`);
  return n;
}

/** The repository root: the nearest directory above this file with a package.json (works from dist/bench too). */
function repositoryRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'tsunagi') return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function runOne(name: string, options: Options): Promise<BenchmarkOutcome> {
  const entry = BENCHMARKS.find((b) => b.name === name)!;
  const benchmark = await entry.load();
  const outcome: BenchmarkOutcome = { name, results: [], notes: [], details: {}, durationMs: 0 };
  const tmpDir = mkdtempSync(join(tmpdir(), `tsunagi-bench-${name}-`));
  const ctx: BenchContext = {
    scale: options.scale,
    rounds: options.rounds,
    tmpDir,
    selected: (caseName) => !options.only || caseName.includes(options.only),
    log: (message) => log(`${name}: ${message}`),
    note: (message) => {
      outcome.notes.push(message);
      log(`${name}: ${message}`);
    },
    record: (result) => {
      outcome.results.push(result);
      log(`${name}: ${result.name}: ${formatRate(result.measured)} vs ${formatRate(result.baseline)} = ${result.ratio.toFixed(2)}x`);
    },
    detail: (key, value) => {
      outcome.details[key] = value;
    },
  };
  log(`${name}: ${benchmark.description} (scale ${options.scale}, temp dir ${tmpDir})`);
  const start = performance.now();
  try {
    await benchmark.run(ctx);
  } catch (error) {
    outcome.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`${name}: FAILED: ${outcome.error}`);
  } finally {
    outcome.durationMs = performance.now() - start;
    rmSync(tmpDir, { recursive: true, force: true });
  }
  return outcome;
}

function writeResults(root: string, outcome: BenchmarkOutcome, options: Options): string {
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${outcome.name}.json`);
  const body = {
    benchmark: outcome.name,
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(outcome.durationMs),
    scale: options.scale,
    ...(options.rounds ? { rounds: options.rounds } : {}),
    ...(options.only ? { only: options.only } : {}),
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, cpu: cpus()[0]?.model },
    results: outcome.results,
    notes: outcome.notes,
    details: outcome.details,
    ...(outcome.error ? { error: outcome.error } : {}),
  };
  writeFileSync(`${file}.tmp`, `${JSON.stringify(body, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return file;
}

function printTable(outcomes: readonly BenchmarkOutcome[]): void {
  const header = ['name', 'measured', 'baseline', 'ratio', 'goal', 'met', 'spread'];
  const rows = outcomes.flatMap((o) =>
    o.results.map((r) => [
      `${o.name}: ${r.name}`,
      `${formatRate(r.measured)}`,
      `${formatRate(r.baseline)}`,
      `${r.ratio.toFixed(2)}x`,
      `>= ${r.goal.toFixed(2)}x`,
      r.met ? 'yes' : 'NO',
      spread(r),
    ]),
  );
  const numeric = [false, true, true, true, true, false, false];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log('');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  console.log('');
  console.log('measured = our code, baseline = the raw equivalent measured in the same run; rates are medians over interleaved rounds;');
  console.log('ratio = measured / baseline (higher is better); spread = lowest and highest ratio of a single round.');
  for (const o of outcomes) {
    if (o.error) console.log(`${o.name}: FAILED (${o.error.split('\n')[0]})`);
    for (const note of o.notes) console.log(`${o.name}: ${note}`);
    console.log(`${o.name}: took ${formatMs(o.durationMs)}`);
  }
}

/** The range of the per-round ratios: how much the machine's noise moved a single round. */
function spread(result: Comparison): string {
  const ratios = result.rounds.map((r) => r.ratio);
  return ratios.length ? `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}` : '';
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.list) {
    for (const b of BENCHMARKS) console.log(b.name);
    return;
  }
  const names = options.names.length ? options.names : BENCHMARKS.map((b) => b.name);
  const root = repositoryRoot();
  const outcomes: BenchmarkOutcome[] = [];
  const start = performance.now();
  for (const name of names) {
    const outcome = await runOne(name, options);
    outcomes.push(outcome);
    log(`${name}: results written to ${writeResults(root, outcome, options)}`);
  }
  printTable(outcomes);
  console.log(`total: ${formatMs(performance.now() - start)} at scale ${options.scale}`);
  const failed = outcomes.some((o) => o.error);
  const unmet = outcomes.some((o) => o.results.some((r) => !r.met));
  if (failed || (options.strict && unmet)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
