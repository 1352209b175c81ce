import { fold } from '@tsunagi/domain';
import { NewEvent, RecordedEvent, SqliteEventStore, newId } from '@tsunagi/event-store';
import { OpportunityCommand, OpportunityEvent, opportunityDecider } from '@tsunagi/matching';
import { openReadModelDatabase } from '../runner/read-model-database';
import { MatchingProjection } from './matching.projection';
import { MatchingQueries } from './matching.queries';

const at = (minute: number) => new Date(Date.UTC(2026, 3, 1, 9, minute)).toISOString();

/** A small history made by the real decider, so the projection sees only events that can happen. */
function history(): { streamId: string; events: OpportunityEvent[] }[] {
  const streams: { streamId: string; events: OpportunityEvent[] }[] = [];
  for (let o = 0; o < 3; o++) {
    const opportunityId = newId();
    const events: OpportunityEvent[] = [];
    const run = (command: Omit<OpportunityCommand, 'opportunityId' | 'by' | 'at'>) => {
      const full = { ...command, opportunityId, by: 'c1', at: at(events.length) } as OpportunityCommand;
      events.push(...opportunityDecider.decide(full, fold(opportunityDecider, events)));
    };
    run({
      type: 'OpenOpportunity',
      organisationId: 'org-1',
      title: `役割 ${o}`,
      description: '',
      ward: o === 0 ? 'nakahara' : 'tama',
      themes: ['welfare'],
      details: { kind: 'volunteer_role', places: 2, schedule: {}, requiredSkills: ['調理'], optionalSkills: ['it'] },
    } as never);
    for (let m = 0; m < 4; m++) {
      const matchId = newId();
      run({ type: 'ProposeMatch', matchId, candidate: { type: 'person', id: `p${m}` }, message: '' } as never);
      if (m < 2) {
        run({ type: 'AcceptMatch', matchId } as never);
        run({ type: 'ConfirmMatch', matchId } as never);
        run({ type: 'StartMatch', matchId } as never);
        run({ type: 'LogHours', matchId, entryId: newId(), date: '2026-04-02', hours: 2 } as never);
      } else if (m === 2) run({ type: 'DeclineMatch', matchId, reason: 'too_far' } as never);
      else run({ type: 'ExpireMatch', matchId } as never);
    }
    if (o === 2) run({ type: 'CloseOpportunity' } as never);
    streams.push({ streamId: `opportunity-${opportunityId}`, events });
  }
  return streams;
}

describe('MatchingProjection', () => {
  it('replaying the same events twice gives the same read model', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    for (const { streamId, events } of history()) {
      await store.append(streamId, events.map((e): NewEvent => ({ id: newId(), type: e.type, data: e.data })));
    }
    const recorded: RecordedEvent[] = await store.readAll();
    const db = openReadModelDatabase(':memory:');
    const projection = new MatchingProjection();
    projection.setUp(db);
    const snapshot = () =>
      ['opportunities', 'opportunity_skills', 'matches', 'match_hours'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all());
    db.transaction(() => recorded.forEach((e) => projection.apply(e)))();
    const once = snapshot();
    db.transaction(() => recorded.forEach((e) => projection.apply(e)))();
    expect(snapshot()).toEqual(once);

    const queries = new MatchingQueries(db);
    const opportunities = queries.opportunities({ limit: 10 });
    expect(opportunities.map((o) => [o.placesTaken, o.filled])).toEqual([
      [2, true],
      [2, true],
      [2, true],
    ]);
    expect(queries.opportunities({ status: 'closed', limit: 10 })).toHaveLength(1);
    expect(queries.opportunities({ ward: 'nakahara', skill: 'it', limit: 10 })).toHaveLength(1);
    const all = queries.matches({ all: true }, { limit: 100 });
    expect(all).toHaveLength(12);
    expect(all.filter((m) => m.status === 'started').every((m) => m.hoursLogged === 2)).toBe(true);
    expect(queries.matches({ candidate: { type: 'person', ids: ['p2'] } }, { limit: 100 }).map((m) => m.declineReason)).toEqual(['too_far', 'too_far', 'too_far']);
    expect(queries.matches({ wards: ['nakahara'] }, { limit: 100 })).toHaveLength(4);
    expect(queries.matches({}, { limit: 100 })).toEqual([]);
    db.close();
    await store.close();
  });
});
