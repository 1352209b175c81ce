import { Worker } from 'bullmq';
import type { Job, Processor } from 'bullmq';
import type { Redis } from 'ioredis';

export interface QueueWorkerOptions<Data> {
  prefix: string;
  concurrency: number;
  /** What the failure log says the job is: ids and kinds only, never personal data. */
  describe: (job: Job<Data>) => string;
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
 * A BullMQ worker running one processor (deliveries, or follow-ups). Its connection must be a `worker`
 * connection (maxRetriesPerRequest: null): a blocked fetch never gives up while Redis restarts.
 */
export class QueueWorker<Data, Result> {
  readonly worker: Worker<Data, Result>;

  constructor(queueName: string, connection: Redis, process: Processor<Data, Result>, options: QueueWorkerOptions<Data>) {
    this.worker = new Worker<Data, Result>(queueName, process, {
      connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      maxStalledCount: options.maxStalls,
      ...(options.lockMs ? { lockDuration: options.lockMs, stalledInterval: options.lockMs } : {}),
      autorun: false,
    });
    this.worker.on('failed', (job: Job<Data> | undefined, error: Error) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
      const message = `${options.describe(job)} failed on attempt ${job.attemptsMade}: ${error.message}`;
      if (final) options.logger?.error(`${message}; giving up`);
      else options.logger?.warn(`${message}; will retry`);
    });
    // Redis errors reconnect on their own; report them without crashing the process.
    this.worker.on('error', (error: Error) => options.logger?.warn(`${queueName} worker: ${error.message}`));
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
