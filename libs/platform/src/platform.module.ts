import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { CLOCK, EVENT_STORE, EventStore, SystemClock, createEventStore } from '@tsunagi/event-store';
import { AppConfig } from './config/app-config';
import { TokenService } from './auth/token.service';
import { createRedisConnection } from './redis/redis-connection';
import { CommandExecutor } from './commands/command-executor';

export { REDIS } from './redis/redis-tokens';
import { REDIS } from './redis/redis-tokens';

/** Closes the shared connections last, after every module (projections, workers) has stopped using them. */
@Injectable()
class ConnectionsCloser implements OnApplicationShutdown {
  private readonly logger = new Logger('shutdown');
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}
  async onApplicationShutdown(signal?: string): Promise<void> {
    if (signal) this.logger.log(`Received ${signal}: closing the event store and Redis`);
    await this.store.close();
    this.redis.disconnect();
  }
}

/** Configuration, clock, event store, Redis and tokens: what both the API and the worker stand on. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: CLOCK, useValue: new SystemClock() },
        {
          provide: EVENT_STORE,
          useFactory: () => createEventStore(config.eventStoreSettings),
        },
        { provide: REDIS, useFactory: () => createRedisConnection(config.REDIS_URL, 'client') },
        { provide: TokenService, useFactory: () => TokenService.fromConfig(config) },
        ConnectionsCloser,
        CommandExecutor,
      ],
      exports: [AppConfig, CLOCK, EVENT_STORE, REDIS, TokenService, CommandExecutor],
    };
  }
}
