import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, CommandExecutor } from '@tsunagi/platform';
import {
  Candidate,
  OpportunityCommand,
  OpportunityState,
  authorizeOpportunityCommand,
  opportunityDecider,
  opportunityStreamId,
} from '@tsunagi/matching';
import { CandidateDirectory } from './candidate-directory';

/** What every write on an opportunity answers: the ids it touched and the position it wrote (for read-your-writes). */
export interface OpportunityWriteResult {
  opportunityId: string;
  matchId?: string;
  entryId?: string;
  position: number;
  revision: number;
}

/** Any command on an opportunity or its matches, built from the state it will be decided on. */
export class ChangeOpportunity extends Command<OpportunityWriteResult> {
  constructor(
    readonly opportunityId: string,
    readonly context: CommandContext,
    readonly build: (at: string, state: OpportunityState) => OpportunityCommand,
    readonly ids: { matchId?: string; entryId?: string } = {},
    /** Facts owned by other aggregates, checked before deciding. */
    readonly requires: { matchableCandidate?: Candidate; activeOrganisationId?: string } = {},
  ) {
    super();
  }
}

@CommandHandler(ChangeOpportunity)
export class ChangeOpportunityHandler implements ICommandHandler<ChangeOpportunity, OpportunityWriteResult> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly candidates: CandidateDirectory,
  ) {}

  async execute({ opportunityId, context, build, ids, requires }: ChangeOpportunity): Promise<OpportunityWriteResult> {
    const result = await this.executor.execute(opportunityDecider, opportunityStreamId(opportunityId), context, {
      command: build,
      authorize: (command, state) => authorizeOpportunityCommand(context.principal, command, state),
      verify: async () => {
        if (requires.matchableCandidate) await this.candidates.requireMatchable(requires.matchableCandidate, context.principal);
        if (requires.activeOrganisationId) await this.candidates.requireActiveOrganisation(requires.activeOrganisationId);
      },
    });
    return { opportunityId, ...ids, position: result.position, revision: result.revision };
  }
}
