import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { Principal } from '@tsunagi/domain';
import { MeetingParticipantView, MeetingView, MeetingsQueries } from '@tsunagi/projections';
import { READ_MODELS } from '../../projections/projections.service';
import { meetingViewFor, participantListsOf, runsMeeting } from './meeting-views';

export type MeetingDetailView = MeetingView &
  Partial<ReturnType<typeof participantListsOf>> & {
    /** The caller's own registration (people only); null when they have none. */
    myRegistration?: MeetingParticipantView | null;
  };

export class GetMeetingQuery extends Query<MeetingDetailView | undefined> {
  constructor(
    readonly principal: Principal,
    readonly meetingId: string,
  ) {
    super();
  }
}

/**
 * Anyone signed in sees a meeting; its registrations and attendance only the SDC's coordinators and admins;
 * a person sees their own registration on it.
 */
@QueryHandler(GetMeetingQuery)
export class GetMeetingHandler implements IQueryHandler<GetMeetingQuery> {
  private readonly queries: MeetingsQueries;
  constructor(@Inject(READ_MODELS) db: Database.Database) {
    this.queries = new MeetingsQueries(db);
  }

  async execute({ principal, meetingId }: GetMeetingQuery): Promise<MeetingDetailView | undefined> {
    const meeting = this.queries.meeting(meetingId);
    if (!meeting) return undefined;
    const view: MeetingDetailView = meetingViewFor(principal, meeting);
    if (runsMeeting(principal, meeting)) return { ...view, ...participantListsOf(this.queries.participants(meetingId)) };
    if (principal.personId && principal.role !== 'analyst') return { ...view, myRegistration: this.queries.participant(meetingId, principal.personId) ?? null };
    return view;
  }
}
