import { Controller, Get, Param, ParseUUIDPipe, Query, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError, CommandRequest, Roles } from '@tsunagi/platform';
import { ReadPositionRequestDto } from '../../common/page.request.dto';
import { ProjectionsService } from '../../projections/projections.service';
import { GetMeetingQuery } from './get-meeting.query';
import { ListMeetingsQuery, ListMeetingsRequestDto } from './list-meetings.query';
import { ListPersonMeetingsQuery, ListPersonMeetingsRequestDto } from './list-person-meetings.query';

const PROJECTION = 'meetings';

@ApiTags('meetings')
@ApiBearerAuth()
@Controller('api')
export class MeetingsReadController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get('meetings')
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'Meetings, filtered by SDC (ward), theme, status or dates; upcoming=true: scheduled and not ended, soonest first' })
  async list(@Query() q: ListMeetingsRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    const { ward, theme, status, from, to, upcoming, seriesId, after, limit } = q;
    return this.queryBus.execute(new ListMeetingsQuery(request.principal, { ward, theme, status, from, to, upcoming, seriesId, after, limit }));
  }

  @Get('meetings/:meetingId')
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'One meeting; with registrations and attendance for the SDC’s coordinators and admins, your own registration for you' })
  async get(@Param('meetingId', ParseUUIDPipe) meetingId: string, @Query() q: ReadPositionRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    const found = await this.queryBus.execute(new GetMeetingQuery(request.principal, meetingId));
    if (!found) throw new ApiError(404, 'meeting.not_found');
    return found;
  }

  @Get('people/:personId/meetings')
  @ApiTags('people')
  @Roles('coordinator', 'volunteer', 'organisation', 'admin')
  @ApiOperation({ summary: 'The meetings a person proposed, registered for, waited for or attended: themself, coordinators who may see them, admins' })
  async personMeetings(@Param('personId', ParseUUIDPipe) personId: string, @Query() q: ListPersonMeetingsRequestDto, @Req() request: CommandRequest) {
    await this.projections.ensureReflects(PROJECTION, q.minPosition);
    await this.projections.ensureReflects('participants', q.minPosition);
    const { relation, after, limit } = q;
    const found = await this.queryBus.execute(new ListPersonMeetingsQuery(request.principal, personId, { relation, after, limit }));
    if (!found) throw new ApiError(404, 'person.not_found');
    return found;
  }
}
