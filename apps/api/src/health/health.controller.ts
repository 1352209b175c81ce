import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import { EVENT_STORE, EventStore } from '@tsunagi/event-store';
import { AppConfig, Public, REDIS, pingRedis } from '@tsunagi/platform';
import { ProjectionsService } from '../projections/projections.service';

type ComponentHealth = { status: 'up' | 'down'; error?: string };

async function probe<T extends object>(check: () => Promise<T>): Promise<ComponentHealth & Partial<T>> {
  try {
    return { status: 'up', ...(await check()) };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) } as ComponentHealth & Partial<T>;
  }
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly projections: ProjectionsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: "Event store, Redis, and each projection's position and lag; 503 when any is down or failed" })
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const [eventStore, redis] = await Promise.all([
      probe(async () => {
        await this.store.ping();
        return { adapter: this.config.EVENT_STORE, headPosition: await this.store.headPosition() };
      }),
      probe(async () => {
        await pingRedis(this.redis);
        return {};
      }),
    ]);
    const projections = eventStore.status === 'up' ? await this.projections.runner.status() : [];
    const healthy = eventStore.status === 'up' && redis.status === 'up' && projections.every((p) => p.state !== 'failed');
    reply.status(healthy ? 200 : 503);
    return { status: healthy ? 'ok' : 'unhealthy', eventStore, redis, projections };
  }
}
