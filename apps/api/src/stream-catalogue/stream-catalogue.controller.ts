import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tsunagi/platform';
import { ProjectionsService } from '../projections/projections.service';
import { ListStreamCategoriesQuery } from './list-categories/list-stream-categories.query';
import { ReadPositionRequestDto } from '../common/page.request.dto';
import { ListStreamsRequestDto } from './list-streams/list-streams.request.dto';
import { ListStreamsQuery } from './list-streams/list-streams.query';

const PROJECTION = 'stream-catalogue';

/** An operator's view of what the event store holds, served from the stream-catalogue projection. */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('api/admin/streams')
export class StreamCatalogueController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Streams with their last revision, by category, paginated by cursor' })
  async list(@Query() request: ListStreamsRequestDto) {
    await this.projections.ensureReflects(PROJECTION, request.minPosition);
    return this.queryBus.execute(new ListStreamsQuery(request.category, request.after, request.limit));
  }

  @Get('categories')
  @Roles('admin')
  @ApiOperation({ summary: 'Stream and event counts by category' })
  async categories(@Query() request: ReadPositionRequestDto) {
    await this.projections.ensureReflects(PROJECTION, request.minPosition);
    return this.queryBus.execute(new ListStreamCategoriesQuery());
  }
}
