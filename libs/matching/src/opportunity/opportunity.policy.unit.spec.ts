import { DomainError, Principal, fold } from '@tsunagi/domain';
import type { OpportunityCommand } from './opportunity.commands';
import { opportunityDecider } from './opportunity.decider';
import type { OpportunityEvent } from './opportunity.events';
import { authorizeOpportunityCommand, maySeeMatchesOf } from './opportunity.policy';

const at = '2026-04-01T00:00:00.000Z';
const base = { opportunityId: 'o1', by: 'x', at };
const opened: OpportunityEvent = {
  type: 'OpportunityOpened',
  data: {
    ...base,
    organisationId: 'org-own',
    title: 't',
    description: '',
    ward: 'nakahara',
    themes: [],
    details: { kind: 'volunteer_role', places: 3, schedule: {}, requiredSkills: [], optionalSkills: [] },
  },
};
const proposed: OpportunityEvent = {
  type: 'MatchProposed',
  data: { ...base, matchId: 'm1', candidate: { type: 'person', id: 'p-own' }, message: '', proposedBy: 'c', fromInterest: false },
};
const state = fold(opportunityDecider, [opened, proposed]);

const who: Record<string, Principal> = {
  admin: { subject: 'a', role: 'admin', wards: [], organisationIds: [] },
  analyst: { subject: 'an', role: 'analyst', wards: [], organisationIds: [] },
  'coordinator (own ward)': { subject: 'c1', role: 'coordinator', wards: ['nakahara'], organisationIds: [] },
  'coordinator (other ward)': { subject: 'c2', role: 'coordinator', wards: ['asao'], organisationIds: [] },
  'organisation (own)': { subject: 'r1', role: 'organisation', wards: [], organisationIds: ['org-own'] },
  'organisation (other)': { subject: 'r2', role: 'organisation', wards: [], organisationIds: ['org-other'] },
  'volunteer (candidate)': { subject: 'p-own', role: 'volunteer', wards: [], organisationIds: [], personId: 'p-own' },
  'volunteer (someone else)': { subject: 'p-x', role: 'volunteer', wards: [], organisationIds: [], personId: 'p-x' },
};

const onMatch = { ...base, matchId: 'm1' };
const commands: Record<string, OpportunityCommand> = {
  UpdateOpportunity: { type: 'UpdateOpportunity', ...base, changes: { title: 'x' } },
  CloseOpportunity: { type: 'CloseOpportunity', ...base },
  ProposeMatch: { type: 'ProposeMatch', ...base, matchId: 'm2', candidate: { type: 'person', id: 'p9' }, message: '' },
  AcceptMatch: { type: 'AcceptMatch', ...onMatch },
  DeclineMatch: { type: 'DeclineMatch', ...onMatch, reason: 'other' },
  WithdrawMatch: { type: 'WithdrawMatch', ...onMatch },
  ConfirmMatch: { type: 'ConfirmMatch', ...onMatch },
  StartMatch: { type: 'StartMatch', ...onMatch },
  LogHours: { type: 'LogHours', ...onMatch, entryId: 'h', date: '2026-04-02', hours: 1 },
  EndMatchEarly: { type: 'EndMatchEarly', ...onMatch, reason: 'other' },
};

/** Who may: the table the product promises (DOMAIN.md; issue 3). */
const allowed: Record<string, string[]> = {
  UpdateOpportunity: ['admin', 'coordinator (own ward)', 'organisation (own)'],
  CloseOpportunity: ['admin', 'coordinator (own ward)', 'organisation (own)'],
  ProposeMatch: ['admin', 'coordinator (own ward)'],
  AcceptMatch: ['admin', 'volunteer (candidate)'],
  DeclineMatch: ['admin', 'volunteer (candidate)'],
  WithdrawMatch: ['admin', 'coordinator (own ward)'],
  ConfirmMatch: ['admin', 'coordinator (own ward)', 'organisation (own)'],
  StartMatch: ['admin', 'coordinator (own ward)', 'organisation (own)'],
  LogHours: ['admin', 'volunteer (candidate)'],
  EndMatchEarly: ['admin', 'coordinator (own ward)', 'organisation (own)', 'volunteer (candidate)'],
};

describe('matching policy', () => {
  for (const [command, allowedFor] of Object.entries(allowed)) {
    for (const [name, principal] of Object.entries(who)) {
      const may = allowedFor.includes(name);
      it(`${name} ${may ? 'may' : 'may not'} ${command}`, () => {
        const run = () => authorizeOpportunityCommand(principal, commands[command], state);
        if (may) expect(run).not.toThrow();
        else expect(run).toThrow(expect.objectContaining({ code: 'auth.forbidden' }) as unknown as DomainError);
      });
    }
  }

  it('opening needs the ward or the organisation; moving an opportunity needs both wards', () => {
    const open = { type: 'OpenOpportunity', ...base, ...(opened.data as object) } as OpportunityCommand;
    const empty = fold(opportunityDecider, []);
    expect(() => authorizeOpportunityCommand(who['coordinator (own ward)'], open, empty)).not.toThrow();
    expect(() => authorizeOpportunityCommand(who['organisation (own)'], open, empty)).not.toThrow();
    expect(() => authorizeOpportunityCommand(who['coordinator (other ward)'], open, empty)).toThrow();
    expect(() => authorizeOpportunityCommand(who['volunteer (candidate)'], open, empty)).toThrow();
    const move = { type: 'UpdateOpportunity', ...base, changes: { ward: 'asao' } } as OpportunityCommand;
    expect(() => authorizeOpportunityCommand(who['coordinator (own ward)'], move, state)).toThrow();
    const both: Principal = { ...who['coordinator (own ward)'], wards: ['nakahara', 'asao'] };
    expect(() => authorizeOpportunityCommand(both, move, state)).not.toThrow();
  });

  it('interest is expressed only for oneself', () => {
    const interest = (id: string) => ({ type: 'ExpressInterest', ...base, matchId: 'm3', candidate: { type: 'person', id } }) as OpportunityCommand;
    expect(() => authorizeOpportunityCommand(who['volunteer (candidate)'], interest('p-own'), state)).not.toThrow();
    expect(() => authorizeOpportunityCommand(who['volunteer (candidate)'], interest('p-x'), state)).toThrow();
  });

  it('matches are visible to the owner organisation, the ward’s coordinators and admins only', () => {
    const visible = Object.entries(who)
      .filter(([, p]) => maySeeMatchesOf(p, state))
      .map(([name]) => name);
    expect(visible).toEqual(['admin', 'coordinator (own ward)', 'organisation (own)']);
  });
});
