import { DomainError, Principal } from '@tsunagi/domain';
import type { SpinOffCommand } from './spinoff.commands';
import { SpinOffState, isOrganiser } from './spinoff.decider';

const forbidden = () => new DomainError('auth.forbidden', 'forbidden');

const coordinatesAny = (principal: Principal, wards: readonly string[] | undefined) =>
  principal.role === 'coordinator' && Array.isArray(wards) && wards.some((ward) => principal.wards.includes(ward));
/** The volunteer the token is. */
const isVolunteer = (principal: Principal, personId: string | undefined) =>
  principal.role === 'volunteer' && !!principal.personId && principal.personId === personId;
const isInitiator = (principal: Principal, initiators: readonly string[] | undefined) =>
  principal.role === 'volunteer' && !!principal.personId && Array.isArray(initiators) && initiators.includes(principal.personId);
/** A volunteer who organises this project right now (a member with the role 'organiser'). */
const organises = (principal: Principal, state: SpinOffState) => principal.role === 'volunteer' && isOrganiser(state, principal.personId);

/**
 * Who may run which command on which spin-off, decided on the state the command will be decided on.
 * Residents propose it (as one of its initiators) or a coordinator of one of its wards does; a coordinator
 * of one of its wards acknowledges it; its initiators launch it; its organisers and the coordinators of its
 * wards run it (roles, milestones, exit strategy, completing or closing it). A person joins and leaves
 * themself, or an organiser or coordinator adds or removes them; but only an organiser or a coordinator
 * makes someone an organiser, or anyone could take a project over by joining it. Only a coordinator of one of
 * its wards invites people to a role (they are the ones who may see the people suggested, and an invitation
 * reaches residents outside the project). Analysts never write;
 * organisation representatives have no say (the SDC's organisation acts through its coordinators).
 * Admins may do everything.
 */
/** Who may invite people to a spin-off's roles, and so see who was invited: admins and coordinators of one of its wards. */
export const mayInviteToSpinOff = (principal: Principal, wards: readonly string[]): boolean => principal.role === 'admin' || coordinatesAny(principal, wards);

export function authorizeSpinOffCommand(principal: Principal, command: SpinOffCommand, state: SpinOffState): void {
  if (principal.role === 'admin') return;
  if (principal.role === 'analyst') throw forbidden();
  if (command.type === 'ProposeSpinOff') {
    if (isInitiator(principal, command.initiators) || coordinatesAny(principal, command.wards)) return;
    throw forbidden();
  }
  const profile = state.profile;
  if (!profile) {
    // Nothing to protect yet: the decider answers spinoff.not_found.
    if (principal.role === 'coordinator' || principal.role === 'volunteer') return;
    throw forbidden();
  }
  const coordinator = coordinatesAny(principal, profile.wards);
  const organiser = organises(principal, state);

  let allowed: boolean;
  switch (command.type) {
    case 'AcknowledgeSpinOff':
      allowed = coordinator;
      break;
    case 'LaunchSpinOff':
      allowed = isInitiator(principal, profile.initiators);
      break;
    case 'JoinSpinOff':
      allowed = organiser || coordinator || (isVolunteer(principal, command.personId) && command.role !== 'organiser');
      break;
    case 'LeaveSpinOff':
      allowed = organiser || coordinator || isVolunteer(principal, command.personId);
      break;
    case 'InviteToSpinOffRole':
      allowed = coordinator;
      break;
    case 'OpenSpinOffRole':
    case 'CloseSpinOffRole':
    case 'AddMilestone':
    case 'ReachMilestone':
    case 'ChooseExitStrategy':
    case 'CompleteSpinOff':
    case 'CloseSpinOff':
      allowed = organiser || coordinator;
      break;
  }
  if (!allowed) throw forbidden();
}
