import { Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { NotificationProcessor, DeliveryOutcome } from './notification-processor';
import { NOTIFICATION_QUEUE, NotificationJobData } from './notification-job';

export interface NotificationWorkerOptions {
  prefix: string;
  concurrency: number;
  /** BullMQ's lock duration and stalled-check interval: how soon a killed worker's jobs are taken over. */
  lockMs?: number;
  /**
   * How often a job may be taken over from a worker that died while running it before it fails. BullMQ's default
   * (1) would give up on a message after two crashes in a row; resending is safe (deliveries are recorded under
   * deterministic ids), so only a job that keeps killing its worker should end in the failed list.
   */
  maxStalls: number;
  logger?: { warn(message: string): void; error(message: string): void };
}

/**
 * The BullMQ worker that runs the processor. Its connection must be a `worker` connection
 * (maxRetriesPerRequest: null): a blocked fetch never gives up while Redis restarts.
 */
export class NotificationWorker {
  readonly worker: Worker<NotificationJobData, DeliveryOutcome>;

  constructor(connection: Redis, processor: NotificationProcessor, options: NotificationWorkerOptions) {
    this.worker = new Worker<NotificationJobData, DeliveryOutcome>(NOTIFICATION_QUEUE, processor.process, {
      connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      maxStalledCount: options.maxStalls,
      ...(options.lockMs ? { lockDuration: options.lockMs, stalledInterval: options.lockMs } : {}),
      autorun: false,
    });
    this.worker.on('failed', (job: Job<NotificationJobData> | undefined, error: Error) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
      const message = `Notification ${job.id} (${job.data.kind}, ${job.data.channel}) failed on attempt ${job.attemptsMade}: ${error.message}`;
      if (final) options.logger?.error(`${message}; giving up`);
      else options.logger?.warn(`${message}; will retry`);
    });
    // Redis errors reconnect on their own; report them without crashing the process.
    this.worker.on('error', (error: Error) => options.logger?.warn(`Notification worker: ${error.message}`));
  }

  start(): void {
    void this.worker.run().catch((error: Error) => this.worker.emit('error', error));
  }

  async waitUntilReady(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  /** Stops taking jobs and waits for the ones in flight to finish (SIGTERM). */
  async close(): Promise<void> {
    await this.worker.close();
  }
}
