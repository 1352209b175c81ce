import { Module } from '@nestjs/common';
import { ListStreamCategoriesHandler } from './list-categories/list-stream-categories.query';
import { ListStreamsHandler } from './list-streams/list-streams.handler';
import { StreamCatalogueController } from './stream-catalogue.controller';

@Module({
  controllers: [StreamCatalogueController],
  providers: [ListStreamsHandler, ListStreamCategoriesHandler],
})
export class StreamCatalogueModule {}
