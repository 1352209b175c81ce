import { Inject, Injectable } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import { Decider, DomainEvent, Principal, fold } from '@tsunagi/domain';
import { CLOCK, Clock, EVENT_STORE, EventStore, NewEvent, RecordedEvent, WrongExpectedRevisionError, newId } from '@tsunagi/event-store';

/** Who runs a command and why: carried into every event's metadata. */
export interface CommandContext {
  principal: Principal;
  correlationId: string;
  /** The request (or message) that caused the command. */
  causationId: string;
  /** Set when the client sent an Idempotency-Key: event ids are then derived from it, so a retry writes nothing new. */
  idempotencyScope?: string;
}

export interface CommandResult<State> {
  /** Global position of the last event written (or of the stream's last event when nothing was written). */
  position: number;
  revision: number;
  events: DomainEvent[];
  state: State;
  /** True when an earlier attempt with the same Idempotency-Key had already written these events. */
  replayed: boolean;
}

export interface ExecuteOptions<State, Command> {
  /** Builds the command from the current state and the decision time (from the injected clock). */
  command: (at: string, state: State) => Command;
  /** Object-level rules (own proposal, own ward…); throws to refuse. Runs on the state each attempt reads. */
  authorize?: (command: Command, state: State) => void;
  /**
   * Checks that need other aggregates (is the candidate active?). Runs after `authorize`, so a caller who may
   * not run the command learns nothing from them.
   */
  verify?: (command: Command, state: State) => Promise<void>;
  /** Concurrent writers on one stream: reload and decide again, at most this many times. */
  maxAttempts?: number;
}

const IDEMPOTENT_EVENT_NAMESPACE = '6f1c1a55-5b0e-4f7e-9a53-2b8b1c0f5a11';

/**
 * The write path of every command: read the stream, fold it, authorise, decide, and append with the
 * revision it read. A concurrent append makes the store refuse; the executor then reloads and decides
 * again, so invariants are always checked against the latest state.
 */
@Injectable()
export class CommandExecutor {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async load<State, Event extends DomainEvent>(decider: Decider<State, unknown, Event>, streamId: string) {
    const recorded = await this.store.readStream(streamId);
    return { state: fold(decider, recorded as unknown as Event[]), recorded };
  }

  async execute<State, Command, Event extends DomainEvent>(
    decider: Decider<State, Command, Event>,
    streamId: string,
    context: CommandContext,
    options: ExecuteOptions<State, Command>,
  ): Promise<CommandResult<State>> {
    const maxAttempts = options.maxAttempts ?? 10;
    for (let attempt = 1; ; attempt++) {
      const { state, recorded } = await this.load(decider, streamId);
      const replay = this.earlierAttempt(recorded, context);
      if (replay) return replay(decider);
      const at = this.clock.now().toISOString();
      const command = options.command(at, state);
      options.authorize?.(command, state);
      await options.verify?.(command, state);
      const events = decider.decide(command, state);
      const last = recorded.at(-1);
      if (events.length === 0) {
        return { position: last?.position ?? 0, revision: last?.revision ?? -1, events, state, replayed: false };
      }
      try {
        const result = await this.store.append(streamId, events.map((event, index) => this.toNewEvent(event, index, at, context)), {
          expectedRevision: last ? last.revision : 'no_stream',
        });
        const after = events.reduce((s, e) => decider.evolve(s, e), state);
        return { position: result.position, revision: result.nextExpectedRevision, events, state: after, replayed: false };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= maxAttempts) throw error;
      }
    }
  }

  /**
   * A request retried with the same Idempotency-Key after its events were stored (say the process died before
   * answering) finds them by their derived ids and answers as the first attempt would have.
   */
  private earlierAttempt(recorded: RecordedEvent[], context: CommandContext) {
    if (!context.idempotencyScope) return undefined;
    const firstId = this.eventId(context, 0);
    const index = recorded.findIndex((e) => e.id === firstId);
    if (index < 0) return undefined;
    const written = recorded.slice(index).filter((e, i) => e.id === this.eventId(context, i));
    const last = written[written.length - 1];
    return <State, Event extends DomainEvent>(decider: Decider<State, unknown, Event>): CommandResult<State> => ({
      position: last.position,
      revision: last.revision,
      events: written as unknown as DomainEvent[],
      state: fold(decider, recorded.slice(0, index + written.length) as unknown as Event[]),
      replayed: true,
    });
  }

  private eventId(context: CommandContext, index: number): string {
    return context.idempotencyScope ? uuidv5(`${context.idempotencyScope}#${index}`, IDEMPOTENT_EVENT_NAMESPACE) : newId();
  }

  private toNewEvent(event: DomainEvent, index: number, at: string, context: CommandContext): NewEvent {
    return {
      id: this.eventId(context, index),
      type: event.type,
      data: event.data,
      metadata: {
        correlationId: context.correlationId,
        causationId: context.causationId,
        actor: { role: context.principal.role, id: context.principal.subject },
        occurredAt: at,
      },
    };
  }
}
