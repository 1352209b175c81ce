import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { EVENT_STORE, EventStore } from '@tsunagi/event-store';
import { AppConfig, PlatformModule, REDIS, pingRedis, redactRedisUrl } from '@tsunagi/platform';
import { NotificationsModule } from './notifications/notifications.module';

/** Checks at start that the worker can reach what it needs, so a misconfiguration stops it at once. */
@Injectable()
class StartupCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('worker');
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.store.ping();
    try {
      await pingRedis(this.redis, 5_000);
    } catch (error) {
      throw new Error(`Redis at ${redactRedisUrl(this.config.REDIS_URL)} did not answer: ${(error as Error).message}`);
    }
    this.logger.log(`Worker ready (event store: ${this.config.EVENT_STORE}, head position ${await this.store.headPosition()})`);
  }
}

/**
 * The worker process: BullMQ processors and event dispatchers live here (notifications now; reminders and
 * expiries arrive with their own modules); it shares the platform (config, event store, Redis) with the API.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: WorkerModule, imports: [PlatformModule.forRoot(config), NotificationsModule.forRoot()], providers: [StartupCheck] };
  }
}
