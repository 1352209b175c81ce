import type { DomainEvent } from '@tsunagi/domain';
import type { Candidate, DeclineReason, EndEarlyReason, OpportunityProfile } from './opportunity.types';

/**
 * Everything that happens to an opportunity and its matches is one stream, `opportunity-<id>`: the accept
 * that takes a place and the count of places are decided and appended together, so the places invariant
 * holds with a single expected-revision check and a crash can never leave half of it written.
 * `at` is the decision time from the injected clock (ISO-8601).
 */
export type OpportunityEvent =
  | DomainEvent<'OpportunityOpened', { opportunityId: string; by: string; at: string } & OpportunityProfile>
  | DomainEvent<'OpportunityUpdated', { opportunityId: string; by: string; at: string; changes: Partial<Omit<OpportunityProfile, 'organisationId'>> }>
  | DomainEvent<'OpportunityClosed', { opportunityId: string; by: string; at: string; reason?: string }>
  | DomainEvent<'OpportunityReopened', { opportunityId: string; by: string; at: string }>
  | DomainEvent<'InterestExpressed', { opportunityId: string; matchId: string; candidate: Candidate; message?: string; at: string }>
  | DomainEvent<'InterestDeclined', { opportunityId: string; matchId: string; by: string; reason?: string; at: string }>
  | DomainEvent<'MatchProposed', { opportunityId: string; matchId: string; candidate: Candidate; message: string; proposedBy: string; fromInterest: boolean; at: string }>
  | DomainEvent<'MatchAccepted', { opportunityId: string; matchId: string; by: string; at: string }>
  | DomainEvent<'MatchDeclined', { opportunityId: string; matchId: string; by: string; reason: DeclineReason; text?: string; at: string }>
  | DomainEvent<'MatchWithdrawn', { opportunityId: string; matchId: string; by: string; reason?: string; at: string }>
  | DomainEvent<'MatchExpired', { opportunityId: string; matchId: string; by: string; at: string }>
  | DomainEvent<'MatchConfirmed', { opportunityId: string; matchId: string; by: string; at: string }>
  | DomainEvent<'MatchStarted', { opportunityId: string; matchId: string; by: string; at: string }>
  | DomainEvent<'HoursLogged', { opportunityId: string; matchId: string; entryId: string; date: string; hours: number; note?: string; by: string; at: string }>
  | DomainEvent<'HoursApproved', { opportunityId: string; matchId: string; entryId: string; by: string; at: string }>
  | DomainEvent<'MatchCompleted', { opportunityId: string; matchId: string; by: string; at: string }>
  | DomainEvent<'MatchEndedEarly', { opportunityId: string; matchId: string; by: string; reason: EndEarlyReason; text?: string; at: string }>;

export type OpportunityEventType = OpportunityEvent['type'];

export const OPPORTUNITY_EVENT_TYPES: readonly OpportunityEventType[] = [
  'OpportunityOpened',
  'OpportunityUpdated',
  'OpportunityClosed',
  'OpportunityReopened',
  'InterestExpressed',
  'InterestDeclined',
  'MatchProposed',
  'MatchAccepted',
  'MatchDeclined',
  'MatchWithdrawn',
  'MatchExpired',
  'MatchConfirmed',
  'MatchStarted',
  'HoursLogged',
  'HoursApproved',
  'MatchCompleted',
  'MatchEndedEarly',
];

export const opportunityStreamId = (opportunityId: string) => `opportunity-${opportunityId}`;
