import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsFunnelHandler, AnalyticsIndicatorsHandler, AnalyticsLadderHandler, PersonLadderHandler } from './analytics.queries';
import { PersonLadderController } from './person-ladder.controller';

/** The analysts' indicators, and each person's own ladder: read-only, from the analytics read model. */
@Module({
  controllers: [AnalyticsController, PersonLadderController],
  providers: [AnalyticsLadderHandler, AnalyticsIndicatorsHandler, AnalyticsFunnelHandler, PersonLadderHandler],
})
export class AnalyticsModule {}
