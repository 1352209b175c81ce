import { Principal, fold } from '@tsunagi/domain';
import type { MeetingCommand } from './meeting.commands';
import { meetingDecider } from './meeting.decider';
import { authorizeMeetingCommand } from './meeting.policy';

const base = { meetingId: 'm', by: 'x', at: '2026-05-01T00:00:00+09:00' };
const proposal = {
  sdc: 'nakahara',
  title: 't',
  themes: [],
  purpose: '',
  preferredDates: [],
  format: { mode: 'online', url: 'https://example.jp' },
  capacity: 10,
  newcomersWelcome: false,
};
const state = fold(meetingDecider, [{ type: 'MeetingProposed', data: { ...base, ...proposal, proposer: { subject: 'p-own', personId: 'p-own' } } } as never]);
const who: Record<string, Principal> = {
  admin: { subject: 'a', role: 'admin', wards: [], organisationIds: [] },
  analyst: { subject: 'an', role: 'analyst', wards: [], organisationIds: [] },
  'coordinator (own SDC)': { subject: 'c1', role: 'coordinator', wards: ['nakahara'], organisationIds: [] },
  'coordinator (other SDC)': { subject: 'c2', role: 'coordinator', wards: ['tama'], organisationIds: [] },
  'volunteer (proposer, self)': { subject: 'p-own', role: 'volunteer', wards: [], organisationIds: [], personId: 'p-own' },
  'volunteer (someone else)': { subject: 'p-x', role: 'volunteer', wards: [], organisationIds: [], personId: 'p-x' },
  organisation: { subject: 'r', role: 'organisation', wards: [], organisationIds: ['o'] },
};
const commands: Record<string, MeetingCommand> = {
  ApproveMeeting: { type: 'ApproveMeeting', ...base, startsAt: '', endsAt: '', format: proposal.format, capacity: 1 } as MeetingCommand,
  RejectMeeting: { type: 'RejectMeeting', ...base, reason: 'r' },
  WithdrawMeetingProposal: { type: 'WithdrawMeetingProposal', ...base },
  CancelMeeting: { type: 'CancelMeeting', ...base, reason: 'r' },
  RegisterForMeeting: { type: 'RegisterForMeeting', ...base, personId: 'p-own' },
  CheckInAttendee: { type: 'CheckInAttendee', ...base, personId: 'p-own' },
  CloseMeeting: { type: 'CloseMeeting', ...base, minutes: '', contributions: [], outcomes: [], anonymousAttendees: 0 },
};
const allowed: Record<string, string[]> = {
  ApproveMeeting: ['admin', 'coordinator (own SDC)'],
  RejectMeeting: ['admin', 'coordinator (own SDC)'],
  WithdrawMeetingProposal: ['admin', 'coordinator (own SDC)', 'volunteer (proposer, self)'],
  CancelMeeting: ['admin', 'coordinator (own SDC)'],
  RegisterForMeeting: ['admin', 'coordinator (own SDC)', 'volunteer (proposer, self)'],
  CheckInAttendee: ['admin', 'coordinator (own SDC)'],
  CloseMeeting: ['admin', 'coordinator (own SDC)'],
};

describe('meeting policy', () => {
  for (const [command, allowedFor] of Object.entries(allowed)) {
    for (const [name, principal] of Object.entries(who)) {
      const may = allowedFor.includes(name);
      it(`${name} ${may ? 'may' : 'may not'} ${command}`, () => {
        const run = () => authorizeMeetingCommand(principal, commands[command], state);
        if (may) expect(run).not.toThrow();
        else expect(run).toThrow(expect.objectContaining({ code: 'auth.forbidden' }) as unknown as Error);
      });
    }
  }
  it('a token without a person is never "self"', () => {
    const noPerson: Principal = { subject: 'v', role: 'volunteer', wards: [], organisationIds: [] };
    const register = { type: 'RegisterForMeeting', ...base, personId: undefined } as unknown as MeetingCommand;
    expect(() => authorizeMeetingCommand(noPerson, register, state)).toThrow();
  });

  it('a proposal is made in one’s own name; analysts never propose', () => {
    const propose = (subject: string, personId?: string) => ({ type: 'ProposeMeeting', ...base, ...proposal, proposer: { subject, personId } }) as MeetingCommand;
    const empty = fold(meetingDecider, []);
    expect(() => authorizeMeetingCommand(who['volunteer (someone else)'], propose('p-x', 'p-x'), empty)).not.toThrow();
    expect(() => authorizeMeetingCommand(who['volunteer (someone else)'], propose('p-own', 'p-own'), empty)).toThrow();
    expect(() => authorizeMeetingCommand(who.analyst, propose('an'), empty)).toThrow();
    expect(() => authorizeMeetingCommand(who.organisation, propose('r'), empty)).not.toThrow();
  });
});
