import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@tsunagi/event-store';

/**
 * A projection keeps one read model in the read-model database. The runner calls `apply` inside a
 * transaction that also stores the checkpoint, so a read model never counts an event twice or misses one.
 */
export interface Projection {
  /** Stable name: the key of its checkpoint, and the name used by `projections rebuild <name>`. */
  readonly name: string;
  /** Bump when the read model's shape or rules change: the runner then rebuilds it from position 0. */
  readonly version: number;
  /**
   * Set for a read model kept in memory (the suggestion index): nothing of it survives a restart, so the runner
   * rebuilds it from position 0 at every start instead of resuming from the stored checkpoint.
   */
  readonly inMemory?: boolean;
  /**
   * Optional: the batch size this projection prefers when the runner was given none (default 1000). A projection
   * whose per-batch work is large and mostly fixed (restaging each touched person once per batch) reads bigger batches.
   */
  readonly batchSize?: number;
  /** Event types it reads; empty means every event. */
  readonly eventTypes: readonly string[];
  /** Creates its tables if missing and prepares its statements. */
  setUp(db: Database.Database): void;
  /** Drops its tables. */
  tearDown(db: Database.Database): void;
  /** Applies one event, synchronously. Throwing stops the projection at this event; it is never skipped. */
  apply(event: RecordedEvent): void;
  /**
   * Optional: the same effect as `apply` on each event in order, done faster (fewer statements). When it
   * throws, the runner rolls back and replays the batch event by event to find the failing one.
   */
  applyBatch?(events: readonly RecordedEvent[]): void;
  /**
   * Optional: called once each time a catch-up (a start, a rebuild) reaches the head of `$all`, in a transaction of
   * its own, before `rebuild()` resolves. Work deferred during a bulk load goes here (building an index once instead of
   * maintaining it row by row); it must not change what the read model answers, which is read before it too.
   */
  caughtUp?(db: Database.Database): void;
}

export const PROJECTIONS = Symbol('PROJECTIONS');
