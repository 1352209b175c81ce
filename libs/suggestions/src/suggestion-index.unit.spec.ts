import { DEFAULT_LADDER_RULES, PersonLadders, generateHistory } from '@tsunagi/analytics';
import { WARDS, seededRandom } from '@tsunagi/domain';
import { COMPONENTS, SUGGESTION_POLICIES, policyById } from './policy';
import { GeneratedEvent, generateWorld, generatedId, personProfile } from './generated-world';
import { PeopleScope, SuggestionIndex, SuggestionRequest } from './suggestion-index';
import { skillCoverage } from './components';

const AT = '2025-06-01T00:00:00.000Z';
const POLICIES = Object.values(SUGGESTION_POLICIES);

/** Feeds generated events to an index with consecutive positions; returns the next free position. */
function feed(index: SuggestionIndex, events: readonly Pick<GeneratedEvent, 'type' | 'data'>[], from = index.appliedPosition + 1): number {
  let position = from;
  for (const event of events) index.apply({ ...event, position: position++ });
  return position;
}

const request = (overrides: Partial<SuggestionRequest> = {}): SuggestionRequest => ({ policy: policyById('default@1'), language: 'en', limit: 500, ...overrides });

/** A small city plus a history of matches on its opportunities: proposals, answers, withdrawals, pauses. */
function cityWithHistory(seed: number) {
  const random = seededRandom(seed);
  const index = new SuggestionIndex();
  const world = generateWorld({ people: 300, organisations: 20, opportunities: 40 }, random, AT);
  feed(index, world);
  const opportunities = world.filter((e) => e.type === 'OpportunityOpened').map((e) => e.data as { opportunityId: string; details: { kind: string } });
  const people = world.filter((e) => e.type === 'PersonRegistered').map((e) => (e.data as { personId: string }).personId);
  const matched = new Map<string, Set<string>>();
  const paused = new Set<string>();
  let m = 0;
  for (let i = 0; i < 200; i++) {
    const opportunity = opportunities[Math.floor(random() * opportunities.length)];
    if (opportunity.details.kind === 'collaboration') continue;
    const personId = people[Math.floor(random() * people.length)];
    const set = matched.get(opportunity.opportunityId) ?? new Set();
    if (set.has(personId)) continue;
    set.add(personId);
    matched.set(opportunity.opportunityId, set);
    const matchId = generatedId('m', m++);
    const base = { opportunityId: opportunity.opportunityId, matchId, by: 'test', at: AT };
    const events: Pick<GeneratedEvent, 'type' | 'data'>[] = [{ type: 'MatchProposed', data: { ...base, candidate: { type: 'person', id: personId }, message: '', proposedBy: 'test', fromInterest: false } }];
    const answer = ['MatchAccepted', 'MatchDeclined', 'MatchWithdrawn', 'MatchExpired', 'none'][Math.floor(random() * 5)];
    if (answer !== 'none') events.push({ type: answer, data: { ...base, reason: 'no_time' } });
    feed(index, events);
  }
  for (let i = 0; i < 20; i++) {
    const personId = people[Math.floor(random() * people.length)];
    paused.add(personId);
    feed(index, [{ type: random() < 0.5 ? 'PersonPaused' : 'PersonDeactivated', data: { personId, by: 'test', at: AT } }]);
  }
  const consents = new Map(world.filter((e) => e.type === 'PersonRegistered').map((e) => [(e.data as { personId: string }).personId, (e.data as any).profile]));
  return { index, random, opportunities, people, matched, paused, profiles: consents };
}

describe('suggestion index: ranking properties (seeded, reproducible)', () => {
  it.each([1, 2, 3])('explanation components sum to the score, and results come best first (seed %i)', (seed) => {
    const { index, opportunities, people } = cityWithHistory(seed);
    const problems: string[] = [];
    let checked = 0;
    for (const policy of POLICIES) {
      for (const opportunity of opportunities) {
        const ranked =
          opportunity.details.kind === 'collaboration' ? index.organisationsFor(opportunity.opportunityId, request({ policy })) : index.peopleFor(opportunity.opportunityId, { all: true }, request({ policy }));
        for (const r of ranked) {
          const sum = r.explanation.components.reduce((total, c) => total + c.contribution, 0);
          if (sum !== r.score || r.explanation.score !== r.score) problems.push(`${policy.id} ${opportunity.opportunityId}: components sum to ${sum}, score ${r.score}`);
          if (r.explanation.components.map((c) => c.component).join() !== COMPONENTS.join()) problems.push(`components out of order`);
          for (const c of r.explanation.components) {
            if (!(c.value >= 0 && c.value <= 1)) problems.push(`${c.component} value ${c.value} outside [0, 1]`);
            if (c.contribution !== c.value * c.weight || c.weight !== policy.weights[c.component]) problems.push(`${c.component}: ${c.value} × ${c.weight} ≠ ${c.contribution}`);
          }
        }
        for (let i = 1; i < ranked.length; i++) if (ranked[i - 1].score < ranked[i].score) problems.push(`${opportunity.opportunityId}: rank ${i} above rank ${i - 1}`);
        checked += ranked.length;
      }
      for (const personId of people.slice(0, 30)) {
        const ranked = index.opportunitiesFor(personId, request({ policy }));
        for (const r of ranked) if (r.explanation.components.reduce((t, c) => t + c.contribution, 0) !== r.score) problems.push(`${personId}: sum ≠ score`);
        checked += ranked.length;
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });

  it.each([4, 5, 6])('consent, status, scope and exclusions always hold (seed %i)', (seed) => {
    const { index, opportunities, matched, paused, profiles, random } = cityWithHistory(seed);
    const problems: string[] = [];
    let checked = 0;
    for (const opportunity of opportunities.filter((o) => o.details.kind !== 'collaboration')) {
      const wards = WARDS.filter(() => random() < 0.3);
      const wardMask = wards.reduce((mask, w) => mask | (1 << WARDS.indexOf(w)), 0);
      for (const scope of [{ all: true }, { wardMask }] as PeopleScope[]) {
        for (const r of index.peopleFor(opportunity.opportunityId, scope, request())) {
          const profile = profiles.get(r.item.personId);
          const id = `${opportunity.opportunityId} → ${r.item.personId}`;
          if (!profile.consents.mayBeContacted) problems.push(`${id}: no consent to be contacted`);
          if (paused.has(r.item.personId)) problems.push(`${id}: paused or deactivated`);
          if (matched.get(opportunity.opportunityId)?.has(r.item.personId)) problems.push(`${id}: already matched on it`);
          if ('wardMask' in scope && !wards.includes(profile.ward) && !profile.consents.visibleToOtherWards) problems.push(`${id}: outside the caller's wards`);
          if ('contactEmail' in r.item) problems.push(`${id}: contact details`);
          checked++;
        }
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it.each([7, 8, 9, 10])('more skill coverage never ranks lower, all else equal (seed %i)', (seed) => {
    const random = seededRandom(seed);
    const index = new SuggestionIndex();
    feed(index, generateWorld({ people: 200, organisations: 5, opportunities: 0 }, random, AT));
    let position = index.appliedPosition + 1;
    let trials = 0;
    for (let trial = 0; trial < 30; trial++) {
      const required = ['cooking', 'it', 'design', 'accounting', 'pr'].filter(() => random() < 0.5);
      const optional = ['translation', 'childcare', 'driving'].filter(() => random() < 0.5);
      if (required.length + optional.length === 0) continue;
      const opportunityId = generatedId('o', 1000 + trial);
      index.apply({
        type: 'OpportunityOpened',
        position: position++,
        data: { opportunityId, organisationId: generatedId('g', 0), title: 't', description: '', ward: 'tama', themes: ['elderly'], at: AT, by: 't', details: { kind: 'volunteer_role', places: 2, schedule: {}, requiredSkills: required, optionalSkills: optional } },
      });
      // Twins: the same profile, one of them covering one more of the role's skills.
      const profile = { ...personProfile(random), consents: { mayBeContacted: true, visibleToOtherWards: true } };
      const wanted = [...required, ...optional];
      const lesser = wanted.filter(() => random() < 0.5);
      const missing = wanted.filter((s) => !lesser.includes(s));
      if (missing.length === 0) continue;
      const greater = [...lesser, missing[Math.floor(random() * missing.length)]];
      const base = profile.skills.filter((s: string) => !wanted.includes(s));
      const twins = [generatedId('p', 10_000 + 2 * trial), generatedId('p', 10_001 + 2 * trial)];
      index.apply({ type: 'PersonRegistered', position: position++, data: { personId: twins[0], profile: { ...profile, skills: [...base, ...lesser] }, by: 't', at: AT } });
      index.apply({ type: 'PersonRegistered', position: position++, data: { personId: twins[1], profile: { ...profile, skills: [...base, ...greater] }, by: 't', at: AT } });
      for (const policy of POLICIES) {
        const ranked = index.peopleFor(opportunityId, { all: true }, request({ policy })).map((r) => r.item.personId);
        const [rankLesser, rankGreater] = twins.map((id) => ranked.indexOf(id));
        expect(rankGreater).toBeGreaterThanOrEqual(0);
        expect(rankLesser === -1 || rankGreater < rankLesser).toBe(true);
      }
      trials++;
    }
    expect(trials).toBeGreaterThan(10);
  });

  it('skill coverage never decreases with one more covered skill (every small case)', () => {
    for (let rc = 0; rc <= 4; rc++)
      for (let oc = 0; oc <= 4; oc++)
        for (let r = 0; r <= rc; r++)
          for (let o = 0; o <= oc; o++) {
            if (r < rc) expect(skillCoverage(r + 1, rc, o, oc)).toBeGreaterThan(skillCoverage(r, rc, o, oc));
            if (o < oc) expect(skillCoverage(r, rc, o + 1, oc)).toBeGreaterThan(skillCoverage(r, rc, o, oc));
          }
  });

  it('Japanese and English, full- and half-width skills are one skill', () => {
    const index = new SuggestionIndex();
    const profile = { ...personProfile(seededRandom(11)), ward: 'tama', consents: { mayBeContacted: true, visibleToOtherWards: false } };
    feed(index, [
      { type: 'PersonRegistered', data: { personId: generatedId('p', 1), profile: { ...profile, skills: ['料理'] }, at: AT } },
      { type: 'PersonRegistered', data: { personId: generatedId('p', 2), profile: { ...profile, skills: ['ｸｯｷﾝｸﾞ'] }, at: AT } },
      { type: 'PersonRegistered', data: { personId: generatedId('p', 3), profile: { ...profile, skills: ['園芸'] }, at: AT } },
      { type: 'OpportunityOpened', data: { opportunityId: generatedId('o', 1), organisationId: generatedId('g', 1), title: 't', description: '', ward: 'tama', themes: [], at: AT, details: { kind: 'volunteer_role', places: 1, schedule: {}, requiredSkills: ['Cooking'], optionalSkills: [] } } },
    ]);
    const ranked = index.peopleFor(generatedId('o', 1), { all: true }, request());
    const coverage = Object.fromEntries(ranked.map((r) => [r.item.personId, r.explanation.components[0].value]));
    expect(coverage).toEqual({ [generatedId('p', 1)]: 1, [generatedId('p', 2)]: 1, [generatedId('p', 3)]: 0 });
    expect(index.peopleFor(generatedId('o', 1), { all: true }, request({ skill: '調理' })).map((r) => r.item.personId).sort()).toEqual([generatedId('p', 1), generatedId('p', 2)]);
  });

  it('pages follow each other without gaps or repeats, and a replayed event changes nothing', () => {
    const { index, opportunities } = cityWithHistory(12);
    const role = opportunities.find((o) => o.details.kind === 'volunteer_role')!;
    const all = index.peopleFor(role.opportunityId, { all: true }, request()).map((r) => r.item.personId);
    const paged: string[] = [];
    let after: SuggestionRequest['after'];
    for (;;) {
      const page = index.peopleFor(role.opportunityId, { all: true }, request({ limit: 7, after }));
      paged.push(...page.map((r) => r.item.personId));
      if (page.length < 7) break;
      after = { score: page[6].score, id: page[6].item.personId };
    }
    expect(paged).toEqual(all);
    index.apply({ type: 'MatchProposed', position: 1, data: { opportunityId: role.opportunityId, matchId: generatedId('m', 99_999), candidate: { type: 'person', id: all[0] }, at: AT } });
    expect(index.peopleFor(role.opportunityId, { all: true }, request()).map((r) => r.item.personId)).toEqual(all);
  });

  it('load, exposure and step-up follow the history: proposals weigh, an active role pauses the lift, an accepted match ends the exposure lift', () => {
    const index = new SuggestionIndex();
    const profile = { ...personProfile(seededRandom(13)), ward: 'asao', consents: { mayBeContacted: true, visibleToOtherWards: false } };
    const person = generatedId('p', 1);
    const roles = [1, 2, 3].map((n) => generatedId('o', n));
    const role = (opportunityId: string, kind = 'volunteer_role') => ({
      type: 'OpportunityOpened',
      data: {
        opportunityId,
        organisationId: generatedId('g', 1),
        title: 't',
        description: '',
        ward: 'asao',
        themes: [],
        at: AT,
        details: kind === 'volunteer_role' ? { kind, places: 3, schedule: {}, requiredSkills: [], optionalSkills: [] } : { kind, teamSize: 2, hoursPerWeek: 1, professions: ['it'], deliverable: 'x', durationWeeks: 4 },
      },
    });
    feed(index, [{ type: 'PersonRegistered', data: { personId: person, profile, at: AT } }, ...roles.map((r) => role(r)), role(generatedId('o', 4), 'pro_bono_project')]);
    const component = (name: string) => index.peopleFor(roles[2], { all: true }, request()).find((r) => r.item.personId === person)!.explanation.components.find((c) => c.component === name)!.value;
    expect([component('load'), component('exposure'), component('stepUp')]).toEqual([0, 1, 0]);
    const match = (n: number, type: string, opportunityId = roles[0]) => ({ type, data: { opportunityId, matchId: generatedId('m', n), candidate: { type: 'person', id: person }, at: AT } });
    feed(index, [match(1, 'MatchProposed')]);
    expect(component('load')).toBe(0.25);
    feed(index, [match(1, 'MatchAccepted')]);
    expect([component('load'), component('stepUp')]).toEqual([0.25, 0]); // busy with a role: not "ready" now
    feed(index, [match(1, 'MatchEndedEarly')]);
    expect([component('load'), component('stepUp')]).toEqual([0, 0.6]); // a participant, free again
    feed(index, [match(2, 'MatchProposed', roles[2]), match(2, 'MatchAccepted', roles[2]), match(3, 'MatchProposed', roles[1])]);
    expect(index.peopleFor(roles[2], { all: true }, request())).toEqual([]); // matched on it: never suggested again
    expect(index.peopleFor(roles[1], { all: true }, request())).toEqual([]);
    const other = generatedId('p', 2);
    feed(index, [{ type: 'PersonRegistered', data: { personId: other, profile, at: AT } }]);
    expect(index.peopleFor(roles[2], { all: true }, request())[0].explanation.components.find((c) => c.component === 'exposure')!.value).toBe(0);
    feed(index, [match(4, 'MatchProposed', generatedId('o', 4)), match(4, 'MatchAccepted', generatedId('o', 4)), match(4, 'MatchStarted', generatedId('o', 4)), match(4, 'MatchCompleted', generatedId('o', 4))]);
    expect(index.loadOf(person)).toEqual({ openProposals: 1, activeRoles: 1, stage: 3, proBonoAlumni: true });
    // Free again, a pro-bono alumnus (and bearer) is lifted fully.
    feed(index, [match(2, 'MatchEndedEarly', roles[2]), role(generatedId('o', 5))]);
    const alumnus = index.peopleFor(generatedId('o', 5), { all: true }, request()).find((r) => r.item.personId === person)!;
    expect(alumnus.explanation.components.find((c) => c.component === 'stepUp')!.value).toBe(1);
  });

  it('ranks step-up by the analytics ladder: each person\'s stage is the one the indicators count (bearer and above as bearer)', () => {
    const history = generateHistory({ people: 150, organisations: 10, events: 3000, startMs: Date.parse('2025-04-01T00:00:00+09:00'), days: 365 }, seededRandom(21));
    const index = new SuggestionIndex(DEFAULT_LADDER_RULES);
    const ladders = new PersonLadders(DEFAULT_LADDER_RULES);
    history.forEach((event, i) => {
      index.apply({ ...event, position: i + 1 });
      ladders.apply({ ...event, position: i + 1 });
    });
    const people = [...new Set(history.filter((e) => e.type === 'PersonRegistered').map((e) => (e.data as unknown as { personId: string }).personId))];
    const stages = people.map((personId) => index.loadOf(personId)?.stage);
    expect(stages).toEqual(people.map((personId) => Math.min(3, ladders.highestStage(personId))));
    expect(new Set(stages)).toEqual(new Set([0, 1, 2, 3]));
  });
});
