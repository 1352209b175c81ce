import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { Principal } from '@tsunagi/domain';
import { maySeeMatchesOf } from '@tsunagi/matching';
import { MatchView, MatchingQueries, OpportunityView } from '@tsunagi/projections';
import { READ_MODELS } from '../../projections/projections.service';

export class GetOpportunityQuery extends Query<(OpportunityView & { matches?: MatchView[] }) | undefined> {
  constructor(
    readonly principal: Principal,
    readonly opportunityId: string,
  ) {
    super();
  }
}

/** Anyone signed in sees an opportunity; its matches only its organisation, the ward's coordinators and admins. */
@QueryHandler(GetOpportunityQuery)
export class GetOpportunityHandler implements IQueryHandler<GetOpportunityQuery> {
  private readonly queries: MatchingQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new MatchingQueries(db);
  }

  async execute({ principal, opportunityId }: GetOpportunityQuery) {
    const opportunity = this.queries.opportunity(opportunityId);
    if (!opportunity) return undefined;
    if (!maySeeMatchesOf(principal, { profile: { ward: opportunity.ward, organisationId: opportunity.organisationId } as never })) return opportunity;
    return { ...opportunity, matches: this.queries.matches({ all: true }, { opportunityId, limit: 10_000 }) };
  }
}
