import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Where a dispatcher has read `$all` up to, in the worker's own SQLite file (DATA_DIR/worker.sqlite). Saved only
 * after the batch's jobs are in Redis: a crash in between replays the batch, and the job ids make that harmless.
 */
export class DispatchCheckpoints {
  private readonly db: Database.Database;
  private readonly statements: {
    get: Database.Statement<[string], { position: number }>;
    save: Database.Statement;
  };

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, { timeout: 15_000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS dispatch_checkpoints (
        name       TEXT PRIMARY KEY,
        position   INTEGER NOT NULL,
        updated_at TEXT    NOT NULL
      );
    `);
    this.statements = {
      get: this.db.prepare('SELECT position FROM dispatch_checkpoints WHERE name = ?'),
      save: this.db.prepare(
        `INSERT INTO dispatch_checkpoints (name, position, updated_at) VALUES (@name, @position, @now)
         ON CONFLICT (name) DO UPDATE SET position = @position, updated_at = @now`,
      ),
    };
  }

  /** 0 when nothing was saved yet: the subscription then starts at the beginning of `$all`. */
  get(name: string): number {
    return this.statements.get.get(name)?.position ?? 0;
  }

  save(name: string, position: number): void {
    this.statements.save.run({ name, position, now: new Date().toISOString() });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
