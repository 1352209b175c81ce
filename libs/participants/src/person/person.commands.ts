import type { FollowTarget, NotificationPreferences } from './person-notifications';
import type { PersonProfile } from './person.types';

/** `by` is the acting principal's subject; `at` comes from the injected clock. */
interface Base {
  personId: string;
  by: string;
  at: string;
}

export type PersonCommand =
  | ({ type: 'RegisterPerson'; profile: PersonProfile } & Base)
  | ({ type: 'UpdatePersonProfile'; changes: Partial<PersonProfile> } & Base)
  | ({ type: 'PausePerson'; reason?: string } & Base)
  | ({ type: 'ResumePerson' } & Base)
  | ({ type: 'DeactivatePerson'; reason?: string } & Base)
  | ({ type: 'SetNotificationPreferences'; preferences: NotificationPreferences } & Base)
  | ({ type: 'Follow'; target: FollowTarget } & Base)
  | ({ type: 'Unfollow'; target: FollowTarget } & Base);

export type PersonCommandType = PersonCommand['type'];
