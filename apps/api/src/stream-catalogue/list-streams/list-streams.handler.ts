import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { StreamCatalogueQueries } from '@tsunagi/projections';
import { READ_MODELS } from '../../projections/projections.service';
import { ListStreamsQuery, StreamsPage } from './list-streams.query';

@QueryHandler(ListStreamsQuery)
export class ListStreamsHandler implements IQueryHandler<ListStreamsQuery, StreamsPage> {
  private readonly queries: StreamCatalogueQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new StreamCatalogueQueries(db);
  }

  async execute({ category, after, limit }: ListStreamsQuery): Promise<StreamsPage> {
    const streams = this.queries.streams({ category, after, limit: limit + 1 });
    const hasMore = streams.length > limit;
    const page = streams.slice(0, limit);
    return { streams: page, ...(hasMore ? { nextCursor: page[page.length - 1].streamId } : {}) };
  }
}
