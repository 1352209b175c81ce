/**
 * A child-process program for the fault tests (compiled to dist/tests/faults/support/appender.js): it opens the
 * embedded SQLite event store on a file and appends in a loop, or runs the stream-catalogue projection, and
 * reports what happened on stdout, one JSON line per fact.
 *
 * The protocol is what makes a SIGKILL test exact: an `attempt` line is written before each try of an append and an
 * `ack` line only after `append` resolved, each with a synchronous write to fd 1, so once the parent has read an
 * `ack` the append was acknowledged, and a killed process had at most one append in flight (its last `attempt`).
 *
 * The parent side (types and `spawnFaultChild`) lives here too, so both ends share one definition.
 *
 *   node appender.js '<FaultChildConfig as JSON>'
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeSync } from 'node:fs';
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import { NewEvent, RecordedEvent, SqliteEventStore, WrongExpectedRevisionError, newId } from '@tsunagi/event-store';
import {
  ProjectionRunner,
  StreamCatalogueProjection,
  openReadModelDatabase,
  type Projection,
  type ProjectionRunnerOptions,
} from '@tsunagi/projections';
import type Database from 'better-sqlite3';

export interface FaultChildConfig {
  /** `append`: the append loop (optionally with a live projection); `project`: only the projection runner. */
  mode: 'append' | 'project';
  /** The event-store file. */
  db: string;
  /** Names this process's own streams (`<tag>-<n>`) and goes into every event's data. */
  tag: string;
  /** Shared streams are `shared-0` … `shared-<sharedStreams - 1>`; 0 disables them. */
  sharedStreams?: number;
  ownStreams?: number;
  /** Probability that an append goes to a shared stream. */
  sharedFraction?: number;
  /** Largest batch; each append has 1 event half the time, otherwise 2…maxBatch. */
  maxBatch?: number;
  /** Stop (cleanly, with a `done` line) after this many acknowledged appends. */
  maxAppends?: number;
  /** Sleep between appends; 0 only yields to the event loop. */
  paceMs?: number;
  /** A read-model file: runs a ProjectionRunner with the stream catalogue on it (always in `project` mode). */
  readModel?: string;
  /** Busy-waits this long in every `apply`, to make a catch-up slow enough to be killed in the middle. */
  applySpinMicros?: number;
  projectionBatchSize?: number;
  /** `project` mode: exit with `done` once the projection is live at the head. */
  exitWhenCaughtUp?: boolean;
  /** Before the loop, retry this append (the unacknowledged last attempt of a killed process) with the same ids. */
  resubmit?: { stream: string; events: NewEvent[]; expected: number | 'no_stream'; shared: boolean };
}

export type FaultLine =
  | { t: 'ready'; pid: number; tag: string }
  /**
   * Written before every try of an append (a retry after a conflict has the same ids and a new `expected`);
   * the first try also carries the events, so that another process can resubmit them.
   */
  | { t: 'attempt'; stream: string; ids: string[]; expected: number | 'no_stream'; shared: boolean; events?: NewEvent[] }
  /** `at` is `Date.now()` right after `append` resolved; `revisions` and `position` are what the store returned. */
  | Ack
  /** Before resubmitting a killed predecessor's unacknowledged append: whether its first event was already stored. */
  | { t: 'resubmit'; ids: string[]; alreadyStored: boolean }
  | { t: 'progress'; position: number; head: number; state: string }
  | { t: 'error'; message: string }
  | { t: 'done' };

export interface Ack {
  t: 'ack';
  stream: string;
  ids: string[];
  revisions: number[];
  position: number;
  at: number;
  /** How many conflicts (wrong expected revision) it went through. */
  retries: number;
  /** This ack answers a resubmitted append of a killed predecessor. */
  resubmit?: true;
}

export const FAULT_EVENT_TYPE = 'FaultTestAppended';

// ---------------------------------------------------------------------------------------------------------------
// Child side
// ---------------------------------------------------------------------------------------------------------------

function emit(line: FaultLine): void {
  const bytes = Buffer.from(`${JSON.stringify(line)}\n`);
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(1, bytes, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

const randomInt = (n: number) => Math.floor(Math.random() * n);

/** Delegates to the stream catalogue under the same name and version, so a normal runner resumes its checkpoint. */
class SlowCatalogue implements Projection {
  private readonly inner = new StreamCatalogueProjection();
  readonly name = this.inner.name;
  readonly version = this.inner.version;
  readonly eventTypes = this.inner.eventTypes;
  constructor(private readonly spinMicros: number) {}
  setUp(db: Database.Database): void {
    this.inner.setUp(db);
  }
  tearDown(db: Database.Database): void {
    this.inner.tearDown(db);
  }
  apply(event: RecordedEvent): void {
    this.inner.apply(event);
    const until = process.hrtime.bigint() + BigInt(this.spinMicros) * 1000n;
    while (process.hrtime.bigint() < until) {
      // busy-wait inside the read-model transaction, so a kill lands in the middle of a batch
    }
  }
}

async function startProjection(store: SqliteEventStore, config: FaultChildConfig) {
  const db = openReadModelDatabase(config.readModel!);
  const projection = config.applySpinMicros ? new SlowCatalogue(config.applySpinMicros) : new StreamCatalogueProjection();
  const options: ProjectionRunnerOptions = {
    batchSize: config.projectionBatchSize ?? 100,
    onFailure: (name, failure) => emit({ t: 'error', message: `projection ${name} failed: ${failure.error}` }),
  };
  const runner = new ProjectionRunner(store, db, [projection], options);
  await runner.start();
  let last = -1;
  const report = setInterval(() => {
    void runner.status().then(([status]) => {
      if (status.position === last) return;
      last = status.position;
      emit({ t: 'progress', position: status.position, head: status.headPosition, state: status.state });
    });
  }, 5);
  return {
    runner,
    async stop() {
      clearInterval(report);
      await runner.stop();
      db.close();
    },
  };
}

/**
 * Appends until acknowledged. Shared streams: read the head and append at exactly that revision, as a command
 * handler would, and on a conflict read again and retry (same ids: nothing was stored). Own streams: only this
 * process writes them, so `expected` (the tracked revision) must always be right.
 */
async function appendUntilAcknowledged(
  store: SqliteEventStore,
  stream: string,
  events: NewEvent[],
  shared: boolean,
  firstExpected: number | 'no_stream' | undefined,
  report: { resubmit?: true; announce: boolean },
): Promise<Ack> {
  const ids = events.map((e) => e.id);
  let expected = firstExpected;
  for (let retries = 0; ; retries++) {
    if (expected === undefined) {
      const [head] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
      expected = head ? head.revision : 'no_stream';
    }
    if (report.announce) emit({ t: 'attempt', stream, ids, expected, shared, ...(retries === 0 ? { events } : {}) });
    try {
      const result = await store.append(stream, events, { expectedRevision: expected });
      const at = Date.now();
      const revisions = ids.map((_, i) => result.nextExpectedRevision - ids.length + 1 + i);
      const ack: Ack = { t: 'ack', stream, ids, revisions, position: result.position, at, retries, ...(report.resubmit ? { resubmit: true } : {}) };
      emit(ack);
      return ack;
    } catch (error) {
      if (!(shared && error instanceof WrongExpectedRevisionError && retries < 1_000)) throw error;
      expected = undefined;
    }
  }
}

async function appendLoop(store: SqliteEventStore, config: FaultChildConfig): Promise<void> {
  const sharedStreams = config.sharedStreams ?? 3;
  const ownStreams = config.ownStreams ?? 5;
  const sharedFraction = sharedStreams > 0 ? (config.sharedFraction ?? 0.5) : 0;
  const maxBatch = Math.max(1, config.maxBatch ?? 5);
  const maxAppends = config.maxAppends ?? Number.MAX_SAFE_INTEGER;
  const ownRevisions = new Map<string, number>();
  let seq = 0;

  if (config.resubmit) {
    // A client that never got its ack retries the same append, same ids, same expected revision: whether or not
    // the killed process had committed it, it must end up stored exactly once.
    const { stream, events, expected, shared } = config.resubmit;
    const stored = !!store.db.prepare('SELECT 1 FROM events WHERE event_id = ?').get(events[0].id);
    emit({ t: 'resubmit', ids: events.map((e) => e.id), alreadyStored: stored });
    await appendUntilAcknowledged(store, stream, events, shared, expected, { resubmit: true, announce: false });
  }

  for (let appended = 0; appended < maxAppends; appended++) {
    const shared = Math.random() < sharedFraction;
    const stream = shared ? `shared-${randomInt(sharedStreams)}` : `${config.tag}-${randomInt(ownStreams)}`;
    const size = maxBatch === 1 || Math.random() < 0.5 ? 1 : 2 + randomInt(maxBatch - 1);
    const events: NewEvent[] = Array.from({ length: size }, (_, i) => ({
      id: newId(),
      type: FAULT_EVENT_TYPE,
      data: { tag: config.tag, seq: seq++, i, of: size },
      metadata: { correlationId: config.tag },
    }));
    const expected = shared ? undefined : (ownRevisions.get(stream) ?? 'no_stream');
    const ack = await appendUntilAcknowledged(store, stream, events, shared, expected, { announce: true });
    if (!shared) ownRevisions.set(stream, ack.revisions[ack.revisions.length - 1]);
    // Yield every time: appends are synchronous underneath, and a live projection in this process needs turns.
    if (config.paceMs) await sleep(config.paceMs);
    else await yieldToEventLoop();
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as FaultChildConfig;
  const store = new SqliteEventStore({ path: config.db }); // durability 'full', the default
  emit({ t: 'ready', pid: process.pid, tag: config.tag });

  if (config.mode === 'project') {
    const projection = await startProjection(store, config);
    for (;;) {
      await sleep(10);
      if (!config.exitWhenCaughtUp) continue; // run until killed
      const [status] = await projection.runner.status();
      if (status.state === 'live' && status.position >= status.headPosition) break;
    }
    await projection.stop();
    await store.close();
    emit({ t: 'done' });
    return;
  }

  const projection = config.readModel ? await startProjection(store, config) : undefined;
  await appendLoop(store, config);
  await projection?.stop();
  await store.close();
  emit({ t: 'done' });
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      emit({ t: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      process.exit(1);
    },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Parent side
// ---------------------------------------------------------------------------------------------------------------

export interface FaultChild {
  readonly config: FaultChildConfig;
  readonly process: ChildProcess;
  readonly lines: FaultLine[];
  /** Resolves once the process exited and its stdout was read to the end. */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  onLine(listener: (line: FaultLine) => void): void;
  /** Resolves with the first line (already received or future) matching, or rejects after `timeoutMs` or at exit. */
  waitFor(predicate: (line: FaultLine) => boolean, timeoutMs: number): Promise<FaultLine>;
  /** SIGKILL (idempotent); resolves when the process is gone and its output was read. */
  kill(): Promise<void>;
}

export function spawnFaultChild(script: string, config: FaultChildConfig): FaultChild {
  const child = spawn(process.execPath, [script, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: FaultLine[] = [];
  const listeners = new Set<(line: FaultLine) => void>();
  const closeListeners = new Set<() => void>();
  let stderr = '';
  let pending = '';
  let exited = false;
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const text = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (!text) continue;
      const line = JSON.parse(text) as FaultLine;
      lines.push(line);
      for (const listener of [...listeners]) listener(line);
    }
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    if (stderr.length < 20_000) stderr += chunk;
  });
  // 'close' comes after 'exit' and after stdout ended: every line the process wrote has been seen by then.
  // (A half line left in `pending` was cut by the kill mid-write; it was never a complete report.)
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      exited = true;
      resolve({ code, signal });
      for (const listener of [...closeListeners]) listener();
    });
  });

  return {
    config,
    process: child,
    lines,
    closed,
    stderr: () => stderr,
    onLine: (listener) => void listeners.add(listener),
    waitFor(predicate, timeoutMs) {
      const found = lines.find(predicate);
      if (found) return Promise.resolve(found);
      if (exited) return Promise.reject(new Error(`${config.tag} exited before the awaited line; stderr: ${stderr.slice(0, 2_000)}`));
      return new Promise((resolve, reject) => {
        const finish = (error?: Error, line?: FaultLine) => {
          clearTimeout(timer);
          listeners.delete(onLine);
          closeListeners.delete(onClose);
          if (error) reject(error);
          else resolve(line!);
        };
        const onLine = (line: FaultLine) => predicate(line) && finish(undefined, line);
        const onClose = () => finish(new Error(`${config.tag} exited before the awaited line; stderr: ${stderr.slice(0, 2_000)}`));
        const timer = setTimeout(() => finish(new Error(`${config.tag}: no awaited line within ${timeoutMs} ms`)), timeoutMs);
        listeners.add(onLine);
        closeListeners.add(onClose);
      });
    },
    async kill() {
      if (!exited && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await closed;
    },
  };
}
