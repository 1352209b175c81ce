import { Controller, Get, Header, Inject, OnModuleDestroy } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ApiError, AppConfig, REDIS, Roles, whenReady } from '@tsunagi/platform';

/** The queues the API reports on (their names as the worker declares them; keys under NOTIFY_QUEUE_PREFIX). */
export const MONITORED_QUEUES = ['notifications', 'notification-follow-ups'] as const;
const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** Prometheus text format 0.0.4: a label value escapes backslash, double quote and newline. */
const label = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * GET /metrics for operators: job counts per queue and state, in Prometheus text. Admin only (the global guard
 * with @Roles('admin')); left out of the OpenAPI document, like any operations endpoint not meant for clients.
 */
@ApiExcludeController()
@Controller('metrics')
export class AdminQueuesMetricsController implements OnModuleDestroy {
  private readonly queues: Queue[];

  constructor(
    @Inject(REDIS) redis: Redis,
    config: AppConfig,
  ) {
    // The API's fail-fast client connection: a scrape while Redis is down answers 503 at once instead of hanging.
    this.queues = MONITORED_QUEUES.map((name) => new Queue(name, { connection: redis, prefix: config.NOTIFY_QUEUE_PREFIX }));
    for (const queue of this.queues) queue.on('error', () => undefined);
  }

  @Get()
  @Roles('admin')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async metrics(): Promise<string> {
    let counts: { name: string; counts: Record<string, number> }[];
    try {
      counts = await Promise.all(
        this.queues.map(async (queue) => {
          await whenReady(queue.opts.connection as Redis, 1_000);
          return { name: queue.name, counts: await queue.getJobCounts(...STATES) };
        }),
      );
    } catch {
      throw new ApiError(503, 'service.unavailable');
    }
    const lines = ['# HELP tsunagi_queue_jobs Jobs in a BullMQ queue, by state.', '# TYPE tsunagi_queue_jobs gauge'];
    for (const { name, counts: byState } of counts) {
      for (const state of STATES) lines.push(`tsunagi_queue_jobs{queue="${label(name)}",state="${state}"} ${byState[state] ?? 0}`);
    }
    return `${lines.join('\n')}\n`;
  }

  async onModuleDestroy(): Promise<void> {
    // The connection belongs to PlatformModule; closing a Queue built on a passed-in client leaves it open.
    await Promise.all(this.queues.map((queue) => queue.close().catch(() => undefined)));
  }
}
