import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf, validateSync } from 'class-validator';
import { join, resolve } from 'node:path';
import type { EventStoreSettings } from '@tsunagi/event-store';
import { DEFAULT_POLICY_ID, POLICY_IDS } from '@tsunagi/suggestions';

/**
 * Every setting the product reads, validated at start. A wrong or missing value stops the process with a
 * message naming the setting. README.md's settings table lists the same names.
 */
export class AppConfig {
  /** Which event store adapter: the embedded SQLite file, or an EventStoreDB server/cluster. */
  @IsIn(['sqlite', 'eventstoredb'])
  EVENT_STORE: 'sqlite' | 'eventstoredb' = 'sqlite';

  /** Where the SQLite event store, the read models and the development auth secret live. */
  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  /** `full` survives power loss; `normal` is faster and may lose the last commits on power loss. */
  @IsIn(['full', 'normal'])
  EVENT_STORE_DURABILITY: 'full' | 'normal' = 'full';

  @ValidateIf((config: AppConfig) => config.EVENT_STORE === 'eventstoredb' || config.EVENTSTORE_CONNECTION_STRING !== undefined)
  @Matches(/^esdb(\+discover)?:\/\/\S+$/, { message: 'must be an esdb:// or esdb+discover:// connection string' })
  EVENTSTORE_CONNECTION_STRING?: string;

  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @MinLength(1)
  HOST = '127.0.0.1';

  /** Read-model database of this API instance; each instance keeps its own. Default: DATA_DIR/read-models.sqlite. */
  @IsOptional()
  @IsString()
  READ_MODEL_PATH?: string;

  /** Longest a query waits for its projection to reach a position the client asked for (read-your-writes). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  READ_WAIT_MAX_MS = 5_000;

  /** Largest request body accepted, in bytes. */
  @Type(() => Number)
  @IsInt()
  @Min(1_024)
  @Max(10 * 1024 * 1024)
  BODY_LIMIT_BYTES = 256 * 1024;

  /** Signs bearer tokens. Required in production; a development install keeps a random one in DATA_DIR. */
  @ValidateIf((config: AppConfig) => config.NODE_ENV === 'production' || config.AUTH_TOKEN_SECRET !== undefined)
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  @MaxLength(512)
  AUTH_TOKEN_SECRET?: string;

  /** Where the worker sends notification e-mail: `smtp://` (STARTTLS when offered) or `smtps://`, credentials in the URL. */
  @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL = 'smtp://127.0.0.1:1025';

  /** Sender of notification e-mails (`Name <address>` or an address); its domain also names the Message-IDs. */
  @Matches(/^([^<>]*<)?[^\s@<>]+@[^\s@<>]+>?$/, { message: 'must be an e-mail address, optionally as "Name <address>"' })
  MAIL_FROM = 'tsunagi <noreply@tsunagi.localhost>';

  /** Redis key prefix of the notification queues: deployments sharing one Redis each need their own. */
  @Matches(/^[A-Za-z0-9_.-]{1,50}$/, { message: 'must be 1 to 50 letters, digits, dots, dashes or underscores' })
  NOTIFY_QUEUE_PREFIX = 'tsunagi';

  /** How many notification jobs one worker process delivers at once. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  NOTIFY_CONCURRENCY = 5;

  /** Attempts per notification before its job fails (transient failures only; permanent ones fail at once). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  NOTIFY_ATTEMPTS = 8;

  /** First retry delay; each further retry doubles it, with jitter. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  NOTIFY_BACKOFF_MS = 5_000;

  /**
   * How long a job stays claimed by a worker that stopped answering (killed, frozen) before another worker takes
   * it over: BullMQ's lock duration, and the interval of its stalled-job check. A job in progress keeps renewing it.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  NOTIFY_LOCK_MS = 30_000;

  /** A match proposal still unanswered this long after it was made: the proposed party gets a reminder (3 days). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(365 * 24 * 3_600_000)
  MATCH_REMINDER_AFTER_MS = 3 * 24 * 3_600_000;

  /** … still unanswered this long after: the match expires through the command side, both sides are told (14 days). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(365 * 24 * 3_600_000)
  MATCH_EXPIRY_AFTER_MS = 14 * 24 * 3_600_000;

  /** Registered people are reminded of a meeting this long before it starts (24 hours). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(30 * 24 * 3_600_000)
  MEETING_REMINDER_BEFORE_MS = 24 * 3_600_000;

  /** Default quiet hours, `HH:MM-HH:MM` in QUIET_HOURS_TIME_ZONE (over midnight when the end is earlier), or `off`. */
  @Matches(/^(off|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)$/, { message: 'must be HH:MM-HH:MM (24-hour clock) or off' })
  QUIET_HOURS = '21:00-08:00';

  /** The time zone quiet hours are read in (an IANA name). */
  @IsString()
  QUIET_HOURS_TIME_ZONE = 'Asia/Tokyo';
  /** Analysts' exports leave out any count (and any share or median resting on a count) from 1 to this minus 1. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  ANALYTICS_MIN_COUNT = 3;
  /** The named, versioned weight policy suggestions are ranked by (libs/suggestions/src/policy.ts). */
  @IsIn(POLICY_IDS, { message: `must be one of ${POLICY_IDS.join(', ')}` })
  SUGGESTIONS_POLICY = DEFAULT_POLICY_ID;

  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  @IsIn(['text', 'json'])
  LOG_FORMAT: 'text' | 'json' = 'text';

  get eventStorePath(): string {
    return join(resolve(this.DATA_DIR), 'events.sqlite');
  }

  /** The worker's own small database (the notification dispatcher's checkpoint). */
  get workerDatabasePath(): string {
    return join(resolve(this.DATA_DIR), 'worker.sqlite');
  }

  get readModelPath(): string {
    return this.READ_MODEL_PATH ? resolve(this.READ_MODEL_PATH) : join(resolve(this.DATA_DIR), 'read-models.sqlite');
  }

  /** The event store these settings choose, for `createEventStore`. */
  get eventStoreSettings(): EventStoreSettings {
    return this.EVENT_STORE === 'sqlite'
      ? { adapter: 'sqlite', path: this.eventStorePath, durability: this.EVENT_STORE_DURABILITY }
      : { adapter: 'eventstoredb', connectionString: this.EVENTSTORE_CONNECTION_STRING! };
  }
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

const SETTINGS = Object.keys(new AppConfig()).concat(['EVENTSTORE_CONNECTION_STRING', 'READ_MODEL_PATH', 'AUTH_TOKEN_SECRET']);

/** Reads the settings from the environment (only the names above; an empty string counts as unset). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const name of SETTINGS) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: true });
  const problems = errors.map((error) => {
    const given = raw[error.property];
    const reasons = Object.values(error.constraints ?? {}).join('; ');
    return `${error.property}: ${reasons}${given === undefined ? ' (not set)' : ` (got "${given}")`}`;
  });
  const failed = new Set(errors.map((error) => error.property));
  for (const problem of crossChecks(config)) if (!failed.has(problem.property)) problems.push(`${problem.property}: ${problem.message}`);
  if (problems.length > 0) throw new ConfigurationError(problems);
  return config;
}

/** Rules that read more than one setting, or that a decorator cannot state. */
function crossChecks(config: AppConfig): { property: string; message: string }[] {
  const problems: { property: string; message: string }[] = [];
  if (config.MATCH_EXPIRY_AFTER_MS <= config.MATCH_REMINDER_AFTER_MS) {
    problems.push({ property: 'MATCH_EXPIRY_AFTER_MS', message: `must be longer than MATCH_REMINDER_AFTER_MS (${config.MATCH_REMINDER_AFTER_MS})` });
  }
  const [start, end] = config.QUIET_HOURS.split('-');
  if (start === end) problems.push({ property: 'QUIET_HOURS', message: 'must end at another time than it starts (or be off)' });
  try {
    new Intl.DateTimeFormat('en', { timeZone: config.QUIET_HOURS_TIME_ZONE });
  } catch {
    problems.push({ property: 'QUIET_HOURS_TIME_ZONE', message: `must be an IANA time zone such as Asia/Tokyo (got "${config.QUIET_HOURS_TIME_ZONE}")` });
  }
  return problems;
}
