import { Principal } from '@tsunagi/domain';
import { maySeePerson } from '@tsunagi/participants';
import type { ParticipantsQueries } from '@tsunagi/projections';

/**
 * Who may read a person's history (meetings, projects): the person themself, admins, and coordinators who may
 * see the person (their wards, or people who agreed to be visible to other wards). Same rule as their profile.
 */
export function mayReadPersonHistory(principal: Principal, personId: string, participants: ParticipantsQueries): boolean {
  if (principal.role === 'admin' || (principal.role !== 'analyst' && principal.personId === personId)) return true;
  const person = participants.person(personId);
  return !!person && maySeePerson(principal, person);
}
