import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewEvent, RecordedEvent, SqliteEventStore, newId } from '@tsunagi/event-store';
import { Projection } from './projection';
import { ProjectionRunner, RebuildProgress } from './projection-runner';
import { openReadModelDatabase } from './read-model-database';
import { StreamCatalogueProjection, StreamCatalogueQueries } from '../stream-catalogue/stream-catalogue.projection';

/** Inserts every event id under a primary key: applying any event twice throws, so it proves exactly-once. */
class LedgerProjection implements Projection {
  readonly name = 'ledger';
  caughtUp?: (db: Database.Database) => void;
  readonly eventTypes: readonly string[] = ['Counted', 'Poison'];
  private insert!: Database.Statement;
  constructor(
    readonly version = 1,
    private readonly poisonThrows = false,
  ) {}
  setUp(db: Database.Database) {
    db.exec('CREATE TABLE IF NOT EXISTS ledger (event_id TEXT PRIMARY KEY, position INTEGER NOT NULL)');
    this.insert = db.prepare('INSERT INTO ledger VALUES (?, ?)');
  }
  tearDown(db: Database.Database) {
    db.exec('DROP TABLE IF EXISTS ledger');
  }
  apply(event: RecordedEvent) {
    if (event.type === 'Poison' && this.poisonThrows) throw new Error('cannot read this event');
    this.insert.run(event.id, event.position);
  }
}

const events = (n: number, type = 'Counted'): NewEvent[] => Array.from({ length: n }, (_, i) => ({ id: newId(), type, data: { i } }));

describe('ProjectionRunner', () => {
  let dir: string;
  let store: SqliteEventStore;
  const cleanups: (() => Promise<void> | void)[] = [];
  const readModels = () => {
    const db = openReadModelDatabase(join(dir, 'read-models.sqlite'));
    cleanups.push(() => void db.close());
    return db;
  };
  const runner = (db: Database.Database, projections: Projection[], batchSize = 50) => {
    const r = new ProjectionRunner(store, db, projections, { batchSize });
    cleanups.push(() => r.stop());
    return r;
  };
  const until = async (condition: () => Promise<boolean> | boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const ledger = (db: Database.Database) => db.prepare('SELECT event_id, position FROM ledger ORDER BY position').all();
  const catalogue = (db: Database.Database) => db.prepare('SELECT * FROM stream_catalogue ORDER BY stream_id').all();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsunagi-projections-'));
    store = new SqliteEventStore({ path: join(dir, 'events.sqlite'), durability: 'normal' });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replaying the same events twice gives the same read model', async () => {
    await store.append('match-1', events(3, 'MatchProposed'));
    await store.append('person-1', events(2, 'PersonRegistered'));
    const all = await store.readAll();
    const db = readModels();
    const projection = new StreamCatalogueProjection();
    projection.setUp(db);
    all.forEach((e) => projection.apply(e));
    const once = catalogue(db);
    all.forEach((e) => projection.apply(e));
    expect(catalogue(db)).toEqual(once);
    expect(once).toHaveLength(2);
    expect(new StreamCatalogueQueries(db).categories()).toEqual([
      { category: 'match', streams: 1, events: 3 },
      { category: 'person', streams: 1, events: 2 },
    ]);
  });

  it('resumes after a crash between batches with no gap and no repeat', async () => {
    for (let i = 0; i < 20; i++) await store.append(`counter-${i % 3}`, events(25));
    const first = runner(readModels(), [new LedgerProjection()], 40);
    await first.start();
    await until(async () => (await first.status())[0].position >= 200);
    await first.stop(); // the process "dies" between two batches: only the committed checkpoint survives
    await store.append('counter-9', events(100));

    const db = readModels();
    const second = runner(db, [new LedgerProjection()], 40);
    await second.start();
    const head = await store.headPosition();
    await until(async () => (await second.status())[0].position === head);
    expect((await second.status())[0].state).toBe('live');
    expect(ledger(db)).toHaveLength(600); // a repeat would have failed on the primary key
  });

  it('a rebuild from position 0 equals the incrementally built model, and reports progress', async () => {
    const db = readModels();
    const live = runner(db, [new StreamCatalogueProjection(), new LedgerProjection()], 64);
    await live.start();
    for (let i = 0; i < 30; i++) await store.append(`stream-${i % 7}`, events(10));
    const head = await store.headPosition();
    await until(async () => (await live.status()).every((s) => s.position === head));
    const incremental = { catalogue: catalogue(db), ledger: ledger(db) };

    const progress: RebuildProgress[] = [];
    await live.rebuild('stream-catalogue', (p) => progress.push(p));
    await live.rebuild('ledger');
    expect({ catalogue: catalogue(db), ledger: ledger(db) }).toEqual(incremental);
    expect(progress.at(-1)).toMatchObject({ name: 'stream-catalogue', position: head, fraction: 1, eventsApplied: 300 });
    expect(progress.map((p) => p.fraction)).toEqual([...progress.map((p) => p.fraction)].sort((a, b) => a - b));
    await expect(live.rebuild('no-such-projection')).rejects.toThrow(/No projection is named/);
  });

  it('tells a projection once per catch-up that it reached the head, in a transaction, before a rebuild resolves', async () => {
    const db = readModels();
    const calls: { rows: number; inTransaction: boolean }[] = [];
    const projection = new LedgerProjection();
    projection.caughtUp = (database) => void calls.push({ rows: ledger(database).length, inTransaction: database.inTransaction });
    const r = runner(db, [projection], 64);
    await store.append('a', events(200));
    await r.start();
    await until(async () => (await r.status())[0].state === 'live');
    await store.append('a', events(10));
    await until(async () => ledger(db).length === 210);
    await r.rebuild('ledger');
    expect(calls).toEqual([
      { rows: 200, inTransaction: true },
      { rows: 210, inTransaction: true },
    ]);
  });

  it('stops at an event it cannot handle, keeps what came before, and never skips it', async () => {
    await store.append('a', events(5));
    await store.append('b', events(1, 'Poison'));
    await store.append('c', events(5));
    const poison = (await store.readStream('b'))[0];
    const db = readModels();
    const failing = runner(db, [new LedgerProjection(1, true)], 100);
    await failing.start();
    await until(async () => (await failing.status())[0].state === 'failed');
    const [status] = await failing.status();
    expect(status.failure).toMatchObject({ position: poison.position, eventId: poison.id });
    expect(status.failure!.error).toMatch(/cannot read this event/);
    expect(status.position).toBe(poison.position - 1);
    expect(ledger(db)).toHaveLength(5);
    expect(db.prepare("SELECT status, failed_position FROM projection_checkpoints WHERE name = 'ledger'").get()).toEqual({
      status: 'failed',
      failed_position: poison.position,
    });
    await failing.stop();

    const fixed = runner(db, [new LedgerProjection(1, false)]); // the code was fixed and the process restarted
    await fixed.start();
    await until(async () => (await fixed.status())[0].state === 'live');
    expect(ledger(db)).toHaveLength(11);
  });

  it('rebuilds a projection whose version changed', async () => {
    await store.append('a', events(4));
    const db = readModels();
    const v1 = runner(db, [new LedgerProjection(1)]);
    await v1.start();
    await until(async () => (await v1.status())[0].state === 'live');
    await v1.stop();
    db.prepare('DELETE FROM ledger').run(); // a stale model that only a rebuild repairs
    const v2 = runner(db, [new LedgerProjection(2)]);
    await v2.start();
    await until(async () => (await v2.status())[0].state === 'live');
    expect(ledger(db)).toHaveLength(4);
  });

  it('lets a query wait, bounded, until a written position is reflected', async () => {
    const r = runner(readModels(), [new StreamCatalogueProjection()]);
    await r.start();
    const { position } = await store.append('late', events(1));
    await expect(r.waitForPosition('stream-catalogue', position, 2_000)).resolves.toBe(true);
    await expect(r.waitForPosition('stream-catalogue', position + 1_000, 50)).resolves.toBe(false);
  });

  it('says live only once the subscription has caught up, even when the checkpoint was at the head already', async () => {
    const db = readModels();
    const first = runner(db, [new StreamCatalogueProjection()]);
    await first.start();
    const { position } = await store.append('done', events(3));
    await expect(first.waitForLive('stream-catalogue', 2_000)).resolves.toBe(true);
    await expect(first.waitForPosition('stream-catalogue', position, 2_000)).resolves.toBe(true);
    await first.stop();

    const restarted = runner(db, [new StreamCatalogueProjection()]);
    await restarted.start();
    // The checkpoint reflects the head at once; whether it is live yet depends on the first batch.
    await expect(restarted.waitForPosition('stream-catalogue', position, 0)).resolves.toBe(true);
    await expect(restarted.waitForLive('stream-catalogue', 2_000)).resolves.toBe(true);
    expect((await restarted.status())[0]).toMatchObject({ state: 'live', position });
    await restarted.stop();
    await expect(restarted.waitForLive('stream-catalogue', 50)).resolves.toBe(false); // stopped: never live again by itself
  });
});
