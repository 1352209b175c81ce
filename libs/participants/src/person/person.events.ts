import type { DomainEvent } from '@tsunagi/domain';
import type { FollowTarget, NotificationPreferences } from './person-notifications';
import type { PersonProfile } from './person.types';

/**
 * A person's profile and status, stream `person-<id>`. Profile values in events are already normalised
 * (NFKC, lower-cased e-mail, canonical set order), so readers never normalise again.
 * `at` is the decision time from the injected clock (ISO-8601).
 */
export type PersonEvent =
  | DomainEvent<'PersonRegistered', { personId: string; profile: PersonProfile; by: string; at: string }>
  /** Only the fields that changed. */
  | DomainEvent<'PersonProfileUpdated', { personId: string; changes: Partial<PersonProfile>; by: string; at: string }>
  | DomainEvent<'PersonPaused', { personId: string; reason?: string; by: string; at: string }>
  | DomainEvent<'PersonResumed', { personId: string; by: string; at: string }>
  | DomainEvent<'PersonDeactivated', { personId: string; reason?: string; by: string; at: string }>
  /** The whole set of preferences, replacing the previous one. */
  | DomainEvent<'NotificationPreferencesSet', { personId: string; preferences: NotificationPreferences; by: string; at: string }>
  | DomainEvent<'PersonFollowed', { personId: string; target: FollowTarget; by: string; at: string }>
  | DomainEvent<'PersonUnfollowed', { personId: string; target: FollowTarget; by: string; at: string }>;

export type PersonEventType = PersonEvent['type'];

export const PERSON_EVENT_TYPES: readonly PersonEventType[] = [
  'PersonRegistered',
  'PersonProfileUpdated',
  'PersonPaused',
  'PersonResumed',
  'PersonDeactivated',
  'NotificationPreferencesSet',
  'PersonFollowed',
  'PersonUnfollowed',
];

export const personStreamId = (personId: string) => `person-${personId}`;
