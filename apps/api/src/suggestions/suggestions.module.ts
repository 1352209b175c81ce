import { Module } from '@nestjs/common';
import { SuggestForOpportunityHandler, SuggestForPersonHandler } from './queries/suggest.queries';
import { SuggestionsController } from './queries/suggestions.controller';

/** Match suggestions: who to ask for an opportunity, and what to offer a person, from the in-memory suggestion index. */
@Module({
  controllers: [SuggestionsController],
  providers: [SuggestForOpportunityHandler, SuggestForPersonHandler],
})
export class SuggestionsModule {}
