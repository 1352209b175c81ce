import { seededRandom } from '@tsunagi/domain';
import { factsOfHistory } from '../facts/fact-extractor';
import { GeneratedEvent, generateHistory } from '../generated/generated-history';
import { DEFAULT_LADDER_RULES } from './ladder-rules';
import { PersonLadders } from './person-ladders';
import { stageHistory } from './stage-history';

const START = Date.parse('2025-04-01T00:00:00+09:00');

/** Swaps neighbours of different streams: positions and decision times disagree here and there. */
function jittered(events: GeneratedEvent[], random: () => number): GeneratedEvent[] {
  const out = [...events];
  for (let i = 0; i + 1 < out.length; i++) if (out[i].streamId !== out[i + 1].streamId && random() < 0.4) [out[i], out[i + 1]] = [out[i + 1], out[i]];
  return out;
}

describe('PersonLadders', () => {
  for (const jitter of [false, true]) {
    it(`gives each person the highest stage of their stage history, event by event${jitter ? ', appended out of time order' : ''}`, () => {
      const generated = generateHistory({ people: 200, organisations: 12, events: 4000, startMs: START, days: 400 }, seededRandom(31));
      const events = (jitter ? jittered(generated, seededRandom(32)) : generated).map((e, i) => ({ ...e, position: i + 1 }));
      const ladders = new PersonLadders(DEFAULT_LADDER_RULES);
      const raised = new Set<string>();
      for (const event of events) for (const personId of ladders.apply(event)) raised.add(personId);

      const factsByPerson = new Map<string, ReturnType<typeof factsOfHistory>>();
      for (const fact of factsOfHistory(events)) if (fact.personId) factsByPerson.set(fact.personId, [...(factsByPerson.get(fact.personId) ?? []), fact]);
      const expected = [...factsByPerson].map(([personId, facts]) => [personId, Math.max(-1, ...stageHistory(facts, DEFAULT_LADDER_RULES).map((s) => s.stage))]);
      expect(expected.map(([personId]) => [personId, ladders.highestStage(personId as string)])).toEqual(expected);
      expect(new Set(expected.filter(([, stage]) => (stage as number) >= 0).map(([personId]) => personId))).toEqual(raised);
      // The history reaches every stage somewhere, so the comparison covers them all.
      expect(new Set(expected.map(([, stage]) => stage))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    });
  }

  it('moves nobody on an event it cannot read (a check-in at a meeting never proposed), and goes on', () => {
    const ladders = new PersonLadders(DEFAULT_LADDER_RULES);
    expect(ladders.apply({ id: 'e1', type: 'AttendeeCheckedIn', position: 1, data: { meetingId: 'unknown', personId: 'p1', at: '2026-04-01T10:00:00.000Z' } })).toEqual([]);
    expect(ladders.highestStage('p1')).toBe(-1);
  });
});
