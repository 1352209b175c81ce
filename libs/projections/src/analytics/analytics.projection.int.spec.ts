import type Database from 'better-sqlite3';
import { DEFAULT_LADDER_RULES, generateHistory } from '@tsunagi/analytics';
import { RecordedEvent, SqliteEventStore } from '@tsunagi/event-store';
import { seededRandom } from '@tsunagi/domain';
import { ProjectionRunner } from '../runner/projection-runner';
import { openReadModelDatabase } from '../runner/read-model-database';
import { ANALYTICS_TABLES, AnalyticsProjection } from './analytics.projection';

const START = Date.parse('2025-04-01T00:00:00+09:00');
const TABLES = ANALYTICS_TABLES.filter((table) => table !== 'analytics_rule_set');
/** Every table's rows in a canonical order (rowids are not part of the model). */
const rows = (db: Database.Database) =>
  Object.fromEntries(TABLES.map((table) => [table, db.prepare(`SELECT * FROM ${table}`).all().map((row) => JSON.stringify(row)).sort()]));
/** The model's indexes: some are built only when a catch-up ends or a person's facts are first read back. */
const indexes = (db: Database.Database) =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'analytics%' ORDER BY name`).all() as { name: string }[]).map((row) => row.name);
const ALL_INDEXES = ['analytics_facts_ladder', 'analytics_facts_proposals', 'analytics_ladders_bearer', 'analytics_ladders_participant', 'analytics_ladders_planner', 'analytics_stages_person', 'analytics_stages_time', 'analytics_stages_ward'];

describe('AnalyticsProjection', () => {
  const history = generateHistory({ people: 50, organisations: 5, events: 600, startMs: START, days: 365 }, seededRandom(7));
  let store: SqliteEventStore;
  let recorded: RecordedEvent[];
  const fresh = () => {
    const db = openReadModelDatabase(':memory:');
    const projection = new AnalyticsProjection(DEFAULT_LADDER_RULES);
    projection.setUp(db);
    return { db, projection };
  };

  beforeAll(async () => {
    store = new SqliteEventStore({ path: ':memory:' });
    for (const e of history) await store.append(e.streamId, [{ id: e.id, type: e.type, data: e.data }]);
    recorded = await store.readAll();
  });
  afterAll(() => store.close());

  it('replaying the same events twice (or a prefix again) gives the same model', () => {
    const once = fresh();
    once.db.transaction(() => once.projection.applyBatch(recorded))();
    const twice = fresh();
    twice.db.transaction(() => {
      twice.projection.applyBatch(recorded.slice(0, 250));
      twice.projection.applyBatch(recorded);
      twice.projection.applyBatch(recorded);
    })();
    expect(rows(twice.db)).toEqual(rows(once.db));
    expect((rows(once.db).analytics_stages as unknown[]).length).toBeGreaterThan(50);
    once.db.close();
    twice.db.close();
  });

  it('event by event gives the same model as batches', () => {
    const batched = fresh();
    batched.db.transaction(() => batched.projection.applyBatch(recorded))();
    const single = fresh();
    single.db.transaction(() => recorded.forEach((e) => single.projection.apply(e)))();
    expect(rows(single.db)).toEqual(rows(batched.db));
    batched.db.close();
    single.db.close();
  });

  it('a batch rolled back (after its facts, or after its checkpoint) leaves nothing remembered: the replay gives the same model', () => {
    const straight = fresh();
    straight.db.transaction(() => straight.projection.applyBatch(recorded))();
    for (const failAfterApplied of [false, true]) {
      const { db, projection } = fresh();
      db.transaction(() => projection.applyBatch(recorded.slice(0, 200)))();
      // A batch whose stage rows change and then roll back: one failing midway (an unknown match) and one failing
      // after it finished (as when the runner's checkpoint write fails).
      const broken = { ...recorded[260], id: 'broken', type: 'MatchAccepted', data: { matchId: 'no-such-match', opportunityId: 'none', at: '2025-06-01T00:00:00+09:00' } };
      const batch = failAfterApplied ? recorded.slice(200, 400) : [...recorded.slice(200, 260), broken];
      expect(() =>
        db.transaction(() => {
          projection.applyBatch(batch);
          throw new Error('rolled back');
        })(),
      ).toThrow();
      db.transaction(() => projection.applyBatch(recorded.slice(200)))();
      expect(rows(db)).toEqual(rows(straight.db));
      db.close();
    }
    straight.db.close();
  });

  it('a new instance continuing a half-built model (its facts read back, events out of time order) gives the same model', async () => {
    // Neighbours of different streams swapped: `$all` order and decision times disagree, so ladder states fall back.
    const random = seededRandom(19);
    const jittered = [...history];
    for (let i = 0; i + 1 < jittered.length; i++) {
      if (jittered[i].streamId !== jittered[i + 1].streamId && random() < 0.4) [jittered[i], jittered[i + 1]] = [jittered[i + 1], jittered[i]];
    }
    const jitteredStore = new SqliteEventStore({ path: ':memory:' });
    for (const e of jittered) await jitteredStore.append(e.streamId, [{ id: e.id, type: e.type, data: e.data }]);
    const events = await jitteredStore.readAll();
    await jitteredStore.close();
    const straight = fresh();
    straight.db.transaction(() => straight.projection.applyBatch(events))();
    const { db, projection } = fresh();
    db.transaction(() => projection.applyBatch(events.slice(0, 300)))();
    expect(indexes(db)).toEqual(['analytics_stages_person']); // a model built from position 0 read nothing back yet
    const restarted = new AnalyticsProjection(DEFAULT_LADDER_RULES);
    restarted.setUp(db);
    for (let i = 300; i < events.length; i += 40) db.transaction(() => restarted.applyBatch(events.slice(i, i + 40)))();
    expect(rows(db)).toEqual(rows(straight.db));
    expect(indexes(db)).toContain('analytics_facts_ladder');
    db.close();
    straight.db.close();
  });

  it('a rebuild through the runner gives the same model as following the events live', async () => {
    const live = new SqliteEventStore({ path: ':memory:' });
    const liveDb = openReadModelDatabase(':memory:');
    const runner = new ProjectionRunner(live, liveDb, [new AnalyticsProjection(DEFAULT_LADDER_RULES)], { batchSize: 50 });
    await runner.start();
    for (const e of history) await live.append(e.streamId, [{ id: e.id, type: e.type, data: e.data }]);
    expect(await runner.waitForPosition('analytics', await live.headPosition(), 10_000)).toBe(true);
    const followed = rows(liveDb);
    expect(indexes(liveDb)).toEqual(ALL_INDEXES);
    const progress: number[] = [];
    await runner.rebuild('analytics', (p) => progress.push(p.fraction));
    expect(rows(liveDb)).toEqual(followed);
    expect(indexes(liveDb)).toEqual(ALL_INDEXES);
    expect(progress[progress.length - 1]).toBe(1);
    await runner.stop();
    liveDb.close();
    await live.close();
  });

  it('stores no names, texts or contact details', () => {
    const { db, projection } = fresh();
    db.transaction(() => projection.applyBatch(recorded))();
    const dump = JSON.stringify(rows(db));
    expect(dump).not.toMatch(/@example\.jp|川崎 花子|お願いできますか|議事録|マルシェ/);
    db.close();
  });

  it('a change of rules changes the version, so the runner rebuilds the model', () => {
    const stricter = { ...DEFAULT_LADDER_RULES, regular: { occasions: 4, withinDays: 180 } };
    expect(new AnalyticsProjection(stricter).version).not.toBe(new AnalyticsProjection(DEFAULT_LADDER_RULES).version);
    expect(new AnalyticsProjection(DEFAULT_LADDER_RULES).version).toBe(new AnalyticsProjection({ ...DEFAULT_LADDER_RULES }).version);
  });
});
