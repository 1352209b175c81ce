import { Logger } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@tsunagi/domain';
import { CommandContext, CommandExecutor } from '@tsunagi/platform';
import { ChangeOpportunity } from '../matching/change-opportunity.command';
import { onBehalfOf } from './spinoff-roles.command';
import { MeetingOutcomeRef, SpinOffCommand, SpinOffState, authorizeSpinOffCommand, spinOffDecider, spinOffStreamId } from '@tsunagi/spinoffs';
import { SpinOffDirectory } from './spinoff-directory';

/** What every write on a spin-off answers: the ids it touched and the position it wrote (for read-your-writes). */
export interface SpinOffWriteResult {
  spinOffId: string;
  milestoneId?: string;
  personId?: string;
  position: number;
  revision: number;
}

/** Facts owned by other aggregates, checked (after authorisation) before deciding. */
export interface SpinOffRequirements {
  /** Closed meetings with these outcomes. */
  origins?: MeetingOutcomeRef[];
  /** Registered people who have not left. */
  people?: string[];
}

/** Any command on a spin-off, built from the state it will be decided on. */
export class ChangeSpinOff extends Command<SpinOffWriteResult> {
  constructor(
    readonly spinOffId: string,
    readonly context: CommandContext,
    readonly build: (at: string, state: SpinOffState) => SpinOffCommand,
    readonly ids: { milestoneId?: string; personId?: string } = {},
    readonly requires: SpinOffRequirements = {},
  ) {
    super();
  }
}

@CommandHandler(ChangeSpinOff)
export class ChangeSpinOffHandler implements ICommandHandler<ChangeSpinOff, SpinOffWriteResult> {
  private readonly logger = new Logger('spinoffs');

  constructor(
    private readonly executor: CommandExecutor,
    private readonly directory: SpinOffDirectory,
    private readonly commandBus: CommandBus,
  ) {}

  async execute({ spinOffId, context, build, ids, requires }: ChangeSpinOff): Promise<SpinOffWriteResult> {
    const result = await this.executor.execute(spinOffDecider, spinOffStreamId(spinOffId), context, {
      command: build,
      authorize: (command, state) => authorizeSpinOffCommand(context.principal, command, state),
      verify: async (command, state) => {
        // On a spin-off that does not exist the decider answers spinoff.not_found; other facts would only confuse it.
        if (command.type !== 'ProposeSpinOff' && state.status === 'none') return;
        if (requires.origins) await this.directory.requireOrigins(requires.origins);
        if (requires.people) await this.directory.requirePeople(requires.people);
      },
    });
    if (result.state.status === 'completed' || result.state.status === 'closed') await this.closeRoleOpportunities(result.state, context);
    return { spinOffId, ...ids, position: result.position, revision: result.revision };
  }

  /**
   * An ended project takes no more people: the opportunities of its open roles are closed too. Closing an
   * already closed one is fine, so a retry of the same request (which replays the spin-off's answer) finishes
   * what a crash interrupted.
   */
  private async closeRoleOpportunities(state: SpinOffState, context: CommandContext): Promise<void> {
    for (const role of Object.values(state.roles).filter((r) => r.open)) {
      try {
        await this.commandBus.execute(
          new ChangeOpportunity(role.opportunityId, onBehalfOf(context, `role-opportunity-ended:${role.roleId}`), (at) => ({
            type: 'CloseOpportunity',
            opportunityId: role.opportunityId,
            by: 'system',
            at,
            reason: `spin-off ${state.status}`,
          })),
        );
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'opportunity.closed')) this.logger.error(`Could not close opportunity ${role.opportunityId}: ${String(error)}`);
      }
    }
  }
}
