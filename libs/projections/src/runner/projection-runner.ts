import type Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import type { EventStore, EventSubscription, RecordedEvent, SubscriptionBatchContext } from '@tsunagi/event-store';
import type { Projection } from './projection';

export type ProjectionState = 'stopped' | 'catching_up' | 'live' | 'rebuilding' | 'failed';

export interface ProjectionStatus {
  name: string;
  version: number;
  state: ProjectionState;
  /** The `$all` position this read model reflects. */
  position: number;
  headPosition: number;
  /** How many positions of `$all` it is behind. */
  lag: number;
  failure?: { position: number; eventId: string; error: string };
}

export interface RebuildProgress {
  name: string;
  position: number;
  headPosition: number;
  eventsApplied: number;
  /** 0 to 1. */
  fraction: number;
}

interface CheckpointRow {
  name: string;
  version: number;
  position: number;
  status: string;
  failed_position: number | null;
  failed_event_id: string | null;
  error: string | null;
}

class ProjectionFailure extends Error {
  constructor(
    readonly event: RecordedEvent,
    /** Index of the event in its batch. */
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super(`Projection failed at position ${event.position} (${event.type} ${event.id}): ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

interface Running {
  projection: Projection;
  state: ProjectionState;
  position: number;
  subscription?: EventSubscription;
  failure?: ProjectionStatus['failure'];
  onProgress?: (batch: RecordedEvent[], context: SubscriptionBatchContext) => void;
}

export interface ProjectionRunnerOptions {
  /** Events per batch for every projection; when unset, each projection's own `batchSize`, else 1000. */
  batchSize?: number;
  onFailure?: (name: string, failure: NonNullable<ProjectionStatus['failure']>) => void;
}

/**
 * Runs projections from checkpointed `$all` subscriptions. Each batch and its checkpoint commit in one
 * read-model transaction; a restart resumes exactly after the checkpoint.
 */
export class ProjectionRunner {
  private readonly running = new Map<string, Running>();
  private readonly progress = new EventEmitter();
  private readonly checkpoints: {
    get: Database.Statement<[string], CheckpointRow>;
    save: Database.Statement;
    fail: Database.Statement;
  };

  constructor(
    private readonly store: EventStore,
    private readonly db: Database.Database,
    projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.progress.setMaxListeners(0);
    for (const projection of projections) {
      if (this.running.has(projection.name)) throw new Error(`Two projections are named ${projection.name}`);
      this.running.set(projection.name, { projection, state: 'stopped', position: 0 });
    }
    this.checkpoints = {
      get: db.prepare('SELECT * FROM projection_checkpoints WHERE name = ?'),
      save: db.prepare(
        `INSERT INTO projection_checkpoints (name, version, position, status, updated_at)
         VALUES (@name, @version, @position, 'running', @now)
         ON CONFLICT (name) DO UPDATE SET version = @version, position = @position, status = 'running',
           failed_position = NULL, failed_event_id = NULL, error = NULL, updated_at = @now`,
      ),
      fail: db.prepare(
        `UPDATE projection_checkpoints SET status = 'failed', failed_position = @position, failed_event_id = @eventId,
           error = @error, updated_at = @now WHERE name = @name`,
      ),
    };
  }

  get names(): string[] {
    return [...this.running.keys()];
  }

  /** Starts every projection from its checkpoint; a projection whose version changed is rebuilt from 0. */
  async start(): Promise<void> {
    for (const entry of this.running.values()) this.startOne(entry);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.running.values()].map((entry) => this.stopOne(entry)));
  }

  private startOne(entry: Running): void {
    const { projection } = entry;
    const stored = this.checkpoints.get.get(projection.name);
    if (!stored || stored.version !== projection.version || projection.inMemory) {
      this.reset(projection);
      entry.position = 0;
    } else {
      projection.setUp(this.db);
      entry.position = stored.position;
    }
    entry.failure = undefined;
    entry.state = entry.state === 'rebuilding' ? 'rebuilding' : 'catching_up';
    entry.subscription = this.store.subscribeToAll({
      after: entry.position,
      filter: projection.eventTypes.length ? { eventTypes: projection.eventTypes } : undefined,
      maxBatchSize: this.options.batchSize ?? projection.batchSize ?? 1000,
      onBatch: (events, context) => this.applyBatch(entry, events, context),
      onError: (error) => this.fail(entry, error),
    });
  }

  private async stopOne(entry: Running): Promise<void> {
    const subscription = entry.subscription;
    entry.subscription = undefined;
    await subscription?.stop();
    if (entry.state !== 'failed' && entry.state !== 'rebuilding') entry.state = 'stopped';
  }

  private reset(projection: Projection): void {
    this.db.transaction(() => {
      projection.tearDown(this.db);
      projection.setUp(this.db);
      this.saveCheckpoint(projection, 0);
    })();
  }

  private saveCheckpoint(projection: Projection, position: number): void {
    this.checkpoints.save.run({ name: projection.name, version: projection.version, position, now: new Date().toISOString() });
  }

  private applyBatch(entry: Running, events: RecordedEvent[], context: SubscriptionBatchContext): void {
    const { projection } = entry;
    if (events.length > 0 || context.checkpoint !== entry.position) {
      const failure = this.commit(projection, events, context.checkpoint);
      if (failure) {
        // Keep what came before the failing event: every position below it was applied or filtered out.
        const before = failure.event.position - 1;
        if (before > entry.position && !this.commit(projection, events.slice(0, failure.index), before)) entry.position = before;
        throw failure;
      }
      entry.position = context.checkpoint;
    }
    if (context.caughtUp && entry.state !== 'live') {
      if (projection.caughtUp) this.db.transaction(() => projection.caughtUp!(this.db))();
      entry.state = 'live';
    }
    entry.onProgress?.(events, context);
    this.progress.emit('advanced', projection.name, entry.position);
  }

  /** Applies events and saves the checkpoint in one transaction; all or nothing. */
  private commit(projection: Projection, events: RecordedEvent[], checkpoint: number): ProjectionFailure | undefined {
    if (projection.applyBatch && events.length > 1) {
      try {
        this.db.transaction(() => {
          projection.applyBatch!(events);
          this.saveCheckpoint(projection, checkpoint);
        })();
        return undefined;
      } catch {
        // rolled back: the event-by-event pass below finds which event fails and keeps the ones before it
      }
    }
    let index = -1;
    try {
      this.db.transaction(() => {
        for (index = 0; index < events.length; index++) projection.apply(events[index]);
        this.saveCheckpoint(projection, checkpoint);
      })();
      return undefined;
    } catch (error) {
      if (index < 0 || index >= events.length) throw error; // the checkpoint write itself failed
      return new ProjectionFailure(events[index], index, error);
    }
  }

  /** Records why the projection stopped and where; it stays stopped until a restart or a rebuild. */
  private fail(entry: Running, error: Error): void {
    entry.state = 'failed';
    entry.subscription = undefined;
    entry.failure =
      error instanceof ProjectionFailure
        ? { position: error.event.position, eventId: error.event.id, error: error.message }
        : { position: entry.position + 1, eventId: '', error: error.message };
    this.checkpoints.fail.run({ name: entry.projection.name, ...entry.failure, now: new Date().toISOString() });
    this.options.onFailure?.(entry.projection.name, entry.failure);
    this.progress.emit('advanced', entry.projection.name, entry.position);
  }

  /** Drops the read model and replays `$all` from position 0, reporting progress; resolves when caught up. */
  async rebuild(name: string, onProgress?: (progress: RebuildProgress) => void): Promise<void> {
    const entry = this.entry(name);
    // Visible at once: a caller polling the state must never see the old `live` after asking for a rebuild.
    entry.state = 'rebuilding';
    await this.stopOne(entry);
    this.reset(entry.projection);
    entry.position = 0;
    entry.state = 'rebuilding';
    let headPosition = await this.store.headPosition();
    let eventsApplied = 0;
    let failed: (() => void) | undefined;
    await new Promise<void>((resolve, reject) => {
      entry.onProgress = (events, context) => {
        eventsApplied += events.length;
        headPosition = Math.max(headPosition, context.checkpoint);
        onProgress?.({
          name,
          position: context.checkpoint,
          headPosition,
          eventsApplied,
          fraction: headPosition === 0 ? 1 : Math.min(1, context.checkpoint / headPosition),
        });
        if (context.caughtUp) resolve();
      };
      this.startOne(entry);
      failed = () => {
        if (entry.state === 'failed') reject(new Error(entry.failure?.error ?? 'projection failed'));
      };
      this.progress.on('advanced', failed);
      void entry.subscription?.stopped.then(failed);
    }).finally(() => {
      entry.onProgress = undefined;
      if (failed) this.progress.off('advanced', failed);
    });
  }

  /** Waits until the projection reflects at least `position`; false when `timeoutMs` passes first or it failed. */
  waitForPosition(name: string, position: number, timeoutMs: number): Promise<boolean> {
    return this.waitUntil(name, (entry) => entry.position >= position, timeoutMs);
  }

  /**
   * Waits until the projection has caught up with the head since it started or was rebuilt (`live`); a checkpoint
   * already at the head is not enough, the subscription must have said so. False on timeout or failure.
   */
  waitForLive(name: string, timeoutMs: number): Promise<boolean> {
    return this.waitUntil(name, (entry) => entry.state === 'live', timeoutMs);
  }

  private async waitUntil(name: string, reached: (entry: Running) => boolean, timeoutMs: number): Promise<boolean> {
    const entry = this.entry(name);
    if (reached(entry)) return true;
    return new Promise((resolve) => {
      const onAdvance = (advanced: string) => {
        if (advanced !== name) return;
        if (reached(entry)) finish(true);
        else if (entry.state === 'failed') finish(false);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (reached: boolean) => {
        clearTimeout(timer);
        this.progress.off('advanced', onAdvance);
        resolve(reached);
      };
      this.progress.on('advanced', onAdvance);
    });
  }

  /** A projection's state now (no store round trip, unlike `status`). */
  stateOf(name: string): ProjectionState {
    return this.entry(name).state;
  }

  async status(): Promise<ProjectionStatus[]> {
    const headPosition = await this.store.headPosition();
    return [...this.running.values()].map((entry) => ({
      name: entry.projection.name,
      version: entry.projection.version,
      state: entry.state,
      position: entry.position,
      headPosition,
      lag: Math.max(0, headPosition - entry.position),
      ...(entry.failure ? { failure: entry.failure } : {}),
    }));
  }

  private entry(name: string): Running {
    const entry = this.running.get(name);
    if (!entry) throw new UnknownProjectionError(name, this.names);
    return entry;
  }
}

export class UnknownProjectionError extends Error {
  readonly code = 'projection.unknown';
  constructor(
    readonly projectionName: string,
    known: string[],
  ) {
    super(`No projection is named "${projectionName}"; known: ${known.join(', ')}`);
  }
}
