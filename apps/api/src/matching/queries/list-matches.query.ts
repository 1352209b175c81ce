import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type Database from 'better-sqlite3';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { Principal, WARDS } from '@tsunagi/domain';
import { MATCH_STATUSES, OPPORTUNITY_KINDS } from '@tsunagi/matching';
import { MatchFilter, MatchView, MatchVisibility, MatchingQueries } from '@tsunagi/projections';
import { PageRequestDto, page } from '../../common/page.request.dto';
import { READ_MODELS } from '../../projections/projections.service';

export class ListMatchesRequestDto extends PageRequestDto {
  @ApiPropertyOptional({ enum: MATCH_STATUSES }) @IsOptional() @IsIn(MATCH_STATUSES) status?: string;
  @ApiPropertyOptional({ enum: OPPORTUNITY_KINDS }) @IsOptional() @IsIn(OPPORTUNITY_KINDS) kind?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() opportunityId?: string;
  @ApiPropertyOptional({ enum: WARDS }) @IsOptional() @IsIn(WARDS) ward?: string;
}

/** A volunteer sees only matches proposed to them; a representative their organisation's; a coordinator their wards'. */
export function matchVisibilityOf(principal: Principal): MatchVisibility {
  switch (principal.role) {
    case 'admin':
      return { all: true };
    case 'volunteer':
      return { candidate: { type: 'person', ids: principal.personId ? [principal.personId] : [] } };
    case 'organisation':
      return { candidate: { type: 'organisation', ids: principal.organisationIds }, organisationIds: principal.organisationIds };
    case 'coordinator':
      return { wards: principal.wards };
    default:
      return {};
  }
}

export class ListMatchesQuery extends Query<{ items: MatchView[]; nextCursor?: string }> {
  constructor(
    readonly principal: Principal,
    readonly filter: MatchFilter,
  ) {
    super();
  }
}

@QueryHandler(ListMatchesQuery)
export class ListMatchesHandler implements IQueryHandler<ListMatchesQuery> {
  private readonly queries: MatchingQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new MatchingQueries(db);
  }

  async execute({ principal, filter }: ListMatchesQuery) {
    const rows = this.queries.matches(matchVisibilityOf(principal), { ...filter, limit: filter.limit + 1 });
    return page(rows, filter.limit, (m) => m.matchId);
  }
}

export class GetMatchQuery extends Query<MatchView | undefined> {
  constructor(
    readonly principal: Principal,
    readonly matchId: string,
  ) {
    super();
  }
}

@QueryHandler(GetMatchQuery)
export class GetMatchHandler implements IQueryHandler<GetMatchQuery> {
  private readonly queries: MatchingQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new MatchingQueries(db);
  }

  /** Not found and not yours answer the same, so ids of other people's matches reveal nothing. */
  async execute({ principal, matchId }: GetMatchQuery) {
    return this.queries.matches(matchVisibilityOf(principal), { matchId, limit: 1 })[0];
  }
}
