import type { Principal } from '@tsunagi/domain';
import type { MeetingParticipantView, MeetingView } from '@tsunagi/projections';

/** Admins, and coordinators of the meeting's SDC: they see who registered, waits and came. */
export const runsMeeting = (principal: Principal, meeting: Pick<MeetingView, 'sdc'>) =>
  principal.role === 'admin' || (principal.role === 'coordinator' && principal.wards.includes(meeting.sdc));

/** Meetings are public to anyone signed in; who proposed one only to the proposer and those who run it. */
export function meetingViewFor(principal: Principal, meeting: MeetingView): MeetingView {
  if (runsMeeting(principal, meeting) || meeting.proposer?.subject === principal.subject) return meeting;
  const { proposer: _withheld, ...rest } = meeting;
  return rest;
}

/** The lists a meeting's coordinators work with: places in order, the waitlist in order, check-ins, and no-shows (registered, not checked in). */
export function participantListsOf(participants: MeetingParticipantView[]) {
  return {
    registrations: {
      registered: participants.filter((p) => p.registration === 'registered').map((p) => p.personId),
      waitlist: participants.filter((p) => p.registration === 'waitlisted').map((p) => ({ personId: p.personId, waitlistPosition: p.waitlistPosition! })),
      cancelled: participants.filter((p) => p.registration === 'cancelled').map((p) => p.personId),
    },
    attendance: {
      checkedIn: participants.filter((p) => p.checkedIn).map((p) => ({ personId: p.personId, walkIn: p.walkIn })),
      noShows: participants.filter((p) => p.registration === 'registered' && !p.checkedIn).map((p) => p.personId),
    },
  };
}
