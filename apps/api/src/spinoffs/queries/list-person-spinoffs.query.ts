import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { Principal } from '@tsunagi/domain';
import { PersonSpinOffFilter, PersonSpinOffView, SpinOffsQueries } from '@tsunagi/projections';
import { page } from '../../common/page.request.dto';
import { READ_MODELS } from '../../projections/projections.service';

export class ListPersonSpinOffsQuery extends Query<{ items: PersonSpinOffView[]; nextCursor?: string } | undefined> {
  constructor(
    readonly principal: Principal,
    readonly personId: string,
    readonly filter: PersonSpinOffFilter,
  ) {
    super();
  }
}

/** The projects a person initiated or is a member of: the person themself, coordinators and admins; undefined (404) for anyone else. */
@QueryHandler(ListPersonSpinOffsQuery)
export class ListPersonSpinOffsHandler implements IQueryHandler<ListPersonSpinOffsQuery> {
  private readonly queries: SpinOffsQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new SpinOffsQueries(db);
  }

  async execute({ principal, personId, filter }: ListPersonSpinOffsQuery) {
    const self = principal.role === 'volunteer' && principal.personId === personId;
    if (!self && principal.role !== 'coordinator' && principal.role !== 'admin') return undefined;
    return page(this.queries.personSpinOffs(personId, { ...filter, limit: filter.limit + 1 }), filter.limit, (p) => p.spinOff.spinOffId);
  }
}
