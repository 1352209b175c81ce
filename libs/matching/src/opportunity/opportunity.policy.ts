import { DomainError, Principal } from '@tsunagi/domain';
import type { OpportunityCommand } from './opportunity.commands';
import type { OpportunityState } from './opportunity.decider';
import type { Candidate } from './opportunity.types';

const forbidden = () => new DomainError('auth.forbidden', 'forbidden');

const coordinates = (principal: Principal, ward: string) => principal.role === 'coordinator' && principal.wards.includes(ward);
const representsOrganisation = (principal: Principal, organisationId: string) =>
  principal.role === 'organisation' && principal.organisationIds.includes(organisationId);
const isCandidate = (principal: Principal, candidate: Candidate) =>
  candidate.type === 'person' ? principal.role === 'volunteer' && principal.personId === candidate.id : representsOrganisation(principal, candidate.id);

/**
 * Who may run which command on which opportunity, decided on the state the command will be decided on:
 * coordinators act in their wards, representatives for their organisation, a volunteer (or partner
 * organisation) only on matches proposed to them. Analysts never write. Admins may do everything.
 * A ward's coordinators may also confirm: an SDC's own opportunities (spin-off roles) have no representative.
 */
export function authorizeOpportunityCommand(principal: Principal, command: OpportunityCommand, state: OpportunityState): void {
  if (principal.role === 'admin') return;
  if (principal.role === 'analyst') throw forbidden();
  if (command.type === 'OpenOpportunity') {
    if (coordinates(principal, command.ward) || representsOrganisation(principal, command.organisationId)) return;
    throw forbidden();
  }
  const profile = state.profile;
  if (!profile) {
    // Nothing to protect yet: the decider answers opportunity.not_found. Volunteers learn nothing from it.
    if (principal.role === 'coordinator' || principal.role === 'organisation' || principal.role === 'volunteer') return;
    throw forbidden();
  }
  const coordinator = coordinates(principal, profile.ward);
  const owner = representsOrganisation(principal, profile.organisationId);
  const match = 'matchId' in command ? state.matches[command.matchId] : undefined;
  const candidate = match ? isCandidate(principal, match.candidate) : false;

  let allowed: boolean;
  switch (command.type) {
    case 'UpdateOpportunity':
      allowed = (coordinator && (!command.changes.ward || coordinates(principal, command.changes.ward))) || owner;
      break;
    case 'CloseOpportunity':
    case 'ReopenOpportunity':
      allowed = coordinator || owner;
      break;
    case 'ExpressInterest':
      allowed = isCandidate(principal, command.candidate);
      break;
    case 'ProposeMatch':
    case 'DeclineInterest':
    case 'WithdrawMatch':
    case 'ExpireMatch':
      allowed = coordinator;
      break;
    case 'AcceptMatch':
    case 'DeclineMatch':
    case 'LogHours':
      allowed = !match || candidate;
      break;
    case 'ConfirmMatch':
    case 'StartMatch':
    case 'ApproveHours':
    case 'CompleteMatch':
      allowed = owner || coordinator;
      break;
    case 'EndMatchEarly':
      allowed = owner || coordinator || candidate;
      break;
  }
  if (!allowed) throw forbidden();
}

/** Whether a principal may see an opportunity's matches (not only the opportunity). */
export function maySeeMatchesOf(principal: Principal, state: Pick<OpportunityState, 'profile'>): boolean {
  if (principal.role === 'admin') return true;
  const profile = state.profile;
  return !!profile && (coordinates(principal, profile.ward) || representsOrganisation(principal, profile.organisationId));
}
