import { Decider, DomainError } from '@tsunagi/domain';
import { applyRules, changedFields, withReason } from '../shared/profile-rules';
import type { PersonCommand } from './person.commands';
import type { PersonEvent } from './person.events';
import { NotificationPreferences, followKey, normaliseFollowTarget, normalisePreferences } from './person-notifications';
import { PERSON_PROFILE_RULES, PersonProfile, PersonStatus } from './person.types';

export interface PersonState {
  status: PersonStatus;
  personId?: string;
  profile?: PersonProfile;
  notificationPreferences?: NotificationPreferences;
  /** What the person follows, as followKey()s. */
  follows?: string[];
}

export const initialPersonState = (): PersonState => ({ status: 'none' });

/** Deactivation is final: after it the stream is only read. */
function requireChangeable(state: PersonState): PersonProfile {
  if (state.status === 'none') throw new DomainError('person.not_found', 'not_found');
  if (state.status === 'deactivated') throw new DomainError('person.deactivated', 'conflict');
  return state.profile!;
}

function decide(command: PersonCommand, state: PersonState): PersonEvent[] {
  const { personId, by, at } = command;
  if (command.type === 'RegisterPerson') {
    // The id exists, whatever its status: a deactivated id is not reused.
    if (state.status !== 'none') throw new DomainError('person.already_registered', 'conflict');
    const profile = applyRules(PERSON_PROFILE_RULES, command.profile, 'person.invalid', true) as PersonProfile;
    return [{ type: 'PersonRegistered', data: { personId, profile, by, at } }];
  }
  const profile = requireChangeable(state);
  switch (command.type) {
    case 'UpdatePersonProfile': {
      const changes = changedFields(profile, applyRules(PERSON_PROFILE_RULES, command.changes, 'person.invalid', false));
      return Object.keys(changes).length ? [{ type: 'PersonProfileUpdated', data: { personId, changes, by, at } }] : [];
    }
    case 'PausePerson':
      if (state.status === 'paused') throw new DomainError('person.already_paused', 'conflict');
      return [{ type: 'PersonPaused', data: { personId, ...withReason(command.reason), by, at } }];
    case 'ResumePerson':
      if (state.status !== 'paused') throw new DomainError('person.not_paused', 'conflict');
      return [{ type: 'PersonResumed', data: { personId, by, at } }];
    case 'DeactivatePerson':
      return [{ type: 'PersonDeactivated', data: { personId, ...withReason(command.reason), by, at } }];
    case 'SetNotificationPreferences': {
      const preferences = normalisePreferences(command.preferences);
      // Setting what is already set records nothing.
      if (JSON.stringify(preferences) === JSON.stringify(state.notificationPreferences ?? null)) return [];
      return [{ type: 'NotificationPreferencesSet', data: { personId, preferences, by, at } }];
    }
    case 'Follow':
    case 'Unfollow': {
      const target = normaliseFollowTarget(command.target);
      const following = (state.follows ?? []).includes(followKey(target));
      // Following twice, or unfollowing what one does not follow, changes nothing and records nothing.
      if (following === (command.type === 'Follow')) return [];
      return [{ type: command.type === 'Follow' ? 'PersonFollowed' : 'PersonUnfollowed', data: { personId, target, by, at } }];
    }
  }
}

function evolve(state: PersonState, event: PersonEvent): PersonState {
  switch (event.type) {
    case 'PersonRegistered':
      return { status: 'active', personId: event.data.personId, profile: event.data.profile };
    case 'PersonProfileUpdated':
      return { ...state, profile: { ...state.profile!, ...event.data.changes } };
    case 'PersonPaused':
      return { ...state, status: 'paused' };
    case 'PersonResumed':
      return { ...state, status: 'active' };
    case 'PersonDeactivated':
      return { ...state, status: 'deactivated' };
    case 'NotificationPreferencesSet':
      return { ...state, notificationPreferences: event.data.preferences };
    case 'PersonFollowed':
      return { ...state, follows: [...(state.follows ?? []), followKey(event.data.target)] };
    case 'PersonUnfollowed':
      return { ...state, follows: (state.follows ?? []).filter((key) => key !== followKey(event.data.target)) };
  }
}

export const personDecider: Decider<PersonState, PersonCommand, PersonEvent> = {
  initialState: initialPersonState,
  decide,
  evolve,
};
