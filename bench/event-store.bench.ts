/**
 * The embedded event store against raw better-sqlite3 on the same schema, same pragmas, same machine, same run.
 *
 * 1. Single-event appends through `SqliteEventStore.append` (with an expected revision) vs one autocommit
 *    INSERT per event. Goal >= 0.5x.
 * 2. Appends of 100 and of 1000 events through the port vs one transaction of INSERTs per batch. Goal >= 0.7x.
 * 3. Over N events (1M; 100k with --quick) filled through the port: catch-up of `$all` (subscribeToAll from 0
 *    until caught up) and a full rebuild of the stream catalogue projection, each vs a raw
 *    `SELECT ... ORDER BY position` scan that JSON-parses data and metadata. Goal >= 0.5x.
 *
 * Every comparison runs with durability 'full' (the default: synchronous=FULL) and 'normal', the same setting
 * on both sides. Appends write fresh files per round and side; reads share one filled file.
 */
import Database from 'better-sqlite3';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
// Straight from the modules rather than the package barrels: the bench loads only the SQLite adapter and the
// runner, not the other adapters (and their clients) that the barrels also export.
import type { ExpectedRevision, NewEvent } from '../libs/event-store/src/event-store.port';
import { newId } from '../libs/event-store/src/ids';
import { SqliteDurability, SqliteEventStore } from '../libs/event-store/src/sqlite/sqlite-event-store';
import { SQLITE_EVENT_STORE_SCHEMA } from '../libs/event-store/src/sqlite/sqlite-schema';
import { ProjectionRunner } from '../libs/projections/src/runner/projection-runner';
import { openReadModelDatabase } from '../libs/projections/src/runner/read-model-database';
import { StreamCatalogueProjection } from '../libs/projections/src/stream-catalogue/stream-catalogue.projection';
import { BenchContext, Benchmark, Sample, compare, formatMs, formatRate, interleave, scaled, seededRandom, time } from './harness';

const DURABILITIES: readonly SqliteDurability[] = ['full', 'normal'];

const GOALS = { single: 0.5, batch: 0.7, catchUp: 0.5, rebuild: 0.5 };

/** Sizes at scale 1. */
const SIZES = {
  /** Single-event appends per round and side: 'full' pays an fsync per commit, so it gets fewer. */
  singleAppends: { full: 4_000, normal: 40_000 } as Record<SqliteDurability, number>,
  /** Events per round and side for the batched appends. */
  batchedEvents: 100_000,
  /** Events in `$all` for the read comparisons. */
  readEvents: 1_000_000,
  /** Average events per append while filling. */
  fillBatch: 20,
  /** Share of the fill's appends that open a new stream. */
  fillNewStream: 0.6,
};

const APPEND_ROUNDS = 5;
const READ_ROUNDS = 5;

export const benchmark: Benchmark = {
  name: 'event-store',
  description: 'SqliteEventStore appends, catch-up and projection rebuild vs raw better-sqlite3',
  async run(ctx) {
    for (const durability of DURABILITIES) {
      for (const batch of [1, 100, 1000]) {
        const name = `append ${batch} event${batch === 1 ? '' : 's'}/append [${durability}]`;
        if (ctx.selected(name)) await appendComparison(ctx, name, durability, batch);
      }
    }
    const readEvents = scaled(ctx, SIZES.readEvents, 1000);
    const readCases = DURABILITIES.map((durability) => ({
      durability,
      catchUp: `catch-up $all ${count(readEvents)} [${durability}]`,
      rebuild: `rebuild stream-catalogue ${count(readEvents)} [${durability}]`,
    })).filter((c) => ctx.selected(c.catchUp) || ctx.selected(c.rebuild));
    if (readCases.length === 0) return;
    const path = join(ctx.tmpDir, 'filled.db');
    await fill(ctx, path, readEvents);
    for (const c of readCases) await readComparison(ctx, path, readEvents, c.durability, c.catchUp, c.rebuild);
  },
};

// ---------------------------------------------------------------------------------------------------------
// Realistic small events: tsunagi's domain (people, organisations, matches, community events, notifications).

const WARDS = ['Kawasaki-ku', 'Saiwai-ku', 'Nakahara-ku', 'Takatsu-ku', 'Tama-ku', 'Miyamae-ku', 'Asao-ku'];
const INTERESTS = ['childcare', 'elderly-support', 'disaster-prevention', 'sports', 'music', 'translation', 'gardening', 'it-help'];

interface Category {
  name: string;
  weight: number;
  /** The first type opens the stream; later events pick from the rest. */
  types: readonly string[];
  actorRole: string;
  data(rng: () => number, streamId: string, revision: number): unknown;
}

const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)];

const CATEGORIES: readonly Category[] = [
  {
    name: 'person',
    weight: 3,
    types: ['PersonRegistered', 'PersonProfileUpdated', 'PersonInterestsChanged', 'PersonAvailabilityChanged'],
    actorRole: 'resident',
    data: (rng, streamId, revision) =>
      revision === 0
        ? { personId: streamId.slice(7), displayName: `Resident ${Math.floor(rng() * 1e6)}`, ward: pick(rng, WARDS), language: rng() < 0.9 ? 'ja' : 'en' }
        : { interests: [pick(rng, INTERESTS), pick(rng, INTERESTS)], weekdays: rng() < 0.5, evenings: rng() < 0.5 },
  },
  {
    name: 'organisation',
    weight: 1,
    types: ['OrganisationRegistered', 'OrganisationProfileUpdated', 'VolunteerNeedPublished', 'VolunteerNeedWithdrawn'],
    actorRole: 'organiser',
    data: (rng, streamId, revision) =>
      revision === 0
        ? { organisationId: streamId.slice(13), name: `Neighbourhood association ${Math.floor(rng() * 1e4)}`, ward: pick(rng, WARDS) }
        : { needId: newId(), title: `Help wanted: ${pick(rng, INTERESTS)}`, slots: 1 + Math.floor(rng() * 10), ward: pick(rng, WARDS) },
  },
  {
    name: 'match',
    weight: 4,
    types: ['MatchProposed', 'MatchAccepted', 'MatchDeclined', 'MatchConfirmed', 'MatchFeedbackGiven'],
    actorRole: 'coordinator',
    data: (rng, streamId, revision) =>
      revision === 0
        ? { matchId: streamId.slice(6), personId: newId(), needId: newId(), score: Math.round(rng() * 1000) / 1000, reasons: [pick(rng, INTERESTS)] }
        : { by: pick(rng, ['person', 'organisation']), note: rng() < 0.3 ? 'よろしくお願いします' : null },
  },
  {
    name: 'event',
    weight: 2,
    types: ['CommunityEventScheduled', 'AttendeeRegistered', 'AttendeeCheckedIn', 'AttendeeCancelled', 'CommunityEventClosed'],
    actorRole: 'organiser',
    data: (rng, streamId, revision) =>
      revision === 0
        ? { eventId: streamId.slice(6), title: `${pick(rng, INTERESTS)} meetup`, ward: pick(rng, WARDS), startsAt: '2025-04-12T10:00:00+09:00', capacity: 30 }
        : { personId: newId(), seats: 1 + Math.floor(rng() * 3) },
  },
  {
    name: 'notification',
    weight: 2,
    types: ['NotificationQueued', 'NotificationSent', 'NotificationFailed'],
    actorRole: 'service',
    data: (rng) => ({ channel: pick(rng, ['email', 'line', 'sms']), template: pick(rng, ['match-proposed', 'event-reminder', 'welcome']), recipientId: newId() }),
  },
];

const TOTAL_WEIGHT = CATEGORIES.reduce((sum, c) => sum + c.weight, 0);
const BASE_TIME = Date.parse('2025-04-01T00:00:00Z');

function pickCategory(rng: () => number): Category {
  let r = rng() * TOTAL_WEIGHT;
  for (const c of CATEGORIES) if ((r -= c.weight) < 0) return c;
  return CATEGORIES[CATEGORIES.length - 1];
}

interface StreamPlan {
  id: string;
  category: Category;
  /** Revision of the last event written (-1: none). */
  revision: number;
}

function newStream(rng: () => number): StreamPlan {
  const category = pickCategory(rng);
  return { id: `${category.name}-${newId()}`, category, revision: -1 };
}

/** The next `size` events of a stream (advances its revision), with metadata like the command layer writes. */
function nextEvents(rng: () => number, stream: StreamPlan, size: number, sequence: number): NewEvent[] {
  const correlationId = newId();
  const occurredAt = new Date(BASE_TIME + sequence * 1000).toISOString();
  const events: NewEvent[] = [];
  for (let i = 0; i < size; i++) {
    const revision = ++stream.revision;
    const { types, actorRole } = stream.category;
    events.push({
      id: newId(),
      type: revision === 0 ? types[0] : pick(rng, types.slice(1)),
      data: stream.category.data(rng, stream.id, revision),
      metadata: { correlationId, causationId: correlationId, actor: { role: actorRole, id: newId() }, occurredAt },
    });
  }
  return events;
}

// ---------------------------------------------------------------------------------------------------------
// Appends

interface AppendOp {
  streamId: string;
  expected: ExpectedRevision;
  /** Revision of the op's first event (what the raw side writes without asking the database). */
  firstRevision: number;
  events: NewEvent[];
}

/** `ops` appends of `batch` events, spread over streams so that each gets about five appends. */
function planAppends(ops: number, batch: number, seed: number): AppendOp[] {
  const rng = seededRandom(seed);
  const streams = Array.from({ length: Math.max(1, Math.ceil(ops / 5)) }, () => newStream(rng));
  const plan: AppendOp[] = [];
  for (let i = 0; i < ops; i++) {
    const stream = pick(rng, streams);
    const expected: ExpectedRevision = stream.revision < 0 ? 'no_stream' : stream.revision;
    const firstRevision = stream.revision + 1;
    plan.push({ streamId: stream.id, expected, firstRevision, events: nextEvents(rng, stream, batch, i) });
  }
  return plan;
}

export function openRaw(path: string, durability: SqliteDurability): Database.Database {
  const db = new Database(path, { timeout: 15_000 });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  db.exec(SQLITE_EVENT_STORE_SCHEMA);
  return db;
}

function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

function countRows(db: Database.Database): number {
  return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
}

function expectCount(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`${what}: expected ${expected} events, got ${actual}`);
}

let fileCounter = 0;
const freshPath = (ctx: BenchContext, label: string) => join(ctx.tmpDir, `${label}-${++fileCounter}.db`);

/** Our side: every op through `SqliteEventStore.append` with its expected revision. */
async function portAppends(ctx: BenchContext, durability: SqliteDurability, plan: readonly AppendOp[], events: number): Promise<Sample> {
  const path = freshPath(ctx, 'port');
  const store = new SqliteEventStore({ path, durability });
  try {
    const ms = await time(async () => {
      for (const op of plan) await store.append(op.streamId, op.events, { expectedRevision: op.expected });
    });
    expectCount('port appends', countRows(store.db), events);
    return { work: events, ms };
  } finally {
    await store.close();
    removeDatabase(path);
  }
}

/**
 * The baseline: the same rows into the same schema, with the serialisation any writer needs (JSON.stringify,
 * a timestamp) and nothing else: no stream-head read, no idempotency check, no validation. One event per op is
 * a lone autocommit INSERT; a batch is one transaction.
 */
async function rawAppends(ctx: BenchContext, durability: SqliteDurability, plan: readonly AppendOp[], events: number): Promise<Sample> {
  const path = freshPath(ctx, 'raw');
  const db = openRaw(path, durability);
  try {
    const insert = db.prepare(
      `INSERT INTO events (event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const write = (op: AppendOp) => {
      const recordedAt = new Date().toISOString();
      for (let i = 0; i < op.events.length; i++) {
        const e = op.events[i];
        insert.run(e.id, op.streamId, op.firstRevision + i, e.type, 1, JSON.stringify(e.data ?? null), JSON.stringify(e.metadata ?? {}), recordedAt);
      }
    };
    const writeBatch = db.transaction(write);
    const single = plan.every((op) => op.events.length === 1);
    const ms = await time(() => {
      if (single) for (const op of plan) write(op);
      else for (const op of plan) writeBatch(op);
    });
    expectCount('raw inserts', countRows(db), events);
    return { work: events, ms };
  } finally {
    db.close();
    removeDatabase(path);
  }
}

async function appendComparison(ctx: BenchContext, name: string, durability: SqliteDurability, batch: number): Promise<void> {
  const events = batch === 1 ? scaled(ctx, SIZES.singleAppends[durability], 200) : scaled(ctx, SIZES.batchedEvents, batch * 10);
  const ops = Math.max(1, Math.round(events / batch));
  const plan = planAppends(ops, batch, 1000 + batch);
  const total = ops * batch;
  const rounds = ctx.rounds ?? APPEND_ROUNDS;
  ctx.log(`${name}: ${ops} appends of ${batch} (${total} events) per side and round, ${rounds} rounds + 1 warm-up, fresh files`);
  const rates = await interleave(
    {
      raw: () => rawAppends(ctx, durability, plan, total),
      port: () => portAppends(ctx, durability, plan, total),
    },
    { rounds, log: ctx.log, label: name },
  );
  ctx.record(
    compare({
      name,
      goal: batch === 1 ? GOALS.single : GOALS.batch,
      subject: { label: `SqliteEventStore.append of ${batch} with expected revision`, rates: rates.port },
      baseline: { label: batch === 1 ? 'autocommit INSERT per event' : `one transaction of ${batch} INSERTs`, rates: rates.raw },
      details: { durability, eventsPerAppend: batch, appendsPerRound: ops, eventsPerRound: total },
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Reads over a filled store

/** Fills `path` with `total` events through the port (durability 'full'), in appends of 1 to 2 × fillBatch - 1 events. */
export async function fill(ctx: Pick<BenchContext, 'log' | 'note' | 'detail'>, path: string, total: number): Promise<void> {
  const rng = seededRandom(42);
  const streams: StreamPlan[] = [];
  const store = new SqliteEventStore({ path });
  let written = 0;
  let appends = 0;
  let nextLog = performance.now() + 10_000;
  ctx.log(`filling ${count(total)} events through SqliteEventStore.append [full]...`);
  const ms = await time(async () => {
    while (written < total) {
      // Most appends open a new stream, the others continue a random one: many streams, interleaved in `$all`.
      const stream = streams.length === 0 || rng() < SIZES.fillNewStream ? streams[streams.push(newStream(rng)) - 1] : pick(rng, streams);
      const size = Math.min(total - written, 1 + Math.floor(rng() * (2 * SIZES.fillBatch - 1)));
      const expectedRevision: ExpectedRevision = stream.revision < 0 ? 'no_stream' : stream.revision;
      await store.append(stream.id, nextEvents(rng, stream, size, appends), { expectedRevision });
      written += size;
      appends += 1;
      if (performance.now() > nextLog) {
        ctx.log(`  ... ${written.toLocaleString('en-US')} events`);
        nextLog += 10_000;
      }
    }
  });
  const checkpointMs = await time(() => store.db.pragma('wal_checkpoint(TRUNCATE)'));
  expectCount('fill', countRows(store.db), total);
  await store.close();
  const used = streams.length;
  const bytes = statSync(path).size;
  ctx.note(
    `fill: ${total.toLocaleString('en-US')} events in ${appends.toLocaleString('en-US')} appends (avg ${(total / appends).toFixed(1)} events) ` +
      `to ${used.toLocaleString('en-US')} streams through SqliteEventStore.append [full] took ${formatMs(ms)} ` +
      `(${formatRate((total / ms) * 1000)} events, ${formatRate((appends / ms) * 1000)} appends); ` +
      `file ${(bytes / 1e6).toFixed(0)} MB, avg ${Math.round(bytes / total)} B/event; WAL checkpoint ${formatMs(checkpointMs)}`,
  );
  ctx.detail('fill', { events: total, appends, streams: used, ms: Math.round(ms), checkpointMs: Math.round(checkpointMs), bytes });
}

/** The baseline: one query over `$all` in position order, iterated, data and metadata parsed. */
export function rawScan(db: Database.Database, expected: number): Sample {
  const statement = db.prepare(
    'SELECT position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at FROM events ORDER BY position',
  );
  let events = 0;
  let objects = 0;
  const start = performance.now();
  for (const row of statement.iterate() as IterableIterator<{ data: string; metadata: string }>) {
    const data = JSON.parse(row.data);
    const metadata = JSON.parse(row.metadata);
    if (data !== null && metadata !== null) objects++; // uses the parsed values
    events++;
  }
  const ms = performance.now() - start;
  expectCount('raw scan', events, expected);
  expectCount('raw scan (parsed)', objects, expected);
  return { work: events, ms };
}

/** Subject 1: subscribeToAll from the beginning, counting events until the batch that says caught up. */
async function catchUp(store: SqliteEventStore, expected: number): Promise<Sample> {
  let events = 0;
  let subscription: { stop(): Promise<void> } | undefined;
  const ms = await time(
    () =>
      new Promise<void>((resolve, reject) => {
        subscription = store.subscribeToAll({
          onBatch: (batch, context) => {
            events += batch.length;
            if (context.caughtUp) resolve();
          },
          onError: reject,
        });
      }),
  );
  await subscription?.stop();
  expectCount('catch-up', events, expected);
  return { work: events, ms };
}

/** Subject 2: ProjectionRunner.rebuild of the stream catalogue into a fresh read-model database. */
async function rebuild(ctx: BenchContext, store: SqliteEventStore, expected: number): Promise<Sample> {
  const path = freshPath(ctx, 'read-model');
  const db = openReadModelDatabase(path);
  const runner = new ProjectionRunner(store, db, [new StreamCatalogueProjection()]);
  try {
    let applied = 0;
    const ms = await time(() => runner.rebuild('stream-catalogue', (progress) => (applied = progress.eventsApplied)));
    expectCount('rebuild', applied, expected);
    const counted = (db.prepare('SELECT sum(event_count) AS n FROM stream_catalogue').get() as { n: number }).n;
    expectCount('stream catalogue', counted, expected);
    return { work: applied, ms };
  } finally {
    await runner.stop();
    db.close();
    removeDatabase(path);
  }
}

async function readComparison(
  ctx: BenchContext,
  path: string,
  events: number,
  durability: SqliteDurability,
  catchUpName: string,
  rebuildName: string,
): Promise<void> {
  const store = new SqliteEventStore({ path, durability });
  const raw = openRaw(path, durability);
  const rounds = ctx.rounds ?? READ_ROUNDS;
  try {
    const sides: Record<string, () => Promise<Sample>> = { raw: async () => rawScan(raw, events) };
    if (ctx.selected(catchUpName)) sides['catch-up'] = () => catchUp(store, events);
    if (ctx.selected(rebuildName)) sides.rebuild = () => rebuild(ctx, store, events);
    ctx.log(`reads [${durability}]: ${count(events)} events, ${rounds} rounds + 1 warm-up`);
    const rates = await interleave(sides, { rounds, log: ctx.log, label: `reads [${durability}]` });
    const baseline = { label: 'SELECT ... ORDER BY position, iterate, JSON.parse data and metadata', rates: rates.raw };
    if (rates['catch-up']) {
      ctx.record(
        compare({
          name: catchUpName,
          goal: GOALS.catchUp,
          subject: { label: 'subscribeToAll from 0 until caughtUp (default batch 500), counting', rates: rates['catch-up'] },
          baseline,
          details: { durability, events },
        }),
      );
    }
    if (rates.rebuild) {
      ctx.record(
        compare({
          name: rebuildName,
          goal: GOALS.rebuild,
          subject: { label: 'ProjectionRunner.rebuild(stream-catalogue) into a fresh read-model file', rates: rates.rebuild },
          baseline,
          details: { durability, events },
        }),
      );
    }
  } finally {
    raw.close();
    await store.close();
  }
}

function count(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`;
  return String(n);
}
