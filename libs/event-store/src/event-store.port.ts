/**
 * The event store port: the only source of truth in tsunagi. Every adapter (embedded SQLite,
 * EventStoreDB) implements exactly these semantics, checked by one contract suite
 * (libs/testing/src/event-store-contract.ts).
 */

/** Who caused an event: a role and the id of the person/organisation/service acting in it. */
export interface Actor {
  role: string;
  id: string;
}

export interface EventMetadata {
  /** Groups every event caused by one user action. */
  correlationId?: string;
  /** The id of the command or event that caused this event. */
  causationId?: string;
  actor?: Actor;
  /** ISO-8601, from the injected clock of whoever decided the event. */
  occurredAt?: string;
  [key: string]: unknown;
}

/** An event as a caller hands it to `append`. The id is chosen by the caller (UUIDv7) so retries are idempotent. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  id: string;
  /** A stable past-tense name such as `MatchProposed`; never derived from a class name. */
  type: Type;
  /** Version of the `data` shape; stored events of older versions are upcast on read. Defaults to 1. */
  schemaVersion?: number;
  data: Data;
  metadata?: EventMetadata;
}

/** An event as it was stored, after upcasting to its current schema version. */
export interface RecordedEvent<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  schemaVersion: number;
  data: Data;
  metadata: EventMetadata;
  streamId: string;
  /** 0-based, contiguous within the stream. */
  revision: number;
  /** Position in `$all`: strictly increasing in commit order, not necessarily contiguous. */
  position: number;
  /** When the store recorded the event (ISO-8601). */
  recordedAt: string;
}

/**
 * - `no_stream`: the stream must not exist yet.
 * - `exists`: the stream must exist (have at least one event).
 * - `any`: no check.
 * - a number: the stream's current revision must be exactly this (its last event's revision).
 */
export type ExpectedRevision = 'no_stream' | 'exists' | 'any' | number;

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event written: pass it as the next expected revision. */
  nextExpectedRevision: number;
  /** Global position of the last event written. */
  position: number;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  direction?: Direction;
  /** Inclusive start revision. Defaults to the first (forwards) or last (backwards) event. */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: read events strictly after this position. Omit to start at the beginning. */
  after?: number;
  maxCount?: number;
  filter?: EventFilter;
}

/** Selects events by type or by stream-id prefix; an event matching either list passes. */
export interface EventFilter {
  eventTypes?: readonly string[];
  streamPrefixes?: readonly string[];
}

export interface SubscriptionBatchContext {
  /**
   * The position the subscription has scanned up to, including events the filter skipped.
   * Store this as the checkpoint: resuming `after` it neither repeats nor skips an event.
   */
  checkpoint: number;
  /** Whether the subscription has caught up with the head of `$all` as of this batch. */
  caughtUp: boolean;
}

export interface SubscribeToAllOptions {
  /** Exclusive checkpoint: deliver events strictly after this position. Omit to start at the beginning. */
  after?: number;
  filter?: EventFilter;
  maxBatchSize?: number;
  /**
   * Called with each batch in position order; the next batch is read only after it resolves.
   * Called with an empty `events` array when only the checkpoint advanced (filtered-out events).
   */
  onBatch(events: RecordedEvent[], context: SubscriptionBatchContext): Promise<void> | void;
  /** Called once if the subscription stops because of an error (including an error thrown by onBatch). */
  onError?(error: Error): void;
}

export interface EventSubscription {
  /** Stops delivering; resolves after any batch in progress has been handled. */
  stop(): Promise<void>;
  /** Resolves when the subscription stops, for whatever reason. */
  readonly stopped: Promise<void>;
}

export interface EventStore {
  /** Appends atomically: all events or none. Idempotent for the same event ids at the same expected revision. */
  append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** An empty array for a stream that does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up from the checkpoint, then live. */
  subscribeToAll(options: SubscribeToAllOptions): EventSubscription;
  /** Position of the newest event in `$all` (0 when empty). */
  headPosition(): Promise<number>;
  /** Health probe: throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');

export function matchesFilter(event: Pick<RecordedEvent, 'type' | 'streamId'>, filter?: EventFilter): boolean {
  if (!filter || (!filter.eventTypes?.length && !filter.streamPrefixes?.length)) return true;
  if (filter.eventTypes?.includes(event.type)) return true;
  return !!filter.streamPrefixes?.some((prefix) => event.streamId.startsWith(prefix));
}
