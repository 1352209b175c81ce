import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@tsunagi/event-store';
import type { Projection } from '../runner/projection';

export interface StreamCatalogueEntry {
  streamId: string;
  /** The part of the stream id before its first `-` (`match-0192…` → `match`). */
  category: string;
  eventCount: number;
  lastRevision: number;
  lastEventType: string;
  lastPosition: number;
  firstRecordedAt: string;
  lastRecordedAt: string;
}

export interface StreamCategorySummary {
  category: string;
  streams: number;
  events: number;
}

export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash > 0 ? streamId.slice(0, dash) : streamId;
}

/** What streams exist, by category, with their last revision: an operator's view of the event store. */
export class StreamCatalogueProjection implements Projection {
  readonly name = 'stream-catalogue';
  readonly version = 1;
  readonly eventTypes: readonly string[] = [];
  private upsert!: Database.Statement;
  private upsertGroup!: Database.Statement;

  setUp(db: Database.Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS stream_catalogue (
        stream_id         TEXT PRIMARY KEY,
        category          TEXT    NOT NULL,
        event_count       INTEGER NOT NULL,
        last_revision     INTEGER NOT NULL,
        last_event_type   TEXT    NOT NULL,
        last_position     INTEGER NOT NULL,
        first_recorded_at TEXT    NOT NULL,
        last_recorded_at  TEXT    NOT NULL
      );
      CREATE INDEX IF NOT EXISTS stream_catalogue_category ON stream_catalogue (category, stream_id);
    `);
    // Guarded by last_position so that applying an event twice changes nothing.
    this.upsert = db.prepare(`
      INSERT INTO stream_catalogue VALUES (@streamId, @category, 1, @revision, @type, @position, @recordedAt, @recordedAt)
      ON CONFLICT (stream_id) DO UPDATE SET
        event_count = event_count + 1, last_revision = @revision, last_event_type = @type,
        last_position = @position, last_recorded_at = @recordedAt
      WHERE last_position < @position
    `);
    this.prepareGroup(db);
  }

  private prepareGroup(db: Database.Database): void {
    this.upsertGroup = db.prepare(`
      INSERT INTO stream_catalogue VALUES (@streamId, @category, @count, @revision, @type, @position, @firstRecordedAt, @recordedAt)
      ON CONFLICT (stream_id) DO UPDATE SET
        event_count = event_count + excluded.event_count, last_revision = excluded.last_revision,
        last_event_type = excluded.last_event_type, last_position = excluded.last_position,
        last_recorded_at = excluded.last_recorded_at
      WHERE last_position < @firstPosition
    `);
  }

  tearDown(db: Database.Database): void {
    db.exec('DROP TABLE IF EXISTS stream_catalogue');
  }

  /** One upsert per stream in the batch instead of one per event: rebuilds write far less. */
  applyBatch(events: readonly RecordedEvent[]): void {
    const groups = new Map<string, { first: RecordedEvent; last: RecordedEvent; count: number }>();
    for (const event of events) {
      const group = groups.get(event.streamId);
      if (group) {
        group.last = event;
        group.count += 1;
      } else groups.set(event.streamId, { first: event, last: event, count: 1 });
    }
    for (const [streamId, { first, last, count }] of groups) {
      this.upsertGroup.run({
        streamId,
        category: streamCategory(streamId),
        count,
        revision: last.revision,
        type: last.type,
        position: last.position,
        firstRecordedAt: first.recordedAt,
        recordedAt: last.recordedAt,
        firstPosition: first.position,
      });
    }
  }

  apply(event: RecordedEvent): void {
    this.upsert.run({
      streamId: event.streamId,
      category: streamCategory(event.streamId),
      revision: event.revision,
      type: event.type,
      position: event.position,
      recordedAt: event.recordedAt,
    });
  }
}

export interface ListStreamsQuery {
  category?: string;
  /** Exclusive cursor: the last stream id of the previous page. */
  after?: string;
  limit: number;
}

/** Queries over the stream catalogue read model. */
export class StreamCatalogueQueries {
  constructor(private readonly db: Database.Database) {}

  categories(): StreamCategorySummary[] {
    return this.db
      .prepare('SELECT category, count(*) AS streams, sum(event_count) AS events FROM stream_catalogue GROUP BY category ORDER BY category')
      .all() as StreamCategorySummary[];
  }

  streams(query: ListStreamsQuery): StreamCatalogueEntry[] {
    return this.db
      .prepare(
        `SELECT stream_id AS streamId, category, event_count AS eventCount, last_revision AS lastRevision,
                last_event_type AS lastEventType, last_position AS lastPosition,
                first_recorded_at AS firstRecordedAt, last_recorded_at AS lastRecordedAt
         FROM stream_catalogue
         WHERE (@category IS NULL OR category = @category) AND stream_id > @after
         ORDER BY stream_id LIMIT @limit`,
      )
      .all({ category: query.category ?? null, after: query.after ?? '', limit: query.limit }) as StreamCatalogueEntry[];
  }
}
