import { Module } from '@nestjs/common';
import { CandidateDirectory } from './candidate-directory';
import { ChangeOpportunityHandler } from './change-opportunity.command';
import { MatchesController } from './matches/matches.controller';
import { OpportunitiesController } from './opportunities/opportunities.controller';
import { GetOpportunityHandler } from './queries/get-opportunity.query';
import { GetMatchHandler, ListMatchesHandler } from './queries/list-matches.query';
import { ListOpportunitiesHandler } from './queries/list-opportunities.query';
import { MatchingReadController } from './queries/matching-read.controller';

/** Opportunities and the three kinds of match: commands, queries and their routes. */
@Module({
  controllers: [OpportunitiesController, MatchesController, MatchingReadController],
  providers: [CandidateDirectory, ChangeOpportunityHandler, ListOpportunitiesHandler, GetOpportunityHandler, ListMatchesHandler, GetMatchHandler],
})
export class MatchingModule {}
