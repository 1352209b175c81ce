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

  it('validates the notification settings', () => {
    expect(loadConfig({})).toMatchObject({ SMTP_URL: 'smtp://127.0.0.1:1025', NOTIFY_CONCURRENCY: 5, NOTIFY_ATTEMPTS: 8, NOTIFY_LOCK_MS: 30_000 });
    expect(loadConfig({ SMTP_URL: 'smtps://user:pw@smtp.example.jp:465', MAIL_FROM: 'つなぎ <no-reply@example.jp>' }).SMTP_URL).toMatch(/^smtps:/);
    const error = (() => {
      try {
        loadConfig({ SMTP_URL: 'mail.example.jp', MAIL_FROM: 'nobody', NOTIFY_QUEUE_PREFIX: 'a b', NOTIFY_CONCURRENCY: '0', NOTIFY_ATTEMPTS: '99', NOTIFY_BACKOFF_MS: '1', NOTIFY_LOCK_MS: '10' });
      } catch (e) {
        return e as ConfigurationError;
      }
    })();
    expect(error!.problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'MAIL_FROM',
      'NOTIFY_ATTEMPTS',
      'NOTIFY_BACKOFF_MS',
      'NOTIFY_CONCURRENCY',
      'NOTIFY_LOCK_MS',
      'NOTIFY_QUEUE_PREFIX',
      'SMTP_URL',
    ]);
  });

  it('validates the follow-up and quiet-hours settings', () => {
    expect(loadConfig({})).toMatchObject({
      MATCH_REMINDER_AFTER_MS: 3 * 24 * 3_600_000,
      MATCH_EXPIRY_AFTER_MS: 14 * 24 * 3_600_000,
      MEETING_REMINDER_BEFORE_MS: 24 * 3_600_000,
      QUIET_HOURS: '21:00-08:00',
      QUIET_HOURS_TIME_ZONE: 'Asia/Tokyo',
    });
    expect(loadConfig({ MATCH_REMINDER_AFTER_MS: '300', MATCH_EXPIRY_AFTER_MS: '900', QUIET_HOURS: 'off' })).toMatchObject({ MATCH_EXPIRY_AFTER_MS: 900, QUIET_HOURS: 'off' });
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (e) {
        return (e as ConfigurationError).problems;
      }
    };
    expect(problems({ MATCH_REMINDER_AFTER_MS: '5000', MATCH_EXPIRY_AFTER_MS: '5000' })).toEqual([
      'MATCH_EXPIRY_AFTER_MS: must be longer than MATCH_REMINDER_AFTER_MS (5000)',
    ]);
    expect(problems({ QUIET_HOURS: '21:00-24:00', MEETING_REMINDER_BEFORE_MS: '-1', MATCH_REMINDER_AFTER_MS: '3 days' }).map((p) => p.split(':')[0]).sort()).toEqual([
      'MATCH_REMINDER_AFTER_MS',
      'MEETING_REMINDER_BEFORE_MS',
      'QUIET_HOURS',
    ]);
    expect(problems({ QUIET_HOURS: '08:00-08:00' })).toEqual(['QUIET_HOURS: must end at another time than it starts (or be off)']);
    expect(problems({ QUIET_HOURS_TIME_ZONE: 'Tokyo/Nowhere' })).toEqual(['QUIET_HOURS_TIME_ZONE: must be an IANA time zone such as Asia/Tokyo (got "Tokyo/Nowhere")']);
  });

  it('validates the analytics suppression threshold', () => {
    expect(loadConfig({}).ANALYTICS_MIN_COUNT).toBe(3);
    expect(loadConfig({ ANALYTICS_MIN_COUNT: '10' }).ANALYTICS_MIN_COUNT).toBe(10);
    for (const wrong of ['0', '2.5', 'three', '1001']) expect(() => loadConfig({ ANALYTICS_MIN_COUNT: wrong })).toThrow(/ANALYTICS_MIN_COUNT/);
  });

  it('selects a suggestion policy by its name and version, and refuses one that does not exist', () => {
    expect(loadConfig({}).SUGGESTIONS_POLICY).toBe('default@1');
    expect(loadConfig({ SUGGESTIONS_POLICY: 'spread@1' }).SUGGESTIONS_POLICY).toBe('spread@1');
    let error: ConfigurationError | undefined;
    try {
      loadConfig({ SUGGESTIONS_POLICY: 'spread@2' });
    } catch (e) {
      error = e as ConfigurationError;
    }
    expect(error!.problems).toEqual(['SUGGESTIONS_POLICY: must be one of default@1, spread@1, relevance@1 (got "spread@2")']);
  });

  it('treats an empty variable as unset and converts numbers', () => {
    expect(loadConfig({ PORT: '', READ_WAIT_MAX_MS: '250' })).toMatchObject({ PORT: 3000, READ_WAIT_MAX_MS: 250 });
  });
});
