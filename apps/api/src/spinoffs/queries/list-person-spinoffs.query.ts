import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { Principal } from '@tsunagi/domain';
import { ParticipantsQueries, PersonSpinOffFilter, PersonSpinOffView, SpinOffsQueries } from '@tsunagi/projections';
import { mayReadPersonHistory } from '../../common/person-history-access';
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

/** The projects a person initiated or is a member of, for whoever may read the person's history; undefined (404) otherwise. */
@QueryHandler(ListPersonSpinOffsQuery)
export class ListPersonSpinOffsHandler implements IQueryHandler<ListPersonSpinOffsQuery> {
  private readonly queries: SpinOffsQueries;
  private readonly participants: ParticipantsQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new SpinOffsQueries(db);
    this.participants = new ParticipantsQueries(db);
  }

  async execute({ principal, personId, filter }: ListPersonSpinOffsQuery) {
    if (!mayReadPersonHistory(principal, personId, this.participants)) return undefined;
    return page(this.queries.personSpinOffs(personId, { ...filter, limit: filter.limit + 1 }), filter.limit, (p) => p.spinOff.spinOffId);
  }
}
