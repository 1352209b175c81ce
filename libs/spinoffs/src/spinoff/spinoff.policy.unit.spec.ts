import { DomainError, Principal, fold } from '@tsunagi/domain';
import type { SpinOffCommand } from './spinoff.commands';
import { spinOffDecider } from './spinoff.decider';
import type { SpinOffEvent } from './spinoff.events';
import { authorizeSpinOffCommand } from './spinoff.policy';
import type { SpinOffProfile } from './spinoff.types';

const at = '2026-05-10T00:00:00.000Z';
const base = { spinOffId: 's1', by: 'x', at };
const profile: SpinOffProfile = {
  origins: [{ meetingId: 'mtg-1', outcomeId: 'out-1' }],
  title: 't',
  purpose: 'p',
  wards: ['nakahara', 'takatsu'],
  themes: [],
  initiators: ['p-ini', 'p-ini-2'],
};
const ev = (type: SpinOffEvent['type'], data: object = {}) => ({ type, data: { ...base, ...data } }) as SpinOffEvent;
const history: SpinOffEvent[] = [
  ev('SpinOffProposed', profile),
  ev('SpinOffAcknowledged'),
  ev('SpinOffLaunched'),
  ev('MemberJoined', { personId: 'p-org', role: 'organiser' }),
  ev('MemberJoined', { personId: 'p-staff', role: 'staff' }),
  ev('SpinOffRoleOpened', { roleId: 'r1', opportunityId: 'o1', title: 'r', places: 1, requiredSkills: [] }),
  ev('MilestoneAdded', { milestoneId: 'ms1', title: 'm' }),
];
const state = fold(spinOffDecider, history);

const who: Record<string, Principal> = {
  admin: { subject: 'a', role: 'admin', wards: [], organisationIds: [] },
  analyst: { subject: 'an', role: 'analyst', wards: [], organisationIds: [] },
  'coordinator (own ward)': { subject: 'c1', role: 'coordinator', wards: ['nakahara'], organisationIds: [] },
  'coordinator (other ward)': { subject: 'c2', role: 'coordinator', wards: ['asao'], organisationIds: [] },
  organisation: { subject: 'r1', role: 'organisation', wards: [], organisationIds: ['org-sdc'] },
  'volunteer (initiator)': { subject: 'p-ini', role: 'volunteer', wards: [], organisationIds: [], personId: 'p-ini' },
  'volunteer (organiser)': { subject: 'p-org', role: 'volunteer', wards: [], organisationIds: [], personId: 'p-org' },
  'volunteer (staff member)': { subject: 'p-staff', role: 'volunteer', wards: [], organisationIds: [], personId: 'p-staff' },
  'volunteer (someone else)': { subject: 'p-x', role: 'volunteer', wards: [], organisationIds: [], personId: 'p-x' },
};

const commands: Record<string, SpinOffCommand> = {
  ProposeSpinOff: { type: 'ProposeSpinOff', ...base, spinOffId: 's2', ...profile },
  AcknowledgeSpinOff: { type: 'AcknowledgeSpinOff', ...base },
  LaunchSpinOff: { type: 'LaunchSpinOff', ...base },
  'JoinSpinOff (someone else, as supporter)': { type: 'JoinSpinOff', ...base, personId: 'p-x', role: 'supporter' },
  'JoinSpinOff (someone else, as organiser)': { type: 'JoinSpinOff', ...base, personId: 'p-x', role: 'organiser' },
  'LeaveSpinOff (the staff member)': { type: 'LeaveSpinOff', ...base, personId: 'p-staff' },
  'LeaveSpinOff (the organiser)': { type: 'LeaveSpinOff', ...base, personId: 'p-org' },
  OpenSpinOffRole: { type: 'OpenSpinOffRole', ...base, roleId: 'r2', opportunityId: 'o2', title: 'r', places: 1, requiredSkills: [] },
  CloseSpinOffRole: { type: 'CloseSpinOffRole', ...base, roleId: 'r1' },
  InviteToSpinOffRole: { type: 'InviteToSpinOffRole', ...base, roleId: 'r1', personIds: ['p-x'] },
  AddMilestone: { type: 'AddMilestone', ...base, milestoneId: 'ms2', title: 'm' },
  ReachMilestone: { type: 'ReachMilestone', ...base, milestoneId: 'ms1' },
  ChooseExitStrategy: { type: 'ChooseExitStrategy', ...base, strategy: 'ends' },
  CompleteSpinOff: { type: 'CompleteSpinOff', ...base },
  CloseSpinOff: { type: 'CloseSpinOff', ...base, reason: 'r' },
};

const running = ['admin', 'coordinator (own ward)', 'volunteer (initiator)', 'volunteer (organiser)'];
/** Who may: the table the product promises (issue: spin-off projects). */
const allowed: Record<string, string[]> = {
  ProposeSpinOff: ['admin', 'coordinator (own ward)', 'volunteer (initiator)'],
  AcknowledgeSpinOff: ['admin', 'coordinator (own ward)'],
  LaunchSpinOff: ['admin', 'volunteer (initiator)'],
  'JoinSpinOff (someone else, as supporter)': [...running, 'volunteer (someone else)'],
  'JoinSpinOff (someone else, as organiser)': running,
  'LeaveSpinOff (the staff member)': [...running, 'volunteer (staff member)'],
  'LeaveSpinOff (the organiser)': running,
  OpenSpinOffRole: running,
  CloseSpinOffRole: running,
  /** Only coordinators of its wards (and admins) choose whom to invite: its organisers may open roles, not reach residents. */
  InviteToSpinOffRole: ['admin', 'coordinator (own ward)'],
  AddMilestone: running,
  ReachMilestone: running,
  ChooseExitStrategy: running,
  CompleteSpinOff: running,
  CloseSpinOff: running,
};

const refused = () => expect.objectContaining({ code: 'auth.forbidden' }) as unknown as DomainError;

describe('spin-off policy', () => {
  for (const [command, allowedFor] of Object.entries(allowed)) {
    for (const [name, principal] of Object.entries(who)) {
      const may = allowedFor.includes(name);
      it(`${name} ${may ? 'may' : 'may not'} ${command}`, () => {
        const run = () => authorizeSpinOffCommand(principal, commands[command], state);
        if (may) expect(run).not.toThrow();
        else expect(run).toThrow(refused());
      });
    }
  }

  it('a coordinator of any one of its wards counts; a proposal needs one of the proposed wards', () => {
    const takatsu: Principal = { ...who['coordinator (other ward)'], wards: ['takatsu'] };
    expect(() => authorizeSpinOffCommand(takatsu, commands.AcknowledgeSpinOff, state)).not.toThrow();
    expect(() => authorizeSpinOffCommand(takatsu, commands.InviteToSpinOffRole, state)).not.toThrow();
    const empty = fold(spinOffDecider, []);
    expect(() => authorizeSpinOffCommand(takatsu, commands.ProposeSpinOff, empty)).not.toThrow();
    const elsewhere = { ...commands.ProposeSpinOff, wards: ['asao'] } as SpinOffCommand;
    expect(() => authorizeSpinOffCommand(takatsu, elsewhere, empty)).toThrow(refused());
    expect(() => authorizeSpinOffCommand(who['coordinator (other ward)'], elsewhere, empty)).not.toThrow();
  });

  it('a resident proposes only as one of the initiators', () => {
    const empty = fold(spinOffDecider, []);
    const withMe = { ...commands.ProposeSpinOff, initiators: ['p-x', 'p-y'] } as SpinOffCommand;
    expect(() => authorizeSpinOffCommand(who['volunteer (someone else)'], withMe, empty)).not.toThrow();
    expect(() => authorizeSpinOffCommand(who['volunteer (initiator)'], withMe, empty)).toThrow(refused());
  });

  it('the person must be a volunteer: another role carrying the same person id is not the person', () => {
    const representative: Principal = { ...who.organisation, personId: 'p-ini' };
    for (const command of ['LaunchSpinOff', 'AddMilestone', 'LeaveSpinOff (the organiser)']) {
      expect(() => authorizeSpinOffCommand(representative, commands[command], state)).toThrow(refused());
    }
  });

  it('an organiser who left loses the right to run the project; an initiator may still launch', () => {
    const after = fold(spinOffDecider, [...history, ev('MemberLeft', { personId: 'p-org' }), ev('MemberLeft', { personId: 'p-ini' })]);
    expect(() => authorizeSpinOffCommand(who['volunteer (organiser)'], commands.AddMilestone, after)).toThrow(refused());
    expect(() => authorizeSpinOffCommand(who['volunteer (initiator)'], commands.AddMilestone, after)).toThrow(refused());
    const acknowledged = fold(spinOffDecider, [history[0], history[1], ev('MemberLeft', { personId: 'p-ini' })]);
    expect(() => authorizeSpinOffCommand(who['volunteer (initiator)'], commands.LaunchSpinOff, acknowledged)).not.toThrow();
  });

  it('on a spin-off that does not exist, coordinators and volunteers get through to spinoff.not_found; others do not', () => {
    const empty = fold(spinOffDecider, []);
    const through = Object.entries(who)
      .filter(([, principal]) => {
        try {
          authorizeSpinOffCommand(principal, commands.AddMilestone, empty);
          return true;
        } catch {
          return false;
        }
      })
      .map(([name]) => name);
    expect(through).toEqual(['admin', 'coordinator (own ward)', 'coordinator (other ward)', 'volunteer (initiator)', 'volunteer (organiser)', 'volunteer (staff member)', 'volunteer (someone else)']);
  });
});
