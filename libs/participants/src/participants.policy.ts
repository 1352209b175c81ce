import { DomainError, Principal } from '@tsunagi/domain';
import type { OrganisationCommand } from './organisation/organisation.commands';
import type { OrganisationState } from './organisation/organisation.decider';
import type { PersonCommand } from './person/person.commands';
import type { PersonState } from './person/person.decider';

const forbidden = () => new DomainError('auth.forbidden', 'forbidden');

const SELF_ONLY: readonly PersonCommand['type'][] = ['SetNotificationPreferences', 'Follow', 'Unfollow'];

const coordinates = (principal: Principal, ward: string) => principal.role === 'coordinator' && principal.wards.includes(ward);
const coordinatesAny = (principal: Principal, wards: readonly string[]) => wards.some((ward) => coordinates(principal, ward));
/** The person the token is (analysts never act as a person). */
const isPerson = (principal: Principal, personId: string | undefined) =>
  principal.role !== 'analyst' && !!principal.personId && !!personId && principal.personId === personId;
const representsOrganisation = (principal: Principal, organisationId: string) =>
  principal.role === 'organisation' && principal.organisationIds.includes(organisationId);

/** What the visibility and contact rules read about a person: a read-model row or a decider's state both have it. */
export interface PersonFacts {
  personId: string;
  ward: string;
  consents: { mayBeContacted: boolean; visibleToOtherWards: boolean };
}

/**
 * Who may run which command on which person, decided on the state the command will be decided on:
 * the person themself, a coordinator of the person's ward (of the new ward too when it changes), admins.
 * A volunteer registers only themself (the id is the token's person); a coordinator registers people of
 * their wards. On an id that does not exist only admins and the person themself get past this (to the
 * decider's person.not_found): anyone else learns nothing about which ids exist.
 */
export function authorizePersonCommand(principal: Principal, command: PersonCommand, state: PersonState): void {
  if (principal.role === 'admin') return;
  if (principal.role === 'analyst') throw forbidden();
  if (command.type === 'RegisterPerson') {
    const allowed =
      (principal.role === 'coordinator' && coordinates(principal, command.profile?.ward)) ||
      (principal.role === 'volunteer' && isPerson(principal, command.personId));
    if (!allowed) throw forbidden();
    return;
  }
  if (isPerson(principal, command.personId)) return;
  // What reaches a person's own mailbox, and what they follow, is theirs alone to choose (and admins').
  if (SELF_ONLY.includes(command.type)) throw forbidden();
  const profile = state.profile;
  if (!profile || !coordinates(principal, profile.ward)) throw forbidden();
  if (command.type === 'UpdatePersonProfile' && command.changes.ward !== undefined && !coordinates(principal, command.changes.ward)) throw forbidden();
}

/**
 * Whether a principal may see a person at all: themself, admins, coordinators of the person's ward, and
 * coordinators of other wards when the person agreed to be visible to them. Volunteers, representatives
 * and analysts see nobody else.
 */
export function maySeePerson(principal: Principal, person: PersonFacts): boolean {
  if (principal.role === 'admin' || isPerson(principal, person.personId)) return true;
  if (principal.role !== 'coordinator') return false;
  return coordinates(principal, person.ward) || person.consents.visibleToOtherWards;
}

/**
 * Whether a principal may have a person's contact details (APPI): themself, admins, and a coordinator who may
 * see the person when the person agreed to be contacted. Never analysts.
 */
export function mayContactPerson(principal: Principal, person: PersonFacts): boolean {
  if (principal.role === 'analyst') return false;
  if (principal.role === 'admin' || isPerson(principal, person.personId)) return true;
  return principal.role === 'coordinator' && maySeePerson(principal, person) && person.consents.mayBeContacted;
}

/**
 * Who may run which command on which organisation: admins; coordinators of one of its served wards (and,
 * when the served wards change, of one of the new ones, so that nobody moves an organisation out of reach);
 * its representatives (a token for this organisation) may change its profile and representatives but not
 * deactivate it. Registering needs a coordinator of at least one served ward. Organisations are public, so
 * on an id that does not exist coordinators and representatives reach the decider's organisation.not_found.
 */
export function authorizeOrganisationCommand(principal: Principal, command: OrganisationCommand, state: OrganisationState): void {
  if (principal.role === 'admin') return;
  if (principal.role === 'analyst' || principal.role === 'volunteer') throw forbidden();
  if (command.type === 'RegisterOrganisation') {
    const wards = command.profile?.wardsServed;
    if (Array.isArray(wards) && coordinatesAny(principal, wards)) return;
    throw forbidden();
  }
  const profile = state.profile;
  const representative = representsOrganisation(principal, command.organisationId);
  if (!profile) {
    if (principal.role === 'coordinator' || representative) return;
    throw forbidden();
  }
  const coordinator = coordinatesAny(principal, profile.wardsServed);
  let allowed: boolean;
  switch (command.type) {
    case 'UpdateOrganisation': {
      const wards = command.changes.wardsServed;
      allowed = representative || (coordinator && (wards === undefined || (Array.isArray(wards) && coordinatesAny(principal, wards))));
      break;
    }
    case 'DeactivateOrganisation':
      allowed = coordinator;
      break;
    case 'AddRepresentative':
    case 'RemoveRepresentative':
      allowed = coordinator || representative;
      break;
  }
  if (!allowed) throw forbidden();
}

/** An organisation's contact e-mail and representatives are for those who work with it, not for analysts. */
export function mayContactOrganisation(principal: Principal): boolean {
  return principal.role !== 'analyst';
}
