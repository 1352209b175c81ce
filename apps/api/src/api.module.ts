import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AppConfig, AuthGuard, IdempotencyInterceptor, PlatformModule, ProblemDetailsFilter } from '@tsunagi/platform';
import { MatchingModule } from './matching/matching.module';
import { SuggestionsModule } from './suggestions/suggestions.module';
import { MeetingsModule } from './meetings/meetings.module';
import { SpinOffsModule } from './spinoffs/spinoffs.module';
import { SdcsModule } from './sdcs/sdcs.module';
import { ParticipantsModule } from './participants/participants.module';
import { HealthController } from './health/health.controller';
import { InboxModule } from './inbox/inbox.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { ProjectionsModule } from './projections/projections.module';
import { StreamCatalogueModule } from './stream-catalogue/stream-catalogue.module';
import { AdminQueuesModule } from './admin-queues/admin-queues.module';
import { AnalyticsModule } from './analytics/analytics.module';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [PlatformModule.forRoot(config), CqrsModule.forRoot(), ProjectionsModule, StreamCatalogueModule, MatchingModule, SdcsModule, ParticipantsModule, MeetingsModule, SpinOffsModule, InboxModule, WebhooksModule, AdminQueuesModule, AnalyticsModule, SuggestionsModule],
      controllers: [HealthController],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
