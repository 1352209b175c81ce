import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type Database from 'better-sqlite3';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { Principal, THEMES, WARDS, canonicalSkill } from '@tsunagi/domain';
import { ParticipantsQueries, PeopleFilter, PeopleVisibility, PersonView } from '@tsunagi/projections';
import { PageRequestDto, page } from '../../common/page.request.dto';
import { READ_MODELS } from '../../projections/projections.service';
import { mayContactPerson, maySeePerson } from '@tsunagi/participants';

const LISTED_STATUSES = ['active', 'paused', 'deactivated'] as const;

export class ListPeopleRequestDto extends PageRequestDto {
  @ApiPropertyOptional({ enum: WARDS }) @IsOptional() @IsIn(WARDS) ward?: string;
  @ApiPropertyOptional({ description: 'A skill; ＩＴ and IT are the same' }) @IsOptional() @IsString() @Length(1, 50) skill?: string;
  @ApiPropertyOptional({ enum: THEMES }) @IsOptional() @IsIn(THEMES) theme?: string;
  @ApiPropertyOptional({ enum: LISTED_STATUSES }) @IsOptional() @IsIn(LISTED_STATUSES) status?: string;
}

/** A coordinator lists the people of their wards and those of other wards who agreed to be seen; an admin everyone. */
export function peopleVisibilityOf(principal: Principal): PeopleVisibility {
  switch (principal.role) {
    case 'admin':
      return { all: true };
    case 'coordinator':
      return { wards: principal.wards, visibleToOtherWards: true };
    default:
      return {};
  }
}

/** The view a principal may have of a person: undefined when they may not see them, without contact details unless they may contact them. */
export function personViewFor(principal: Principal, person: PersonView | undefined): PersonView | undefined {
  if (!person || !maySeePerson(principal, person)) return undefined;
  if (mayContactPerson(principal, person)) return person;
  const { contactEmail: _withheld, ...rest } = person;
  return rest;
}

export class ListPeopleQuery extends Query<{ items: PersonView[]; nextCursor?: string }> {
  constructor(
    readonly principal: Principal,
    readonly filter: PeopleFilter,
  ) {
    super();
  }
}

@QueryHandler(ListPeopleQuery)
export class ListPeopleHandler implements IQueryHandler<ListPeopleQuery> {
  private readonly queries: ParticipantsQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new ParticipantsQueries(db);
  }

  async execute({ principal, filter }: ListPeopleQuery) {
    const skill = filter.skill === undefined ? undefined : canonicalSkill(filter.skill);
    const rows = this.queries.people(peopleVisibilityOf(principal), { ...filter, skill, limit: filter.limit + 1 });
    const result = page(rows, filter.limit, (p) => p.personId);
    // The query already scoped the rows; the policy has the last word on each (and on its contact details).
    return { ...result, items: result.items.map((p) => personViewFor(principal, p)).filter((p): p is PersonView => p !== undefined) };
  }
}

export class GetPersonQuery extends Query<PersonView | undefined> {
  constructor(
    readonly principal: Principal,
    readonly personId: string,
  ) {
    super();
  }
}

@QueryHandler(GetPersonQuery)
export class GetPersonHandler implements IQueryHandler<GetPersonQuery> {
  private readonly queries: ParticipantsQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new ParticipantsQueries(db);
  }

  /** Not found and not yours to see answer the same, so ids reveal nothing. */
  async execute({ principal, personId }: GetPersonQuery) {
    return personViewFor(principal, this.queries.person(personId));
  }
}
