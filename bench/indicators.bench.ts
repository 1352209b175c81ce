/**
 * The analysts' indicators on a generated city history (issue 5: 1M events, 100k people, 5k organisations,
 * 7 wards, 3 years at scale 1; `--quick` is a tenth).
 *
 * 1. Rebuild of the analytics projection (ProjectionRunner.rebuild into a fresh read-model file) vs a raw
 *    `SELECT ... ORDER BY position` scan that JSON-parses data and metadata of the same events, interleaved in
 *    the same run. Goal >= 0.5x.
 * 2. Latencies on the rebuilt model, printed as notes: p95 of the ward × month funnel (a random ward, twelve
 *    months; goal < 50 ms) and of every indicator citywide as of a day a year before the end (goal < 1 s).
 * 3. The rebuild's budget (`rebuild budget`), printed as notes: what the least a rebuild must do costs, against the
 *    time a 0.5x rebuild may take (twice the raw scan): reading the projection's events through the subscription,
 *    deriving the model in memory (facts, each person's ladder), and writing the finished model's rows once into
 *    empty tables with its indexes built after.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  ANALYTICS_EVENT_TYPES,
  AnalyticsFact,
  DEFAULT_LADDER_RULES,
  LadderProgress,
  MemoryFactLookups,
  PERSON_FACT_KINDS,
  byTime,
  factsOf,
  generateHistory,
  monthsBetween,
} from '../libs/analytics/src';
import { WARDS } from '../libs/domain/src/wards';
import { SqliteEventStore } from '../libs/event-store/src/sqlite/sqlite-event-store';
import { AnalyticsProjection } from '../libs/projections/src/analytics/analytics.projection';
import { AnalyticsQueries } from '../libs/projections/src/analytics/analytics.queries';
import { ProjectionRunner } from '../libs/projections/src/runner/projection-runner';
import { openReadModelDatabase } from '../libs/projections/src/runner/read-model-database';
import { openRaw, rawScan } from './event-store.bench';
import { BenchContext, Benchmark, Sample, compare, formatMs, interleave, median, percentile, scaled, seededRandom, time } from './harness';

const SIZES = { events: 1_000_000, people: 100_000, organisations: 5_000, days: 3 * 365 };
const GOALS = { rebuild: 0.5, funnelP95Ms: 50, asOfP95Ms: 1_000 };
/** Measured rounds at scale 1; a smaller run (`--quick`) takes two, so it finishes within a minute. */
const ROUNDS = 3;
const QUERIES = { funnel: 200, asOf: 10 };
const DAY = 86_400_000;
const START = Date.parse('2023-04-01T00:00:00+09:00');

export const benchmark: Benchmark = {
  name: 'indicators',
  description: 'analytics projection rebuild vs raw scan; p95 of the ward × month funnel and of an as-of query a year back',
  async run(ctx) {
    const shape = {
      events: scaled(ctx, SIZES.events, 1000),
      people: scaled(ctx, SIZES.people, 100),
      organisations: scaled(ctx, SIZES.organisations, 10),
      startMs: START,
      days: SIZES.days,
    };
    const path = join(ctx.tmpDir, 'events.db');
    const total = await fillHistory(ctx, path, shape);
    const store = new SqliteEventStore({ path, durability: 'normal' });
    const raw = openRaw(path, 'normal');
    const modelPath = join(ctx.tmpDir, 'analytics.db');
    try {
      const rebuildName = `rebuild analytics ${total.toLocaleString('en-US')} events`;
      let rawScanMs: number | undefined;
      if (ctx.selected(rebuildName)) {
        const rounds = ctx.rounds ?? (ctx.scale < 1 ? 2 : ROUNDS);
        const rates = await interleave(
          { raw: async () => rawScan(raw, total), rebuild: () => rebuild(store, modelPath, total) },
          { rounds, log: ctx.log, label: 'rebuild' },
        );
        ctx.record(
          compare({
            name: rebuildName,
            goal: GOALS.rebuild,
            subject: { label: 'ProjectionRunner.rebuild of the analytics projection', rates: rates.rebuild },
            baseline: { label: 'SELECT ... ORDER BY position, iterate, JSON.parse data and metadata', rates: rates.raw },
            details: shape,
          }),
        );
        rawScanMs = (total / median(rates.raw)) * 1000;
      }
      if (ctx.selected('queries')) await queries(ctx, store, modelPath, shape.startMs + shape.days * DAY);
      if (ctx.selected('rebuild budget')) await budget(ctx, store, raw, modelPath, total, rawScanMs);
    } finally {
      raw.close();
      await store.close();
    }
  },
};

/** Appends the generated history through the port (durability normal: the fill is not what is measured). */
async function fillHistory(ctx: BenchContext, path: string, shape: Parameters<typeof generateHistory>[0]): Promise<number> {
  let events: ReturnType<typeof generateHistory> | undefined;
  const generateMs = await time(() => (events = generateHistory(shape, seededRandom(2026))));
  const store = new SqliteEventStore({ path, durability: 'normal' });
  const fillMs = await time(async () => {
    for (const e of events!) await store.append(e.streamId, [{ id: e.id, type: e.type, data: e.data }]);
  });
  const total = events!.length;
  events = undefined;
  await store.close();
  ctx.note(`history: ${total.toLocaleString('en-US')} events, ${shape.people.toLocaleString('en-US')} people, ${shape.organisations} organisations, ${shape.days} days; generated in ${formatMs(generateMs)}, appended in ${formatMs(fillMs)}`);
  ctx.detail('history', { ...shape, events: total, generateMs: Math.round(generateMs), fillMs: Math.round(fillMs) });
  return total;
}

async function rebuild(store: SqliteEventStore, path: string, expected: number): Promise<Sample> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  const db = openReadModelDatabase(path);
  const runner = new ProjectionRunner(store, db, [new AnalyticsProjection(DEFAULT_LADDER_RULES)]);
  try {
    let position = 0;
    const ms = await time(() => runner.rebuild('analytics', (p) => (position = p.position)));
    if (position !== expected) throw new Error(`rebuild: expected position ${expected}, got ${position}`);
    // Work is the events of `$all`, as for the raw scan (the projection's filter skips some of them cheaply).
    return { work: expected, ms };
  } finally {
    await runner.stop();
    db.close();
  }
}

async function queries(ctx: BenchContext, store: SqliteEventStore, path: string, endMs: number): Promise<void> {
  // The last rebuild round left a complete model at `path`; without those rounds, build one.
  if (!existsSync(path)) await rebuild(store, path, await store.headPosition());
  const db = openReadModelDatabase(path);
  const read = new AnalyticsQueries(db);
  const random = seededRandom(7);
  try {
    const funnelMs: number[] = [];
    for (let i = 0; i < QUERIES.funnel; i++) {
      const ward = WARDS[Math.floor(random() * WARDS.length)];
      const lastMonthEnd = endMs - Math.floor(random() * 365) * DAY;
      const months = monthsBetween(lastMonthEnd - 330 * DAY, lastMonthEnd);
      funnelMs.push(await time(() => read.funnel(months, endMs, ward)));
    }
    const asOfMs: number[] = [];
    const yearBack = endMs - 365 * DAY;
    for (let i = 0; i < QUERIES.asOf; i++) {
      asOfMs.push(await time(() => read.indicators({ asOfMs: yearBack, fromMs: yearBack - 365 * DAY, toMs: yearBack }, DEFAULT_LADDER_RULES)));
    }
    const funnel = { p50: percentile(funnelMs, 50), p95: percentile(funnelMs, 95), goal: GOALS.funnelP95Ms, queries: QUERIES.funnel };
    const asOf = { p50: percentile(asOfMs, 50), p95: percentile(asOfMs, 95), goal: GOALS.asOfP95Ms, queries: QUERIES.asOf };
    ctx.note(`ward × month funnel (12 months, one ward): p50 ${formatMs(funnel.p50)}, p95 ${formatMs(funnel.p95)} (goal < ${GOALS.funnelP95Ms} ms) ${funnel.p95 < GOALS.funnelP95Ms ? 'met' : 'MISSED'}`);
    ctx.note(`every indicator citywide as of a year back (12-month period): p50 ${formatMs(asOf.p50)}, p95 ${formatMs(asOf.p95)} (goal < 1 s) ${asOf.p95 < GOALS.asOfP95Ms ? 'met' : 'MISSED'}`);
    ctx.detail('latency', { funnel, asOf });
  } finally {
    db.close();
  }
}

/**
 * What the least a rebuild must do costs, each part timed alone, against a 0.5x rebuild's time (twice the raw scan):
 * the parts run one after the other on one thread, so their sum is a floor for this design of the model.
 */
async function budget(ctx: BenchContext, store: SqliteEventStore, raw: Database.Database, modelPath: string, total: number, rawScanMs?: number): Promise<void> {
  if (!existsSync(modelPath)) await rebuild(store, modelPath, total);
  const scanMs = rawScanMs ?? rawScan(raw, total).ms;
  const allowedMs = scanMs / GOALS.rebuild;
  const readMs = await time(() => catchUp(store, () => undefined));
  const deriveMs = await time(async () => {
    const lookups = new MemoryFactLookups();
    const ladderFacts = new Map<string, AnalyticsFact[]>();
    await catchUp(store, (event) => {
      for (const fact of factsOf(event, lookups)) {
        if (!fact.personId || !LADDER_KINDS.has(fact.kind)) continue;
        const facts = ladderFacts.get(fact.personId);
        if (facts) facts.push(fact);
        else ladderFacts.set(fact.personId, [fact]);
      }
    });
    for (const facts of ladderFacts.values()) LadderProgress.of(facts.sort(byTime), DEFAULT_LADDER_RULES).history();
  });
  const { insertMs, indexMs } = writeModelOnce(modelPath, join(ctx.tmpDir, 'analytics-once.db'));
  const share = (ms: number) => `${formatMs(ms)} (${Math.round((ms / allowedMs) * 100)}%)`;
  ctx.note(
    `rebuild budget at 0.5x: ${formatMs(allowedMs)} (twice the raw scan). Least work, one part at a time: reading the projection's events ${share(readMs)}; ` +
      `+ deriving facts and ladders in memory ${share(deriveMs - readMs)}; writing the finished model once ${share(insertMs)} and its indexes ${share(indexMs)}; ` +
      `sum ${share(deriveMs + insertMs + indexMs)}`,
  );
  ctx.detail('budget', { rawScanMs: scanMs, allowedMs, readMs, deriveMs, insertMs, indexMs });
}

const LADDER_KINDS: ReadonlySet<string> = new Set(PERSON_FACT_KINDS);

/** The projection's subscription from the start, as a rebuild reads it (its event types, its batch size), to the head. */
function catchUp(store: SqliteEventStore, onEvent: (event: Parameters<typeof factsOf>[0]) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const subscription = store.subscribeToAll({
      after: 0,
      filter: { eventTypes: ANALYTICS_EVENT_TYPES },
      maxBatchSize: new AnalyticsProjection(DEFAULT_LADDER_RULES).batchSize,
      onBatch: (events, context) => {
        for (const event of events) onEvent(event);
        if (context.caughtUp) void subscription.stop().then(resolve);
      },
      onError: reject,
    });
  });
}

/**
 * The rebuilt model's rows written once into empty tables of the same schema (each table in its key's order, in
 * as many transactions as the rebuild had batches), then its indexes: the SQLite work a rebuild cannot go below.
 */
function writeModelOnce(fromPath: string, toPath: string): { insertMs: number; indexMs: number } {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${toPath}${suffix}`, { force: true });
  const from = new Database(fromPath, { readonly: true });
  const to = openReadModelDatabase(toPath);
  try {
    const schema = (type: string) =>
      from.prepare(`SELECT name, sql FROM sqlite_master WHERE type = ? AND name LIKE 'analytics_%' AND sql IS NOT NULL`).all(type) as { name: string; sql: string }[];
    const tables = schema('table').map(({ name, sql }) => ({ name, sql, rows: from.prepare(`SELECT * FROM ${name}`).raw().all() as unknown[][] }));
    for (const { sql } of tables) to.exec(sql);
    const transactions = Math.max(1, Math.ceil(tables.reduce((n, t) => Math.max(n, t.rows.length), 0) / 25_000));
    const start = performance.now();
    for (let t = 0; t < transactions; t++) {
      to.transaction(() => {
        for (const { name, rows } of tables) {
          if (rows.length === 0) continue;
          const columns = rows[0].length;
          const perStatement = Math.floor(900 / columns);
          const values = (n: number) => Array(n).fill(`(${Array(columns).fill('?').join(', ')})`).join(', ');
          const many = to.prepare(`INSERT INTO ${name} VALUES ${values(perStatement)}`);
          const part = rows.slice(Math.floor((rows.length * t) / transactions), Math.floor((rows.length * (t + 1)) / transactions));
          let i = 0;
          for (; i + perStatement <= part.length; i += perStatement) many.run(part.slice(i, i + perStatement).flat());
          if (i < part.length) to.prepare(`INSERT INTO ${name} VALUES ${values(part.length - i)}`).run(part.slice(i).flat());
        }
      })();
    }
    const insertMs = performance.now() - start;
    const indexStart = performance.now();
    to.transaction(() => schema('index').forEach(({ sql }) => to.exec(sql)))();
    return { insertMs, indexMs: performance.now() - indexStart };
  } finally {
    from.close();
    to.close();
  }
}
