import { Decider, DomainError } from '@tsunagi/domain';
import { applyRules, changedFields, withReason } from '../shared/profile-rules';
import type { OrganisationCommand, Representative } from './organisation.commands';
import type { OrganisationEvent } from './organisation.events';
import { ORGANISATION_PROFILE_RULES, OrganisationProfile, OrganisationStatus, REPRESENTATIVE_ROLES, RepresentativeRole } from './organisation.types';

export interface OrganisationState {
  status: OrganisationStatus;
  organisationId?: string;
  profile?: OrganisationProfile;
  /** Person id → role: who may act for the organisation. */
  representatives: Record<string, RepresentativeRole>;
}

export const initialOrganisationState = (): OrganisationState => ({ status: 'none', representatives: {} });

/** For the API's authorisation: does this person act for the organisation (and is it still active)? */
export function actsFor(state: OrganisationState, personId: string): boolean {
  return state.status === 'active' && Object.hasOwn(state.representatives, personId);
}

/** Deactivation is final: after it the stream is only read. */
function requireChangeable(state: OrganisationState): OrganisationProfile {
  if (state.status === 'none') throw new DomainError('organisation.not_found', 'not_found');
  if (state.status === 'deactivated') throw new DomainError('organisation.deactivated', 'conflict');
  return state.profile!;
}

function checkRepresentative({ personId, role }: Representative): void {
  if (typeof personId !== 'string' || !personId.trim()) throw new DomainError('organisation.invalid', 'invalid', { field: 'personId' });
  if (!REPRESENTATIVE_ROLES.includes(role)) throw new DomainError('organisation.invalid', 'invalid', { field: 'role' });
}

function decide(command: OrganisationCommand, state: OrganisationState): OrganisationEvent[] {
  const { organisationId, by, at } = command;
  if (command.type === 'RegisterOrganisation') {
    if (state.status !== 'none') throw new DomainError('organisation.already_registered', 'conflict');
    const profile = applyRules(ORGANISATION_PROFILE_RULES, command.profile, 'organisation.invalid', true) as OrganisationProfile;
    const registered: OrganisationEvent = { type: 'OrganisationRegistered', data: { organisationId, profile, by, at } };
    if (!command.representative) return [registered];
    checkRepresentative(command.representative);
    const { personId, role } = command.representative;
    return [registered, { type: 'RepresentativeAdded', data: { organisationId, personId, role, by, at } }];
  }
  const profile = requireChangeable(state);
  switch (command.type) {
    case 'UpdateOrganisation': {
      const changes = changedFields(profile, applyRules(ORGANISATION_PROFILE_RULES, command.changes, 'organisation.invalid', false));
      return Object.keys(changes).length ? [{ type: 'OrganisationUpdated', data: { organisationId, changes, by, at } }] : [];
    }
    case 'DeactivateOrganisation':
      return [{ type: 'OrganisationDeactivated', data: { organisationId, ...withReason(command.reason), by, at } }];
    case 'AddRepresentative': {
      checkRepresentative(command);
      const { personId, role } = command;
      if (Object.hasOwn(state.representatives, personId)) throw new DomainError('organisation.representative_exists', 'conflict', { personId });
      return [{ type: 'RepresentativeAdded', data: { organisationId, personId, role, by, at } }];
    }
    case 'RemoveRepresentative': {
      const { personId } = command;
      if (!Object.hasOwn(state.representatives, personId)) throw new DomainError('organisation.representative_not_found', 'not_found', { personId });
      // An active organisation left with nobody to act for it could only be run by coordinators.
      if (Object.keys(state.representatives).length === 1) throw new DomainError('organisation.last_representative', 'conflict');
      return [{ type: 'RepresentativeRemoved', data: { organisationId, personId, by, at } }];
    }
  }
}

function evolve(state: OrganisationState, event: OrganisationEvent): OrganisationState {
  switch (event.type) {
    case 'OrganisationRegistered':
      return { ...state, status: 'active', organisationId: event.data.organisationId, profile: event.data.profile };
    case 'OrganisationUpdated':
      return { ...state, profile: { ...state.profile!, ...event.data.changes } };
    case 'OrganisationDeactivated':
      return { ...state, status: 'deactivated' };
    case 'RepresentativeAdded':
      return { ...state, representatives: { ...state.representatives, [event.data.personId]: event.data.role } };
    case 'RepresentativeRemoved': {
      const { [event.data.personId]: _removed, ...representatives } = state.representatives;
      return { ...state, representatives };
    }
  }
}

export const organisationDecider: Decider<OrganisationState, OrganisationCommand, OrganisationEvent> = {
  initialState: initialOrganisationState,
  decide,
  evolve,
};
