import { Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { NotificationProcessor, DeliveryOutcome } from './notification-processor';
import { NOTIFICATION_QUEUE, NotificationJobData } from './notification-job';

export interface NotificationWorkerOptions {
  prefix: string;
  concurrency: number;
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
