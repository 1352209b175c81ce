import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { MeetingCommand, MeetingEvent, MeetingState, authorizeMeetingCommand, meetingDecider, meetingStreamId } from '@tsunagi/meetings';
import { CommandContext, CommandExecutor } from '@tsunagi/platform';
import { AttendeeDirectory } from './attendee-directory';

/** What every write on a meeting answers: its id and the position it wrote (for read-your-writes), and the events, for the route to shape its answer. */
export interface MeetingWriteResult {
  meetingId: string;
  position: number;
  revision: number;
  events: MeetingEvent[];
}

/**
 * Registrations are the one write many people make on one meeting at once (the last places of a popular YORIAI),
 * and every one of them must end in a place or a waitlist position: each concurrent append makes the others
 * decide again, so they get more attempts than the default.
 */
const CONTENDED_ATTEMPTS = 50;

/** Any command on a meeting, built from the state it will be decided on. */
export class ChangeMeeting extends Command<MeetingWriteResult> {
  constructor(
    readonly meetingId: string,
    readonly context: CommandContext,
    readonly build: (at: string, state: MeetingState) => MeetingCommand,
    /** Facts owned by other aggregates, checked after authorisation: a person who registers or checks in exists. */
    readonly requires: { person?: string } = {},
    /** Many people may write at once (registrations and their cancellations). */
    readonly contended = false,
  ) {
    super();
  }
}

@CommandHandler(ChangeMeeting)
export class ChangeMeetingHandler implements ICommandHandler<ChangeMeeting, MeetingWriteResult> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly attendees: AttendeeDirectory,
  ) {}

  async execute({ meetingId, context, build, requires, contended }: ChangeMeeting): Promise<MeetingWriteResult> {
    const result = await this.executor.execute(meetingDecider, meetingStreamId(meetingId), context, {
      command: build,
      authorize: (command, state) => authorizeMeetingCommand(context.principal, command, state),
      verify: async (_command, state) => {
        // No such meeting: the decider answers meeting.not_found, whoever the person is.
        if (requires.person && state.status !== 'none') await this.attendees.requirePerson(requires.person);
      },
      ...(contended ? { maxAttempts: CONTENDED_ATTEMPTS } : {}),
    });
    return { meetingId, position: result.position, revision: result.revision, events: result.events as MeetingEvent[] };
  }
}
