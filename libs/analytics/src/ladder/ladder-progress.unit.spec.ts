import { seededRandom } from '@tsunagi/domain';
import { AnalyticsFact, FactKind, PERSON_FACT_KINDS, byTime } from '../facts/analytics-fact';
import { factsOfHistory } from '../facts/fact-extractor';
import { generateHistory } from '../generated/generated-history';
import { DEFAULT_LADDER_RULES, LadderRuleSet } from './ladder-rules';
import { LadderProgress } from './ladder-progress';
import { StageReached, personFacts, stageHistory } from './stage-history';

/**
 * Property: the incremental ladder (`LadderProgress`, what the projection keeps per person) equals the reference
 * `stageHistory` after every step, whatever the order the facts come in. Facts are fed in chunks the way the
 * projection gets them (each chunk sorted; a fact earlier than one taken makes the caller rebuild from all facts
 * seen so far, exactly as the projection does).
 */
const DAY = 86_400_000;

/** Feeds the facts chunk by chunk and checks the history after each chunk; returns how often it fell back. */
function checkInChunks(facts: readonly AnalyticsFact[], rules: LadderRuleSet, random: () => number): number {
  let progress: LadderProgress | undefined;
  let fallbacks = 0;
  const seen: AnalyticsFact[] = [];
  let previous: { progress: LadderProgress; changes: number; history: StageReached[] } | undefined;
  for (let i = 0; i < facts.length; ) {
    const chunk = facts.slice(i, (i += 1 + Math.floor(random() * 4)));
    seen.push(...chunk);
    const sorted = [...chunk].sort(byTime);
    if (!progress || !sorted.every((fact) => progress!.add(fact))) {
      progress = LadderProgress.of(seen, rules);
      fallbacks++;
    }
    const history = progress.history();
    expect(history).toEqual(stageHistory(seen, rules));
    expect(progress.highest).toBe(history.at(-1)?.stage ?? -1);
    // What the projection relies on to skip restaging a person: the same count, the same history.
    if (previous?.progress === progress && previous.changes === progress.changes) expect(history).toEqual(previous.history);
    previous = { progress, changes: progress.changes, history };
  }
  return fallbacks;
}

const shuffled = <T>(items: readonly T[], random: () => number): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

/** Swaps neighbours here and there: facts of concurrent streams arriving slightly out of time order. */
const jittered = <T>(items: readonly T[], random: () => number): T[] => {
  const out = [...items];
  for (let i = 0; i + 1 < out.length; i++) if (random() < 0.2) [out[i], out[i + 1]] = [out[i + 1], out[i]];
  return out;
};

const RULE_SETS: LadderRuleSet[] = [
  DEFAULT_LADDER_RULES,
  {
    ...DEFAULT_LADDER_RULES,
    id: 'strict',
    participant: { attendedMeeting: true, acceptedRole: false },
    regular: { occasions: 2, withinDays: 20 },
    bearer: { matchStarted: false, spinOffRoles: ['organiser'] },
    planner: { proposedMeetingHeld: false, initiatedSpinOffLaunched: true },
    connector: { distinctOrganisationsOrProjects: 3, representsOrganisation: false },
  },
  { ...DEFAULT_LADDER_RULES, id: 'loose', regular: { occasions: 5, withinDays: 400 }, connector: { distinctOrganisationsOrProjects: 1, representsOrganisation: true } },
];

/** Random facts of one person: few groups, days and instants, so ties and repeats are common. */
function randomFacts(random: () => number, count: number): AnalyticsFact[] {
  const t0 = Date.parse('2026-01-01T00:00:00+09:00');
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  return Array.from({ length: count }, (_, i) => {
    const kind: FactKind = pick(PERSON_FACT_KINDS);
    const fact: AnalyticsFact = { position: 1 + Math.floor(random() * 3 * count), eventId: `e${i}`, atMs: t0 + Math.floor(random() * 300) * DAY + pick([0, 3_600_000, 23 * 3_600_000]), kind, personId: 'p' };
    if (kind === 'person_registered') fact.ward = pick(['kawasaki', 'nakahara', undefined]) ?? 'asao';
    if (kind === 'role_started' || kind === 'spinoff_role' || kind === 'coordinates') fact.groupId = pick(['org:a', 'org:b', 'spinoff:c', 'org:d']);
    if (kind === 'spinoff_role') fact.detail = pick(['organiser', 'staff', 'member', 'advisor']);
    return fact;
  });
}

describe('LadderProgress (incremental ladder) equals stageHistory', () => {
  it.each([
    { seed: 3, order: 'time' },
    { seed: 5, order: 'jittered' },
    { seed: 7, order: 'shuffled' },
  ])('on a generated city, facts in $order order (seed $seed), under every rule set', ({ seed, order }) => {
    const random = seededRandom(seed);
    const events = generateHistory({ people: 60, organisations: 8, events: 4_000, startMs: Date.parse('2025-04-01T00:00:00+09:00'), days: 400 }, random);
    const facts = factsOfHistory(events.map((e, i) => ({ ...e, position: i + 1 })));
    let fallbacks = 0;
    let checked = 0;
    for (const rules of RULE_SETS) {
      for (const own of personFacts(facts.filter((f) => PERSON_FACT_KINDS.includes(f.kind))).values()) {
        const ordered = order === 'time' ? [...own].sort(byTime) : order === 'jittered' ? jittered(own, random) : shuffled(own, random);
        fallbacks += checkInChunks(ordered, rules, random);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    // In time order only the first chunk builds the state; out of order the fallback is exercised.
    if (order === 'time') expect(fallbacks).toBe(checked);
    else expect(fallbacks).toBeGreaterThan(checked);
  });

  it('on random facts with ties, repeated days and groups, in any order, under every rule set', () => {
    const random = seededRandom(13);
    for (let i = 0; i < 600; i++) {
      const facts = randomFacts(random, 1 + Math.floor(random() * 25));
      const rules = RULE_SETS[i % RULE_SETS.length];
      const ordered = i % 2 ? facts : [...facts].sort(byTime);
      checkInChunks(ordered, rules, random);
      expect(LadderProgress.of(facts, rules).history()).toEqual(stageHistory(facts, rules));
    }
  });
});
