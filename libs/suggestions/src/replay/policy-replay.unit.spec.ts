import { seededRandom } from '@tsunagi/domain';
import { generateWorld } from '../generated-world';
import { policyById } from '../policy';
import { PolicyReplay, ReplayEvent, replayPolicies, topTenPercentShare } from './policy-replay';

/** Twelve weeks of a generated city: 800 people and 150 opportunities appearing over time, some people pausing. */
function generatedHistory(seed: number): ReplayEvent[] {
  const random = seededRandom(seed);
  const events = generateWorld({ people: 800, organisations: 20, opportunities: 150 }, random, '2026-01-05T00:00:00.000Z', '2026-03-29T00:00:00.000Z');
  const history: ReplayEvent[] = events.map((e) => ({ type: e.type, data: e.data, at: (e.data as { at: string }).at }));
  const people = events.filter((e) => e.type === 'PersonRegistered').map((e) => (e.data as { personId: string }).personId);
  for (let i = 0; i < 40; i++) {
    const at = '2026-03-01T00:00:00.000Z';
    history.push({ type: 'PersonPaused', data: { personId: people[Math.floor(random() * people.length)], by: 'test', at }, at });
  }
  return history.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

const total = (replay: PolicyReplay) => replay.rows.find((r) => r.week === 'all' && r.ward === 'all')!;

describe('replaying history under two policies', () => {
  const history = generatedHistory(31);
  const policies = [policyById('relevance@1'), policyById('spread@1')];
  const [relevance, spread] = replayPolicies(history, { policies, seed: 7 });

  it('is deterministic: the same history and seed give the same report', () => {
    expect(replayPolicies(history, { policies, seed: 7 })).toEqual([relevance, spread]);
    expect(replayPolicies(history, { policies, seed: 8 })).not.toEqual([relevance, spread]);
  });

  it('reports per week and ward, with counts that fit together', () => {
    for (const replay of [relevance, spread]) {
      const weeks = new Set(replay.rows.map((r) => r.week));
      expect(weeks.size).toBeGreaterThanOrEqual(12);
      for (const r of replay.rows) {
        expect(r.answered).toBeLessThanOrEqual(r.proposals);
        expect(r.acceptances).toBeLessThanOrEqual(r.answered);
        expect(r.rolesWithAcceptance).toBeLessThanOrEqual(r.acceptances);
        expect(r.answeredShare).toBeCloseTo(r.proposals ? r.answered / r.proposals : 0, 12);
        expect(r.top10Share).toBeGreaterThan(0);
        expect(r.top10Share).toBeLessThanOrEqual(1);
      }
      const weekly = replay.rows.filter((r) => r.week !== 'all');
      expect(total(replay).proposals).toBe(weekly.reduce((n, r) => n + r.proposals, 0));
      expect(total(replay).acceptances).toBe(weekly.reduce((n, r) => n + r.acceptances, 0));
    }
  });

  it('the spreading policy asks more different people and reaches at least as many roles', () => {
    expect(total(spread).top10Share).toBeLessThan(total(relevance).top10Share);
    expect(total(spread).rolesWithAcceptance).toBeGreaterThanOrEqual(total(relevance).rolesWithAcceptance);
  });

  it('simulates only the last N weeks when asked', () => {
    const [lastFour] = replayPolicies(history, { policies: [policies[0]], seed: 7, weeks: 4 });
    expect(new Set(lastFour.rows.filter((r) => r.week !== 'all').map((r) => r.week)).size).toBe(4);
  });

  it('concentration: the share of proposals the top 10 % of recipients got', () => {
    expect(topTenPercentShare(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'])).toBe(0.1);
    expect(topTenPercentShare(['a', 'a', 'a', 'a', 'a', 'a', 'b', 'c', 'd', 'e'])).toBe(0.6);
    expect(topTenPercentShare([])).toBe(0);
  });
});
