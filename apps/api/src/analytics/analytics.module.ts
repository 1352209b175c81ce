import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsFunnelHandler, AnalyticsIndicatorsHandler, AnalyticsLadderHandler } from './analytics.queries';

/** The analysts' indicators: read-only, from the analytics read model. */
@Module({
  controllers: [AnalyticsController],
  providers: [AnalyticsLadderHandler, AnalyticsIndicatorsHandler, AnalyticsFunnelHandler],
})
export class AnalyticsModule {}
