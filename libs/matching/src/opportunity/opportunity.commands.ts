import type { Candidate, DeclineReason, EndEarlyReason, OpportunityProfile } from './opportunity.types';

/** `by` is the acting principal's subject; `at` comes from the injected clock. */
interface Base {
  opportunityId: string;
  by: string;
  at: string;
}
interface OnMatch extends Base {
  matchId: string;
}

export type OpportunityCommand =
  | ({ type: 'OpenOpportunity' } & Base & OpportunityProfile)
  | ({ type: 'UpdateOpportunity'; changes: Partial<Omit<OpportunityProfile, 'organisationId'>> } & Base)
  | ({ type: 'CloseOpportunity'; reason?: string } & Base)
  | ({ type: 'ReopenOpportunity' } & Base)
  | ({ type: 'ExpressInterest'; candidate: Candidate; message?: string } & OnMatch)
  | ({ type: 'DeclineInterest'; reason?: string } & OnMatch)
  | ({ type: 'ProposeMatch'; candidate: Candidate; message: string } & OnMatch)
  | ({ type: 'AcceptMatch' } & OnMatch)
  | ({ type: 'DeclineMatch'; reason: DeclineReason; text?: string } & OnMatch)
  | ({ type: 'WithdrawMatch'; reason?: string } & OnMatch)
  | ({ type: 'ExpireMatch' } & OnMatch)
  | ({ type: 'ConfirmMatch' } & OnMatch)
  | ({ type: 'StartMatch' } & OnMatch)
  | ({ type: 'LogHours'; entryId: string; date: string; hours: number; note?: string } & OnMatch)
  | ({ type: 'ApproveHours'; entryId: string } & OnMatch)
  | ({ type: 'CompleteMatch' } & OnMatch)
  | ({ type: 'EndMatchEarly'; reason: EndEarlyReason; text?: string } & OnMatch);

export type OpportunityCommandType = OpportunityCommand['type'];
