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

/** A stream's state folded up to its event at `revision` (-1: none yet), by `decider`. */
interface FoldedStream {
  decider: unknown;
  state: unknown;
  revision: number;
  position: number;
}
/** Streams whose folded state is kept: the busiest opportunities, meetings and people of a city, in a few MB. */
const FOLDED_STREAMS_KEPT = 10_000;

/**
 * The write path of every command: read the stream, fold it, authorise, decide, and append with the
 * revision it read. A concurrent append makes the store refuse; the executor then reloads and decides
 * again, so invariants are always checked against the latest state.
 */
@Injectable()
export class CommandExecutor {
  /**
   * Recently used streams' folded states (least recently used first), so a command reads and folds only the events
   * appended since (by anyone: other processes too). Deciders' `evolve` returns new states and never changes the
   * one it is given, so a kept state is never altered by folding onto it. Without this, a command on an opportunity
   * with many matches re-read and re-folded its whole stream each time.
   */
  private readonly folded = new Map<string, FoldedStream>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * A stream's latest state, from the kept one and the events after it: for checks on other aggregates (is the
   * person active?). The state is shared with later commands: read it, never change it.
   */
  async latestState<State, Event extends DomainEvent>(decider: Decider<State, unknown, Event>, streamId: string): Promise<Readonly<State>> {
    return (await this.loadLatest(decider, streamId)).state;
  }

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
      let current: FoldedStream & { state: State };
      if (context.idempotencyScope) {
        // A retried request must find its earlier attempt's events by id: this reads the whole stream.
        const { state, recorded } = await this.load(decider, streamId);
        const replay = this.earlierAttempt(recorded, context);
        if (replay) return replay(decider);
        const last = recorded.at(-1);
        current = { decider, state, revision: last?.revision ?? -1, position: last?.position ?? 0 };
      } else {
        current = await this.loadLatest(decider, streamId);
      }
      const { state } = current;
      const at = this.clock.now().toISOString();
      const command = options.command(at, state);
      options.authorize?.(command, state);
      await options.verify?.(command, state);
      const events = decider.decide(command, state);
      if (events.length === 0) return { position: current.position, revision: current.revision, events, state, replayed: false };
      try {
        const result = await this.store.append(streamId, events.map((event, index) => this.toNewEvent(event, index, at, context)), {
          expectedRevision: current.revision >= 0 ? current.revision : 'no_stream',
        });
        const after = events.reduce((s, e) => decider.evolve(s, e), state);
        if (!context.idempotencyScope) this.keep(streamId, { decider, state: after, revision: result.nextExpectedRevision, position: result.position });
        return { position: result.position, revision: result.nextExpectedRevision, events, state: after, replayed: false };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= maxAttempts) throw error;
      }
    }
  }

  /** The stream's latest state: the kept one (if `decider` folded it) and the events appended after it. */
  private async loadLatest<State, Event extends DomainEvent>(decider: Decider<State, unknown, Event>, streamId: string): Promise<FoldedStream & { state: State }> {
    const kept = this.folded.get(streamId);
    const known = kept?.decider === decider ? kept : undefined;
    const newer = await this.store.readStream(streamId, known ? { fromRevision: known.revision + 1 } : {});
    let state = known ? (known.state as State) : decider.initialState();
    for (const event of newer) state = decider.evolve(state, event as unknown as Event);
    const last = newer.at(-1);
    const latest = { decider, state, revision: last?.revision ?? known?.revision ?? -1, position: last?.position ?? known?.position ?? 0 };
    this.keep(streamId, latest);
    return latest;
  }

  private keep(streamId: string, folded: FoldedStream): void {
    this.folded.delete(streamId); // re-inserted last: the map's order is the order of use
    this.folded.set(streamId, folded);
    if (this.folded.size > FOLDED_STREAMS_KEPT) this.folded.delete(this.folded.keys().next().value!);
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
