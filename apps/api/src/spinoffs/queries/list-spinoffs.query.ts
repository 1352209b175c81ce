import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type Database from 'better-sqlite3';
import { IsIn, IsOptional } from 'class-validator';
import { Principal, THEMES, WARDS } from '@tsunagi/domain';
import { SpinOffDetailView, SpinOffFilter, SpinOffView, SpinOffsQueries } from '@tsunagi/projections';
import { SPINOFF_STATUSES, mayInviteToSpinOff } from '@tsunagi/spinoffs';
import { PageRequestDto, page } from '../../common/page.request.dto';
import { READ_MODELS } from '../../projections/projections.service';

const LISTED_STATUSES = SPINOFF_STATUSES.filter((status) => status !== 'none');

export class ListSpinOffsRequestDto extends PageRequestDto {
  @ApiPropertyOptional({ enum: WARDS, description: 'One of its wards' }) @IsOptional() @IsIn(WARDS) ward?: string;
  @ApiPropertyOptional({ enum: LISTED_STATUSES }) @IsOptional() @IsIn(LISTED_STATUSES) status?: string;
  @ApiPropertyOptional({ enum: THEMES }) @IsOptional() @IsIn(THEMES) theme?: string;
}

export class ListSpinOffsQuery extends Query<{ items: SpinOffView[]; nextCursor?: string }> {
  constructor(readonly filter: SpinOffFilter) {
    super();
  }
}

/** Spin-offs are public to anyone signed in: person ids are pseudonymous, and no names or contact details are shown. */
@QueryHandler(ListSpinOffsQuery)
export class ListSpinOffsHandler implements IQueryHandler<ListSpinOffsQuery> {
  private readonly queries: SpinOffsQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new SpinOffsQueries(db);
  }

  async execute({ filter }: ListSpinOffsQuery) {
    return page(this.queries.spinOffs({ ...filter, limit: filter.limit + 1 }), filter.limit, (s) => s.spinOffId);
  }
}

export class GetSpinOffQuery extends Query<SpinOffDetailView | undefined> {
  constructor(
    readonly spinOffId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

@QueryHandler(GetSpinOffQuery)
export class GetSpinOffHandler implements IQueryHandler<GetSpinOffQuery> {
  private readonly queries: SpinOffsQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new SpinOffsQueries(db);
  }

  /** Who was invited to each role only for those who may invite (its wards' coordinators, admins): it says who was asked. */
  async execute({ spinOffId, principal }: GetSpinOffQuery) {
    const found = this.queries.spinOff(spinOffId);
    if (!found || !mayInviteToSpinOff(principal, found.wards)) return found;
    const invitations = this.queries.invitations(spinOffId);
    return { ...found, roles: found.roles.map((role) => ({ ...role, invitations: invitations.get(role.roleId) ?? [] })) };
  }
}
