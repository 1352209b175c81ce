import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, newId } from '@tsunagi/event-store';
import { SuggestionIndex, SuggestionRequest, generateWorld, generatedId, personProfile, policyById } from '@tsunagi/suggestions';
import { seededRandom } from '@tsunagi/domain';
import { ProjectionRunner } from '../runner/projection-runner';
import { openReadModelDatabase } from '../runner/read-model-database';
import { SuggestionsProjection } from './suggestions.projection';

const FRESHNESS_MS = 100;
const AT = '2026-04-01T09:00:00.000Z';
const request: SuggestionRequest = { policy: policyById('default@1'), language: 'ja', limit: 500 };

/**
 * The freshness bound, measured the way a user meets it: append an event to the real SQLite event store, then ask
 * the index (through the running projection) until it answers with the change; every change within 100 ms.
 */
describe('SuggestionsProjection (real SQLite event store, projection runner)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let runner: ProjectionRunner;
  let index: SuggestionIndex;
  const db = () => openReadModelDatabase(join(dir, 'read-models.sqlite'));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsunagi-suggestions-'));
    // The city is written fast (no fsync per append); the measured appends then run with the default durability
    // (full: each append waits for its fsync), so the bound includes what a real append costs.
    const setup = new SqliteEventStore({ path: join(dir, 'events.sqlite'), durability: 'normal' });
    const random = seededRandom(21);
    for (const event of generateWorld({ people: 2_000, organisations: 30, opportunities: 200 }, random, AT)) {
      await setup.append(event.streamId, [{ id: newId(), type: event.type, data: event.data }]);
    }
    await setup.close();
    store = new SqliteEventStore({ path: join(dir, 'events.sqlite'), durability: 'full' });
  });

  afterEach(async () => {
    await runner?.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<void> {
    const projection = new SuggestionsProjection();
    index = projection.index;
    runner = new ProjectionRunner(store, db(), [projection]);
    await runner.start();
    if (!(await runner.waitForPosition('suggestions', await store.headPosition(), 10_000))) throw new Error('index never caught up');
  }

  /** Appends, then polls the index until `reflected()`; returns the milliseconds from before the append. */
  async function timeToReflect(streamId: string, type: string, data: object, reflected: () => boolean): Promise<number> {
    const started = performance.now();
    await store.append(streamId, [{ id: newId(), type, data }]);
    while (!reflected()) {
      if (performance.now() - started > 5_000) throw new Error(`${type} never reflected`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return performance.now() - started;
  }

  it(`reflects a new person, a changed profile, a match and a closed role within ${FRESHNESS_MS} ms of the event`, async () => {
    await start();
    const random = seededRandom(22);
    const latencies: Record<string, number[]> = { person: [], profile: [], match: [], closed: [] };
    for (let i = 0; i < 10; i++) {
      const opportunityId = generatedId('o', 5_000 + i);
      const opportunity = {
        opportunityId,
        organisationId: generatedId('g', 1),
        title: '防災訓練の受付',
        description: '',
        ward: 'miyamae',
        themes: ['disaster_prevention'],
        details: { kind: 'volunteer_role', places: 3, schedule: {}, requiredSkills: ['first_aid'], optionalSkills: [] },
        by: 'c',
        at: AT,
      };
      await store.append(`opportunity-${opportunityId}`, [{ id: newId(), type: 'OpportunityOpened', data: opportunity }]);
      const personId = generatedId('p', 5_000 + i);
      // A free tag only this person has, to find them among 2,000 whatever their rank.
      const probe = { ...request, skill: `probe-${i}` };
      const find = () => index.peopleFor(opportunityId, { all: true }, probe).find((r) => r.item.personId === personId);
      const suggested = () => find() !== undefined;
      const profile = { ...personProfile(random), skills: [`probe-${i}`], consents: { mayBeContacted: true, visibleToOtherWards: false } };

      latencies.person.push(await timeToReflect(`person-${personId}`, 'PersonRegistered', { personId, profile, by: 'c', at: AT }, suggested));
      expect(find()!.explanation.components[0].value).toBe(0);
      const coversFirstAid = () => find()?.explanation.components[0].value === 1;
      const changes = { skills: [`probe-${i}`, '救命救急'] };
      latencies.profile.push(await timeToReflect(`person-${personId}`, 'PersonProfileUpdated', { personId, changes, by: 'c', at: AT }, coversFirstAid));
      const matchId = newId();
      const match = { opportunityId, matchId, candidate: { type: 'person', id: personId }, message: '', proposedBy: 'c', fromInterest: false, at: AT };
      latencies.match.push(await timeToReflect(`opportunity-${opportunityId}`, 'MatchProposed', match, () => !suggested()));
      const offered = () => index.opportunitiesFor(generatedId('p', 0), request).some((r) => r.item.opportunityId === opportunityId);
      expect(offered()).toBe(true);
      latencies.closed.push(await timeToReflect(`opportunity-${opportunityId}`, 'OpportunityClosed', { opportunityId, by: 'c', at: AT }, () => !offered()));
    }
    const worst = Object.fromEntries(Object.entries(latencies).map(([what, ms]) => [what, Math.max(...ms)]));
    for (const ms of Object.values(worst)) expect(ms).toBeLessThan(FRESHNESS_MS);
  });

  it('is rebuilt from position 0 at every start, and the rebuilt index answers as the live one did', async () => {
    await start();
    const someRoles = index.opportunitiesFor(generatedId('p', 3), request).map((r) => [r.item.opportunityId, r.score]);
    const somePeople = index.peopleFor(generatedId('o', 0), { all: true }, request).map((r) => [r.item.personId, r.score]);
    await runner.stop();
    await start();
    expect(index.peopleCount).toBe(2_000);
    expect(index.opportunitiesFor(generatedId('p', 3), request).map((r) => [r.item.opportunityId, r.score])).toEqual(someRoles);
    expect(index.peopleFor(generatedId('o', 0), { all: true }, request).map((r) => [r.item.personId, r.score])).toEqual(somePeople);
  });
});
