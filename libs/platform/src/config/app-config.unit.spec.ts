import { ConfigurationError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('starts with sensible defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ EVENT_STORE: 'sqlite', EVENT_STORE_DURABILITY: 'full', PORT: 3000, REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config.eventStorePath).toMatch(/data\/events\.sqlite$/);
    expect(config.readModelPath).toMatch(/data\/read-models\.sqlite$/);
  });

  it('names every wrong setting, with what was given', () => {
    const error = (() => {
      try {
        loadConfig({ EVENT_STORE: 'postgres', PORT: 'eighty', REDIS_URL: 'localhost:6379', EVENT_STORE_DURABILITY: 'off' });
      } catch (e) {
        return e as ConfigurationError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error!.problems.map((p) => p.split(':')[0]).sort()).toEqual(['EVENT_STORE', 'EVENT_STORE_DURABILITY', 'PORT', 'REDIS_URL']);
    expect(error!.message).toContain('EVENT_STORE: EVENT_STORE must be one of the following values: sqlite, eventstoredb (got "postgres")');
  });

  it('requires an EventStoreDB connection string when EventStoreDB is chosen', () => {
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb' })).toThrow(/EVENTSTORE_CONNECTION_STRING: must be an esdb:\/\/ .*\(not set\)/);
    expect(loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://es1:2113,es2:2113?tls=false' }).EVENT_STORE).toBe(
      'eventstoredb',
    );
  });

  it('requires a strong token secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_TOKEN_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_TOKEN_SECRET: 'short' })).toThrow(/at least 32 characters/);
    expect(loadConfig({ NODE_ENV: 'production', AUTH_TOKEN_SECRET: 's'.repeat(32) }).NODE_ENV).toBe('production');
  });

  it('treats an empty variable as unset and converts numbers', () => {
    expect(loadConfig({ PORT: '', READ_WAIT_MAX_MS: '250' })).toMatchObject({ PORT: 3000, READ_WAIT_MAX_MS: 250 });
  });
});
