import { describeEventStoreContract } from '@tsunagi/testing';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/**
 * The shared contract suite against a real EventStoreDB, e.g. `docker compose up -d eventstore` and
 * EVENTSTORE_CONNECTION_STRING=esdb://localhost:2113?tls=false. Tests share the server (stream ids are unique
 * per test); use a fresh server per CI run, since subscription tests catch up from the start of `$all`.
 */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  describeEventStoreContract('eventstoredb', async (options) => {
    const store = new EventStoreDbEventStore({ connectionString, ...options });
    // Connect now (discovery, server features), so the first timed operation of a test does not pay for it.
    await store.ping();
    return store;
  });
} else {
  describe('EventStore contract: eventstoredb', () => {
    it.skip('skipped: set EVENTSTORE_CONNECTION_STRING to run against a real EventStoreDB', () => {});
  });
}
