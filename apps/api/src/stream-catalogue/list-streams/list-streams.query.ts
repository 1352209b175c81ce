import { Query } from '@nestjs/cqrs';
import type { StreamCatalogueEntry } from '@tsunagi/projections';

export interface StreamsPage {
  streams: StreamCatalogueEntry[];
  /** Pass as `after` for the next page; absent on the last page. */
  nextCursor?: string;
}

export class ListStreamsQuery extends Query<StreamsPage> {
  constructor(
    readonly category: string | undefined,
    readonly after: string | undefined,
    readonly limit: number,
  ) {
    super();
  }
}
