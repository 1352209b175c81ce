import { Module } from '@nestjs/common';
import { AttendeeDirectory } from './attendee-directory';
import { ChangeMeetingHandler } from './change-meeting.command';
import { MeetingsController } from './meetings/meetings.controller';
import { GetMeetingHandler } from './queries/get-meeting.query';
import { ListMeetingsHandler } from './queries/list-meetings.query';
import { ListPersonMeetingsHandler } from './queries/list-person-meetings.query';
import { MeetingsReadController } from './queries/meetings-read.controller';
import { RegistrationsController } from './registrations/registrations.controller';

/** SDC meetings: proposals, scheduling (and series), registrations with a waitlist, check-in and closing; their queries and routes. */
@Module({
  controllers: [MeetingsController, RegistrationsController, MeetingsReadController],
  providers: [AttendeeDirectory, ChangeMeetingHandler, ListMeetingsHandler, GetMeetingHandler, ListPersonMeetingsHandler],
})
export class MeetingsModule {}
