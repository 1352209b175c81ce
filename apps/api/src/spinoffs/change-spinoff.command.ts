import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, CommandExecutor } from '@tsunagi/platform';
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
  constructor(
    private readonly executor: CommandExecutor,
    private readonly directory: SpinOffDirectory,
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
    return { spinOffId, ...ids, position: result.position, revision: result.revision };
  }
}
