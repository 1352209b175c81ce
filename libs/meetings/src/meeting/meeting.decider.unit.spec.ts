import { fold } from '@tsunagi/domain';
import { spec } from '@tsunagi/testing';
import type { MeetingCommand } from './meeting.commands';
import { meetingDecider } from './meeting.decider';
import type { MeetingEvent } from './meeting.events';
import type { MeetingProposal, MeetingSchedule } from './meeting.types';

const meetingId = 'mt-1';
const by = 'coordinator-1';
const at = '2026-05-01T10:00:00+09:00';
const base = { meetingId, by, at };
const proposal: MeetingProposal = {
  sdc: 'nakahara',
  title: 'YORIAI 5月',
  themes: ['town_making'],
  purpose: '地域の困りごとを話そう',
  preferredDates: ['2026-05-20'],
  format: { mode: 'in_person', venue: '中原市民館' },
  capacity: 30,
  newcomersWelcome: true,
};
const schedule = (capacity = 2): MeetingSchedule => ({
  startsAt: '2026-05-20T19:00:00+09:00',
  endsAt: '2026-05-20T21:00:00+09:00',
  format: { mode: 'in_person', venue: '中原市民館 第1会議室' },
  capacity,
});
const proposer = { subject: 'p-proposer', personId: 'p-proposer' };
const proposed: MeetingEvent = { type: 'MeetingProposed', data: { ...base, ...proposal, proposer } };
const scheduled = (capacity = 2): MeetingEvent => ({ type: 'MeetingScheduled', data: { ...base, ...schedule(capacity) } });
const e = (type: MeetingEvent['type'], data: object = {}) => ({ type, data: { ...base, ...data } }) as MeetingEvent;
const c = (type: MeetingCommand['type'], data: object = {}) => ({ type, ...base, ...data }) as MeetingCommand;
const given = (events: MeetingEvent[]) => spec(meetingDecider).given(events);
const full = [proposed, scheduled(2), e('RegisteredForMeeting', { personId: 'a' }), e('RegisteredForMeeting', { personId: 'b' })];

describe('meeting decider', () => {
  describe('proposal and scheduling', () => {
    it('anyone proposes; a coordinator approves and schedules, or rejects; the proposer withdraws', () => {
      given([]).when(c('ProposeMeeting', { ...proposal, proposer })).then([proposed]);
      given([proposed]).when(c('ApproveMeeting', schedule())).then([scheduled()]);
      given([proposed]).when(c('RejectMeeting', { reason: '日程が合わない' })).then([e('MeetingRejected', { reason: '日程が合わない' })]);
      given([proposed]).when(c('WithdrawMeetingProposal')).then([e('MeetingProposalWithdrawn')]);
    });
    it('a coordinator can propose and schedule in one step, with a series link', () => {
      const series = { seriesId: 's1', occurrence: 3 };
      given([])
        .when(c('ScheduleNewMeeting', { ...proposal, proposer, series, schedule: schedule() }))
        .then([{ type: 'MeetingProposed', data: { ...base, ...proposal, proposer, series } }, scheduled()]);
    });
    it('refuses bad schedules and illegal moves', () => {
      given([proposed]).when(c('ApproveMeeting', { ...schedule(), endsAt: '2026-05-20T18:00:00+09:00' })).thenFails('meeting.invalid', { field: 'endsAt' });
      given([proposed]).when(c('ApproveMeeting', { ...schedule(), capacity: 0 })).thenFails('meeting.invalid', { field: 'capacity' });
      given([proposed]).when(c('RejectMeeting', { reason: '  ' })).thenFails('meeting.invalid', { field: 'reason' });
      given([proposed]).when(c('ProposeMeeting', { ...proposal, proposer })).thenFails('meeting.already_exists');
      given([]).when(c('ApproveMeeting', schedule())).thenFails('meeting.not_found');
      given([proposed, scheduled()]).when(c('ApproveMeeting', schedule())).thenFails('meeting.invalid_transition', { from: 'scheduled', command: 'ApproveMeeting' });
      given([proposed, e('MeetingRejected', { reason: 'x' })]).when(c('ApproveMeeting', schedule())).thenFails('meeting.invalid_transition');
      given([proposed, scheduled()]).when(c('WithdrawMeetingProposal')).thenFails('meeting.invalid_transition');
      given([proposed]).when(c('RegisterForMeeting', { personId: 'a' })).thenFails('meeting.invalid_transition');
      given([proposed]).when(c('CancelMeeting', { reason: 'x' })).thenFails('meeting.invalid_transition');
    });
    it('reschedules or cancels a scheduled meeting, with a reason', () => {
      given([proposed, scheduled()]).when(c('RescheduleMeeting', { ...schedule(), reason: '会場変更' })).then([e('MeetingRescheduled', { ...schedule(), reason: '会場変更' })]);
      given([proposed, scheduled()]).when(c('CancelMeeting', { reason: '台風' })).then([e('MeetingCancelled', { reason: '台風' })]);
      given([proposed, scheduled(), e('MeetingCancelled', { reason: '台風' })]).when(c('RegisterForMeeting', { personId: 'a' })).thenFails('meeting.invalid_transition');
    });
  });

  describe('registration and the waitlist', () => {
    it('registers while places remain, then waitlists in order', () => {
      given([proposed, scheduled(2)]).when(c('RegisterForMeeting', { personId: 'a' })).then([e('RegisteredForMeeting', { personId: 'a' })]);
      given(full).when(c('RegisterForMeeting', { personId: 'c' })).then([e('WaitlistedForMeeting', { personId: 'c', waitlistPosition: 1 })]);
      given([...full, e('WaitlistedForMeeting', { personId: 'c', waitlistPosition: 1 })])
        .when(c('RegisterForMeeting', { personId: 'd' }))
        .then([e('WaitlistedForMeeting', { personId: 'd', waitlistPosition: 2 })]);
    });
    it('refuses registering twice, or after the meeting ended', () => {
      given(full).when(c('RegisterForMeeting', { personId: 'a' })).thenFails('meeting.already_registered');
      given([...full, e('WaitlistedForMeeting', { personId: 'c', waitlistPosition: 1 })]).when(c('RegisterForMeeting', { personId: 'c' })).thenFails('meeting.already_registered');
      given([proposed, scheduled()]).when(c('RegisterForMeeting', { personId: 'z', at: '2026-05-20T21:00:00+09:00' })).thenFails('meeting.over');
    });
    it('a freed place promotes the first person waiting, in the same decision', () => {
      const waiting = [...full, e('WaitlistedForMeeting', { personId: 'c', waitlistPosition: 1 }), e('WaitlistedForMeeting', { personId: 'd', waitlistPosition: 2 })];
      given(waiting)
        .when(c('CancelMeetingRegistration', { personId: 'a' }))
        .then([e('MeetingRegistrationCancelled', { personId: 'a', wasWaitlisted: false }), e('PromotedFromWaitlist', { personId: 'c' })]);
      const after = fold(meetingDecider, [...waiting, e('MeetingRegistrationCancelled', { personId: 'a', wasWaitlisted: false }), e('PromotedFromWaitlist', { personId: 'c' })]);
      expect([after.registered, after.waitlist]).toEqual([['b', 'c'], ['d']]);
    });
    it('leaving the waitlist promotes nobody; cancelling without registering is refused', () => {
      const waiting = [...full, e('WaitlistedForMeeting', { personId: 'c', waitlistPosition: 1 })];
      given(waiting).when(c('CancelMeetingRegistration', { personId: 'c' })).then([e('MeetingRegistrationCancelled', { personId: 'c', wasWaitlisted: true })]);
      given(waiting).when(c('CancelMeetingRegistration', { personId: 'zz' })).thenFails('meeting.not_registered');
      given(waiting).when(c('CancelMeetingRegistration', { personId: 'a', at: '2026-05-20T21:00:00+09:00' })).thenFails('meeting.over');
    });
    it('more places promote as many waiting people; fewer places than registered is refused', () => {
      const waiting = [...full, e('WaitlistedForMeeting', { personId: 'c', waitlistPosition: 1 }), e('WaitlistedForMeeting', { personId: 'd', waitlistPosition: 2 })];
      given(waiting)
        .when(c('RescheduleMeeting', { ...schedule(5), reason: '大きな部屋へ' }))
        .then([e('MeetingRescheduled', { ...schedule(5), reason: '大きな部屋へ' }), e('PromotedFromWaitlist', { personId: 'c' }), e('PromotedFromWaitlist', { personId: 'd' })]);
      given(full).when(c('RescheduleMeeting', { ...schedule(1), reason: '小部屋' })).thenFails('meeting.capacity_below_registered', { registered: 2 });
    });
  });

  describe('attendance and closing', () => {
    it('checks in registered people and walk-ins, once each', () => {
      given(full).when(c('CheckInAttendee', { personId: 'a' })).then([e('AttendeeCheckedIn', { personId: 'a', walkIn: false })]);
      given(full).when(c('CheckInAttendee', { personId: 'new' })).then([e('AttendeeCheckedIn', { personId: 'new', walkIn: true })]);
      given([...full, e('AttendeeCheckedIn', { personId: 'a', walkIn: false })]).when(c('CheckInAttendee', { personId: 'a' })).thenFails('meeting.already_checked_in');
    });
    it('closes with minutes and outcomes; attendees and no-shows are counted, not typed', () => {
      const held = [...full, e('AttendeeCheckedIn', { personId: 'a', walkIn: false }), e('AttendeeCheckedIn', { personId: 'w', walkIn: true })];
      const outcomes = [{ outcomeId: 'o1', kind: 'idea', text: '子ども食堂をやりたい' }];
      given(held)
        .when(c('CloseMeeting', { at: '2026-05-20T21:30:00+09:00', minutes: '議事録', contributions: ['発表'], outcomes, anonymousAttendees: 3 }))
        .then([e('MeetingClosed', { at: '2026-05-20T21:30:00+09:00', minutes: '議事録', contributions: ['発表'], outcomes, attendees: 2, noShows: 1, anonymousAttendees: 3 })]);
    });
    it('cannot close before it starts, with duplicate outcome ids, or twice', () => {
      const close = (data: object = {}) => c('CloseMeeting', { at: '2026-05-20T22:00:00+09:00', minutes: '', contributions: [], outcomes: [], anonymousAttendees: 0, ...data });
      given(full).when(close({ at: '2026-05-20T18:00:00+09:00' })).thenFails('meeting.not_started');
      given(full).when(close({ outcomes: [{ outcomeId: 'o', kind: 'idea', text: 'a' }, { outcomeId: 'o', kind: 'idea', text: 'b' }] })).thenFails('meeting.invalid', { field: 'outcomes' });
      given(full).when(close({ anonymousAttendees: -1 })).thenFails('meeting.invalid', { field: 'anonymousAttendees' });
      given([...full, e('MeetingClosed', { minutes: '', contributions: [], outcomes: [], attendees: 0, noShows: 2, anonymousAttendees: 0 })])
        .when(close())
        .thenFails('meeting.invalid_transition', { from: 'closed', command: 'CloseMeeting' });
    });
  });
});
