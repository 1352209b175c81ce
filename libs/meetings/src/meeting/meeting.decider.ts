import { Decider, DomainError } from '@tsunagi/domain';
import type { MeetingCommand } from './meeting.commands';
import type { MeetingEvent } from './meeting.events';
import type { MeetingOutcome, MeetingProposal, MeetingSchedule, MeetingStatus, Proposer } from './meeting.types';

export interface MeetingState {
  status: 'none' | MeetingStatus;
  proposal?: MeetingProposal & { proposer: Proposer };
  schedule?: MeetingSchedule;
  /** People holding a place, in the order they got it. */
  registered: string[];
  /** People waiting, first come first promoted. */
  waitlist: string[];
  checkedIn: Record<string, { walkIn: boolean }>;
  outcomes: MeetingOutcome[];
}

export const initialMeetingState = (): MeetingState => ({ status: 'none', registered: [], waitlist: [], checkedIn: {}, outcomes: [] });

const invalid = (field: string) => new DomainError('meeting.invalid', 'invalid', { field });

function requireStatus(state: MeetingState, command: MeetingCommand['type'], ...allowed: MeetingStatus[]): void {
  if (state.status === 'none') throw new DomainError('meeting.not_found', 'not_found');
  if (!allowed.includes(state.status)) throw new DomainError('meeting.invalid_transition', 'conflict', { from: state.status, command });
}

function validateProposal(p: MeetingProposal): void {
  if (!p.title.trim()) throw invalid('title');
  if (!Number.isInteger(p.capacity) || p.capacity < 1) throw invalid('capacity');
  if (p.preferredDates.length > 10) throw invalid('preferredDates');
}

function validateSchedule(s: MeetingSchedule, registered: number): void {
  const starts = Date.parse(s.startsAt);
  const ends = Date.parse(s.endsAt);
  if (Number.isNaN(starts)) throw invalid('startsAt');
  if (Number.isNaN(ends) || ends <= starts) throw invalid('endsAt');
  if (!Number.isInteger(s.capacity) || s.capacity < 1) throw invalid('capacity');
  if (s.capacity < registered) throw new DomainError('meeting.capacity_below_registered', 'conflict', { registered });
}

const scheduleOf = (c: MeetingSchedule): MeetingSchedule => ({ startsAt: c.startsAt, endsAt: c.endsAt, format: c.format, capacity: c.capacity });
const proposalOf = (c: MeetingProposal): MeetingProposal => ({
  sdc: c.sdc,
  title: c.title,
  themes: c.themes,
  purpose: c.purpose,
  preferredDates: c.preferredDates,
  format: c.format,
  capacity: c.capacity,
  newcomersWelcome: c.newcomersWelcome,
});

/** The first waiting people, as many as there are free places. */
function promotions(state: MeetingState, capacity: number, base: { meetingId: string; by: string; at: string }, freed = 0): MeetingEvent[] {
  const free = capacity - (state.registered.length - freed);
  return state.waitlist.slice(0, Math.max(0, free)).map((personId) => ({ type: 'PromotedFromWaitlist', data: { ...base, personId } }));
}

function decide(command: MeetingCommand, state: MeetingState): MeetingEvent[] {
  const base = { meetingId: command.meetingId, by: command.by, at: command.at };
  switch (command.type) {
    case 'ProposeMeeting':
    case 'ScheduleNewMeeting': {
      if (state.status !== 'none') throw new DomainError('meeting.already_exists', 'conflict');
      validateProposal(command);
      const proposed: MeetingEvent = {
        type: 'MeetingProposed',
        data: { ...base, ...proposalOf(command), proposer: command.proposer, ...(command.series ? { series: command.series } : {}) },
      };
      if (command.type === 'ProposeMeeting') return [proposed];
      validateSchedule(command.schedule, 0);
      return [proposed, { type: 'MeetingScheduled', data: { ...base, ...scheduleOf(command.schedule) } }];
    }
    case 'ApproveMeeting':
      requireStatus(state, command.type, 'proposed');
      validateSchedule(command, 0);
      return [{ type: 'MeetingScheduled', data: { ...base, ...scheduleOf(command) } }];
    case 'RejectMeeting':
      requireStatus(state, command.type, 'proposed');
      if (!command.reason.trim()) throw invalid('reason');
      return [{ type: 'MeetingRejected', data: { ...base, reason: command.reason } }];
    case 'WithdrawMeetingProposal':
      requireStatus(state, command.type, 'proposed');
      return [{ type: 'MeetingProposalWithdrawn', data: { ...base, ...(command.reason ? { reason: command.reason } : {}) } }];
    case 'RescheduleMeeting': {
      requireStatus(state, command.type, 'scheduled');
      if (!command.reason.trim()) throw invalid('reason');
      validateSchedule(command, state.registered.length);
      return [{ type: 'MeetingRescheduled', data: { ...base, ...scheduleOf(command), reason: command.reason } }, ...promotions(state, command.capacity, base)];
    }
    case 'CancelMeeting':
      requireStatus(state, command.type, 'scheduled');
      if (!command.reason.trim()) throw invalid('reason');
      return [{ type: 'MeetingCancelled', data: { ...base, reason: command.reason } }];
    case 'RegisterForMeeting': {
      requireStatus(state, command.type, 'scheduled');
      const { personId } = command;
      if (state.registered.includes(personId) || state.waitlist.includes(personId)) throw new DomainError('meeting.already_registered', 'conflict');
      if (Date.parse(command.at) >= Date.parse(state.schedule!.endsAt)) throw new DomainError('meeting.over', 'conflict');
      if (state.registered.length < state.schedule!.capacity) return [{ type: 'RegisteredForMeeting', data: { ...base, personId } }];
      return [{ type: 'WaitlistedForMeeting', data: { ...base, personId, waitlistPosition: state.waitlist.length + 1 } }];
    }
    case 'CancelMeetingRegistration': {
      requireStatus(state, command.type, 'scheduled');
      // After the end, a registration is history (a no-show is a no-show), and nobody can be promoted into it.
      if (Date.parse(command.at) >= Date.parse(state.schedule!.endsAt)) throw new DomainError('meeting.over', 'conflict');
      const { personId } = command;
      if (state.waitlist.includes(personId)) return [{ type: 'MeetingRegistrationCancelled', data: { ...base, personId, wasWaitlisted: true } }];
      if (!state.registered.includes(personId)) throw new DomainError('meeting.not_registered', 'not_found');
      // The freed place goes to the first person waiting, in the same append: nobody else can take it first.
      return [{ type: 'MeetingRegistrationCancelled', data: { ...base, personId, wasWaitlisted: false } }, ...promotions(state, state.schedule!.capacity, base, 1)];
    }
    case 'CheckInAttendee': {
      requireStatus(state, command.type, 'scheduled');
      if (state.checkedIn[command.personId]) throw new DomainError('meeting.already_checked_in', 'conflict');
      return [{ type: 'AttendeeCheckedIn', data: { ...base, personId: command.personId, walkIn: !state.registered.includes(command.personId) } }];
    }
    case 'CloseMeeting': {
      requireStatus(state, command.type, 'scheduled');
      if (Date.parse(command.at) < Date.parse(state.schedule!.startsAt)) throw new DomainError('meeting.not_started', 'conflict');
      if (new Set(command.outcomes.map((o) => o.outcomeId)).size !== command.outcomes.length) throw invalid('outcomes');
      if (!Number.isInteger(command.anonymousAttendees) || command.anonymousAttendees < 0) throw invalid('anonymousAttendees');
      const attendees = Object.keys(state.checkedIn).length;
      const noShows = state.registered.filter((p) => !state.checkedIn[p]).length;
      const { minutes, contributions, outcomes, anonymousAttendees } = command;
      return [{ type: 'MeetingClosed', data: { ...base, minutes, contributions, outcomes, attendees, noShows, anonymousAttendees } }];
    }
  }
}

function evolve(state: MeetingState, event: MeetingEvent): MeetingState {
  switch (event.type) {
    case 'MeetingProposed': {
      const { meetingId: _m, by: _b, at: _a, series: _s, ...proposal } = event.data;
      return { ...state, status: 'proposed', proposal };
    }
    case 'MeetingScheduled':
    case 'MeetingRescheduled':
      return { ...state, status: 'scheduled', schedule: scheduleOf(event.data) };
    case 'MeetingRejected':
      return { ...state, status: 'rejected' };
    case 'MeetingProposalWithdrawn':
      return { ...state, status: 'withdrawn' };
    case 'MeetingCancelled':
      return { ...state, status: 'cancelled' };
    case 'RegisteredForMeeting':
      return { ...state, registered: [...state.registered, event.data.personId] };
    case 'WaitlistedForMeeting':
      return { ...state, waitlist: [...state.waitlist, event.data.personId] };
    case 'MeetingRegistrationCancelled': {
      const { personId } = event.data;
      return { ...state, registered: state.registered.filter((p) => p !== personId), waitlist: state.waitlist.filter((p) => p !== personId) };
    }
    case 'PromotedFromWaitlist': {
      const { personId } = event.data;
      return { ...state, registered: [...state.registered, personId], waitlist: state.waitlist.filter((p) => p !== personId) };
    }
    case 'AttendeeCheckedIn': {
      const { personId, walkIn } = event.data;
      return { ...state, checkedIn: { ...state.checkedIn, [personId]: { walkIn } }, waitlist: state.waitlist.filter((p) => p !== personId) };
    }
    case 'MeetingClosed':
      return { ...state, status: 'closed', outcomes: event.data.outcomes };
  }
}

export const meetingDecider: Decider<MeetingState, MeetingCommand, MeetingEvent> = { initialState: initialMeetingState, decide, evolve };
