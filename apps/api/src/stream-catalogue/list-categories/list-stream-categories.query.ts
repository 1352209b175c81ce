import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { StreamCatalogueQueries, StreamCategorySummary } from '@tsunagi/projections';
import { READ_MODELS } from '../../projections/projections.service';

export class ListStreamCategoriesQuery extends Query<{ categories: StreamCategorySummary[] }> {}

@QueryHandler(ListStreamCategoriesQuery)
export class ListStreamCategoriesHandler implements IQueryHandler<ListStreamCategoriesQuery> {
  private readonly queries: StreamCatalogueQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new StreamCatalogueQueries(db);
  }

  async execute() {
    return { categories: this.queries.categories() };
  }
}
