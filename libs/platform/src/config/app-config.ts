import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf, validateSync } from 'class-validator';
import { join, resolve } from 'node:path';
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
  if (errors.length > 0) {
    throw new ConfigurationError(
      errors.map((error) => {
        const given = raw[error.property];
        const reasons = Object.values(error.constraints ?? {}).join('; ');
        return `${error.property}: ${reasons}${given === undefined ? ' (not set)' : ` (got "${given}")`}`;
      }),
    );
  }
  return config;
}
