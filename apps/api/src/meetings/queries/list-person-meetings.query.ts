import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type Database from 'better-sqlite3';
import { IsIn, IsOptional } from 'class-validator';
import { Principal } from '@tsunagi/domain';
import { mayReadPersonHistory } from '../../common/person-history-access';
import { MeetingsQueries, PERSON_MEETING_RELATIONS, ParticipantsQueries, PersonMeetingFilter, PersonMeetingView } from '@tsunagi/projections';
import { PageRequestDto, page } from '../../common/page.request.dto';
import { READ_MODELS } from '../../projections/projections.service';
import { meetingViewFor } from './meeting-views';

export class ListPersonMeetingsRequestDto extends PageRequestDto {
  @ApiPropertyOptional({ enum: PERSON_MEETING_RELATIONS, description: 'Only the meetings they proposed, hold a place at, waited for, or attended' })
  @IsOptional()
  @IsIn(PERSON_MEETING_RELATIONS)
  relation?: (typeof PERSON_MEETING_RELATIONS)[number];
}

export class ListPersonMeetingsQuery extends Query<{ items: PersonMeetingView[]; nextCursor?: string } | undefined> {
  constructor(
    readonly principal: Principal,
    readonly personId: string,
    readonly filter: PersonMeetingFilter,
  ) {
    super();
  }
}

/** The person themself, admins, and coordinators who may see the person (participants policy); undefined (404) for anyone else. */
@QueryHandler(ListPersonMeetingsQuery)
export class ListPersonMeetingsHandler implements IQueryHandler<ListPersonMeetingsQuery> {
  private readonly meetings: MeetingsQueries;
  private readonly participants: ParticipantsQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.meetings = new MeetingsQueries(db);
    this.participants = new ParticipantsQueries(db);
  }

  async execute({ principal, personId, filter }: ListPersonMeetingsQuery) {
    if (!mayReadPersonHistory(principal, personId, this.participants)) return undefined;
    const result = page(this.meetings.personMeetings(personId, { ...filter, limit: filter.limit + 1 }), filter.limit, (m) => m.meeting.meetingId);
    return { ...result, items: result.items.map((m) => ({ ...m, meeting: meetingViewFor(principal, m.meeting) })) };
  }
}
