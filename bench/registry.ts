import type { Benchmark } from './harness';

export interface RegisteredBenchmark {
  name: string;
  /** Loaded only when the benchmark runs, so one benchmark's dependencies never slow down another. */
  load(): Promise<Benchmark>;
}

/**
 * Every benchmark `npm run bench` knows, in the order it runs them. To add one, write `bench/<name>.bench.ts`
 * exporting `benchmark: Benchmark` and add its line here, e.g.
 *   { name: 'commands', load: async () => (await import('./commands.bench')).benchmark },
 */
export const BENCHMARKS: readonly RegisteredBenchmark[] = [
  { name: 'event-store', load: async () => (await import('./event-store.bench')).benchmark },
  { name: 'commands', load: async () => (await import('./commands.bench')).benchmark },
  { name: 'notifications', load: async () => (await import('./notifications.bench')).benchmark },
  { name: 'indicators', load: async () => (await import('./indicators.bench')).benchmark },
  { name: 'suggestions', load: async () => (await import('./suggestions.bench')).benchmark },
];
