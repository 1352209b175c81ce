import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type Database from 'better-sqlite3';
import { IsIn, IsOptional } from 'class-validator';
import { Principal, THEMES, WARDS } from '@tsunagi/domain';
import { ORGANISATION_TYPES } from '@tsunagi/participants';
import { OrganisationFilter, OrganisationView, ParticipantsQueries } from '@tsunagi/projections';
import { PageRequestDto, page } from '../../common/page.request.dto';
import { READ_MODELS } from '../../projections/projections.service';
import { mayContactOrganisation } from '@tsunagi/participants';

export class ListOrganisationsRequestDto extends PageRequestDto {
  @ApiPropertyOptional({ enum: WARDS, description: 'A ward the organisation serves' }) @IsOptional() @IsIn(WARDS) ward?: string;
  @ApiPropertyOptional({ enum: ORGANISATION_TYPES }) @IsOptional() @IsIn(ORGANISATION_TYPES) type?: string;
  @ApiPropertyOptional({ enum: THEMES }) @IsOptional() @IsIn(THEMES) theme?: string;
}

/** Organisations are public to anyone signed in; their contact e-mail and representatives are not for analysts. */
export function organisationViewFor(principal: Principal, organisation: OrganisationView): OrganisationView {
  if (mayContactOrganisation(principal)) return organisation;
  const { contactEmail: _contact, representatives: _representatives, ...rest } = organisation;
  return rest;
}

export class ListOrganisationsQuery extends Query<{ items: OrganisationView[]; nextCursor?: string }> {
  constructor(
    readonly principal: Principal,
    readonly filter: OrganisationFilter,
  ) {
    super();
  }
}

@QueryHandler(ListOrganisationsQuery)
export class ListOrganisationsHandler implements IQueryHandler<ListOrganisationsQuery> {
  private readonly queries: ParticipantsQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new ParticipantsQueries(db);
  }

  async execute({ principal, filter }: ListOrganisationsQuery) {
    const result = page(this.queries.organisations({ ...filter, limit: filter.limit + 1 }), filter.limit, (o) => o.organisationId);
    return { ...result, items: result.items.map((o) => organisationViewFor(principal, o)) };
  }
}

export class GetOrganisationQuery extends Query<OrganisationView | undefined> {
  constructor(
    readonly principal: Principal,
    readonly organisationId: string,
  ) {
    super();
  }
}

@QueryHandler(GetOrganisationQuery)
export class GetOrganisationHandler implements IQueryHandler<GetOrganisationQuery> {
  private readonly queries: ParticipantsQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new ParticipantsQueries(db);
  }

  /** One organisation with its representatives. */
  async execute({ principal, organisationId }: GetOrganisationQuery) {
    const organisation = this.queries.organisation(organisationId);
    return organisation && organisationViewFor(principal, organisation);
  }
}
