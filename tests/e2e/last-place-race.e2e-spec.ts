import request from 'supertest';
import { TestApi, startTestApi } from '../support/test-api';
import { registerOrganisation, registerPerson, volunteerRoleBody } from '../support/fixtures';

describe('50 volunteers accept the last place at once', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('exactly one succeeds; the other 49 get a clear 409 opportunity.full; the store agrees', async () => {
    const http = () => request(api.app.getHttpServer());
    const coordinator = api.bearer({ role: 'coordinator', wards: ['nakahara'] });
    const organisationId = await registerOrganisation(api);
    const opportunity = await http().post('/api/opportunities').set('Authorization', coordinator).send(volunteerRoleBody(organisationId, 1)).expect(201);
    const opportunityId = opportunity.body.opportunityId;
    const people = await Promise.all(Array.from({ length: 50 }, () => registerPerson(api)));
    const matches: { personId: string; matchId: string }[] = [];
    for (const personId of people) {
      const res = await http().post(`/api/opportunities/${opportunityId}/matches`).set('Authorization', coordinator).send({ candidate: { type: 'person', id: personId }, message: '' }).expect(201);
      matches.push({ personId, matchId: res.body.matchId });
    }

    const answers = await Promise.all(
      matches.map(({ personId, matchId }) =>
        http()
          .post(`/api/opportunities/${opportunityId}/matches/${matchId}/accept`)
          .set('Authorization', api.bearer({ role: 'volunteer', personId }))
          .send({}),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.code)).toEqual(Array(49).fill('opportunity.full'));

    const stream = await api.store.readStream(`opportunity-${opportunityId}`);
    expect(stream.filter((e) => e.type === 'MatchAccepted')).toHaveLength(1);
    expect(stream.map((e) => e.revision)).toEqual(stream.map((_, i) => i));
  });
});
