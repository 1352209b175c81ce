import type { EventStore } from './event-store.port';
import { SqliteEventStore, SqliteDurability } from './sqlite/sqlite-event-store';
import { UpcasterRegistry } from './upcasting/upcaster-registry';

export type EventStoreSettings =
  | { adapter: 'sqlite'; path: string; durability: SqliteDurability; upcasters?: UpcasterRegistry }
  | { adapter: 'eventstoredb'; connectionString: string; upcasters?: UpcasterRegistry };

/** Opens the configured adapter. EventStoreDB's gRPC client is loaded only when it is chosen. */
export function createEventStore(settings: EventStoreSettings): EventStore {
  if (settings.adapter === 'sqlite') {
    return new SqliteEventStore({ path: settings.path, durability: settings.durability, upcasters: settings.upcasters });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EventStoreDbEventStore } = require('./eventstoredb/eventstoredb-event-store') as typeof import('./eventstoredb/eventstoredb-event-store');
  return new EventStoreDbEventStore({ connectionString: settings.connectionString, upcasters: settings.upcasters });
}
