import { Decider, DomainError, normaliseSkills } from '@tsunagi/domain';
import type { OpportunityCommand, OpportunityCommandType } from './opportunity.commands';
import type { OpportunityEvent } from './opportunity.events';
import {
  ACTIVE_MATCH_STATUSES,
  Candidate,
  MatchStatus,
  OpportunityDetails,
  OpportunityKind,
  OpportunityProfile,
  PLACE_HOLDING_STATUSES,
  candidateTypeFor,
  placesOf,
} from './opportunity.types';

export interface HoursEntry {
  date: string;
  hours: number;
  approved: boolean;
}

export interface MatchState {
  matchId: string;
  candidate: Candidate;
  status: MatchStatus;
  proposedBy?: string;
  hours: Record<string, HoursEntry>;
}

export interface OpportunityState {
  status: 'none' | 'open' | 'closed';
  opportunityId?: string;
  profile?: OpportunityProfile;
  matches: Record<string, MatchState>;
  placesTaken: number;
}

/**
 * The match state machine: which command moves a match from which statuses to which. A command from any
 * other status is `match.invalid_transition`, so a match never skips a state.
 */
const MATCH_TRANSITIONS: Partial<Record<OpportunityCommandType, { from: readonly MatchStatus[]; to: MatchStatus }>> = {
  DeclineInterest: { from: ['interested'], to: 'interest_declined' },
  AcceptMatch: { from: ['proposed'], to: 'accepted' },
  DeclineMatch: { from: ['proposed'], to: 'declined' },
  WithdrawMatch: { from: ['proposed', 'accepted', 'confirmed'], to: 'withdrawn' },
  ExpireMatch: { from: ['proposed'], to: 'expired' },
  ConfirmMatch: { from: ['accepted'], to: 'confirmed' },
  StartMatch: { from: ['confirmed'], to: 'started' },
  CompleteMatch: { from: ['started'], to: 'completed' },
  EndMatchEarly: { from: ['started'], to: 'ended_early' },
};

/** A collaboration between organisations needs no confirmation: it starts once the partner accepts. */
function transitionFor(type: OpportunityCommandType, kind: OpportunityKind) {
  if (kind === 'collaboration') {
    if (type === 'ConfirmMatch') return { from: [] as MatchStatus[], to: 'confirmed' as MatchStatus };
    if (type === 'StartMatch') return { from: ['accepted'] as MatchStatus[], to: 'started' as MatchStatus };
  }
  return MATCH_TRANSITIONS[type];
}

const holdsPlace = (status: MatchStatus) => PLACE_HOLDING_STATUSES.includes(status);

export const initialOpportunityState = (): OpportunityState => ({ status: 'none', matches: {}, placesTaken: 0 });

function requireOpen(state: OpportunityState): OpportunityProfile {
  if (state.status === 'none') throw new DomainError('opportunity.not_found', 'not_found');
  if (state.status === 'closed') throw new DomainError('opportunity.closed', 'conflict');
  return state.profile!;
}

function requireExisting(state: OpportunityState): OpportunityProfile {
  if (state.status === 'none') throw new DomainError('opportunity.not_found', 'not_found');
  return state.profile!;
}

function requireMatch(state: OpportunityState, matchId: string): MatchState {
  const match = state.matches[matchId];
  if (!match) throw new DomainError('match.not_found', 'not_found', { matchId });
  return match;
}

function requireCandidateFits(profile: OpportunityProfile, candidate: Candidate, state: OpportunityState, matchId: string): void {
  const expected = candidateTypeFor(profile.details.kind);
  if (candidate.type !== expected) throw new DomainError('match.candidate_type', 'invalid', { expected });
  const active = Object.values(state.matches).find(
    (m) => m.matchId !== matchId && m.candidate.type === candidate.type && m.candidate.id === candidate.id && ACTIVE_MATCH_STATUSES.includes(m.status),
  );
  if (active) throw new DomainError('match.duplicate', 'conflict', { matchId: active.matchId });
  if (candidate.type === 'organisation' && candidate.id === profile.organisationId) {
    throw new DomainError('match.self_collaboration', 'invalid');
  }
}

function requirePlacesFit(profile: OpportunityProfile, changes: Partial<OpportunityProfile>, taken: number): void {
  if (!changes.details) return;
  if (changes.details.kind !== profile.details.kind) throw new DomainError('opportunity.kind_unchangeable', 'invalid');
  if (placesOf(changes.details) < taken) throw new DomainError('opportunity.places_below_taken', 'conflict', { taken });
}

/**
 * A role's skills as the shared taxonomy spells them (NFKC, synonyms to one word, no repeats), whoever sends the
 * command (the API, a spin-off's role, the demo plan): suggestions and analytics compare skills by equality.
 */
function withCanonicalSkills(details: OpportunityDetails): OpportunityDetails {
  if (details.kind !== 'volunteer_role') return details;
  return { ...details, requiredSkills: normaliseSkills(details.requiredSkills), optionalSkills: normaliseSkills(details.optionalSkills) };
}

function decide(command: OpportunityCommand, state: OpportunityState): OpportunityEvent[] {
  const { opportunityId, by, at } = command;
  switch (command.type) {
    case 'OpenOpportunity': {
      if (state.status !== 'none') throw new DomainError('opportunity.already_exists', 'conflict');
      if (placesOf(command.details) < 1) throw new DomainError('opportunity.places_invalid', 'invalid');
      const { organisationId, title, description, ward, themes } = command;
      return [{ type: 'OpportunityOpened', data: { opportunityId, organisationId, title, description, ward, themes, details: withCanonicalSkills(command.details), by, at } }];
    }
    case 'UpdateOpportunity': {
      const profile = requireExisting(state);
      requirePlacesFit(profile, command.changes, state.placesTaken);
      const changes = command.changes.details ? { ...command.changes, details: withCanonicalSkills(command.changes.details) } : command.changes;
      return [{ type: 'OpportunityUpdated', data: { opportunityId, changes, by, at } }];
    }
    case 'CloseOpportunity':
      requireOpen(state);
      return [{ type: 'OpportunityClosed', data: { opportunityId, by, at, ...(command.reason ? { reason: command.reason } : {}) } }];
    case 'ReopenOpportunity':
      requireExisting(state);
      if (state.status === 'open') throw new DomainError('opportunity.already_open', 'conflict');
      return [{ type: 'OpportunityReopened', data: { opportunityId, by, at } }];
    case 'ExpressInterest': {
      const profile = requireOpen(state);
      if (state.matches[command.matchId]) throw new DomainError('match.already_exists', 'conflict');
      requireCandidateFits(profile, command.candidate, state, command.matchId);
      const { matchId, candidate, message } = command;
      return [{ type: 'InterestExpressed', data: { opportunityId, matchId, candidate, at, ...(message ? { message } : {}) } }];
    }
    case 'ProposeMatch': {
      const profile = requireOpen(state);
      const existing = state.matches[command.matchId];
      if (existing && (existing.status !== 'interested' || existing.candidate.id !== command.candidate.id || existing.candidate.type !== command.candidate.type)) {
        throw new DomainError('match.already_exists', 'conflict');
      }
      requireCandidateFits(profile, command.candidate, state, command.matchId);
      const { matchId, candidate, message } = command;
      return [{ type: 'MatchProposed', data: { opportunityId, matchId, candidate, message, proposedBy: by, fromInterest: !!existing, at } }];
    }
    case 'AcceptMatch': {
      const profile = requireOpen(state);
      const match = requireMatch(state, command.matchId);
      requireTransition(command.type, profile.details.kind, match);
      const places = placesOf(profile.details);
      if (state.placesTaken >= places) throw new DomainError('opportunity.full', 'conflict', { places });
      return [{ type: 'MatchAccepted', data: { opportunityId, matchId: match.matchId, by, at } }];
    }
    case 'LogHours': {
      const match = requireMatch(state, command.matchId);
      requireExisting(state);
      if (match.status !== 'started') throw new DomainError('match.invalid_transition', 'conflict', { from: match.status, command: command.type });
      if (match.hours[command.entryId]) throw new DomainError('hours.duplicate_entry', 'conflict');
      if (!(command.hours > 0 && command.hours <= 24)) throw new DomainError('hours.invalid', 'invalid');
      const { matchId, entryId, date, hours, note } = command;
      return [{ type: 'HoursLogged', data: { opportunityId, matchId, entryId, date, hours, by, at, ...(note ? { note } : {}) } }];
    }
    case 'ApproveHours': {
      requireExisting(state);
      const match = requireMatch(state, command.matchId);
      const entry = match.hours[command.entryId];
      if (!entry) throw new DomainError('hours.not_found', 'not_found');
      if (entry.approved) throw new DomainError('hours.already_approved', 'conflict');
      return [{ type: 'HoursApproved', data: { opportunityId, matchId: match.matchId, entryId: command.entryId, by, at } }];
    }
    default: {
      const profile = requireExisting(state);
      const match = requireMatch(state, command.matchId);
      requireTransition(command.type, profile.details.kind, match);
      const matchId = match.matchId;
      switch (command.type) {
        case 'DeclineInterest':
          return [{ type: 'InterestDeclined', data: { opportunityId, matchId, by, at, ...(command.reason ? { reason: command.reason } : {}) } }];
        case 'DeclineMatch':
          return [{ type: 'MatchDeclined', data: { opportunityId, matchId, by, reason: command.reason, at, ...(command.text ? { text: command.text } : {}) } }];
        case 'WithdrawMatch':
          return [{ type: 'MatchWithdrawn', data: { opportunityId, matchId, by, at, ...(command.reason ? { reason: command.reason } : {}) } }];
        case 'ExpireMatch':
          return [{ type: 'MatchExpired', data: { opportunityId, matchId, by, at } }];
        case 'ConfirmMatch':
          return [{ type: 'MatchConfirmed', data: { opportunityId, matchId, by, at } }];
        case 'StartMatch':
          return [{ type: 'MatchStarted', data: { opportunityId, matchId, by, at } }];
        case 'CompleteMatch':
          return [{ type: 'MatchCompleted', data: { opportunityId, matchId, by, at } }];
        case 'EndMatchEarly':
          return [{ type: 'MatchEndedEarly', data: { opportunityId, matchId, by, reason: command.reason, at, ...(command.text ? { text: command.text } : {}) } }];
      }
    }
  }
}

function requireTransition(type: OpportunityCommandType, kind: OpportunityKind, match: MatchState): void {
  const transition = transitionFor(type, kind);
  if (!transition || !transition.from.includes(match.status)) {
    throw new DomainError('match.invalid_transition', 'conflict', { from: match.status, command: type });
  }
}

/** The status a match is in after each event that moves it (read models use the same table). */
export const MATCH_STATUS_AFTER: Partial<Record<OpportunityEvent['type'], MatchStatus>> = {
  InterestDeclined: 'interest_declined',
  MatchAccepted: 'accepted',
  MatchDeclined: 'declined',
  MatchWithdrawn: 'withdrawn',
  MatchExpired: 'expired',
  MatchConfirmed: 'confirmed',
  MatchStarted: 'started',
  MatchCompleted: 'completed',
  MatchEndedEarly: 'ended_early',
};

function withMatch(state: OpportunityState, matchId: string, change: (match: MatchState) => MatchState): OpportunityState {
  const before = state.matches[matchId];
  const after = change(before);
  const placesTaken = state.placesTaken + (holdsPlace(after.status) ? 1 : 0) - (before && holdsPlace(before.status) ? 1 : 0);
  return { ...state, placesTaken, matches: { ...state.matches, [matchId]: after } };
}

function evolve(state: OpportunityState, event: OpportunityEvent): OpportunityState {
  switch (event.type) {
    case 'OpportunityOpened': {
      const { opportunityId, organisationId, title, description, ward, themes, details } = event.data;
      return { ...state, status: 'open', opportunityId, profile: { organisationId, title, description, ward, themes, details } };
    }
    case 'OpportunityUpdated':
      return { ...state, profile: { ...state.profile!, ...event.data.changes } };
    case 'OpportunityClosed':
      return { ...state, status: 'closed' };
    case 'OpportunityReopened':
      return { ...state, status: 'open' };
    case 'InterestExpressed': {
      const { matchId, candidate } = event.data;
      return withMatch(state, matchId, () => ({ matchId, candidate, status: 'interested', hours: {} }));
    }
    case 'MatchProposed': {
      const { matchId, candidate, proposedBy } = event.data;
      return withMatch(state, matchId, () => ({ matchId, candidate, status: 'proposed', proposedBy, hours: {} }));
    }
    case 'HoursLogged': {
      const { matchId, entryId, date, hours } = event.data;
      return withMatch(state, matchId, (m) => ({ ...m, hours: { ...m.hours, [entryId]: { date, hours, approved: false } } }));
    }
    case 'HoursApproved': {
      const { matchId, entryId } = event.data;
      return withMatch(state, matchId, (m) => ({ ...m, hours: { ...m.hours, [entryId]: { ...m.hours[entryId], approved: true } } }));
    }
    default: {
      const status = MATCH_STATUS_AFTER[event.type]!;
      return withMatch(state, event.data.matchId, (m) => ({ ...m, status }));
    }
  }
}

export const opportunityDecider: Decider<OpportunityState, OpportunityCommand, OpportunityEvent> = {
  initialState: initialOpportunityState,
  decide,
  evolve,
};
