import { Decider, DomainError, DomainEvent, fold } from '@tsunagi/domain';

/**
 * Decider specs read as given / when / then:
 *   spec(opportunityDecider).given([opened]).when(accept).then([accepted])
 *   spec(opportunityDecider).given([opened, full]).when(accept).thenFails('opportunity.full')
 */
export function spec<State, Command, Event extends DomainEvent>(decider: Decider<State, Command, Event>) {
  return {
    given: (events: Event[]) => ({
      when: (command: Command) => {
        const run = () => decider.decide(command, fold(decider, events));
        return {
          then: (expected: Event[]) => expect(run()).toEqual(expected),
          thenFails: (code: string, params?: Record<string, string | number>) => {
            let thrown: unknown;
            try {
              run();
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(DomainError);
            expect((thrown as DomainError).code).toBe(code);
            if (params) expect((thrown as DomainError).params).toMatchObject(params);
          },
          /** The events, for assertions that are not a plain equality. */
          events: run,
        };
      },
    }),
  };
}
