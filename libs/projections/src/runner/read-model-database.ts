import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The read-model database of one API instance: a SQLite file beside the code that serves it. It can always be
 * rebuilt from the event store, so it commits with synchronous=NORMAL (no fsync per batch); the checkpoint
 * commits with the model, so a lost tail is simply replayed.
 */
const READ_MODEL_MMAP_BYTES = 256 * 1024 * 1024;

export function openReadModelDatabase(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: 15_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Reads (the analysts' queries scan tens of MB) map the file instead of copying each page through read().
  if (path !== ':memory:') db.pragma(`mmap_size = ${READ_MODEL_MMAP_BYTES}`);
  db.exec(`
    CREATE TABLE IF NOT EXISTS projection_checkpoints (
      name            TEXT PRIMARY KEY,
      version         INTEGER NOT NULL,
      position        INTEGER NOT NULL,
      status          TEXT    NOT NULL,
      failed_position INTEGER,
      failed_event_id TEXT,
      error           TEXT,
      updated_at      TEXT    NOT NULL
    );
  `);
  return db;
}
