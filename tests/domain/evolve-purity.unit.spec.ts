import { generateHistory } from '@tsunagi/analytics';
import { Decider, DomainEvent, seededRandom } from '@tsunagi/domain';
import { opportunityDecider } from '@tsunagi/matching';
import { meetingDecider } from '@tsunagi/meetings';
import { organisationDecider, personDecider } from '@tsunagi/participants';
import { spinOffDecider } from '@tsunagi/spinoffs';

const DECIDERS: Record<string, Decider<unknown, unknown, DomainEvent>> = {
  'person-': personDecider as never,
  'organisation-': organisationDecider as never,
  'opportunity-': opportunityDecider as never,
  'meeting-': meetingDecider as never,
  'spinoff-': spinOffDecider as never,
};

/**
 * The command executor keeps folded states between commands and folds newer events onto them, which is only
 * right if `evolve` never changes the state it is given. Every stream of a generated city history is folded here
 * with the state before each event compared to a copy taken before it.
 */
describe('evolve never changes the state it is given', () => {
  const history = generateHistory({ people: 120, organisations: 10, events: 4000, startMs: Date.parse('2025-04-01T00:00:00+09:00'), days: 365 }, seededRandom(8));

  for (const [prefix, decider] of Object.entries(DECIDERS)) {
    it(`${prefix.slice(0, -1)} streams`, () => {
      const streams = new Map<string, DomainEvent[]>();
      for (const e of history) if (e.streamId.startsWith(prefix)) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), { type: e.type, data: e.data }]);
      let events = 0;
      for (const stream of streams.values()) {
        let state = decider.initialState();
        for (const event of stream) {
          const before = structuredClone(state);
          const next = decider.evolve(state, event);
          expect(state).toEqual(before);
          state = next;
          events++;
        }
      }
      expect(events).toBeGreaterThan(10);
    });
  }
});
