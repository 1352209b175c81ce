import type { DomainEvent } from '@tsunagi/domain';
import type { MeetingOutcome, MeetingProposal, MeetingSchedule, Proposer, SeriesLink } from './meeting.types';

interface Base {
  meetingId: string;
  by: string;
  at: string;
}

/**
 * One stream per meeting, `meeting-<id>`: its places, waitlist and attendance are decided together, so
 * capacity holds under concurrent registrations with one expected-revision check.
 */
export type MeetingEvent =
  | DomainEvent<'MeetingProposed', Base & MeetingProposal & { proposer: Proposer; series?: SeriesLink }>
  | DomainEvent<'MeetingScheduled', Base & MeetingSchedule>
  | DomainEvent<'MeetingRejected', Base & { reason: string }>
  | DomainEvent<'MeetingProposalWithdrawn', Base & { reason?: string }>
  | DomainEvent<'MeetingRescheduled', Base & MeetingSchedule & { reason: string }>
  | DomainEvent<'MeetingCancelled', Base & { reason: string }>
  | DomainEvent<'RegisteredForMeeting', Base & { personId: string }>
  | DomainEvent<'WaitlistedForMeeting', Base & { personId: string; waitlistPosition: number }>
  | DomainEvent<'MeetingRegistrationCancelled', Base & { personId: string; wasWaitlisted: boolean }>
  | DomainEvent<'PromotedFromWaitlist', Base & { personId: string }>
  | DomainEvent<'AttendeeCheckedIn', Base & { personId: string; walkIn: boolean }>
  | DomainEvent<'MeetingClosed', Base & { minutes: string; contributions: string[]; outcomes: MeetingOutcome[]; attendees: number; noShows: number; anonymousAttendees: number }>;

export type MeetingEventType = MeetingEvent['type'];

export const MEETING_EVENT_TYPES: readonly MeetingEventType[] = [
  'MeetingProposed',
  'MeetingScheduled',
  'MeetingRejected',
  'MeetingProposalWithdrawn',
  'MeetingRescheduled',
  'MeetingCancelled',
  'RegisteredForMeeting',
  'WaitlistedForMeeting',
  'MeetingRegistrationCancelled',
  'PromotedFromWaitlist',
  'AttendeeCheckedIn',
  'MeetingClosed',
];

export const meetingStreamId = (meetingId: string) => `meeting-${meetingId}`;
