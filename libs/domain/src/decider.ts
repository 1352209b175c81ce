/**
 * An aggregate as a decider (after Jérémie Chassaing / Emmett): pure functions, no I/O, no framework.
 * `decide` returns the events a command causes in a state, or throws a DomainError; `evolve` folds an
 * event into the state.
 */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
}

export interface Decider<State, Command, Event extends DomainEvent> {
  initialState(): State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

export function fold<State, Event extends DomainEvent>(decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>, events: readonly Event[]): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}

/** How an error shows at the HTTP edge: 404, 409, 422 or 403. */
export type DomainErrorKind = 'not_found' | 'conflict' | 'invalid' | 'forbidden';

/** A rule of the domain said no. The code is stable (clients switch on it); params fill the message. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`);
    this.name = 'DomainError';
  }
}
