import type { OpportunityEvent, OpportunityProfile } from '@tsunagi/matching';
import type { MeetingEvent } from '@tsunagi/meetings';
import type { SpinOffEvent } from '@tsunagi/spinoffs';
import { notificationIdFor } from './notification.events';
import { NOTIFYING_EVENT_TYPES, RuleFacts, SourceEvent, addresseesFor, followTargetsOf, notificationsFor } from './notification.rules';

const at = '2026-04-01T10:00:00.000Z';
const opportunityId = 'opp-1';
const coordinator = 'coordinator-1';
const role: OpportunityProfile = {
  organisationId: 'org-1',
  title: '子ども食堂の調理スタッフ',
  description: '土曜の朝、調理を手伝ってください。',
  ward: 'nakahara',
  themes: ['child_rearing'],
  details: { kind: 'volunteer_role', places: 2, schedule: {}, requiredSkills: [], optionalSkills: [] },
};
const collaboration: OpportunityProfile = { ...role, details: { kind: 'collaboration', direction: 'sought', resources: ['venue'], places: 1 } };

const opp = (type: OpportunityEvent['type'], data: object = {}) => ({ type, data: { opportunityId, by: coordinator, at, ...data } }) as OpportunityEvent;
const opened = (profile = role) => opp('OpportunityOpened', profile);
const proposedTo = (candidate: { type: 'person' | 'organisation'; id: string }, matchId = 'm1') =>
  opp('MatchProposed', { matchId, candidate, message: 'どうですか', proposedBy: coordinator, fromInterest: false });

const everyone: RuleFacts['mayBeContacted'] = () => true;
const nobody: RuleFacts['mayBeContacted'] = () => false;
const plan = (event: SourceEvent, earlier: SourceEvent[], mayBeContacted = everyone) => notificationsFor(event, { earlier, mayBeContacted });

describe('notification rules', () => {
  describe('matches', () => {
    it('a proposal tells the proposed person by e-mail and in the inbox', () => {
      const event = proposedTo({ type: 'person', id: 'p1' });
      expect(plan(event, [opened()])).toEqual([{ kind: 'match_proposed', recipient: { type: 'person', id: 'p1' }, channels: ['email', 'inbox'] }]);
    });

    it('a person who did not agree to be contacted gets the inbox only', () => {
      const event = proposedTo({ type: 'person', id: 'p1' });
      expect(plan(event, [opened()], nobody)).toEqual([{ kind: 'match_proposed', recipient: { type: 'person', id: 'p1' }, channels: ['inbox'] }]);
    });

    it('a collaboration proposal tells the proposed organisation (its contact address and its inbox)', () => {
      const event = proposedTo({ type: 'organisation', id: 'org-2' });
      expect(plan(event, [opened(collaboration)], nobody)).toEqual([
        { kind: 'match_proposed', recipient: { type: 'organisation', id: 'org-2' }, channels: ['email', 'inbox'] },
      ]);
    });

    it.each([
      ['MatchAccepted', 'match_accepted', {}],
      ['MatchDeclined', 'match_declined', { reason: 'no_time' }],
      ['MatchWithdrawn', 'match_withdrawn', { by: 'coordinator-2' }],
    ] as const)('%s tells the proposing coordinator (inbox) and the organisation (e-mail, inbox)', (type, kind, data) => {
      const earlier = [opened(), proposedTo({ type: 'person', id: 'p1' })];
      const by = 'by' in data ? data.by : 'p1';
      expect(plan(opp(type, { matchId: 'm1', ...data, by }), earlier)).toEqual([
        { kind, recipient: { type: 'subject', id: coordinator }, channels: ['inbox'] },
        { kind, recipient: { type: 'organisation', id: 'org-1' }, channels: ['email', 'inbox'] },
      ]);
    });

    it('MatchExpired tells both sides: the proposing coordinator, the organisation and the proposed person', () => {
      const earlier = [opened(), proposedTo({ type: 'person', id: 'p1' })];
      expect(plan(opp('MatchExpired', { matchId: 'm1', by: 'system:follow-ups' }), earlier)).toEqual([
        { kind: 'match_expired', recipient: { type: 'subject', id: coordinator }, channels: ['inbox'] },
        { kind: 'match_expired', recipient: { type: 'organisation', id: 'org-1' }, channels: ['email', 'inbox'] },
        { kind: 'match_expired', recipient: { type: 'person', id: 'p1' }, channels: ['email', 'inbox'] },
      ]);
    });

    it('nobody is told what they did themselves: the proposer who withdraws is not told', () => {
      const earlier = [opened(), proposedTo({ type: 'person', id: 'p1' })];
      expect(addresseesFor(opp('MatchWithdrawn', { matchId: 'm1', by: coordinator }), earlier)).toEqual([
        { kind: 'match_withdrawn', recipient: { type: 'organisation', id: 'org-1' } },
      ]);
    });

    it('the proposer and organisation are those of the match, among several', () => {
      const earlier = [
        opened(),
        proposedTo({ type: 'person', id: 'p1' }, 'm1'),
        { ...proposedTo({ type: 'person', id: 'p2' }, 'm2'), data: { ...proposedTo({ type: 'person', id: 'p2' }, 'm2').data, proposedBy: 'coordinator-9' } },
      ];
      expect(addresseesFor(opp('MatchAccepted', { matchId: 'm2', by: 'p2' }), earlier).map((a) => a.recipient)).toEqual([
        { type: 'subject', id: 'coordinator-9' },
        { type: 'organisation', id: 'org-1' },
      ]);
    });

    it.each([
      ['MatchConfirmed', 'match_confirmed'],
      ['MatchStarted', 'match_started'],
      ['MatchCompleted', 'match_completed'],
    ] as const)('%s tells the person doing the work', (type, kind) => {
      const earlier = [opened(), proposedTo({ type: 'person', id: 'p1' }), opp('MatchAccepted', { matchId: 'm1' })];
      expect(plan(opp(type, { matchId: 'm1', by: 'org-rep' }), earlier)).toEqual([{ kind, recipient: { type: 'person', id: 'p1' }, channels: ['email', 'inbox'] }]);
    });

    it('events that notify nobody (hours, interest, opening) plan nothing', () => {
      expect(plan(opened(), [])).toEqual([]);
      expect(plan(opp('HoursLogged', { matchId: 'm1', entryId: 'e1', date: '2026-04-01', hours: 2 }), [opened()])).toEqual([]);
      expect(plan({ type: 'PersonRegistered', data: {} }, [])).toEqual([]);
    });
  });

  describe('meetings', () => {
    const base = { meetingId: 'mt-1', by: coordinator, at };
    const mtg = (type: MeetingEvent['type'], data: object = {}) => ({ type, data: { ...base, ...data } }) as MeetingEvent;
    const proposal = {
      sdc: 'nakahara',
      title: 'YORIAI 5月',
      themes: [],
      purpose: '話そう',
      preferredDates: [],
      format: { mode: 'in_person', venue: '中原市民館' },
      capacity: 2,
      newcomersWelcome: true,
    };
    const schedule = { startsAt: '2026-05-20T19:00:00+09:00', endsAt: '2026-05-20T21:00:00+09:00', format: { mode: 'in_person', venue: '中原市民館' }, capacity: 2 };
    const proposedBy = (proposer: object, by = 'someone') => mtg('MeetingProposed', { ...proposal, proposer, by });
    const scheduled = mtg('MeetingScheduled', schedule);

    it('scheduling tells the proposer: the person when they are one, else the token subject', () => {
      expect(plan(scheduled, [proposedBy({ subject: 's-p1', personId: 'p1' })])).toEqual([
        { kind: 'meeting_scheduled', recipient: { type: 'person', id: 'p1' }, channels: ['email', 'inbox'] },
      ]);
      expect(plan(scheduled, [proposedBy({ subject: 'org-rep-1' })])).toEqual([
        { kind: 'meeting_scheduled', recipient: { type: 'subject', id: 'org-rep-1' }, channels: ['inbox'] },
      ]);
    });

    it("scheduling announces the meeting to the followers of its SDC or themes, once each, the proposer only as proposer", () => {
      const themed = mtg('MeetingProposed', { ...proposal, themes: ['town_making', 'elderly'], proposer: { subject: 's-p1', personId: 'p1' }, by: 's-p1' });
      expect(followTargetsOf(scheduled, [themed])).toEqual({ sdcs: ['nakahara'], themes: ['town_making', 'elderly'] });
      expect(followTargetsOf(mtg('MeetingCancelled', { reason: 'x' }), [themed])).toBeUndefined();
      const planned = notificationsFor(scheduled, { earlier: [themed], mayBeContacted: (id) => id !== 'f2', followers: ['f1', 'p1', 'f2', 'f1'] });
      expect(planned).toEqual([
        { kind: 'meeting_scheduled', recipient: { type: 'person', id: 'p1' }, channels: ['email', 'inbox'] },
        { kind: 'meeting_announced', recipient: { type: 'person', id: 'f1' }, channels: ['email', 'inbox'] },
        { kind: 'meeting_announced', recipient: { type: 'person', id: 'f2' }, channels: ['inbox'] },
      ]);
      // Followers hear only of scheduling: a cancellation tells those registered, never followers.
      expect(addresseesFor(mtg('MeetingCancelled', { reason: 'x' }), [themed, scheduled], ['f1'])).toEqual([]);
    });

    it('a coordinator who proposes and schedules in one step is not told', () => {
      expect(plan(scheduled, [proposedBy({ subject: coordinator }, coordinator)])).toEqual([]);
    });

    it.each([
      ['MeetingRescheduled', 'meeting_rescheduled', { ...schedule, reason: '会場の都合' }],
      ['MeetingCancelled', 'meeting_cancelled', { reason: '台風のため' }],
    ] as const)('%s tells everyone registered, waiting included, once each', (type, kind, data) => {
      const earlier = [
        proposedBy({ subject: coordinator }, coordinator),
        scheduled,
        mtg('RegisteredForMeeting', { personId: 'a' }),
        mtg('RegisteredForMeeting', { personId: 'b' }),
        mtg('WaitlistedForMeeting', { personId: 'c', waitlistPosition: 1 }),
        mtg('RegisteredForMeeting', { personId: 'd' }),
        mtg('MeetingRegistrationCancelled', { personId: 'd', wasWaitlisted: false }),
      ];
      const planned = plan(mtg(type, data), earlier, (id) => id !== 'b');
      expect(planned).toEqual([
        { kind, recipient: { type: 'person', id: 'a' }, channels: ['email', 'inbox'] },
        { kind, recipient: { type: 'person', id: 'b' }, channels: ['inbox'] },
        { kind, recipient: { type: 'person', id: 'c' }, channels: ['email', 'inbox'] },
      ]);
    });

    it('a promotion from the waiting list tells the promoted person', () => {
      expect(plan(mtg('PromotedFromWaitlist', { personId: 'c' }), [])).toEqual([
        { kind: 'waitlist_promoted', recipient: { type: 'person', id: 'c' }, channels: ['email', 'inbox'] },
      ]);
    });
  });

  describe('spin-offs', () => {
    const sp = (type: SpinOffEvent['type'], data: object = {}) => ({ type, data: { spinOffId: 's1', by: 'p1', at, ...data } }) as SpinOffEvent;
    const proposed = sp('SpinOffProposed', { origins: [], title: '朝市', purpose: '朝市を開く', wards: ['nakahara', 'tama'], themes: ['food'], initiators: ['p1', 'p2'] });

    it('a launch is announced to the followers of the SDCs of its wards; initiators are told only as initiators', () => {
      const earlier = [proposed, sp('SpinOffAcknowledged', { by: coordinator })];
      expect(followTargetsOf(sp('SpinOffLaunched'), earlier)).toEqual({ sdcs: ['nakahara', 'tama'], themes: [] });
      expect(addresseesFor(sp('SpinOffLaunched'), earlier, ['f1', 'p2'])).toEqual([
        { kind: 'spinoff_launched', recipient: { type: 'person', id: 'p1' } },
        { kind: 'spinoff_launched', recipient: { type: 'person', id: 'p2' } },
        { kind: 'spinoff_announced', recipient: { type: 'person', id: 'f1' } },
      ]);
    });

    it('a launch tells its initiators', () => {
      expect(plan(sp('SpinOffLaunched'), [proposed, sp('SpinOffAcknowledged', { by: coordinator })], (id) => id === 'p1')).toEqual([
        { kind: 'spinoff_launched', recipient: { type: 'person', id: 'p1' }, channels: ['email', 'inbox'] },
        { kind: 'spinoff_launched', recipient: { type: 'person', id: 'p2' }, channels: ['inbox'] },
      ]);
    });

    describe('invitations to a role', () => {
      const launched = [proposed, sp('SpinOffAcknowledged', { by: coordinator }), sp('SpinOffLaunched')];
      const roleOpened = sp('SpinOffRoleOpened', { roleId: 'r1', opportunityId: 'o1', title: '調理', places: 2, requiredSkills: [] });
      const invited = sp('SpinOffRoleInvitationsSent', { roleId: 'r1', opportunityId: 'o1', personIds: ['v1', 'v2', 'v3'], by: coordinator });

      it('tell each invited person by e-mail and in the inbox, and nobody else (not the initiators, not followers)', () => {
        expect(addresseesFor(invited, [...launched, roleOpened], ['f1'])).toEqual(['v1', 'v2', 'v3'].map((id) => ({ kind: 'spinoff_role_invitation', recipient: { type: 'person', id } })));
        expect(followTargetsOf(invited, [...launched, roleOpened])).toBeUndefined();
        expect(plan(invited, [...launched, roleOpened])).toEqual(
          ['v1', 'v2', 'v3'].map((id) => ({ kind: 'spinoff_role_invitation', recipient: { type: 'person', id }, channels: ['email', 'inbox'] })),
        );
      });

      it('reach only people who agreed to be contacted: without consent, not even the inbox', () => {
        expect(plan(invited, [...launched, roleOpened], (id) => id !== 'v2')).toEqual(
          ['v1', 'v3'].map((id) => ({ kind: 'spinoff_role_invitation', recipient: { type: 'person', id }, channels: ['email', 'inbox'] })),
        );
        expect(plan(invited, [...launched, roleOpened], nobody)).toEqual([]);
      });
    });
  });

  it('plans the same notifications for the same event and facts, so their ids are stable across replays', () => {
    const event = { id: 'ev-1', ...proposedTo({ type: 'person', id: 'p1' }) };
    const ids = () => plan(event, [opened()]).flatMap((n) => n.channels.map((c) => notificationIdFor(event.id, n.recipient, c)));
    expect(ids()).toEqual(ids());
    expect(new Set(ids()).size).toBe(2);
  });

  it('every notifying event type has a rule', () => {
    expect(NOTIFYING_EVENT_TYPES).toHaveLength(14);
  });
});
