/**
 * Fault test with real processes: appenders are SIGKILLed at random moments while they append thousands of events
 * (some concurrently on the same streams, with exact expected revisions), restarted and killed again. Afterwards
 * every acknowledged append is in the file exactly once, at the revisions it was acknowledged with, revisions are
 * contiguous, positions strictly increasing, `PRAGMA integrity_check` is ok, and a projection runner that was
 * itself killed mid-catch-up converges after a restart.
 *
 * The children are the compiled program dist/tests/faults/support/appender.js (see that file for the protocol).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RecordedEvent, SqliteEventStore } from '@tsunagi/event-store';
import { ProjectionRunner, StreamCatalogueProjection, openReadModelDatabase, streamCategory } from '@tsunagi/projections';
import { Ack, FAULT_EVENT_TYPE, FaultChild, FaultChildConfig, FaultLine, spawnFaultChild } from './support/appender';

const APPENDER = resolve(__dirname, '../../dist/tests/faults/support/appender.js');
if (!existsSync(APPENDER)) {
  throw new Error(`The fault tests run the compiled child program ${APPENDER}, which is missing: run \`npm run build\` first.`);
}

const APPENDERS = 3;
const ROUNDS = 3;
const SHARED_STREAMS = 3;
/** A round kills its appenders only after this many events were acknowledged in it (unless its deadline passes). */
const MIN_EVENTS_PER_ROUND = 800;
const ROUND_DEADLINE_MS = 8_000;

type Attempt = Extract<FaultLine, { t: 'attempt' }>;

interface Incarnation {
  round: number;
  slot: number;
  child: FaultChild;
}

/** One append as a process decided it: its first try (with the events) and its last try (the expected revision that counts). */
interface Decided {
  first: Attempt;
  last: Attempt;
}

/** The appends an incarnation decided, in order; acks of its own appends answer them in the same order. */
function decidedAppends(child: FaultChild): Decided[] {
  const decided: Decided[] = [];
  for (const line of child.lines) {
    if (line.t !== 'attempt') continue;
    if (line.events) decided.push({ first: line, last: line });
    else decided[decided.length - 1].last = line;
  }
  return decided;
}

/** The append a killed incarnation had in flight (decided, never acknowledged), if any. */
function inFlight(child: FaultChild): Decided | undefined {
  const decided = decidedAppends(child);
  const acked = child.lines.filter((l) => l.t === 'ack' && !l.resubmit).length;
  return decided.length > acked ? decided[decided.length - 1] : undefined;
}

interface CatalogueRow {
  stream_id: string;
  category: string;
  event_count: number;
  last_revision: number;
  last_event_type: string;
  last_position: number;
  first_recorded_at: string;
  last_recorded_at: string;
}

/** The stream catalogue as it must be after applying exactly the events at positions up to `upTo`. */
function expectedCatalogue(all: readonly RecordedEvent[], upTo: number): CatalogueRow[] {
  const rows = new Map<string, CatalogueRow>();
  for (const e of all) {
    if (e.position > upTo) break;
    const row = rows.get(e.streamId);
    if (!row) {
      rows.set(e.streamId, {
        stream_id: e.streamId,
        category: streamCategory(e.streamId),
        event_count: 1,
        last_revision: e.revision,
        last_event_type: e.type,
        last_position: e.position,
        first_recorded_at: e.recordedAt,
        last_recorded_at: e.recordedAt,
      });
    } else {
      Object.assign(row, {
        event_count: row.event_count + 1,
        last_revision: e.revision,
        last_event_type: e.type,
        last_position: e.position,
        last_recorded_at: e.recordedAt,
      });
    }
  }
  return [...rows.values()].sort((a, b) => (a.stream_id < b.stream_id ? -1 : 1));
}

/** The checkpoint and the catalogue of a read-model file, read in one snapshot. */
function readModelSnapshot(path: string): { checkpoint: number; catalogue: CatalogueRow[] } {
  const db = openReadModelDatabase(path);
  try {
    return db.transaction(() => {
      const row = db.prepare("SELECT position FROM projection_checkpoints WHERE name = 'stream-catalogue'").get() as
        | { position: number }
        | undefined;
      const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'stream_catalogue'").get();
      const catalogue = hasTable ? (db.prepare('SELECT * FROM stream_catalogue ORDER BY stream_id').all() as CatalogueRow[]) : [];
      return { checkpoint: row?.position ?? 0, catalogue };
    })();
  } finally {
    db.close();
  }
}

describe('SIGKILL while appending (real processes, one SQLite file)', () => {
  let dir: string;
  let eventsFile: string;
  let liveReadModel: string;
  let catchUpReadModel: string;
  const children = new Set<FaultChild>();
  const incarnations: Incarnation[] = [];
  let appendsVerified = false;

  const spawnChild = (config: Omit<FaultChildConfig, 'db'>) => {
    const child = spawnFaultChild(APPENDER, { db: eventsFile, ...config });
    children.add(child);
    return child;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsunagi-faults-'));
    eventsFile = join(dir, 'events.sqlite');
    liveReadModel = join(dir, 'live-read-models.sqlite');
    catchUpReadModel = join(dir, 'catch-up-read-models.sqlite');
  });

  afterAll(async () => {
    const giveUp = new AbortController();
    const bounded = sleep(5_000, undefined, { signal: giveUp.signal }).catch(() => undefined);
    await Promise.race([Promise.all([...children].map((child) => child.kill())), bounded]);
    giveUp.abort();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged append exactly once, at its revisions, through kill/restart rounds', async () => {
    const started = Date.now();
    const report: string[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      // Round 0 starts every process at once on a file that does not exist yet: they race to create it.
      const roundChildren = Array.from({ length: APPENDERS }, (_, slot) => {
        // A restarted process first retries what its killed predecessor never got an ack for, with the same ids.
        const predecessor = incarnations.find((i) => i.round === round - 1 && i.slot === slot);
        const unacknowledged = predecessor && inFlight(predecessor.child);
        const child = spawnChild({
          mode: 'append',
          tag: `r${round}p${slot}`,
          sharedStreams: SHARED_STREAMS,
          ownStreams: 4,
          sharedFraction: 0.5,
          maxBatch: 5,
          // One of them is an "API" process that also runs the stream-catalogue projection while it appends.
          ...(slot === 0 ? { readModel: liveReadModel, projectionBatchSize: 50 } : {}),
          ...(unacknowledged
            ? {
                resubmit: {
                  stream: unacknowledged.first.stream,
                  events: unacknowledged.first.events!,
                  expected: unacknowledged.last.expected,
                  shared: unacknowledged.first.shared,
                },
              }
            : {}),
        });
        incarnations.push({ round, slot, child });
        return child;
      });
      await Promise.all(roundChildren.map((child) => child.waitFor((l) => l.t === 'ready', 10_000)));

      let roundEvents = 0;
      for (const child of roundChildren) child.onLine((l) => l.t === 'ack' && (roundEvents += l.ids.length));
      const readyAt = Date.now();
      const deadline = readyAt + ROUND_DEADLINE_MS;
      // Each process dies at its own random moment (and the others keep appending meanwhile).
      const killAt = roundChildren.map(() => readyAt + 200 + Math.random() * 1_200);
      const pending = new Set(roundChildren.map((_, i) => i));
      const kills: Promise<void>[] = [];
      while (pending.size > 0) {
        for (const i of [...pending]) {
          if ((Date.now() >= killAt[i] && roundEvents >= MIN_EVENTS_PER_ROUND) || Date.now() >= deadline) {
            pending.delete(i);
            kills.push(roundChildren[i].kill());
          }
        }
        await sleep(1 + Math.random() * 4);
      }
      await Promise.all(kills);
      report.push(`round ${round}: ${roundEvents} events acknowledged in ${Date.now() - readyAt} ms, ${APPENDERS} kills`);
    }

    for (const { child } of incarnations) {
      expect({ tag: child.config.tag, errors: child.lines.filter((l) => l.t === 'error') }).toEqual({ tag: child.config.tag, errors: [] });
      expect(await child.closed).toEqual({ code: null, signal: 'SIGKILL' });
    }

    // A fresh open after the last crash recovers the WAL.
    const store = new SqliteEventStore({ path: eventsFile });
    try {
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const all = await store.readAll();
      const byId = new Map(all.map((e) => [e.id, e]));
      expect(byId.size).toBe(all.length); // no event id stored twice

      // Positions strictly increasing; per stream, revisions 0..n-1 in position order.
      const revisions = new Map<string, number>();
      for (let i = 0; i < all.length; i++) {
        if (i > 0 && all[i].position <= all[i - 1].position) throw new Error(`position ${all[i].position} after ${all[i - 1].position}`);
        const expected = revisions.has(all[i].streamId) ? revisions.get(all[i].streamId)! + 1 : 0;
        if (all[i].revision !== expected) {
          throw new Error(`${all[i].streamId}: revision ${all[i].revision} at position ${all[i].position}, expected ${expected}`);
        }
        revisions.set(all[i].streamId, expected);
      }

      const attempted = new Set<string>();
      let ackedEvents = 0;
      let ackedAppends = 0;
      let retries = 0;
      const inFlightAtKill = { committed: 0, notCommitted: 0 };
      const resubmitted = { alreadyStored: 0, appendedNow: 0 };
      const sharedWriters = new Map<string, Set<string>>();
      const checkAck = (tag: string, ack: Ack) => {
        const stored = ack.ids.map((id) => byId.get(id));
        const missing = ack.ids.filter((_, i) => !stored[i]);
        if (missing.length) throw new Error(`${tag}: acknowledged events missing from the file: ${missing.join(', ')}`);
        expect(stored.map((e) => [e!.streamId, e!.revision])).toEqual(ack.ids.map((_, i) => [ack.stream, ack.revisions[i]]));
        // One append is one transaction: consecutive positions, the last one as acknowledged.
        expect(stored.map((e) => e!.position)).toEqual(ack.ids.map((_, i) => ack.position - ack.ids.length + 1 + i));
        ackedEvents += ack.ids.length;
        ackedAppends++;
        retries += ack.retries;
        if (ack.stream.startsWith('shared-')) {
          if (!sharedWriters.has(ack.stream)) sharedWriters.set(ack.stream, new Set());
          sharedWriters.get(ack.stream)!.add(tag);
        }
      };
      for (const { round, slot, child } of incarnations) {
        const tag = child.config.tag;
        const decided = decidedAppends(child);
        const acks = child.lines.filter((l): l is Ack => l.t === 'ack' && !l.resubmit);
        // One append in flight at a time: acks answer the decided appends in order, at most the last is unanswered.
        expect(decided.length - acks.length).toBeGreaterThanOrEqual(0);
        expect(decided.length - acks.length).toBeLessThanOrEqual(1);
        let lastPosition = 0;
        acks.forEach((ack, k) => {
          expect(ack.ids).toEqual(decided[k].first.ids);
          checkAck(tag, ack);
          expect(ack.position).toBeGreaterThan(lastPosition); // commit order of one process's appends
          lastPosition = ack.position;
        });
        for (const { first } of decided) for (const id of first.ids) attempted.add(id);

        // The append in flight at the kill: all of it or none of it, and the successor's resubmit stores it once.
        const unanswered = decided.slice(acks.length)[0];
        if (unanswered) {
          const storedCount = unanswered.first.ids.filter((id) => byId.has(id)).length;
          expect([0, unanswered.first.ids.length]).toContain(storedCount);
          const successor = incarnations.find((i) => i.round === round + 1 && i.slot === slot)?.child;
          const resubmit = successor?.lines.find((l) => l.t === 'resubmit');
          const resubmitAck = successor?.lines.find((l): l is Ack => l.t === 'ack' && !!l.resubmit);
          if (resubmit && resubmit.t === 'resubmit') {
            expect(resubmit.ids).toEqual(unanswered.first.ids);
            if (resubmit.alreadyStored) inFlightAtKill.committed++;
            else inFlightAtKill.notCommitted++;
          } else if (storedCount) inFlightAtKill.committed++;
          else inFlightAtKill.notCommitted++;
          if (resubmitAck) {
            expect(resubmitAck.ids).toEqual(unanswered.first.ids);
            checkAck(successor!.config.tag, resubmitAck);
            if (resubmit?.t === 'resubmit' && resubmit.alreadyStored) resubmitted.alreadyStored++;
            else resubmitted.appendedNow++;
          }
        }
      }
      // Nothing in the file that no process tried to append.
      expect(all.filter((e) => !attempted.has(e.id) || e.type !== FAULT_EVENT_TYPE)).toEqual([]);
      // Every shared stream was written by several processes.
      expect(sharedWriters.size).toBe(SHARED_STREAMS);
      for (const writers of sharedWriters.values()) expect(writers.size).toBeGreaterThanOrEqual(2);
      expect(ackedEvents).toBeGreaterThanOrEqual(2_000);

      report.push(
        `${ackedEvents} events in ${ackedAppends} acknowledged appends (${all.length} stored, ${incarnations.length} kills); ` +
          `${retries} wrong-expected-revision retries on shared streams; ` +
          `in flight at the kill: ${inFlightAtKill.committed} committed without ack, ${inFlightAtKill.notCommitted} not committed; ` +
          `resubmitted with the same ids by the restarted process: ${resubmitted.alreadyStored} already stored (idempotent replay), ` +
          `${resubmitted.appendedNow} appended then; ${Date.now() - started} ms`,
      );
      console.log(`SIGKILL append fault test\n  ${report.join('\n  ')}`);
      appendsVerified = true;
    } finally {
      await store.close();
    }
  }, 45_000);

  it('a projection runner killed mid-catch-up resumes from its checkpoint and converges', async () => {
    if (!appendsVerified) throw new Error('needs the file written by the previous test, which failed');
    const started = Date.now();
    const store = new SqliteEventStore({ path: eventsFile });
    const readModels: ReturnType<typeof openReadModelDatabase>[] = [];
    const runners: ProjectionRunner[] = [];
    try {
      const all = await store.readAll();
      const head = await store.headPosition();
      const report: string[] = [];

      // The live projection that ran inside a killed appender: its model matches its checkpoint exactly.
      const live = readModelSnapshot(liveReadModel);
      expect(live.checkpoint).toBeGreaterThan(0);
      expect(live.catalogue).toEqual(expectedCatalogue(all, live.checkpoint));
      report.push(`live projection killed with its appender at checkpoint ${live.checkpoint} of ${head}`);

      // A catch-up slowed so that it takes about 2 s, killed twice in the middle.
      const spinMicros = Math.round(Math.min(1_000, Math.max(20, 2_000_000 / all.length)));
      let checkpoint = 0;
      for (const [from, to] of [
        [0.15, 0.4],
        [0.55, 0.8],
      ]) {
        const killAt = Math.round(head * (from + Math.random() * (to - from)));
        const child = spawnChild({
          mode: 'project',
          tag: `projector-${from}`,
          readModel: catchUpReadModel,
          applySpinMicros: spinMicros,
          projectionBatchSize: 50,
        });
        const first = (await child.waitFor((l) => l.t === 'progress', 15_000)) as Extract<FaultLine, { t: 'progress' }>;
        expect(first.position).toBeGreaterThanOrEqual(checkpoint); // resumed, not restarted from 0
        await child.waitFor((l) => l.t === 'progress' && l.position >= killAt, 15_000);
        await sleep(Math.random() * 10);
        await child.kill();
        expect(child.lines.filter((l) => l.t === 'error')).toEqual([]);

        const snapshot = readModelSnapshot(catchUpReadModel);
        expect(snapshot.checkpoint).toBeGreaterThan(checkpoint);
        expect(snapshot.checkpoint).toBeLessThan(head); // it really was killed mid-catch-up
        expect(snapshot.catalogue).toEqual(expectedCatalogue(all, snapshot.checkpoint)); // batch and checkpoint: all or nothing
        report.push(`catch-up killed at checkpoint ${snapshot.checkpoint} of ${head} (resumed from ${first.position})`);
        checkpoint = snapshot.checkpoint;
      }

      // Restart both (here, in-process, with the real projection) and let them converge.
      const expected = expectedCatalogue(all, head);
      for (const path of [liveReadModel, catchUpReadModel]) {
        const db = openReadModelDatabase(path);
        readModels.push(db);
        const runner = new ProjectionRunner(store, db, [new StreamCatalogueProjection()], { batchSize: 500 });
        runners.push(runner);
        await runner.start();
        await expect(runner.waitForPosition('stream-catalogue', head, 20_000)).resolves.toBe(true);
        // A checkpoint already at the head reflects it at once; live comes with the subscription's first batch.
        await expect(runner.waitForLive('stream-catalogue', 20_000)).resolves.toBe(true);
        const [status] = await runner.status();
        expect(status).toMatchObject({ state: 'live', position: head, lag: 0 });
        expect(db.prepare('SELECT * FROM stream_catalogue ORDER BY stream_id').all()).toEqual(expected);
      }
      const counts = expected.reduce((sum, row) => sum + row.event_count, 0);
      expect(counts).toBe(all.length);
      report.push(`both read models converged: ${expected.length} streams, ${counts} events; ${Date.now() - started} ms`);
      console.log(`Projection fault test\n  ${report.join('\n  ')}`);
    } finally {
      for (const runner of runners) await runner.stop();
      for (const db of readModels) db.close();
      await store.close();
    }
  }, 40_000);
});
