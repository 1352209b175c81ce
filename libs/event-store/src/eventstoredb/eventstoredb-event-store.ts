/**
 * The EventStoreDB adapter of the event store port (`@eventstore/db-client`, gRPC), written to the same
 * contract suite as the SQLite adapter (eventstoredb-event-store.contract.int.spec.ts runs it when
 * EVENTSTORE_CONNECTION_STRING is set). How it meets the port, and what it cannot promise, is below.
 *
 * POSITIONS. An EventStoreDB position is a pair {commit, prepare} of byte offsets in the transaction log.
 * Every append made over gRPC is an "implicit transaction": each event's prepare record carries the
 * IsCommitted flag, and `$all` reads give each such event commit = prepare = the log offset of its own
 * record, also inside a multi-event append (the server's AllReader uses `TFPos(prepare.LogPosition,
 * prepare.LogPosition)`; the append result is the offset of the batch's last record, the one flagged
 * TransactionEnd, which the idempotent path also returns). So the port's `position` is `Number(commit)`:
 * strictly increasing in `$all` order, distinct for every event, not contiguous (gaps are record sizes and
 * system records). A checkpoint p is resumed as {commit: p, prepare: p}: a subscription starts strictly
 * after it and a `$all` read starts at it (inclusive, so the event at p itself is dropped). We only ever
 * checkpoint at the position of an event we actually received, never at a server-made checkpoint, so
 * resuming neither repeats nor skips an event. Limits:
 *  - Events written in explicit transactions (legacy TCP clients only; gRPC has none) all carry the commit
 *    position of their commit record, so a checkpoint taken inside one could repeat or skip part of it.
 *    Do not point this adapter at a database that older TCP clients wrote transactions into.
 *  - `Number` is exact up to 2^53 bytes (8 PiB) of log; a larger position fails loudly rather than round.
 *  - EventStoreDB reads only from record boundaries, while the port accepts any number as `after`. Besides
 *    0 and the positions this store returned, `p - 1` for an event position p ("just before p") works: no
 *    record starts there, so reading from p inclusive is the same thing. Any other number fails.
 *  - Positions of events read from a single stream need EventStoreDB 22.6 or later (earlier servers only
 *    give positions on `$all` reads); on older servers `readStream` throws rather than invent a position.
 *  - Server-side filtered subscriptions send checkpoints of their own, which several releases got wrong
 *    (KurrentDB #3697, #4023, #4970: stale checkpoints, and checkpoints past an event not yet delivered).
 *    So this adapter subscribes to `$all` without a server filter and filters on the client: every event,
 *    system events included, crosses the wire. Keep system projections off (EVENTSTORE_RUN_PROJECTIONS=None,
 *    the default) so that their link events do not multiply the traffic.
 *
 * EVENT IDS. EventStoreDB only knows event ids per stream, for idempotent retries, and does not compare
 * content. The port wants more: an id is stored once in the whole store; re-appending the same ids with the
 * same content at the same expected revision returns the original result; the same id with other content,
 * or in another stream, is a `DuplicateEventIdError`, and the whole append fails. With `eventIdIndex` on
 * (the default) every event id is claimed first by appending one event, with expected revision `no_stream`,
 * to the system stream `$tsunagi-eventid-<id>` naming the target stream:
 *  - all claims new (the fast path): no id was ever offered before, so the append cannot be a replay and
 *    nothing is read. Cost: one extra, parallel, single-event write per event, so two round trips.
 *  - a claim names another stream: `DuplicateEventIdError`, and nothing is written to the target stream.
 *  - a claim names this stream: a retry. The stream is read back from its end until the ids are found; the
 *    outcome is decided exactly as the SQLite adapter decides it (same result, different content, other
 *    order, wrong expectation). If they are not stored (the earlier attempt failed), the append goes ahead
 *    and what is stored at the written revisions is compared with what was asked for.
 * A claim is never released: an id offered once to a stream, even in an append that then failed with
 * `WrongExpectedRevisionError`, stays reserved for that stream. Claims are system events (stream and type
 * start with `$`): reads and subscriptions skip them. On a secured cluster the connection's user must be
 * allowed to write `$` streams (and to read `$all`, which subscriptions need anyway): an admin, or a user
 * granted `$systemStreamAcl`. With `eventIdIndex: false` the adapter has EventStoreDB's own semantics only:
 * exact-revision retries are idempotent by id, `any` retries are idempotent at best effort (the server's
 * recent-id cache), and neither reuse in another stream nor different content is detected.
 *
 * Ids that are not lower-case canonical UUIDs (EventStoreDB needs UUIDs) are stored under a UUIDv5 of the
 * id, with the original id kept in the metadata as `$eventId`. The metadata also carries `schemaVersion`;
 * both are removed again on read. Upcasting happens on read, as in the SQLite adapter.
 *
 * ERRORS. Connection loss, leader changes and timeouts become `EventStoreUnavailableError`. After a timed
 * out append the outcome is unknown: retry it with the same ids and expected revision, which is safe.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { v5 as uuidv5 } from 'uuid';
import {
  ANY,
  AccessDeniedError,
  AllStreamResolvedEvent,
  AllStreamSubscription,
  AppendExpectedRevision,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  JSONType,
  MaxAppendSizeExceededError,
  NO_STREAM,
  NotLeaderError,
  RecordedEvent as EsdbRecordedEvent,
  START,
  STREAM_EXISTS,
  StreamDeletedError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  isCommandError,
  jsonEvent,
} from '@eventstore/db-client';
import {
  AppendOptions,
  AppendResult,
  EventMetadata,
  EventStore,
  EventSubscription,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  matchesFilter,
} from '../event-store.port';
import {
  DuplicateEventIdError,
  EventStoreError,
  EventStoreUnavailableError,
  InvalidAppendError,
  WrongExpectedRevisionError,
} from '../errors';
import { UpcasterRegistry } from '../upcasting/upcaster-registry';
import { validateNewEvents } from '../append-rules';

export interface EventStoreDbEventStoreOptions {
  /** `esdb://host:2113?tls=false` for one node, `esdb+discover://…` or a host list for a cluster. */
  connectionString: string;
  upcasters?: UpcasterRegistry;
  /**
   * Claim every event id in a `$tsunagi-eventid-<id>` stream before appending, so that ids are unique
   * across streams and replays are recognised exactly (see the top of this file). Default: true.
   */
  eventIdIndex?: boolean;
  /** A client to use instead of one built from `connectionString` (shared, or a test double); not disposed by `close`. */
  client?: EventStoreDBClient;
}

/** Claims of event ids live in system streams named by this prefix and the event's EventStoreDB id. */
export const EVENT_ID_CLAIM_STREAM_PREFIX = '$tsunagi-eventid-';
const EVENT_ID_CLAIM_TYPE = '$tsunagi.EventIdClaimed';
/** Namespace of the UUIDv5 under which an id that is not a canonical UUID is stored. */
const NON_UUID_ID_NAMESPACE = 'b0c3b5a4-1f7e-4c55-9a51-2f0d6e8c7a19';
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A position EventStoreDB uses for "none" (ulong.MaxValue), or anything a `number` cannot hold exactly. */
const MAX_POSITION = BigInt(Number.MAX_SAFE_INTEGER);

const DEFAULT_BATCH = 500;
/** How many events a retried append reads per page while looking for its ids from the end of the stream. */
const LOCATE_PAGE = 500;
/** A subscription that only skipped events reports its checkpoint after this much quiet… */
const CHECKPOINT_IDLE_MS = 50;
/** …or after skipping this many events in a row during a catch-up. */
const CHECKPOINT_SCAN_WINDOW = 10_000;
/** Pause before resubscribing after the server dropped a subscription for lagging behind. */
const RESUBSCRIBE_DELAY_MS = 100;

/** An event as the adapter asks EventStoreDB to store it. */
interface ProposedEvent {
  id: string;
  esdbId: string;
  type: string;
  /** `JSON.stringify(data ?? null)`: what content comparisons compare. */
  dataJson: string;
  eventData: ReturnType<typeof jsonEvent>;
}

/** An event as EventStoreDB gave it back, before upcasting. */
interface StoredEvent {
  esdbId: string;
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
  streamId: string;
  revision: number;
  /** Undefined when the server does not give positions on stream reads (before 22.6). */
  position: number | undefined;
  recordedAt: string;
}

export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly upcasters: UpcasterRegistry;
  private readonly eventIdIndex: boolean;
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private closed = false;

  constructor(options: EventStoreDbEventStoreOptions) {
    this.client = options.client ?? EventStoreDBClient.connectionString(options.connectionString);
    this.ownsClient = !options.client;
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.eventIdIndex = options.eventIdIndex ?? true;
  }

  // ---------------------------------------------------------------- append

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    validateNewEvents(streamId, events);
    const expected = options.expectedRevision ?? 'any';
    assertExpectedRevision(expected);
    const proposed = events.map((event) => this.propose(event));
    try {
      if (!this.eventIdIndex) return await this.write(streamId, proposed, expected);
      const owners = await Promise.all(proposed.map((event) => this.claim(event, streamId)));
      const foreign = owners.findIndex((owner) => owner !== undefined && owner !== streamId);
      if (foreign >= 0) {
        throw new DuplicateEventIdError(proposed[foreign].id, `it is already used in stream "${owners[foreign]}"`);
      }
      if (owners.every((owner) => owner === undefined)) return await this.write(streamId, proposed, expected);
      return await this.replayOrWrite(streamId, proposed, expected);
    } catch (error) {
      throw translateError(error);
    }
  }

  private propose(event: NewEvent): ProposedEvent {
    const canonical = CANONICAL_UUID.test(event.id);
    const esdbId = canonical ? event.id : uuidv5(event.id, NON_UUID_ID_NAMESPACE);
    const data = event.data ?? null;
    const metadata: Record<string, unknown> = {
      ...(event.metadata ?? {}),
      schemaVersion: event.schemaVersion ?? this.upcasters.currentVersion(event.type),
    };
    if (!canonical) metadata.$eventId = event.id;
    return {
      id: event.id,
      esdbId,
      type: event.type,
      dataJson: JSON.stringify(data),
      eventData: jsonEvent({ id: esdbId, type: event.type, data: data as JSONType, metadata: metadata as JSONType }),
    };
  }

  /** Appends with the caller's expectation; EventStoreDB's answer is the port's answer. */
  private async write(streamId: string, proposed: readonly ProposedEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    let result;
    try {
      result = await this.client.appendToStream(
        streamId,
        proposed.map((event) => event.eventData),
        { expectedRevision: toEsdbExpectedRevision(expected) },
      );
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(streamId, expected, toActualRevision(error.actualVersion));
      }
      throw error;
    }
    if (!result.success) {
      // Only with `throwOnAppendFailure=false` in the connection string.
      throw new WrongExpectedRevisionError(streamId, expected, toActualRevision(result.nextExpectedRevision));
    }
    const nextExpectedRevision = Number(result.nextExpectedRevision);
    const position = result.position
      ? toPosition(result.position.commit)
      : await this.positionAt(streamId, nextExpectedRevision);
    return { nextExpectedRevision, position };
  }

  /**
   * Claims an event id for a stream. Resolves to `undefined` when the claim is new, otherwise to the stream
   * named by the existing claim. Each attempt's claim event has its own id, so EventStoreDB never takes a
   * second claim for an idempotent retry of the first: an existing claim always surfaces.
   */
  private async claim(event: ProposedEvent, streamId: string): Promise<string | undefined> {
    const claimStream = EVENT_ID_CLAIM_STREAM_PREFIX + event.esdbId;
    try {
      await this.client.appendToStream(
        claimStream,
        jsonEvent({ id: randomUUID(), type: EVENT_ID_CLAIM_TYPE, data: { streamId } }),
        { expectedRevision: NO_STREAM },
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
    const [claim] = await this.readStored(claimStream, { direction: FORWARDS, fromRevision: START, maxCount: 1 });
    const owner = (claim?.data as { streamId?: unknown } | null | undefined)?.streamId;
    if (typeof owner !== 'string') throw new Error(`Event id claim stream ${claimStream} exists but holds no claim`);
    return owner;
  }

  /** Some ids were offered to this stream before: a retry, or ids reused within the stream. */
  private async replayOrWrite(streamId: string, proposed: readonly ProposedEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const { found, current } = await this.locate(streamId, proposed.map((event) => event.esdbId));
    const first = found.get(proposed[0].esdbId);
    if (first) return this.replayed(streamId, proposed, expected, first, found, current);
    const stray = proposed.find((event) => found.has(event.esdbId));
    if (stray) throw new DuplicateEventIdError(stray.id, 'it is already part of another append');

    // Claimed for this stream but not stored: the earlier attempt failed, or is still in flight. Append,
    // then check what is stored where we wrote: EventStoreDB may have taken this append for an idempotent
    // retry of a concurrent attempt with the same ids, whose content it does not compare.
    const result = await this.write(streamId, proposed, expected);
    const firstRevision = result.nextExpectedRevision - proposed.length + 1;
    const stored = await this.readStored(streamId, { direction: FORWARDS, fromRevision: BigInt(firstRevision), maxCount: proposed.length });
    proposed.forEach((event, index) => {
      const at = stored[index];
      if (!at || at.esdbId !== event.esdbId) {
        throw new DuplicateEventIdError(event.id, 'the same ids were stored in another stream or another order');
      }
      if (!sameContent(at, event)) throw new DuplicateEventIdError(event.id, 'it was stored with different content');
    });
    return result;
  }

  /** The first id is stored in this stream: the same decision as the SQLite adapter's. */
  private replayed(
    streamId: string,
    proposed: readonly ProposedEvent[],
    expected: ExpectedRevision,
    first: StoredEvent,
    found: ReadonlyMap<string, StoredEvent>,
    current: number | 'no_stream',
  ): AppendResult {
    let last = first;
    proposed.forEach((event, index) => {
      const stored = found.get(event.esdbId);
      if (!stored || stored.revision !== first.revision + index) {
        throw new DuplicateEventIdError(event.id, 'the same ids were stored in another stream or another order');
      }
      if (!sameContent(stored, event)) throw new DuplicateEventIdError(event.id, 'it was stored with different content');
      last = stored;
    });
    const revisionBefore = first.revision === 0 ? 'no_stream' : first.revision - 1;
    const sameExpectation =
      expected === 'any' ||
      expected === 'exists' ||
      (expected === 'no_stream' && revisionBefore === 'no_stream') ||
      expected === revisionBefore;
    if (!sameExpectation) throw new WrongExpectedRevisionError(streamId, expected, current);
    return { nextExpectedRevision: last.revision, position: requirePosition(last) };
  }

  /** Reads a stream backwards from its end until every id is found (or the start is reached). */
  private async locate(streamId: string, esdbIds: readonly string[]) {
    const wanted = new Set(esdbIds);
    const found = new Map<string, StoredEvent>();
    let current: number | 'no_stream' = 'no_stream';
    let from: bigint | typeof END = END;
    for (;;) {
      const page = await this.readStored(streamId, { direction: BACKWARDS, fromRevision: from, maxCount: LOCATE_PAGE });
      if (page.length === 0) break;
      if (current === 'no_stream') current = page[0].revision;
      for (const event of page) if (wanted.has(event.esdbId)) found.set(event.esdbId, event);
      const lowest = page[page.length - 1].revision;
      if (found.size === wanted.size || lowest === 0 || page.length < LOCATE_PAGE) break;
      from = BigInt(lowest - 1);
    }
    return { found, current };
  }

  private async positionAt(streamId: string, revision: number): Promise<number> {
    const [event] = await this.readStored(streamId, { direction: FORWARDS, fromRevision: BigInt(revision), maxCount: 1 });
    if (!event) throw new Error(`EventStoreDB reported an append to ${streamId} at revision ${revision} that cannot be read back`);
    return requirePosition(event);
  }

  // ---------------------------------------------------------------- reads

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    if (options.fromRevision !== undefined && !(Number.isInteger(options.fromRevision) && options.fromRevision >= 0)) {
      throw new RangeError(`fromRevision must be a non-negative integer; got ${options.fromRevision}`);
    }
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    try {
      const stored = await this.readStored(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
        maxCount: options.maxCount,
      });
      return stored.map((event) => this.toRecorded(event));
    } catch (error) {
      throw translateError(error);
    }
  }

  /** Reads a stream as stored (not upcast); a missing stream is empty. */
  private async readStored(
    streamId: string,
    options: { direction: typeof FORWARDS | typeof BACKWARDS; fromRevision: bigint | typeof START | typeof END; maxCount?: number },
  ): Promise<StoredEvent[]> {
    const read = this.client.readStream(streamId, {
      direction: options.direction,
      fromRevision: options.fromRevision,
      ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
    });
    const events: StoredEvent[] = [];
    try {
      for await (const resolved of read) {
        if (resolved.event) events.push(toStored(resolved.event, resolved.commitPosition));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (limit <= 0) return [];
    const after = options.after ?? 0;
    try {
      try {
        return await this.collectAll(after, after, limit, options.filter);
      } catch (error) {
        // `after` may be "just before" an event (p - 1), which is no record boundary; see recordAt.
        if (after > 0 && (await this.recordAt(after + 1))) return await this.collectAll(after + 1, after, limit, options.filter);
        throw error;
      }
    } catch (error) {
      throw translateError(error);
    }
  }

  /** Reads `$all` from record boundary `from` (inclusive), keeping at most `limit` events strictly after `after`. */
  private async collectAll(from: number, after: number, limit: number, filter: ReadAllOptions['filter']): Promise<RecordedEvent[]> {
    // No server-side maxCount: system events interleave, so how many records hold `limit` of ours is unknown.
    const read = this.client.readAll({ direction: FORWARDS, fromPosition: from > 0 ? toEsdbPosition(from) : START });
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read as AsyncIterable<AllStreamResolvedEvent>) {
        const recorded = resolved.event;
        if (!recorded || isSystemEvent(recorded)) continue;
        const stored = toStored(recorded, resolved.commitPosition);
        if (requirePosition(stored) <= after || !matchesFilter(stored, filter)) continue;
        events.push(this.toRecorded(stored));
        if (events.length >= limit) break;
      }
    } finally {
      // Leaving the loop early destroys the readable but not the gRPC call behind it.
      await read.cancel().catch(() => undefined);
    }
    return events;
  }

  /**
   * The record of `$all` that starts exactly at `position`, or undefined. EventStoreDB reads only from record
   * boundaries, but the port accepts any number as `after`, and "just before event p" is naturally written
   * p - 1 (a checkpoint kept after a failure at p, say). No record starts at p - 1, since records are longer
   * than a byte: a read from it fails, and the first record strictly after it is the one at p. Only that
   * case is recognised; any other number that is not a position of this store still fails.
   */
  private readonly recordAt = async (position: number): Promise<AllStreamResolvedEvent | undefined> => {
    const read = this.client.readAll({ direction: FORWARDS, fromPosition: toEsdbPosition(position), maxCount: 1 });
    try {
      for await (const resolved of read as AsyncIterable<AllStreamResolvedEvent>) {
        const commit = resolved.event?.position?.commit ?? resolved.commitPosition;
        return commit === BigInt(position) ? resolved : undefined;
      }
      return undefined;
    } catch {
      return undefined;
    } finally {
      await read.cancel().catch(() => undefined);
    }
  };

  async headPosition(): Promise<number> {
    this.assertOpen();
    try {
      return await this.readHeadPosition();
    } catch (error) {
      throw translateError(error);
    }
  }

  /** Position of the last record in `$all`, system events included (subscriptions checkpoint past those too). */
  private readonly readHeadPosition = async (): Promise<number> => {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    try {
      for await (const resolved of read as AsyncIterable<AllStreamResolvedEvent>) {
        const commit = resolved.event?.position?.commit ?? resolved.commitPosition;
        if (commit !== undefined) return toPosition(commit);
      }
      return 0;
    } finally {
      await read.cancel().catch(() => undefined);
    }
  };

  // ---------------------------------------------------------------- subscriptions

  subscribeToAll(options: SubscribeToAllOptions): EventSubscription {
    this.assertOpen();
    const subscription = new EventStoreDbSubscription(this.client, options, {
      headPosition: this.readHeadPosition,
      recordAt: this.recordAt,
      toRecorded: (event) => this.toRecorded(event),
    });
    this.subscriptions.add(subscription);
    void subscription.stopped.then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  // ---------------------------------------------------------------- lifecycle

  async ping(): Promise<void> {
    this.assertOpen();
    try {
      await this.readHeadPosition();
    } catch (error) {
      const translated = translateError(error);
      if (translated instanceof EventStoreError) throw translated;
      throw withCause(new EventStoreUnavailableError(`EventStoreDB did not answer: ${messageOf(error)}`), error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.closed = true;
    if (this.ownsClient) await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed');
  }

  private toRecorded(stored: StoredEvent): RecordedEvent {
    const event: RecordedEvent = {
      id: stored.id,
      type: stored.type,
      schemaVersion: stored.schemaVersion,
      data: stored.data,
      metadata: stored.metadata,
      streamId: stored.streamId,
      revision: stored.revision,
      position: requirePosition(stored),
      recordedAt: stored.recordedAt,
    };
    return this.upcasters.isEmpty ? event : this.upcasters.upcast(event);
  }
}

// -------------------------------------------------------------------- subscription

interface SubscriptionDeps {
  headPosition(): Promise<number>;
  recordAt(position: number): Promise<AllStreamResolvedEvent | undefined>;
  toRecorded(event: StoredEvent): RecordedEvent;
}

/**
 * Catch-up, then live, over one unfiltered gRPC `$all` subscription read in paused mode: the next batch is
 * read only after `onBatch` resolved, and the stream's buffer (at most `maxBatchSize` events) pushes back on
 * the gRPC call. Filtering and the skipping of system events happen here, so every checkpoint is the
 * position of an event actually received. "Caught up" is reached at the head of `$all` read when the
 * subscription started, or earlier when the server says so (servers from 23.10 send caught-up and
 * fell-behind notices; they are applied at their place among the events). When the server drops the
 * subscription because the consumer lagged ("consumer too slow"), it is reopened after the last delivered
 * checkpoint; any other failure stops it and is reported through `onError`, and the owner resubscribes
 * from its stored checkpoint.
 */
class EventStoreDbSubscription implements EventSubscription {
  readonly stopped: Promise<void>;
  private stopRequested = false;
  private stream?: AllStreamSubscription;
  private failure?: Error;
  private signalled = false;
  private waker?: () => void;
  /** How many events have been taken from the stream. */
  private consumed = 0;
  /** Server caught-up/fell-behind notices, each to apply once `consumed` reaches `at`. */
  private readonly notices: Array<{ at: number; caughtUp: boolean }> = [];

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: SubscribeToAllOptions,
    private readonly deps: SubscriptionDeps,
  ) {
    this.stopped = this.run();
  }

  async stop(): Promise<void> {
    this.stopRequested = true;
    this.signal();
    await this.stopped;
  }

  private readonly signal = (): void => {
    const wake = this.waker;
    this.waker = undefined;
    if (wake) wake();
    else this.signalled = true;
  };

  private readonly fail = (error: unknown): void => {
    this.failure ??= error instanceof Error ? error : new Error(String(error));
    this.signal();
  };

  /** Resolves true when signalled, false when `ms` passed first. */
  private wait(ms?: number): Promise<boolean> {
    if (this.signalled) {
      this.signalled = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => {
        this.waker = undefined;
        resolve(false);
      }, ms);
      this.waker = () => {
        if (timer) clearTimeout(timer);
        resolve(true);
      };
    });
  }

  private notice(caughtUp: boolean): void {
    this.notices.push({ at: this.consumed + (this.stream?.readableLength ?? 0), caughtUp });
    this.signal();
  }

  private applyNotices(caughtUp: boolean): boolean {
    while (this.notices.length > 0 && this.notices[0].at <= this.consumed) caughtUp = this.notices.shift()!.caughtUp;
    return caughtUp;
  }

  /** Opens a gRPC subscription after `from`; events of an earlier, closed one are ignored. */
  private open(from: number, maxBatch: number): AllStreamSubscription {
    this.consumed = 0;
    this.notices.length = 0;
    this.failure = undefined;
    this.signalled = false;
    const stream = this.client.subscribeToAll(
      { fromPosition: from > 0 ? toEsdbPosition(from) : START, resolveLinkTos: false },
      { highWaterMark: maxBatch },
    );
    this.stream = stream;
    const current = () => this.stream === stream;
    stream
      .on('readable', () => current() && this.signal())
      .on('error', (error) => current() && this.fail(error))
      .on('end', () => current() && this.fail(new Error('EventStoreDB ended the $all subscription')))
      .on('caughtUp', () => current() && this.notice(true))
      .on('fellBehind', () => current() && this.notice(false));
    return stream;
  }

  private async close(stream: AllStreamSubscription): Promise<void> {
    if (this.stream === stream) this.stream = undefined;
    await stream.unsubscribe().catch(() => undefined);
    stream.destroy();
  }

  private async run(): Promise<void> {
    const { filter, onBatch } = this.options;
    const maxBatch = Math.max(1, Math.floor(this.options.maxBatchSize ?? DEFAULT_BATCH));
    /** The checkpoint last handed to `onBatch` (or the starting one). */
    let delivered = this.options.after ?? 0;
    /** Where the gRPC subscription starts (exclusive), and records to deliver before its first one. */
    let openAfter = delivered;
    let pending: AllStreamResolvedEvent[] = [];
    let probed = false;
    let announced = false;
    let handlerFailed = false;
    try {
      await yieldToEventLoop();
      while (!this.stopRequested) {
        const head = await this.deps.headPosition();
        if (this.stopRequested) return;
        const stream = this.open(openAfter, maxBatch);
        let checkpoint = delivered;
        let headReached = checkpoint >= head;
        let caughtUp = headReached;
        try {
          while (!this.stopRequested) {
            const events: RecordedEvent[] = [];
            let scanned = 0;
            for (;;) {
              if (this.stopRequested) return;
              caughtUp = this.applyNotices(caughtUp);
              let resolved: AllStreamResolvedEvent | null;
              if (pending.length > 0) {
                resolved = pending.shift()!;
              } else {
                resolved = stream.read() as AllStreamResolvedEvent | null;
                if (resolved === null) {
                  if (this.failure) throw this.failure;
                  if (events.length > 0 || caughtUp !== announced) break;
                  if (scanned === 0) await this.wait();
                  else if (!(await this.wait(CHECKPOINT_IDLE_MS))) break; // quiet: report the checkpoint past skipped events
                  continue;
                }
                this.consumed += 1;
              }
              const recorded = resolved.event;
              const commit = recorded?.position?.commit ?? resolved.commitPosition;
              if (!recorded || commit === undefined) continue;
              checkpoint = toPosition(commit);
              scanned += 1;
              if (!headReached && checkpoint >= head) headReached = caughtUp = true;
              if (!isSystemEvent(recorded)) {
                const stored = toStored(recorded, commit);
                if (matchesFilter(stored, filter)) {
                  events.push(this.deps.toRecorded(stored));
                  if (events.length >= maxBatch) break;
                }
              }
              if (scanned >= CHECKPOINT_SCAN_WINDOW && events.length === 0) break;
            }
            caughtUp = this.applyNotices(caughtUp);
            handlerFailed = true;
            await onBatch(events, { checkpoint, caughtUp });
            handlerFailed = false;
            delivered = openAfter = checkpoint;
            announced = caughtUp;
          }
        } catch (error) {
          if (handlerFailed || this.stopRequested) throw error;
          if (isConsumerTooSlow(error)) {
            // The server drops a live subscription whose consumer lags its buffer ("consumer too slow,
            // resubscription required"). Resuming after the last delivered checkpoint repeats and skips nothing.
            openAfter = delivered;
            pending = [];
            probed = false;
            await new Promise((resolve) => setTimeout(resolve, RESUBSCRIBE_DELAY_MS));
          } else if (!probed && this.consumed === 0 && openAfter === delivered && delivered > 0) {
            // A start "just before event p" (p - 1) is no record boundary: start after p, with p first.
            probed = true;
            const first = await this.deps.recordAt(delivered + 1);
            if (!first) throw error;
            pending = [first];
            openAfter = delivered + 1;
          } else {
            throw error;
          }
        } finally {
          await this.close(stream);
        }
      }
    } catch (error) {
      // After stop(), errors from the cancelled call are noise; the handler's own errors are always reported.
      if (!this.stopRequested || handlerFailed) {
        const translated = translateError(error);
        this.options.onError?.(translated instanceof Error ? translated : new Error(String(translated)));
      }
    }
  }
}

// -------------------------------------------------------------------- helpers

function assertExpectedRevision(expected: ExpectedRevision): void {
  if (typeof expected === 'number') {
    if (!Number.isInteger(expected) || expected < 0) {
      throw new InvalidAppendError(`Expected revision must be a non-negative integer, no_stream, exists or any; got ${expected}`);
    }
  } else if (expected !== 'any' && expected !== 'exists' && expected !== 'no_stream') {
    throw new InvalidAppendError(`Expected revision must be a non-negative integer, no_stream, exists or any; got ${String(expected)}`);
  }
}

function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return BigInt(expected);
  }
}

/** EventStoreDB reports the stream's revision as a bigint, or "no stream" as `no_stream` or -1. */
function toActualRevision(actual: bigint | string): number | 'no_stream' {
  return typeof actual === 'bigint' && actual >= 0n ? Number(actual) : 'no_stream';
}

function toEsdbPosition(position: number): { commit: bigint; prepare: bigint } {
  const value = BigInt(position);
  return { commit: value, prepare: value };
}

function toPosition(commit: bigint): number {
  if (commit < 0n || commit > MAX_POSITION) {
    throw new RangeError(`EventStoreDB position ${commit} cannot be represented exactly as a number`);
  }
  return Number(commit);
}

function requirePosition(event: StoredEvent): number {
  if (event.position === undefined) {
    throw new Error(
      `EventStoreDB gave no $all position for event ${event.id} in ${event.streamId}: stream reads carry positions from EventStoreDB 22.6 on`,
    );
  }
  return event.position;
}

function isSystemEvent(event: Pick<EsdbRecordedEvent, 'type' | 'streamId'>): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

function toStored(recorded: EsdbRecordedEvent, commitPosition?: bigint): StoredEvent {
  const raw = recorded.metadata;
  const metadata: Record<string, unknown> =
    raw && typeof raw === 'object' && !Array.isArray(raw) && !(raw instanceof Uint8Array) ? { ...(raw as Record<string, unknown>) } : {};
  const schemaVersion = typeof metadata.schemaVersion === 'number' ? metadata.schemaVersion : 1;
  delete metadata.schemaVersion;
  let id = recorded.id;
  if (typeof metadata.$eventId === 'string' && uuidv5(metadata.$eventId, NON_UUID_ID_NAMESPACE) === recorded.id) {
    id = metadata.$eventId;
    delete metadata.$eventId;
  }
  const commit = recorded.position?.commit ?? commitPosition;
  return {
    esdbId: recorded.id,
    id,
    type: recorded.type,
    schemaVersion,
    data: recorded.data,
    metadata: metadata as EventMetadata,
    streamId: recorded.streamId,
    revision: Number(recorded.revision),
    position: commit === undefined || commit > MAX_POSITION ? undefined : toPosition(commit),
    recordedAt: recorded.created.toISOString(),
  };
}

function sameContent(stored: StoredEvent, proposed: ProposedEvent): boolean {
  return stored.type === proposed.type && JSON.stringify(stored.data ?? null) === proposed.dataJson;
}

/** gRPC status codes of a call that did not reach a working server (UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED). */
const UNREACHABLE_GRPC_CODES = new Set([14, 4, 1]);

/** Maps the client's transport errors onto the port's; everything else passes through unchanged. */
function translateError(error: unknown): unknown {
  if (error instanceof EventStoreError) return error;
  if (
    // Some paths (the server-features probe before an append) surface raw gRPC errors, not the client's own.
    (error instanceof Error && !isCommandError(error) && UNREACHABLE_GRPC_CODES.has((error as { code?: unknown }).code as number)) ||
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError ||
    error instanceof CancelledError
  ) {
    return withCause(new EventStoreUnavailableError(`EventStoreDB is unavailable: ${messageOf(error)}`), error);
  }
  if (error instanceof MaxAppendSizeExceededError) {
    return withCause(new InvalidAppendError(`The append exceeds EventStoreDB's maximum append size of ${error.maxAppendSize} bytes`), error);
  }
  if (error instanceof StreamDeletedError) {
    return withCause(new InvalidAppendError(`Stream "${error.streamName}" was deleted in EventStoreDB`), error);
  }
  if (error instanceof AccessDeniedError) {
    return withCause(new EventStoreUnavailableError('EventStoreDB denied access: check the connection user and its ACLs'), error);
  }
  return error;
}

/** The server ends a live subscription whose consumer lags with a timeout ("Consumer too slow…"). */
function isConsumerTooSlow(error: unknown): boolean {
  return error instanceof TimeoutError || (error instanceof Error && /consumer too slow/i.test(error.message));
}

function withCause<E extends Error>(error: E, cause: unknown): E {
  Object.defineProperty(error, 'cause', { value: cause, enumerable: false, configurable: true, writable: true });
  return error;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
