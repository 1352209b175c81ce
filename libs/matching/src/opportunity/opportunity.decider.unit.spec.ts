import { spec } from '@tsunagi/testing';
import { fold } from '@tsunagi/domain';
import { OpportunityCommand } from './opportunity.commands';
import { opportunityDecider } from './opportunity.decider';
import { OpportunityEvent } from './opportunity.events';
import { Candidate, OpportunityProfile } from './opportunity.types';

const at = '2026-04-01T10:00:00.000Z';
const opportunityId = 'opp-1';
const by = 'coordinator-1';
const person = (id: string) => ({ type: 'person' as const, id });
const org = (id: string) => ({ type: 'organisation' as const, id });

const role: OpportunityProfile = {
  organisationId: 'org-1',
  title: '子ども食堂の調理スタッフ',
  description: 'Cook at the children’s cafeteria on Saturdays',
  ward: 'nakahara',
  themes: ['child_rearing'],
  details: { kind: 'volunteer_role', places: 2, schedule: { days: ['weekend'] }, requiredSkills: ['cooking'], optionalSkills: [] },
};
const proBono: OpportunityProfile = {
  ...role,
  title: 'Website redesign',
  details: { kind: 'pro_bono_project', deliverable: 'a new website', teamSize: 1, durationWeeks: 12, hoursPerWeek: 4, professions: ['design'] },
};
const collaboration: OpportunityProfile = {
  ...role,
  title: 'Venue for a monthly café',
  details: { kind: 'collaboration', direction: 'sought', resources: ['venue'], places: 1 },
};

const opened = (profile = role): OpportunityEvent => ({ type: 'OpportunityOpened', data: { opportunityId, ...profile, by, at } });
const proposed = (matchId: string, candidate: Candidate = person(`p-${matchId}`)): OpportunityEvent => ({
  type: 'MatchProposed',
  data: { opportunityId, matchId, candidate, message: 'どうですか', proposedBy: by, fromInterest: false, at },
});
const ev = <T extends OpportunityEvent['type']>(type: T, data: Record<string, unknown>) =>
  ({ type, data: { opportunityId, by, at, ...data } }) as unknown as OpportunityEvent;
const cmd = (type: OpportunityCommand['type'], data: object = {}) => ({ type, opportunityId, by, at, ...data }) as OpportunityCommand;
const given = (events: OpportunityEvent[]) => spec(opportunityDecider).given(events);

/** A match driven to a status through the legal path. */
function historyTo(status: string, profile = role, matchId = 'm1'): OpportunityEvent[] {
  const path: [string, OpportunityEvent][] = [
    ['proposed', proposed(matchId, profile.details.kind === 'collaboration' ? org('org-2') : person('p1'))],
    ['accepted', ev('MatchAccepted', { matchId })],
    ...(profile.details.kind === 'collaboration' ? [] : ([['confirmed', ev('MatchConfirmed', { matchId })]] as [string, OpportunityEvent][])),
    ['started', ev('MatchStarted', { matchId })],
    ['completed', ev('MatchCompleted', { matchId })],
  ];
  const index = path.findIndex(([s]) => s === status);
  return [opened(profile), ...path.slice(0, index + 1).map(([, e]) => e)];
}

describe('opportunity decider', () => {
  describe('opportunity lifecycle', () => {
    it('opens a new opportunity', () => {
      given([]).when(cmd('OpenOpportunity', role)).then([opened()]);
    });

    it('stores a role’s skills as the taxonomy spells them, whoever sends the command', () => {
      const typed = { ...role, details: { ...role.details, requiredSkills: ['料理', 'ＩＴ', '調理', ' '], optionalSkills: ['Camera'] } } as OpportunityProfile;
      const canonical = { ...role, details: { ...role.details, requiredSkills: ['cooking', 'it'], optionalSkills: ['photography'] } } as OpportunityProfile;
      given([]).when(cmd('OpenOpportunity', typed)).then([opened(canonical)]);
      given([opened()])
        .when(cmd('UpdateOpportunity', { changes: { details: typed.details } }))
        .then([ev('OpportunityUpdated', { changes: { details: canonical.details } })]);
    });
    it('cannot open twice, or with no places', () => {
      given([opened()]).when(cmd('OpenOpportunity', role)).thenFails('opportunity.already_exists');
      given([])
        .when(cmd('OpenOpportunity', { ...role, details: { ...role.details, places: 0 } }))
        .thenFails('opportunity.places_invalid');
    });
    it('updates, closes and reopens', () => {
      given([opened()]).when(cmd('UpdateOpportunity', { changes: { title: '調理リーダー' } })).then([ev('OpportunityUpdated', { changes: { title: '調理リーダー' } })]);
      given([opened()]).when(cmd('CloseOpportunity', { reason: 'season over' })).then([ev('OpportunityClosed', { reason: 'season over' })]);
      given([opened(), ev('OpportunityClosed', {})]).when(cmd('ReopenOpportunity')).then([ev('OpportunityReopened', {})]);
    });
    it('refuses illegal lifecycle moves', () => {
      given([]).when(cmd('UpdateOpportunity', { changes: {} })).thenFails('opportunity.not_found');
      given([]).when(cmd('CloseOpportunity')).thenFails('opportunity.not_found');
      given([opened(), ev('OpportunityClosed', {})]).when(cmd('CloseOpportunity')).thenFails('opportunity.closed');
      given([opened()]).when(cmd('ReopenOpportunity')).thenFails('opportunity.already_open');
      given([opened()]).when(cmd('UpdateOpportunity', { changes: { details: proBono.details } })).thenFails('opportunity.kind_unchangeable');
    });
    it('never lowers places below those taken', () => {
      const twoTaken = [opened(), proposed('a'), ev('MatchAccepted', { matchId: 'a' }), proposed('b'), ev('MatchAccepted', { matchId: 'b' })];
      given(twoTaken)
        .when(cmd('UpdateOpportunity', { changes: { details: { ...role.details, places: 1 } } }))
        .thenFails('opportunity.places_below_taken', { taken: 2 });
    });
  });

  describe('proposals and interest', () => {
    it('proposes a person for a role', () => {
      given([opened()]).when(cmd('ProposeMatch', { matchId: 'm1', candidate: person('p-m1'), message: 'どうですか' })).then([proposed('m1')]);
    });
    it('turns a volunteer’s interest into a proposal, or declines it', () => {
      const interest = ev('InterestExpressed', { matchId: 'm1', candidate: person('p1') });
      given([opened()]).when(cmd('ExpressInterest', { matchId: 'm1', candidate: person('p1') })).then([
        { type: 'InterestExpressed', data: { opportunityId, matchId: 'm1', candidate: person('p1'), at } },
      ]);
      given([opened(), interest])
        .when(cmd('ProposeMatch', { matchId: 'm1', candidate: person('p1'), message: 'ぜひ' }))
        .then([{ type: 'MatchProposed', data: { opportunityId, matchId: 'm1', candidate: person('p1'), message: 'ぜひ', proposedBy: by, fromInterest: true, at } }]);
      given([opened(), interest]).when(cmd('DeclineInterest', { matchId: 'm1', reason: 'full' })).then([ev('InterestDeclined', { matchId: 'm1', reason: 'full' })]);
    });
    it('refuses a second active match for the same candidate, and the wrong kind of candidate', () => {
      given([opened(), proposed('m1', person('p1'))])
        .when(cmd('ProposeMatch', { matchId: 'm2', candidate: person('p1'), message: '' }))
        .thenFails('match.duplicate', { matchId: 'm1' });
      given([opened()]).when(cmd('ProposeMatch', { matchId: 'm2', candidate: org('org-2'), message: '' })).thenFails('match.candidate_type');
      given([opened(collaboration)]).when(cmd('ProposeMatch', { matchId: 'm2', candidate: person('p1'), message: '' })).thenFails('match.candidate_type');
      given([opened(collaboration)]).when(cmd('ProposeMatch', { matchId: 'm2', candidate: org('org-1'), message: '' })).thenFails('match.self_collaboration');
    });
    it('allows a new proposal after the earlier one ended', () => {
      given([opened(), proposed('m1', person('p1')), ev('MatchDeclined', { matchId: 'm1', reason: 'no_time' })])
        .when(cmd('ProposeMatch', { matchId: 'm2', candidate: person('p1'), message: 'again?' }))
        .events();
    });
    it('refuses proposals on closed or missing opportunities, and reused match ids', () => {
      given([opened(), ev('OpportunityClosed', {})]).when(cmd('ProposeMatch', { matchId: 'm1', candidate: person('p1'), message: '' })).thenFails('opportunity.closed');
      given([]).when(cmd('ProposeMatch', { matchId: 'm1', candidate: person('p1'), message: '' })).thenFails('opportunity.not_found');
      given([opened(), proposed('m1')]).when(cmd('ProposeMatch', { matchId: 'm1', candidate: person('p9'), message: '' })).thenFails('match.already_exists');
      given([opened(), proposed('m1')]).when(cmd('ExpressInterest', { matchId: 'm1', candidate: person('p9') })).thenFails('match.already_exists');
    });
  });

  describe('answers', () => {
    it('accepts, declines with a reason, is withdrawn or expires', () => {
      given([opened(), proposed('m1')]).when(cmd('AcceptMatch', { matchId: 'm1' })).then([ev('MatchAccepted', { matchId: 'm1' })]);
      given([opened(), proposed('m1')])
        .when(cmd('DeclineMatch', { matchId: 'm1', reason: 'too_far', text: '遠い' }))
        .then([ev('MatchDeclined', { matchId: 'm1', reason: 'too_far', text: '遠い' })]);
      given([opened(), proposed('m1')]).when(cmd('WithdrawMatch', { matchId: 'm1' })).then([ev('MatchWithdrawn', { matchId: 'm1' })]);
      given([opened(), proposed('m1')]).when(cmd('ExpireMatch', { matchId: 'm1' })).then([ev('MatchExpired', { matchId: 'm1' })]);
    });
    it('never takes more places than the opportunity has', () => {
      const full = [opened(), proposed('a'), ev('MatchAccepted', { matchId: 'a' }), proposed('b'), ev('MatchAccepted', { matchId: 'b' }), proposed('c')];
      given(full).when(cmd('AcceptMatch', { matchId: 'c' })).thenFails('opportunity.full', { places: 2 });
    });
    it('frees a place when an accepted match is withdrawn or ends early, not when it completes', () => {
      const taken = [opened(), proposed('a'), ev('MatchAccepted', { matchId: 'a' }), proposed('b'), ev('MatchAccepted', { matchId: 'b' }), proposed('c')];
      given([...taken, ev('MatchWithdrawn', { matchId: 'a' })]).when(cmd('AcceptMatch', { matchId: 'c' })).then([ev('MatchAccepted', { matchId: 'c' })]);
      const ended = [...taken, ev('MatchConfirmed', { matchId: 'a' }), ev('MatchStarted', { matchId: 'a' })];
      given([...ended, ev('MatchEndedEarly', { matchId: 'a', reason: 'moved' })]).when(cmd('AcceptMatch', { matchId: 'c' })).events();
      given([...ended, ev('MatchCompleted', { matchId: 'a' })]).when(cmd('AcceptMatch', { matchId: 'c' })).thenFails('opportunity.full');
      expect(fold(opportunityDecider, [...ended, ev('MatchEndedEarly', { matchId: 'a', reason: 'moved' })]).placesTaken).toBe(1);
    });
    it('cannot accept on a closed opportunity', () => {
      given([opened(), proposed('m1'), ev('OpportunityClosed', {})]).when(cmd('AcceptMatch', { matchId: 'm1' })).thenFails('opportunity.closed');
    });
    it('refuses an answer to a missing match', () => {
      given([opened()]).when(cmd('AcceptMatch', { matchId: 'nope' })).thenFails('match.not_found');
    });
  });

  describe('after acceptance', () => {
    it('confirms, starts, logs and approves hours, completes or ends early', () => {
      given(historyTo('accepted')).when(cmd('ConfirmMatch', { matchId: 'm1' })).then([ev('MatchConfirmed', { matchId: 'm1' })]);
      given(historyTo('confirmed')).when(cmd('StartMatch', { matchId: 'm1' })).then([ev('MatchStarted', { matchId: 'm1' })]);
      const logged = ev('HoursLogged', { matchId: 'm1', entryId: 'h1', date: '2026-04-05', hours: 3 });
      given(historyTo('started')).when(cmd('LogHours', { matchId: 'm1', entryId: 'h1', date: '2026-04-05', hours: 3 })).then([logged]);
      given([...historyTo('started'), logged]).when(cmd('ApproveHours', { matchId: 'm1', entryId: 'h1' })).then([ev('HoursApproved', { matchId: 'm1', entryId: 'h1' })]);
      given(historyTo('started')).when(cmd('CompleteMatch', { matchId: 'm1' })).then([ev('MatchCompleted', { matchId: 'm1' })]);
      given(historyTo('started')).when(cmd('EndMatchEarly', { matchId: 'm1', reason: 'health' })).then([ev('MatchEndedEarly', { matchId: 'm1', reason: 'health' })]);
    });
    it('guards hours: only while started, no duplicate entries, sane amounts, approve once', () => {
      given(historyTo('confirmed')).when(cmd('LogHours', { matchId: 'm1', entryId: 'h1', date: '2026-04-05', hours: 3 })).thenFails('match.invalid_transition');
      const logged = ev('HoursLogged', { matchId: 'm1', entryId: 'h1', date: '2026-04-05', hours: 3 });
      given([...historyTo('started'), logged]).when(cmd('LogHours', { matchId: 'm1', entryId: 'h1', date: '2026-04-06', hours: 2 })).thenFails('hours.duplicate_entry');
      given(historyTo('started')).when(cmd('LogHours', { matchId: 'm1', entryId: 'h2', date: '2026-04-06', hours: 25 })).thenFails('hours.invalid');
      given(historyTo('started')).when(cmd('LogHours', { matchId: 'm1', entryId: 'h2', date: '2026-04-06', hours: 0 })).thenFails('hours.invalid');
      given(historyTo('started')).when(cmd('ApproveHours', { matchId: 'm1', entryId: 'h9' })).thenFails('hours.not_found');
      const approved = ev('HoursApproved', { matchId: 'm1', entryId: 'h1' });
      given([...historyTo('started'), logged, approved]).when(cmd('ApproveHours', { matchId: 'm1', entryId: 'h1' })).thenFails('hours.already_approved');
    });
    it('pro-bono projects follow the volunteer path', () => {
      given(historyTo('accepted', proBono)).when(cmd('ConfirmMatch', { matchId: 'm1' })).then([ev('MatchConfirmed', { matchId: 'm1' })]);
      given(historyTo('accepted', proBono)).when(cmd('StartMatch', { matchId: 'm1' })).thenFails('match.invalid_transition');
    });
    it('collaborations start once the partner accepts, with no confirmation', () => {
      given(historyTo('accepted', collaboration)).when(cmd('StartMatch', { matchId: 'm1' })).then([ev('MatchStarted', { matchId: 'm1' })]);
      given(historyTo('accepted', collaboration)).when(cmd('ConfirmMatch', { matchId: 'm1' })).thenFails('match.invalid_transition');
    });
  });

  describe('a match never skips a state', () => {
    const statuses = ['proposed', 'accepted', 'confirmed', 'started', 'completed'] as const;
    const legal: Record<string, string[]> = {
      proposed: ['AcceptMatch', 'DeclineMatch', 'WithdrawMatch', 'ExpireMatch'],
      accepted: ['ConfirmMatch', 'WithdrawMatch'],
      confirmed: ['StartMatch', 'WithdrawMatch'],
      started: ['CompleteMatch', 'EndMatchEarly'],
      completed: [],
    };
    const moves = ['AcceptMatch', 'DeclineMatch', 'WithdrawMatch', 'ExpireMatch', 'ConfirmMatch', 'StartMatch', 'CompleteMatch', 'EndMatchEarly', 'DeclineInterest'] as const;
    for (const status of statuses) {
      for (const move of moves) {
        const allowed = legal[status].includes(move);
        it(`${move} from ${status} is ${allowed ? 'allowed' : 'refused'}`, () => {
          const run = given(historyTo(status)).when(cmd(move, { matchId: 'm1', reason: move === 'DeclineMatch' ? 'other' : 'other' }));
          if (allowed) expect(run.events()).toHaveLength(1);
          else run.thenFails('match.invalid_transition', { from: status, command: move });
        });
      }
    }
    it.each(['declined', 'withdrawn', 'expired', 'interest_declined', 'ended_early'])('nothing moves a match out of %s', (end) => {
      const history: Record<string, OpportunityEvent[]> = {
        declined: [opened(), proposed('m1'), ev('MatchDeclined', { matchId: 'm1', reason: 'other' })],
        withdrawn: [opened(), proposed('m1'), ev('MatchWithdrawn', { matchId: 'm1' })],
        expired: [opened(), proposed('m1'), ev('MatchExpired', { matchId: 'm1' })],
        interest_declined: [opened(), ev('InterestExpressed', { matchId: 'm1', candidate: person('p1') }), ev('InterestDeclined', { matchId: 'm1' })],
        ended_early: [...historyTo('started'), ev('MatchEndedEarly', { matchId: 'm1', reason: 'other' })],
      };
      for (const move of moves) given(history[end]).when(cmd(move, { matchId: 'm1', reason: 'other' })).thenFails('match.invalid_transition');
    });
  });
});
