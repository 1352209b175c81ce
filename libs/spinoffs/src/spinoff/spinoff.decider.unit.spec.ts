import { spec } from '@tsunagi/testing';
import { fold } from '@tsunagi/domain';
import { SpinOffCommand } from './spinoff.commands';
import { spinOffDecider } from './spinoff.decider';
import { SpinOffEvent, spinOffStreamId } from './spinoff.events';
import { SpinOffProfile } from './spinoff.types';

const at = '2026-05-10T10:00:00.000Z';
const spinOffId = 'so-1';
const by = 'coordinator-1';

const profile: SpinOffProfile = {
  origins: [
    { meetingId: 'mtg-1', outcomeId: 'out-1' },
    { meetingId: 'mtg-2', outcomeId: 'out-1' },
  ],
  title: '中原こども食堂',
  purpose: 'A children’s cafeteria on Saturdays,\nrun by parents from YORIAI.',
  wards: ['nakahara', 'takatsu'],
  themes: ['child_rearing', 'welfare'],
  initiators: ['p-ini-1', 'p-ini-2'],
};

const proposed = (p: SpinOffProfile = profile): SpinOffEvent => ({ type: 'SpinOffProposed', data: { spinOffId, ...p, by, at } });
const ev = <T extends SpinOffEvent['type']>(type: T, data: Record<string, unknown> = {}) =>
  ({ type, data: { spinOffId, by, at, ...data } }) as unknown as SpinOffEvent;
const cmd = (type: SpinOffCommand['type'], data: object = {}) => ({ type, spinOffId, by, at, ...data }) as SpinOffCommand;
const given = (events: SpinOffEvent[]) => spec(spinOffDecider).given(events);

const acknowledged = ev('SpinOffAcknowledged');
const launched = ev('SpinOffLaunched');
const role = { roleId: 'r1', opportunityId: 'opp-1', title: '調理スタッフ', places: 3, requiredSkills: ['手芸'] };
const roleOpened = ev('SpinOffRoleOpened', role);
const exitChosen = ev('ExitStrategyChosen', { strategy: 'runs_on_its_own' });
const onlyOrganiser = proposed({ ...profile, initiators: ['p-ini-1'] });

/** A project driven to a status through the legal path. */
function historyTo(status: string): SpinOffEvent[] {
  const path: [string, SpinOffEvent[]][] = [
    ['proposed', [proposed()]],
    ['acknowledged', [acknowledged]],
    ['launched', [launched]],
    ...(status === 'closed' ? [['closed', [ev('SpinOffClosed', { reason: 'no venue' })]] as [string, SpinOffEvent[]]] : []),
    ...(status === 'completed' ? [['completed', [exitChosen, ev('SpinOffCompleted')]] as [string, SpinOffEvent[]]] : []),
  ];
  const index = path.findIndex(([s]) => s === status);
  return index < 0 ? [] : path.slice(0, index + 1).flatMap(([, events]) => events);
}

describe('spin-off decider', () => {
  it('lives in its own stream', () => {
    expect(spinOffStreamId('so-1')).toBe('spinoff-so-1');
  });

  describe('proposal', () => {
    it('proposes a spin-off from meeting outcomes, with its initiators as organisers', () => {
      given([]).when(cmd('ProposeSpinOff', profile)).then([proposed()]);
      const state = fold(spinOffDecider, [proposed()]);
      expect(state.status).toBe('proposed');
      expect(state.members).toEqual({ 'p-ini-1': 'organiser', 'p-ini-2': 'organiser' });
      expect(state.profile?.origins).toEqual(profile.origins);
    });
    it('cannot propose twice, whatever the status', () => {
      for (const status of ['proposed', 'acknowledged', 'launched', 'completed', 'closed']) {
        given(historyTo(status)).when(cmd('ProposeSpinOff', profile)).thenFails('spinoff.already_exists');
      }
    });
    it('normalises its text and sets: NFKC, wards and themes de-duplicated in list order, unknown keys dropped', () => {
      given([])
        .when(
          cmd('ProposeSpinOff', {
            ...profile,
            origins: [{ meetingId: 'mtg-1', outcomeId: 'out-1', extra: 'x' }],
            title: '  ﾏﾙｼｪ   in  ＮＡＫＡＨＡＲＡ ',
            purpose: ' 月１回のマルシェ\n駅前で ',
            wards: ['takatsu', 'nakahara', 'takatsu'],
            themes: ['welfare', 'town_making', 'welfare'],
          }),
        )
        .then([
          proposed({
            ...profile,
            origins: [{ meetingId: 'mtg-1', outcomeId: 'out-1' }],
            title: 'マルシェ in NAKAHARA',
            purpose: '月1回のマルシェ\n駅前で',
            wards: ['nakahara', 'takatsu'],
            themes: ['town_making', 'welfare'],
          }),
        ]);
    });
    it('allows a spin-off with no theme', () => {
      given([]).when(cmd('ProposeSpinOff', { ...profile, themes: [] })).then([proposed({ ...profile, themes: [] })]);
    });
    const bad: [string, Partial<Record<keyof SpinOffProfile, unknown>>][] = [
      ['origins', { origins: [] }],
      ['origins', { origins: undefined }],
      ['origins', { origins: [{ meetingId: 'mtg-1' }] }],
      ['origins', { origins: [{ meetingId: ' ', outcomeId: 'out-1' }] }],
      ['origins', { origins: [null] }],
      ['origins', { origins: [profile.origins[0], { ...profile.origins[0] }] }],
      ['title', { title: '   ' }],
      ['title', { title: 42 }],
      ['purpose', { purpose: '' }],
      ['wards', { wards: [] }],
      ['wards', { wards: ['shibuya'] }],
      ['wards', { wards: 'nakahara' }],
      ['themes', { themes: ['gardening'] }],
      ['themes', { themes: undefined }],
      ['initiators', { initiators: [] }],
      ['initiators', { initiators: ['p-1', 'p-1'] }],
      ['initiators', { initiators: ['p-1', ''] }],
      ['initiators', { initiators: 'p-1' }],
    ];
    it.each(bad)('refuses an invalid %s (%j)', (field, change) => {
      given([])
        .when(cmd('ProposeSpinOff', { ...profile, ...change }))
        .thenFails('spinoff.invalid', { field });
    });
  });

  describe('acknowledgement and launch', () => {
    it('is acknowledged by a coordinator, then launched by an initiator', () => {
      given([proposed()]).when(cmd('AcknowledgeSpinOff')).then([acknowledged]);
      given([proposed(), acknowledged]).when(cmd('LaunchSpinOff', { by: 'p-ini-1' })).then([ev('SpinOffLaunched', { by: 'p-ini-1' })]);
      expect(fold(spinOffDecider, historyTo('launched')).status).toBe('launched');
    });
    it('cannot launch before the acknowledgement, or twice', () => {
      given([proposed()]).when(cmd('LaunchSpinOff')).thenFails('spinoff.not_acknowledged');
      given(historyTo('launched')).when(cmd('LaunchSpinOff')).thenFails('spinoff.invalid_transition', { from: 'launched', command: 'LaunchSpinOff' });
      given(historyTo('acknowledged')).when(cmd('AcknowledgeSpinOff')).thenFails('spinoff.invalid_transition', { from: 'acknowledged', command: 'AcknowledgeSpinOff' });
    });
  });

  describe('members', () => {
    it('people join with a named role and leave, with or without a reason', () => {
      given([proposed()]).when(cmd('JoinSpinOff', { personId: 'p-9', role: 'staff' })).then([ev('MemberJoined', { personId: 'p-9', role: 'staff' })]);
      given(historyTo('launched')).when(cmd('JoinSpinOff', { personId: 'p-9', role: 'advisor' })).then([ev('MemberJoined', { personId: 'p-9', role: 'advisor' })]);
      const joined = ev('MemberJoined', { personId: 'p-9', role: 'supporter' });
      given([proposed(), joined]).when(cmd('LeaveSpinOff', { personId: 'p-9', reason: ' 転居 ' })).then([ev('MemberLeft', { personId: 'p-9', reason: '転居' })]);
      given([proposed(), joined]).when(cmd('LeaveSpinOff', { personId: 'p-9', reason: '  ' })).then([ev('MemberLeft', { personId: 'p-9' })]);
      const state = fold(spinOffDecider, [proposed(), joined, ev('MemberJoined', { personId: 'p-8', role: 'organiser' }), ev('MemberLeft', { personId: 'p-ini-2' })]);
      expect(state.members).toEqual({ 'p-ini-1': 'organiser', 'p-9': 'supporter', 'p-8': 'organiser' });
    });
    it('cannot join twice (an initiator is already a member), but may come back after leaving', () => {
      given([proposed()]).when(cmd('JoinSpinOff', { personId: 'p-ini-1', role: 'staff' })).thenFails('spinoff.already_member', { personId: 'p-ini-1' });
      const joined = ev('MemberJoined', { personId: 'p-9', role: 'staff' });
      given([proposed(), joined]).when(cmd('JoinSpinOff', { personId: 'p-9', role: 'supporter' })).thenFails('spinoff.already_member');
      given([proposed(), joined, ev('MemberLeft', { personId: 'p-9' })])
        .when(cmd('JoinSpinOff', { personId: 'p-9', role: 'supporter' }))
        .then([ev('MemberJoined', { personId: 'p-9', role: 'supporter' })]);
    });
    it('refuses an unknown role or person id, and leaving by a non-member', () => {
      given([proposed()]).when(cmd('JoinSpinOff', { personId: 'p-9', role: 'boss' })).thenFails('spinoff.invalid', { field: 'role' });
      given([proposed()]).when(cmd('JoinSpinOff', { personId: '', role: 'staff' })).thenFails('spinoff.invalid', { field: 'personId' });
      given([proposed()]).when(cmd('LeaveSpinOff', { personId: 'p-9' })).thenFails('spinoff.not_member', { personId: 'p-9' });
      given([proposed()]).when(cmd('LeaveSpinOff', { personId: 'p-ini-1', reason: 7 })).thenFails('spinoff.invalid', { field: 'reason' });
    });
    it('the last organiser cannot leave while the project lives; another organiser, or anyone else, can', () => {
      for (const status of ['proposed', 'acknowledged', 'launched']) {
        const history = [onlyOrganiser, ...historyTo(status).slice(1), ev('MemberJoined', { personId: 'p-9', role: 'staff' })];
        given(history).when(cmd('LeaveSpinOff', { personId: 'p-ini-1' })).thenFails('spinoff.last_organiser');
        given(history).when(cmd('LeaveSpinOff', { personId: 'p-9' })).then([ev('MemberLeft', { personId: 'p-9' })]);
      }
      given([proposed()]).when(cmd('LeaveSpinOff', { personId: 'p-ini-1' })).then([ev('MemberLeft', { personId: 'p-ini-1' })]);
      given([proposed(), ev('MemberLeft', { personId: 'p-ini-1' })]).when(cmd('LeaveSpinOff', { personId: 'p-ini-2' })).thenFails('spinoff.last_organiser');
      given([onlyOrganiser, ev('MemberJoined', { personId: 'p-8', role: 'organiser' })])
        .when(cmd('LeaveSpinOff', { personId: 'p-ini-1' }))
        .then([ev('MemberLeft', { personId: 'p-ini-1' })]);
    });
  });

  describe('roles to fill', () => {
    it('opens a role as a matching opportunity and closes it, only once launched', () => {
      given(historyTo('launched')).when(cmd('OpenSpinOffRole', role)).then([roleOpened]);
      given([...historyTo('launched'), roleOpened]).when(cmd('CloseSpinOffRole', { roleId: 'r1' })).then([ev('SpinOffRoleClosed', { roleId: 'r1' })]);
      const state = fold(spinOffDecider, [...historyTo('launched'), roleOpened, ev('SpinOffRoleClosed', { roleId: 'r1' })]);
      expect(state.roles.r1).toEqual({ ...role, open: false, invited: [] });
      for (const status of ['proposed', 'acknowledged']) {
        given(historyTo(status)).when(cmd('OpenSpinOffRole', role)).thenFails('spinoff.invalid_transition', { from: status, command: 'OpenSpinOffRole' });
        given(historyTo(status)).when(cmd('CloseSpinOffRole', { roleId: 'r1' })).thenFails('spinoff.invalid_transition', { from: status, command: 'CloseSpinOffRole' });
      }
    });
    it('normalises the title and skills', () => {
      given(historyTo('launched'))
        .when(cmd('OpenSpinOffRole', { ...role, title: ' 調理　スタッフ ', requiredSkills: ['ＩＴ', 'it', ' 調理 ', ''] }))
        .then([ev('SpinOffRoleOpened', { ...role, title: '調理 スタッフ', requiredSkills: ['it', 'cooking'] })]);
    });
    it('refuses a reused role id, an opportunity that already fills a role, and bad shapes', () => {
      const open = [...historyTo('launched'), roleOpened];
      given(open).when(cmd('OpenSpinOffRole', { ...role, opportunityId: 'opp-2' })).thenFails('spinoff.role_already_exists', { roleId: 'r1' });
      given(open).when(cmd('OpenSpinOffRole', { ...role, roleId: 'r2' })).thenFails('spinoff.role_already_exists', { opportunityId: 'opp-1', roleId: 'r1' });
      const cases: [string, object][] = [
        ['roleId', { roleId: '' }],
        ['opportunityId', { opportunityId: undefined }],
        ['title', { title: ' ' }],
        ['places', { places: 0 }],
        ['places', { places: 1.5 }],
        ['places', { places: '2' }],
        ['requiredSkills', { requiredSkills: 'cooking' }],
        ['requiredSkills', { requiredSkills: [1] }],
      ];
      for (const [field, change] of cases) {
        given(historyTo('launched')).when(cmd('OpenSpinOffRole', { ...role, ...change })).thenFails('spinoff.invalid', { field });
      }
    });
    it('closes a role once, and only one it has', () => {
      given(historyTo('launched')).when(cmd('CloseSpinOffRole', { roleId: 'r9' })).thenFails('spinoff.role_not_found', { roleId: 'r9' });
      given([...historyTo('launched'), roleOpened, ev('SpinOffRoleClosed', { roleId: 'r1' })])
        .when(cmd('CloseSpinOffRole', { roleId: 'r1' }))
        .thenFails('spinoff.role_closed', { roleId: 'r1' });
    });
  });

  describe('invitations to a role', () => {
    const open = [...historyTo('launched'), roleOpened];
    const sent = (personIds: string[]) => ev('SpinOffRoleInvitationsSent', { roleId: 'r1', opportunityId: 'opp-1', personIds });

    it('invites people to an open role, naming its opportunity, and remembers who was invited', () => {
      given(open).when(cmd('InviteToSpinOffRole', { roleId: 'r1', personIds: ['p-1', 'p-2'] })).then([sent(['p-1', 'p-2'])]);
      const state = fold(spinOffDecider, [...open, sent(['p-1', 'p-2']), sent(['p-3'])]);
      expect(state.roles.r1.invited).toEqual(['p-1', 'p-2', 'p-3']);
    });
    it('skips people already invited to the role, and invites nobody when all were', () => {
      given([...open, sent(['p-1', 'p-2'])])
        .when(cmd('InviteToSpinOffRole', { roleId: 'r1', personIds: ['p-3', 'p-2', 'p-4'] }))
        .then([sent(['p-3', 'p-4'])]);
      given([...open, sent(['p-1', 'p-2'])]).when(cmd('InviteToSpinOffRole', { roleId: 'r1', personIds: ['p-2', 'p-1'] })).then([]);
    });
    it('an invitation to one role says nothing about another', () => {
      const other = ev('SpinOffRoleOpened', { ...role, roleId: 'r2', opportunityId: 'opp-2' });
      given([...open, other, sent(['p-1'])])
        .when(cmd('InviteToSpinOffRole', { roleId: 'r2', personIds: ['p-1'] }))
        .then([ev('SpinOffRoleInvitationsSent', { roleId: 'r2', opportunityId: 'opp-2', personIds: ['p-1'] })]);
    });
    it('refuses a role it does not have, and a closed role', () => {
      given(open).when(cmd('InviteToSpinOffRole', { roleId: 'r9', personIds: ['p-1'] })).thenFails('spinoff.role_not_found', { roleId: 'r9' });
      given([...open, ev('SpinOffRoleClosed', { roleId: 'r1' })])
        .when(cmd('InviteToSpinOffRole', { roleId: 'r1', personIds: ['p-1'] }))
        .thenFails('spinoff.role_closed', { roleId: 'r1' });
    });
    it('refuses an empty list, a repeated person, a blank id, and more than 50 people', () => {
      for (const personIds of [[], ['p-1', 'p-1'], ['p-1', ' '], 'p-1', undefined]) {
        given(open).when(cmd('InviteToSpinOffRole', { roleId: 'r1', personIds })).thenFails('spinoff.invalid', { field: 'personIds' });
      }
      const many = Array.from({ length: 51 }, (_, i) => `p-${i}`);
      given(open).when(cmd('InviteToSpinOffRole', { roleId: 'r1', personIds: many })).thenFails('spinoff.too_many_invitations', { max: 50 });
      given(open).when(cmd('InviteToSpinOffRole', { roleId: 'r1', personIds: many.slice(1) })).then([sent(many.slice(1))]);
    });
    it('invites only while the project is launched', () => {
      for (const status of ['proposed', 'acknowledged']) {
        given(historyTo(status))
          .when(cmd('InviteToSpinOffRole', { roleId: 'r1', personIds: ['p-1'] }))
          .thenFails('spinoff.invalid_transition', { from: status, command: 'InviteToSpinOffRole' });
      }
      for (const status of ['completed', 'closed']) {
        given([...historyTo('launched'), roleOpened, ...historyTo(status).slice(3)]).when(cmd('InviteToSpinOffRole', { roleId: 'r1', personIds: ['p-1'] })).thenFails('spinoff.ended');
      }
    });
  });

  describe('milestones', () => {
    const added = ev('MilestoneAdded', { milestoneId: 'ms1', title: '会場を決める', dueOn: '2026-06-30' });
    it('adds milestones, with or without a due date, and reaches them', () => {
      given([proposed()]).when(cmd('AddMilestone', { milestoneId: 'ms1', title: ' 会場を決める ', dueOn: '2026-06-30' })).then([added]);
      given(historyTo('launched'))
        .when(cmd('AddMilestone', { milestoneId: 'ms2', title: '初回開催' }))
        .then([ev('MilestoneAdded', { milestoneId: 'ms2', title: '初回開催' })]);
      given([proposed(), added]).when(cmd('ReachMilestone', { milestoneId: 'ms1' })).then([ev('MilestoneReached', { milestoneId: 'ms1' })]);
      given([...historyTo('launched'), added]).when(cmd('ReachMilestone', { milestoneId: 'ms1' })).then([ev('MilestoneReached', { milestoneId: 'ms1' })]);
      const state = fold(spinOffDecider, [proposed(), added, ev('MilestoneReached', { milestoneId: 'ms1' })]);
      expect(state.milestones.ms1).toEqual({ milestoneId: 'ms1', title: '会場を決める', dueOn: '2026-06-30', reached: true });
    });
    it('reaches a milestone once, and only one it has', () => {
      given([proposed(), added, ev('MilestoneReached', { milestoneId: 'ms1' })])
        .when(cmd('ReachMilestone', { milestoneId: 'ms1' }))
        .thenFails('spinoff.milestone_already_reached', { milestoneId: 'ms1' });
      given([proposed()]).when(cmd('ReachMilestone', { milestoneId: 'ms9' })).thenFails('spinoff.milestone_not_found', { milestoneId: 'ms9' });
    });
    it('refuses a reused milestone id and bad shapes', () => {
      given([proposed(), added]).when(cmd('AddMilestone', { milestoneId: 'ms1', title: 'again' })).thenFails('spinoff.milestone_already_exists', { milestoneId: 'ms1' });
      const cases: [string, object][] = [
        ['milestoneId', { milestoneId: ' ' }],
        ['title', { title: '' }],
        ['dueOn', { dueOn: '2026-02-30' }],
        ['dueOn', { dueOn: '2026/06/30' }],
        ['dueOn', { dueOn: '2026-06-30T00:00:00Z' }],
        ['dueOn', { dueOn: null }],
      ];
      for (const [field, change] of cases) {
        given([proposed()]).when(cmd('AddMilestone', { milestoneId: 'ms2', title: 't', ...change })).thenFails('spinoff.invalid', { field });
      }
    });
  });

  describe('exit strategy', () => {
    it('is chosen, and each change is an event', () => {
      given([proposed()]).when(cmd('ChooseExitStrategy', { strategy: 'runs_on_its_own' })).then([exitChosen]);
      given([proposed(), exitChosen])
        .when(cmd('ChooseExitStrategy', { strategy: 'becomes_business', note: ' 合同会社に ' }))
        .then([ev('ExitStrategyChosen', { strategy: 'becomes_business', note: '合同会社に' })]);
      given([proposed(), exitChosen])
        .when(cmd('ChooseExitStrategy', { strategy: 'runs_on_its_own', note: 'by the parents' }))
        .then([ev('ExitStrategyChosen', { strategy: 'runs_on_its_own', note: 'by the parents' })]);
      const state = fold(spinOffDecider, [proposed(), exitChosen, ev('ExitStrategyChosen', { strategy: 'becomes_policy', note: 'n' })]);
      expect(state.exitStrategy).toEqual({ strategy: 'becomes_policy', note: 'n' });
    });
    it('choosing what is already chosen changes nothing', () => {
      given([proposed(), exitChosen]).when(cmd('ChooseExitStrategy', { strategy: 'runs_on_its_own' })).then([]);
      given([proposed(), exitChosen]).when(cmd('ChooseExitStrategy', { strategy: 'runs_on_its_own', note: ' ' })).then([]);
    });
    it('refuses an unknown strategy', () => {
      given([proposed()]).when(cmd('ChooseExitStrategy', { strategy: 'sold' })).thenFails('spinoff.invalid', { field: 'strategy' });
      given([proposed()]).when(cmd('ChooseExitStrategy', { strategy: 'ends', note: 1 })).thenFails('spinoff.invalid', { field: 'note' });
    });
  });

  describe('the end', () => {
    it('completes once launched and with an exit strategy', () => {
      given([...historyTo('launched'), exitChosen]).when(cmd('CompleteSpinOff', { summary: ' 区の事業に\n移行 ' })).then([ev('SpinOffCompleted', { summary: '区の事業に\n移行' })]);
      given([...historyTo('launched'), exitChosen]).when(cmd('CompleteSpinOff')).then([ev('SpinOffCompleted')]);
      given(historyTo('launched')).when(cmd('CompleteSpinOff')).thenFails('spinoff.exit_strategy_required');
      given([proposed(), acknowledged, exitChosen]).when(cmd('CompleteSpinOff')).thenFails('spinoff.invalid_transition', { from: 'acknowledged', command: 'CompleteSpinOff' });
    });
    it('closes with a reason from proposed, acknowledged or launched', () => {
      for (const status of ['proposed', 'acknowledged', 'launched']) {
        given(historyTo(status)).when(cmd('CloseSpinOff', { reason: ' 担い手不足 ' })).then([ev('SpinOffClosed', { reason: '担い手不足' })]);
        given(historyTo(status)).when(cmd('CloseSpinOff', { reason: '  ' })).thenFails('spinoff.invalid', { field: 'reason' });
        given(historyTo(status)).when(cmd('CloseSpinOff')).thenFails('spinoff.invalid', { field: 'reason' });
      }
      expect(fold(spinOffDecider, [proposed(), ev('SpinOffClosed', { reason: 'r' })]).status).toBe('closed');
      expect(fold(spinOffDecider, historyTo('completed')).status).toBe('completed');
    });
  });

  describe('a project never skips a status, and nothing changes after the end', () => {
    /** Each command with a payload that is valid on a project that has the fixtures below. */
    const commands: Record<SpinOffCommand['type'], object> = {
      ProposeSpinOff: profile,
      AcknowledgeSpinOff: {},
      LaunchSpinOff: {},
      JoinSpinOff: { personId: 'p-new', role: 'supporter' },
      LeaveSpinOff: { personId: 'p-staff' },
      OpenSpinOffRole: { ...role, roleId: 'r2', opportunityId: 'opp-2' },
      CloseSpinOffRole: { roleId: 'r1' },
      InviteToSpinOffRole: { roleId: 'r1', personIds: ['p-new'] },
      AddMilestone: { milestoneId: 'ms2', title: '第2回' },
      ReachMilestone: { milestoneId: 'ms1' },
      ChooseExitStrategy: { strategy: 'becomes_business' },
      CompleteSpinOff: {},
      CloseSpinOff: { reason: 'r' },
    };
    /** A member, a milestone and an exit strategy from the start, and an open role once launched. */
    function withFixtures(status: string): SpinOffEvent[] {
      const [first, ...rest] = historyTo(status).filter((event) => event !== exitChosen);
      if (!first) return [];
      const fixtures = [ev('MemberJoined', { personId: 'p-staff', role: 'staff' }), ev('MilestoneAdded', { milestoneId: 'ms1', title: '会場' }), exitChosen];
      const launch = rest.indexOf(launched);
      return [first, ...fixtures, ...(launch < 0 ? rest : [...rest.slice(0, launch + 1), roleOpened, ...rest.slice(launch + 1)])];
    }
    const ok = 'ok';
    const outcome: Record<string, Partial<Record<SpinOffCommand['type'], string>>> = {
      none: { ProposeSpinOff: ok },
      proposed: { AcknowledgeSpinOff: ok, LaunchSpinOff: 'spinoff.not_acknowledged', JoinSpinOff: ok, LeaveSpinOff: ok, AddMilestone: ok, ReachMilestone: ok, ChooseExitStrategy: ok, CloseSpinOff: ok },
      acknowledged: { LaunchSpinOff: ok, JoinSpinOff: ok, LeaveSpinOff: ok, AddMilestone: ok, ReachMilestone: ok, ChooseExitStrategy: ok, CloseSpinOff: ok },
      launched: {
        JoinSpinOff: ok,
        LeaveSpinOff: ok,
        OpenSpinOffRole: ok,
        CloseSpinOffRole: ok,
        InviteToSpinOffRole: ok,
        AddMilestone: ok,
        ReachMilestone: ok,
        ChooseExitStrategy: ok,
        CompleteSpinOff: ok,
        CloseSpinOff: ok,
      },
      completed: {},
      closed: {},
    };
    /** What any other command gets in each status. */
    const otherwise: Record<string, string> = {
      none: 'spinoff.not_found',
      proposed: 'spinoff.invalid_transition',
      acknowledged: 'spinoff.invalid_transition',
      launched: 'spinoff.invalid_transition',
      completed: 'spinoff.ended',
      closed: 'spinoff.ended',
    };
    for (const status of Object.keys(outcome)) {
      for (const [type, payload] of Object.entries(commands) as [SpinOffCommand['type'], object][]) {
        const expected = outcome[status][type] ?? (type === 'ProposeSpinOff' ? 'spinoff.already_exists' : otherwise[status]);
        it(`${type} in ${status}: ${expected}`, () => {
          const run = given(withFixtures(status)).when(cmd(type, payload));
          if (expected === ok) expect(run.events()).toHaveLength(1);
          else if (expected === 'spinoff.invalid_transition') run.thenFails(expected, { from: status, command: type });
          else run.thenFails(expected);
        });
      }
    }
    it('the fixtures reach each status', () => {
      for (const status of Object.keys(outcome)) expect(fold(spinOffDecider, withFixtures(status)).status).toBe(status);
    });
  });
});
