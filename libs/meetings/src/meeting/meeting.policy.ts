import { DomainError, Principal } from '@tsunagi/domain';
import type { MeetingCommand } from './meeting.commands';
import type { MeetingState } from './meeting.decider';

const forbidden = () => new DomainError('auth.forbidden', 'forbidden');

/**
 * Anyone signed in may propose a meeting to an SDC and register themself; the SDC's coordinators schedule,
 * run and close its meetings (and may register people who phone in); the proposer may withdraw a proposal.
 * Analysts never write.
 */
export function authorizeMeetingCommand(principal: Principal, command: MeetingCommand, state: MeetingState): void {
  if (principal.role === 'admin') return;
  if (principal.role === 'analyst') throw forbidden();
  const sdc = command.type === 'ProposeMeeting' || command.type === 'ScheduleNewMeeting' ? command.sdc : state.proposal?.sdc;
  if (!sdc) return; // no such meeting: the decider answers meeting.not_found
  const coordinator = principal.role === 'coordinator' && principal.wards.includes(sdc);
  const self = 'personId' in command && !!principal.personId && principal.personId === command.personId;
  let allowed: boolean;
  switch (command.type) {
    case 'ProposeMeeting':
      allowed = command.proposer.subject === principal.subject && (principal.role !== 'volunteer' || command.proposer.personId === principal.personId);
      break;
    case 'WithdrawMeetingProposal':
      allowed = coordinator || state.proposal?.proposer.subject === principal.subject;
      break;
    case 'RegisterForMeeting':
    case 'CancelMeetingRegistration':
      allowed = coordinator || (principal.role === 'volunteer' && self);
      break;
    default:
      allowed = coordinator;
  }
  if (!allowed) throw forbidden();
}
