import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type Database from 'better-sqlite3';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { THEMES, WARDS, canonicalSkill } from '@tsunagi/domain';
import { OPPORTUNITY_KINDS } from '@tsunagi/matching';
import { MatchingQueries, OpportunityFilter, OpportunityView } from '@tsunagi/projections';
import { PageRequestDto, page } from '../../common/page.request.dto';
import { READ_MODELS } from '../../projections/projections.service';

export class ListOpportunitiesRequestDto extends PageRequestDto {
  @ApiPropertyOptional({ enum: WARDS }) @IsOptional() @IsIn(WARDS) ward?: string;
  @ApiPropertyOptional({ enum: ['open', 'closed'] }) @IsOptional() @IsIn(['open', 'closed']) status?: string;
  @ApiPropertyOptional({ enum: OPPORTUNITY_KINDS }) @IsOptional() @IsIn(OPPORTUNITY_KINDS) kind?: string;
  @ApiPropertyOptional({ description: 'A skill or profession; ＩＴ and IT are the same' }) @IsOptional() @IsString() @Length(1, 50) skill?: string;
  @ApiPropertyOptional({ enum: THEMES }) @IsOptional() @IsIn(THEMES) theme?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() organisationId?: string;
}

export class ListOpportunitiesQuery extends Query<{ items: OpportunityView[]; nextCursor?: string }> {
  constructor(readonly filter: Omit<OpportunityFilter, 'limit'> & { limit: number }) {
    super();
  }
}

@QueryHandler(ListOpportunitiesQuery)
export class ListOpportunitiesHandler implements IQueryHandler<ListOpportunitiesQuery> {
  private readonly queries: MatchingQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new MatchingQueries(db);
  }

  async execute({ filter }: ListOpportunitiesQuery) {
    const rows = this.queries.opportunities({ ...filter, skill: filter.skill === undefined ? undefined : canonicalSkill(filter.skill), limit: filter.limit + 1 });
    return page(rows, filter.limit, (o) => o.opportunityId);
  }
}
