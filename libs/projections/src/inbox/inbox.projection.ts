import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@tsunagi/event-store';
import type { NotificationEvent } from '@tsunagi/notifications';
import type { Projection } from '../runner/projection';

/**
 * The in-app inbox: one row per notification delivered on the `inbox` channel (other channels are not kept), with
 * the rendered title and body and when it was read. Every row remembers the position of the last event applied to
 * it, and an update only applies a newer event: replaying events changes nothing, and a rebuild keeps read state
 * (it is an event, NotificationRead, like the delivery).
 */
export class InboxProjection implements Projection {
  readonly name = 'inbox';
  readonly version = 1;
  /** NotificationFailed is left out: an inbox shows what reached it. */
  readonly eventTypes: readonly NotificationEvent['type'][] = ['NotificationDelivered', 'NotificationRead'];
  private statements!: Record<'deliver' | 'read', Database.Statement>;

  setUp(db: Database.Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS inbox (
        notification_id     TEXT PRIMARY KEY,
        recipient_type      TEXT NOT NULL,
        recipient_id        TEXT NOT NULL,
        kind                TEXT NOT NULL,
        title               TEXT,
        body                TEXT,
        language            TEXT NOT NULL,
        source_event_id     TEXT NOT NULL,
        source_stream_id    TEXT NOT NULL,
        source_revision     INTEGER NOT NULL,
        delivered_at        TEXT NOT NULL,
        delivered_position  INTEGER NOT NULL,
        read_at             TEXT,
        read_by             TEXT,
        last_position       INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS inbox_recipient ON inbox (recipient_type, recipient_id, delivered_position);
      CREATE INDEX IF NOT EXISTS inbox_unread ON inbox (recipient_type, recipient_id, delivered_position) WHERE read_at IS NULL;
    `);
    this.statements = {
      // A notification is delivered once (its id is derived from source, recipient and channel); the first delivery stays.
      deliver: db.prepare(`
        INSERT INTO inbox (notification_id, recipient_type, recipient_id, kind, title, body, language, source_event_id, source_stream_id,
                           source_revision, delivered_at, delivered_position, last_position)
        VALUES (@notificationId, @recipientType, @recipientId, @kind, @title, @body, @language, @sourceEventId, @sourceStreamId,
                @sourceRevision, @at, @position, @position)
        ON CONFLICT (notification_id) DO NOTHING`),
      // Read once: a later NotificationRead (there is none from the API) never moves the first read time.
      read: db.prepare(`
        UPDATE inbox SET read_at = coalesce(read_at, @at), read_by = coalesce(read_by, @by), last_position = @position
        WHERE notification_id = @notificationId AND last_position < @position`),
    };
  }

  tearDown(db: Database.Database): void {
    db.exec('DROP TABLE IF EXISTS inbox;');
  }

  apply(recorded: RecordedEvent): void {
    const event = recorded as unknown as NotificationEvent;
    const position = recorded.position;
    switch (event.type) {
      case 'NotificationDelivered': {
        const d = event.data;
        if (d.channel !== 'inbox') return;
        this.statements.deliver.run({
          notificationId: d.notificationId,
          recipientType: d.recipient.type,
          recipientId: d.recipient.id,
          kind: d.kind,
          title: d.title ?? null,
          body: d.body ?? null,
          language: d.language,
          sourceEventId: d.sourceEventId,
          sourceStreamId: d.sourceStreamId,
          sourceRevision: d.sourceRevision,
          at: d.at,
          position,
        });
        return;
      }
      case 'NotificationRead':
        this.statements.read.run({ notificationId: event.data.notificationId, at: event.data.at, by: event.data.by, position });
        return;
      default:
        return;
    }
  }
}
