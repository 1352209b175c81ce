import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Clock, EventStore } from '@tsunagi/event-store';
import { FollowUpSettings, WebhookChannel, WebhookChannelSettings } from '@tsunagi/notifications';
import { CommandExecutor, createRedisConnection } from '@tsunagi/platform';
import { DispatchCheckpoints } from './dispatch-checkpoint';
import { FOLLOW_UP_QUEUE, FollowUpJobData } from './follow-up-job';
import { FollowUpOutcome, FollowUpProcessor } from './follow-up-processor';
import { Mailer, SmtpMailer } from './mailer';
import { NotificationDirectory } from './notification-directory';
import { DispatcherLogger, NotificationDispatcher } from './notification-dispatcher';
import { DeliverySettings, NOTIFICATION_QUEUE, NotificationJobData } from './notification-job';
import { NotificationPlanner } from './notification-planner';
import { DeliveryOutcome, NotificationProcessor, QuietHoursSettings } from './notification-processor';
import { QueueWorker } from './notification-worker';

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
  /** Reminders and expiries of unanswered proposals, meeting reminders (MATCH_REMINDER_AFTER_MS and the like); none when absent. */
  followUps?: FollowUpSettings;
  /** Non-urgent e-mail to a person waits until their quiet hours end (QUIET_HOURS); none when absent. */
  quietHours?: QuietHoursSettings;
}

/**
 * Everything that turns events into delivered notifications, in one process: the dispatcher (event store →
 * queue) and the worker (queue → SMTP / inbox). Both may run in several processes: job ids and deterministic
 * delivery records make duplicates harmless.
 */
export class NotificationPipeline {
  readonly queue: Queue<NotificationJobData>;
  readonly followUpQueue: Queue<FollowUpJobData>;
  readonly dispatcher: NotificationDispatcher;
  readonly worker: QueueWorker<NotificationJobData, DeliveryOutcome>;
  readonly followUpWorker: QueueWorker<FollowUpJobData, FollowUpOutcome>;
  readonly processor: NotificationProcessor;
  readonly followUpProcessor: FollowUpProcessor;
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
    const followUpConsumer = createRedisConnection(settings.redisUrl, 'worker', 'tsunagi-notify-follow-ups');
    this.connections = [producer, consumer, followUpConsumer];
    this.queue = new Queue<NotificationJobData>(NOTIFICATION_QUEUE, { connection: producer, prefix: settings.prefix });
    this.queue.on('error', (error: Error) => settings.logger?.warn(`Notification queue: ${error.message}`));
    this.followUpQueue = new Queue<FollowUpJobData>(FOLLOW_UP_QUEUE, { connection: producer, prefix: settings.prefix });
    this.followUpQueue.on('error', (error: Error) => settings.logger?.warn(`Follow-up queue: ${error.message}`));
    const directory = new NotificationDirectory(store);
    this.checkpoints = new DispatchCheckpoints(settings.checkpointPath);
    const webhooks = settings.webhooks ? new WebhookChannel(store, settings.webhooks) : undefined;
    this.processor = new NotificationProcessor(store, directory, this.mailer, clock, { from: settings.mailFrom, quietHours: settings.quietHours }, webhooks);
    const planner = new NotificationPlanner(store, directory, settings.delivery);
    this.followUpProcessor = new FollowUpProcessor(store, planner, this.queue, new CommandExecutor(store, clock), clock);
    this.dispatcher = new NotificationDispatcher(store, this.queue, this.checkpoints, directory, {
      delivery: settings.delivery,
      logger: settings.logger,
      ...(settings.followUps ? { followUps: { queue: this.followUpQueue, settings: settings.followUps, clock } } : {}),
    });
    const workerOptions = { prefix: settings.prefix, concurrency: settings.concurrency, lockMs: settings.lockMs, maxStalls: settings.delivery.attempts, logger: settings.logger };
    this.worker = new QueueWorker(NOTIFICATION_QUEUE, consumer, this.processor.process, {
      ...workerOptions,
      describe: (job) => `Notification ${job.id} (${job.data.kind}, ${job.data.channel})`,
    });
    this.followUpWorker = new QueueWorker(FOLLOW_UP_QUEUE, followUpConsumer, this.followUpProcessor.process, {
      ...workerOptions,
      describe: (job) => `Follow-up ${job.id} (${job.data.followUp})`,
    });
  }

  async start(parts: { dispatcher?: boolean; worker?: boolean } = {}): Promise<void> {
    if (parts.worker !== false) {
      for (const worker of [this.worker, this.followUpWorker]) {
        worker.start();
        await worker.waitUntilReady();
      }
    }
    if (parts.dispatcher !== false) this.dispatcher.start();
  }

  /** SIGTERM: stop reading events, let in-flight jobs finish, then close connections. Safe to call twice. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.dispatcher.stop();
      await this.followUpWorker.close();
      await this.worker.close();
      await this.followUpQueue.close();
      await this.queue.close();
      this.mailer.close();
      this.checkpoints.close();
      for (const connection of this.connections) connection.disconnect();
    })();
    return this.closed;
  }
}
