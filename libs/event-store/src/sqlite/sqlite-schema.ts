/**
 * The embedded event store's schema. Global position is the rowid (strictly increasing, never reused since
 * rows are never deleted); writers are serialised by `BEGIN IMMEDIATE`, so positions become visible in order.
 */
export const SQLITE_EVENT_STORE_SCHEMA_VERSION = 1;

export const SQLITE_EVENT_STORE_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position       INTEGER PRIMARY KEY,
  event_id       TEXT    NOT NULL,
  stream_id      TEXT    NOT NULL,
  revision       INTEGER NOT NULL CHECK (revision >= 0),
  type           TEXT    NOT NULL,
  schema_version INTEGER NOT NULL DEFAULT 1,
  data           TEXT    NOT NULL,
  metadata       TEXT    NOT NULL,
  recorded_at    TEXT    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_event_id ON events (event_id);
CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream_id, revision);
`;
