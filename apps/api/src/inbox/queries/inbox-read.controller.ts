import { Controller, Get, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandRequest, Roles } from '@tsunagi/platform';
import { ReadPositionRequestDto } from '../../common/page.request.dto';
import { ProjectionsService } from '../../projections/projections.service';
import { CountUnreadQuery, ListInboxQuery, ListInboxRequestDto } from './list-inbox.query';

const PROJECTION = 'inbox';

/** Everyone signed in has an inbox of their own, and sees nobody else's (admins included). */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api/inbox')
export class InboxReadController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get()
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({
    summary: 'Your inbox, newest first: a volunteer’s as a person, a representative’s organisations’, and whatever was addressed to your token’s subject',
  })
  async list(@Query() q: ListInboxRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    const { unread, kind, after, limit } = q;
    return this.queryBus.execute(new ListInboxQuery(request.principal, { unread: unread === 'true', kind, after, limit }));
  }

  @Get('unread-count')
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'How many notifications of your inbox are not read yet' })
  async unreadCount(@Query() q: ReadPositionRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    return this.queryBus.execute(new CountUnreadQuery(request.principal));
  }
}
