import type { MeetingOutcome, MeetingProposal, MeetingSchedule, Proposer, SeriesLink } from './meeting.types';

interface Base {
  meetingId: string;
  by: string;
  at: string;
}

export type MeetingCommand =
  | ({ type: 'ProposeMeeting'; proposer: Proposer; series?: SeriesLink } & Base & MeetingProposal)
  /** A coordinator proposes and schedules in one step (their own SDC's meetings, series occurrences). */
  | ({ type: 'ScheduleNewMeeting'; proposer: Proposer; series?: SeriesLink; schedule: MeetingSchedule } & Base & MeetingProposal)
  | ({ type: 'ApproveMeeting' } & Base & MeetingSchedule)
  | ({ type: 'RejectMeeting'; reason: string } & Base)
  | ({ type: 'WithdrawMeetingProposal'; reason?: string } & Base)
  | ({ type: 'RescheduleMeeting'; reason: string } & Base & MeetingSchedule)
  | ({ type: 'CancelMeeting'; reason: string } & Base)
  | ({ type: 'RegisterForMeeting'; personId: string } & Base)
  | ({ type: 'CancelMeetingRegistration'; personId: string } & Base)
  | ({ type: 'CheckInAttendee'; personId: string } & Base)
  | ({ type: 'CloseMeeting'; minutes: string; contributions: string[]; outcomes: MeetingOutcome[]; anonymousAttendees: number } & Base);

export type MeetingCommandType = MeetingCommand['type'];
