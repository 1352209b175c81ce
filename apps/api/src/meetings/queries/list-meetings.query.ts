import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type Database from 'better-sqlite3';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { CLOCK, Clock } from '@tsunagi/event-store';
import { Principal, THEMES, WARDS } from '@tsunagi/domain';
import { MEETING_STATUSES } from '@tsunagi/meetings';
import { ApiError } from '@tsunagi/platform';
import { MeetingFilter, MeetingView, MeetingsQueries, isMeetingCursor, meetingCursor } from '@tsunagi/projections';
import { PageRequestDto, page } from '../../common/page.request.dto';
import { READ_MODELS } from '../../projections/projections.service';
import { IsCalendarDate } from '../../common/validators';
import { DAY_MS, tokyoDayStart } from '../meeting-time';
import { meetingViewFor } from './meeting-views';

export class ListMeetingsRequestDto extends PageRequestDto {
  @ApiPropertyOptional({ enum: WARDS, description: 'The SDC' }) @IsOptional() @IsIn(WARDS) ward?: string;
  @ApiPropertyOptional({ enum: THEMES }) @IsOptional() @IsIn(THEMES) theme?: string;
  @ApiPropertyOptional({ enum: MEETING_STATUSES }) @IsOptional() @IsIn(MEETING_STATUSES) status?: string;
  @ApiPropertyOptional({ example: '2026-05-01', description: 'Starting on or after this date (Asia/Tokyo)' }) @IsOptional() @IsCalendarDate() from?: string;
  @ApiPropertyOptional({ example: '2026-05-31', description: 'Starting on or before this date (Asia/Tokyo)' }) @IsOptional() @IsCalendarDate() to?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Scheduled meetings that have not ended, soonest first' })
  @IsOptional()
  @IsIn(['true', 'false'])
  upcoming?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The meetings of one series' }) @IsOptional() @IsUUID() seriesId?: string;
}

export class ListMeetingsQuery extends Query<{ items: MeetingView[]; nextCursor?: string }> {
  constructor(
    readonly principal: Principal,
    readonly request: Pick<ListMeetingsRequestDto, 'ward' | 'theme' | 'status' | 'from' | 'to' | 'upcoming' | 'seriesId' | 'after' | 'limit'>,
  ) {
    super();
  }
}

@QueryHandler(ListMeetingsQuery)
export class ListMeetingsHandler implements IQueryHandler<ListMeetingsQuery> {
  private readonly queries: MeetingsQueries;
  constructor(
    @Inject(READ_MODELS) db: Database.Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.queries = new MeetingsQueries(db);
  }

  async execute({ principal, request }: ListMeetingsQuery) {
    const upcoming = request.upcoming === 'true';
    if (request.after !== undefined && !isMeetingCursor(request.after, upcoming)) {
      throw new ApiError(400, 'validation.failed', {}, { errors: [{ field: 'after', rules: ['isCursor'] }] });
    }
    const filter: MeetingFilter = {
      ward: request.ward,
      theme: request.theme,
      status: request.status,
      seriesId: request.seriesId,
      startsFrom: tokyoDayStart(request.from),
      startsBefore: request.to === undefined ? undefined : tokyoDayStart(request.to)! + DAY_MS,
      upcomingAt: upcoming ? this.clock.now().getTime() : undefined,
      after: request.after,
      limit: request.limit + 1,
    };
    const result = page(this.queries.meetings(filter), request.limit, (m) => meetingCursor(m, upcoming));
    return { ...result, items: result.items.map((m) => meetingViewFor(principal, m)) };
  }
}
