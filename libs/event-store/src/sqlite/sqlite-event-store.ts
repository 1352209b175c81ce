import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  AppendOptions,
  AppendResult,
  EventFilter,
  EventStore,
  EventSubscription,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../event-store.port';
import { DuplicateEventIdError, InvalidAppendError, WrongExpectedRevisionError } from '../errors';
import { UpcasterRegistry } from '../upcasting/upcaster-registry';
import { SQLITE_EVENT_STORE_SCHEMA, SQLITE_EVENT_STORE_SCHEMA_VERSION } from './sqlite-schema';
import { checkExpectedRevision, validateNewEvents } from '../append-rules';

/** `full` survives power loss (fsync on every commit); `normal` may lose the last commits on power loss, never corrupts. */
export type SqliteDurability = 'full' | 'normal';

export interface SqliteEventStoreOptions {
  /** A file path (created with its directory if missing), or `:memory:` for throwaway tests. */
  path: string;
  durability?: SqliteDurability;
  /** How long an append waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
  /** How often a caught-up subscription looks for appends made by other processes. */
  pollIntervalMs?: number;
  upcasters?: UpcasterRegistry;
}

interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: string;
}

const ROW_COLUMNS = 'position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at';
const DEFAULT_BATCH = 500;
/** A filtered catch-up scans at most this many positions per query, so sparse filters still advance the checkpoint. */
const SCAN_WINDOW = 50_000;

export class SqliteEventStore implements EventStore {
  readonly db: Database.Database;
  private readonly upcasters: UpcasterRegistry;
  private readonly pollIntervalMs: number;
  private readonly subscriptions = new Set<SqliteSubscription>();
  private readonly appendWaiters = new Set<() => void>();
  private readonly filteredStatements = new Map<string, Database.Statement>();
  private closed = false;

  private readonly statements: {
    streamHead: Database.Statement<[string], { revision: number; position: number }>;
    byEventId: Database.Statement<[string], EventRow>;
    insert: Database.Statement;
    head: Database.Statement<[], { head: number | null }>;
    streamForwards: Database.Statement<[string, number, number], EventRow>;
    streamBackwards: Database.Statement<[string, number, number], EventRow>;
  };
  /** Appends waiting for the next group commit (see `append`). */
  private pendingAppends: PendingAppend[] = [];
  private readonly commitGroup: (group: readonly PendingAppend[]) => (AppendResult | Error)[];

  constructor(options: SqliteEventStoreOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 15_000 });
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.pollIntervalMs = options.pollIntervalMs ?? 20;
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${(options.durability ?? 'full') === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    this.migrate();

    this.statements = {
      streamHead: this.db.prepare('SELECT revision, position FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1'),
      byEventId: this.db.prepare(`SELECT ${ROW_COLUMNS} FROM events WHERE event_id = ?`),
      insert: this.db.prepare(
        `INSERT INTO events (event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      head: this.db.prepare('SELECT max(position) AS head FROM events'),
      streamForwards: this.db.prepare(`SELECT ${ROW_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`),
      streamBackwards: this.db.prepare(`SELECT ${ROW_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`),
    };
    // Inside the group's transaction each append is a savepoint: a refused one (wrong revision, duplicate id) is
    // rolled back alone and the others commit.
    const one = this.db.transaction(this.appendInTransaction.bind(this));
    const group = this.db.transaction((appends: readonly PendingAppend[]) =>
      appends.map(({ streamId, events, expected }) => {
        try {
          return one(streamId, events, expected);
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
    // IMMEDIATE takes the write lock before reading the stream heads, so two processes never decide on the same head.
    this.commitGroup = (appends) => group.immediate(appends);
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SQLITE_EVENT_STORE_SCHEMA_VERSION) {
      throw new Error(`Event store file has schema version ${version}; this build knows up to ${SQLITE_EVENT_STORE_SCHEMA_VERSION}`);
    }
    this.db.exec(SQLITE_EVENT_STORE_SCHEMA);
    this.db.pragma(`user_version = ${SQLITE_EVENT_STORE_SCHEMA_VERSION}`);
  }

  /**
   * Group commit: appends made in the same turn of the event loop (concurrent commands) wait for its end and
   * commit in one transaction, so they share one write of the WAL and, with durability `full`, one fsync. Each is
   * still checked and refused on its own, in the order made; the promise resolves once its group is durable.
   */
  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    validateNewEvents(streamId, events);
    return new Promise<AppendResult>((resolve, reject) => {
      this.pendingAppends.push({ streamId, events, expected: options.expectedRevision ?? 'any', resolve, reject });
      if (this.pendingAppends.length === 1) setImmediate(() => this.commitPendingAppends());
    });
  }

  private commitPendingAppends(): void {
    const group = this.pendingAppends;
    this.pendingAppends = [];
    if (group.length === 0) return;
    let outcomes: (AppendResult | Error)[];
    try {
      if (this.closed) throw new Error('The event store is closed');
      outcomes = this.commitGroup(group);
    } catch (error) {
      // Nothing of the group was committed (the lock, the disk, the commit itself failed).
      for (const append of group) append.reject(error);
      return;
    }
    group.forEach((append, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof Error) append.reject(outcome);
      else append.resolve(outcome);
    });
    this.notifyAppended();
  }

  private appendInTransaction(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): AppendResult {
    const head = this.statements.streamHead.get(streamId);
    const current = head ? head.revision : 'no_stream';

    const firstStored = this.statements.byEventId.get(events[0].id);
    if (firstStored) return this.replayedAppend(streamId, events, expected, firstStored, current);

    checkExpectedRevision(streamId, expected, current);
    const recordedAt = new Date().toISOString();
    let revision = head ? head.revision : -1;
    let position = 0;
    for (const event of events) {
      revision += 1;
      try {
        const info = this.statements.insert.run(
          event.id,
          streamId,
          revision,
          event.type,
          event.schemaVersion ?? this.upcasters.currentVersion(event.type),
          JSON.stringify(event.data ?? null),
          JSON.stringify(event.metadata ?? {}),
          recordedAt,
        );
        position = Number(info.lastInsertRowid);
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && String(error).includes('event_id')) {
          throw new DuplicateEventIdError(event.id, 'it is already part of another append');
        }
        throw error;
      }
    }
    return { nextExpectedRevision: revision, position };
  }

  /** The first id is stored already: this is a retry of an earlier append, or a misuse of ids. */
  private replayedAppend(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    first: EventRow,
    current: number | 'no_stream',
  ): AppendResult {
    let last = first;
    events.forEach((event, index) => {
      const stored = index === 0 ? first : this.statements.byEventId.get(event.id);
      if (!stored || stored.stream_id !== streamId || stored.revision !== first.revision + index) {
        throw new DuplicateEventIdError(event.id, 'the same ids were stored in another stream or another order');
      }
      if (stored.type !== event.type || stored.data !== JSON.stringify(event.data ?? null)) {
        throw new DuplicateEventIdError(event.id, 'it was stored with different content');
      }
      last = stored;
    });
    const revisionBefore = first.revision === 0 ? 'no_stream' : first.revision - 1;
    const sameExpectation =
      expected === 'any' ||
      expected === 'exists' ||
      (expected === 'no_stream' && revisionBefore === 'no_stream') ||
      expected === revisionBefore;
    if (!sameExpectation) throw new WrongExpectedRevisionError(streamId, expected, current);
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const rows = (backwards ? this.statements.streamBackwards : this.statements.streamForwards).all(streamId, from, options.maxCount ?? -1) as EventRow[];
    return rows.map((row) => this.toRecorded(row));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const rows = this.filteredRead(options.filter).all({
      after: options.after ?? 0,
      upper: Number.MAX_SAFE_INTEGER,
      limit: options.maxCount ?? -1,
    }) as EventRow[];
    return rows.map((row) => this.toRecorded(row));
  }

  /** Synchronous read of a window of `$all`, for subscriptions. */
  readWindow(after: number, upper: number, limit: number, filter?: EventFilter): RecordedEvent[] {
    const rows = this.filteredRead(filter).all({ after, upper, limit }) as EventRow[];
    return rows.map((row) => this.toRecorded(row));
  }

  private filteredRead(filter?: EventFilter): Database.Statement {
    const types = filter?.eventTypes ?? [];
    const prefixes = filter?.streamPrefixes ?? [];
    const key = JSON.stringify([types, prefixes]);
    let statement = this.filteredStatements.get(key);
    if (!statement) {
      const conditions = [
        ...(types.length ? [`type IN (${types.map((t) => quote(t)).join(', ')})`] : []),
        ...prefixes.map((p) => `substr(stream_id, 1, ${[...p].length}) = ${quote(p)}`),
      ];
      const where = conditions.length ? `AND (${conditions.join(' OR ')})` : '';
      statement = this.db.prepare(
        `SELECT ${ROW_COLUMNS} FROM events WHERE position > @after AND position <= @upper ${where} ORDER BY position LIMIT @limit`,
      );
      this.filteredStatements.set(key, statement);
    }
    return statement;
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.headPositionSync();
  }

  headPositionSync(): number {
    return this.statements.head.get()?.head ?? 0;
  }

  subscribeToAll(options: SubscribeToAllOptions): EventSubscription {
    this.assertOpen();
    const subscription = new SqliteSubscription(this, options, this.pollIntervalMs);
    this.subscriptions.add(subscription);
    void subscription.stopped.then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  /** Resolves at the next in-process append, or after `ms` (to notice appends by other processes). */
  waitForAppend(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.appendWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.appendWaiters.add(done);
    });
  }

  private notifyAppended(): void {
    for (const wake of [...this.appendWaiters]) wake();
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.commitPendingAppends(); // appends already made are kept, not dropped
    this.closed = true;
    this.notifyAppended();
    this.db.close();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed');
  }

  private toRecorded(row: EventRow): RecordedEvent {
    const event: RecordedEvent = {
      id: row.event_id,
      type: row.type,
      schemaVersion: row.schema_version,
      data: JSON.parse(row.data),
      metadata: JSON.parse(row.metadata),
      streamId: row.stream_id,
      revision: row.revision,
      position: row.position,
      recordedAt: row.recorded_at,
    };
    return this.upcasters.isEmpty ? event : this.upcasters.upcast(event);
  }
}

interface PendingAppend {
  streamId: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Catch-up then live: reads windows of `$all` after the checkpoint; when caught up, waits for the next append. */
class SqliteSubscription implements EventSubscription {
  readonly stopped: Promise<void>;
  private stopRequested = false;

  constructor(
    private readonly store: SqliteEventStore,
    private readonly options: SubscribeToAllOptions,
    private readonly pollIntervalMs: number,
  ) {
    this.stopped = this.run();
  }

  async stop(): Promise<void> {
    this.stopRequested = true;
    await this.stopped;
  }

  private async run(): Promise<void> {
    const { filter, onBatch } = this.options;
    const batchSize = this.options.maxBatchSize ?? DEFAULT_BATCH;
    const filtered = !!(filter?.eventTypes?.length || filter?.streamPrefixes?.length);
    let checkpoint = this.options.after ?? 0;
    let announcedCaughtUp = false;
    try {
      await yieldToEventLoop();
      while (!this.stopRequested && this.store.isOpen) {
        const head = this.store.headPositionSync();
        if (head > checkpoint) {
          const upper = filtered ? Math.min(head, checkpoint + SCAN_WINDOW) : head;
          const events = this.store.readWindow(checkpoint, upper, batchSize, filter);
          const next = events.length === batchSize ? events[events.length - 1].position : upper;
          const caughtUp = next >= head;
          await onBatch(events, { checkpoint: next, caughtUp });
          checkpoint = next;
          announcedCaughtUp = caughtUp;
          await yieldToEventLoop(); // keep the process responsive during a long catch-up
          continue;
        }
        if (!announcedCaughtUp) {
          announcedCaughtUp = true;
          await onBatch([], { checkpoint, caughtUp: true });
          continue;
        }
        await this.store.waitForAppend(this.pollIntervalMs);
      }
    } catch (error) {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
