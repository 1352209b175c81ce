import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Clock, EventStore } from '@tsunagi/event-store';
import { WebhookChannel, WebhookChannelSettings } from '@tsunagi/notifications';
import { createRedisConnection } from '@tsunagi/platform';
import { DispatchCheckpoints } from './dispatch-checkpoint';
import { Mailer, SmtpMailer } from './mailer';
import { NotificationDirectory } from './notification-directory';
import { DispatcherLogger, NotificationDispatcher } from './notification-dispatcher';
import { DeliverySettings, NOTIFICATION_QUEUE, NotificationJobData } from './notification-job';
import { NotificationProcessor } from './notification-processor';
import { NotificationWorker } from './notification-worker';

export interface PipelineSettings {
  redisUrl: string;
  /** Redis key prefix of the queue (NOTIFY_QUEUE_PREFIX). */
  prefix: string;
  smtpUrl: string;
  mailFrom: string;
  concurrency: number;
  /** How long a silent worker's jobs stay claimed before another worker takes them over (NOTIFY_LOCK_MS). */
  lockMs?: number;
  delivery: DeliverySettings;
  /** The dispatcher's checkpoint file (DATA_DIR/worker.sqlite). */
  checkpointPath: string;
  logger?: DispatcherLogger & { warn(message: string): void };
  /** The webhook channel's address policy and key material; without it webhook notifications fail (not configured). */
  webhooks?: WebhookChannelSettings;
}

/**
 * Everything that turns events into delivered notifications, in one process: the dispatcher (event store →
 * queue) and the worker (queue → SMTP / inbox). Both may run in several processes: job ids and deterministic
 * delivery records make duplicates harmless.
 */
export class NotificationPipeline {
  readonly queue: Queue<NotificationJobData>;
  readonly dispatcher: NotificationDispatcher;
  readonly worker: NotificationWorker;
  readonly processor: NotificationProcessor;
  readonly checkpoints: DispatchCheckpoints;
  private readonly connections: Redis[];
  private closed?: Promise<void>;

  constructor(
    store: EventStore,
    clock: Clock,
    readonly settings: PipelineSettings,
    readonly mailer: Mailer = new SmtpMailer({ url: settings.smtpUrl, from: settings.mailFrom, maxConnections: settings.concurrency }),
  ) {
    // Worker connections (maxRetriesPerRequest: null) for both: while Redis restarts, adding and fetching wait.
    const producer = createRedisConnection(settings.redisUrl, 'worker', 'tsunagi-notify-producer');
    const consumer = createRedisConnection(settings.redisUrl, 'worker', 'tsunagi-notify-worker');
    this.connections = [producer, consumer];
    this.queue = new Queue<NotificationJobData>(NOTIFICATION_QUEUE, { connection: producer, prefix: settings.prefix });
    this.queue.on('error', (error: Error) => settings.logger?.warn(`Notification queue: ${error.message}`));
    const directory = new NotificationDirectory(store);
    this.checkpoints = new DispatchCheckpoints(settings.checkpointPath);
    const webhooks = settings.webhooks ? new WebhookChannel(store, settings.webhooks) : undefined;
    this.processor = new NotificationProcessor(store, directory, this.mailer, clock, { from: settings.mailFrom }, webhooks);
    this.dispatcher = new NotificationDispatcher(store, this.queue, this.checkpoints, directory, { delivery: settings.delivery, logger: settings.logger });
    this.worker = new NotificationWorker(consumer, this.processor, {
      prefix: settings.prefix,
      concurrency: settings.concurrency,
      lockMs: settings.lockMs,
      maxStalls: settings.delivery.attempts,
      logger: settings.logger,
    });
  }

  async start(parts: { dispatcher?: boolean; worker?: boolean } = {}): Promise<void> {
    if (parts.worker !== false) {
      this.worker.start();
      await this.worker.waitUntilReady();
    }
    if (parts.dispatcher !== false) this.dispatcher.start();
  }

  /** SIGTERM: stop reading events, let in-flight jobs finish, then close connections. Safe to call twice. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.dispatcher.stop();
      await this.worker.close();
      await this.queue.close();
      this.mailer.close();
      this.checkpoints.close();
      for (const connection of this.connections) connection.disconnect();
    })();
    return this.closed;
  }
}
