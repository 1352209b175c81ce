import request from 'supertest';
import { newId } from '@tsunagi/event-store';
import { TestApi, startTestApi } from '../support/test-api';
import { organisationBody, personBody } from '../support/fixtures';

/**
 * People and organisations through HTTP, as the people who use tsunagi would: coordinators of their wards,
 * volunteers registering themselves, representatives, analysts and admins.
 */
describe('participants through the API (real SQLite store and Redis)', () => {
  let api: TestApi;
  let admin: string;
  let nakahara: string;
  let asao: string;
  let analyst: string;
  const http = () => request(api.app.getHttpServer());
  const volunteer = (personId: string) => api.bearer({ role: 'volunteer', personId });
  const errorOf = (res: request.Response) => [res.status, res.body.code];

  beforeAll(async () => {
    api = await startTestApi();
    admin = api.bearer({ role: 'admin', subject: 'admin-1' });
    nakahara = api.bearer({ role: 'coordinator', subject: 'coordinator-nakahara', wards: ['nakahara'] });
    asao = api.bearer({ role: 'coordinator', subject: 'coordinator-asao', wards: ['asao'] });
    analyst = api.bearer({ role: 'analyst', subject: 'analyst-1' });
  });
  afterAll(() => api.close());

  async function register(as: string, overrides: Record<string, unknown> = {}) {
    const res = await http().post('/api/people').set('Authorization', as).send(personBody(overrides));
    expect([res.status, res.body]).toEqual([201, { personId: expect.any(String), position: expect.any(Number), revision: 0 }]);
    return res.body as { personId: string; position: number; revision: number };
  }
  const getPerson = (personId: string, as: string, minPosition = 0) => http().get(`/api/people/${personId}?minPosition=${minPosition}`).set('Authorization', as);

  describe('people', () => {
    it('a coordinator registers a person of their ward; the profile comes back normalised, with contact details', async () => {
      const { personId, position } = await register(nakahara, { displayName: ' ｶﾜｻｷ　花子 ', contactEmail: 'ＨＡＮＡＫＯ＠Ｅｘａｍｐｌｅ．ｊｐ', skills: ['調理', 'ＩＴ', 'it'] });
      const res = await getPerson(personId, nakahara, position).expect(200);
      expect(res.body).toEqual({
        personId,
        displayName: 'カワサキ 花子',
        contactEmail: 'hanako@example.jp',
        ward: 'nakahara',
        skills: ['cooking', 'it'],
        themes: ['child_rearing'],
        availability: { days: ['weekend'], timeBands: ['morning'], hoursPerMonth: 8 },
        languages: ['ja'],
        proBono: { offers: false, professions: [] },
        preferredLanguage: 'ja',
        consents: { mayBeContacted: true, visibleToOtherWards: false },
        status: 'active',
        registeredAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('registering is for admins, coordinators in their wards and volunteers themselves; anyone else gets 403', async () => {
      const body = personBody({ ward: 'nakahara' });
      expect(errorOf(await http().post('/api/people').set('Authorization', asao).send(body))).toEqual([403, 'auth.forbidden']);
      expect(errorOf(await http().post('/api/people').set('Authorization', analyst).send(body))).toEqual([403, 'auth.forbidden']);
      const representative = api.bearer({ role: 'organisation', organisationIds: [newId()], personId: newId() });
      expect(errorOf(await http().post('/api/people').set('Authorization', representative).send(body))).toEqual([403, 'auth.forbidden']);
      // A volunteer's token must name the person they are.
      expect(errorOf(await http().post('/api/people').set('Authorization', api.bearer({ role: 'volunteer' })).send(body))).toEqual([403, 'auth.forbidden']);
      await register(admin, { ward: 'kawasaki' });
    });

    it('a volunteer registers themself under their token’s person id, once', async () => {
      const me = newId();
      const { personId, position } = await register(volunteer(me), { ward: 'takatsu' });
      expect(personId).toBe(me);
      const mine = await getPerson(me, volunteer(me), position).expect(200);
      expect(mine.body).toMatchObject({ personId: me, ward: 'takatsu', contactEmail: expect.stringContaining('@example.jp') });
      const again = await http().post('/api/people').set('Authorization', volunteer(me)).send(personBody());
      expect(errorOf(again)).toEqual([409, 'person.already_registered']);
    });

    it('a retried registration with the same Idempotency-Key creates one person', async () => {
      const body = personBody();
      const first = await http().post('/api/people').set('Authorization', nakahara).set('Idempotency-Key', `register-${newId()}`).send(body).expect(201);
      const key = `register-${newId()}`;
      const a = await http().post('/api/people').set('Authorization', nakahara).set('Idempotency-Key', key).send(body).expect(201);
      const b = await http().post('/api/people').set('Authorization', nakahara).set('Idempotency-Key', key).send(body).expect(201);
      expect(b.body).toEqual(a.body);
      expect(b.headers['idempotent-replayed']).toBe('true');
      expect(a.body.personId).not.toBe(first.body.personId);
    });

    it('updates: the person themself, a coordinator of their ward (of the new ward too when moving), admins', async () => {
      const me = newId();
      await register(volunteer(me), { ward: 'nakahara' });
      const patch = (as: string, body: object) => http().patch(`/api/people/${me}`).set('Authorization', as).send(body);

      const own = await patch(volunteer(me), { displayName: '花子', availability: { days: ['weekday', 'weekend'], timeBands: ['evening'], hoursPerMonth: 12 } }).expect(200);
      expect(own.body).toEqual({ personId: me, position: expect.any(Number), revision: 1 });
      await patch(nakahara, { skills: ['ｶﾌｪ'] }).expect(200);
      expect(errorOf(await patch(asao, { displayName: 'x' }))).toEqual([403, 'auth.forbidden']);
      expect(errorOf(await patch(volunteer(newId()), { displayName: 'x' }))).toEqual([403, 'auth.forbidden']);
      expect(errorOf(await patch(analyst, { displayName: 'x' }))).toEqual([403, 'auth.forbidden']);
      expect(errorOf(await patch(api.bearer({ role: 'organisation', organisationIds: [newId()] }), { displayName: 'x' }))).toEqual([403, 'auth.forbidden']);
      // Moving to Asao needs Asao too.
      expect(errorOf(await patch(nakahara, { ward: 'asao' }))).toEqual([403, 'auth.forbidden']);
      const both = api.bearer({ role: 'coordinator', wards: ['nakahara', 'asao'] });
      const moved = await patch(both, { ward: 'asao' }).expect(200);
      // Now Nakahara's coordinator has no say, Asao's has.
      expect(errorOf(await patch(nakahara, { displayName: 'x' }))).toEqual([403, 'auth.forbidden']);
      const last = await patch(asao, { consents: { mayBeContacted: false, visibleToOtherWards: true } }).expect(200);
      expect(last.body.position).toBeGreaterThan(moved.body.position);
      // A change to nothing writes nothing.
      const same = await patch(admin, { ward: 'asao' }).expect(200);
      expect(same.body.revision).toBe(last.body.revision);

      const view = await getPerson(me, admin, last.body.position).expect(200);
      expect(view.body).toMatchObject({
        displayName: '花子',
        ward: 'asao',
        skills: ['カフェ'],
        availability: { days: ['weekday', 'weekend'], timeBands: ['evening'], hoursPerMonth: 12 },
        consents: { mayBeContacted: false, visibleToOtherWards: true },
      });
    });

    it('pause → resume → deactivate, each once; a deactivated person is only read', async () => {
      const { personId } = await register(nakahara);
      const act = (action: string, as = nakahara, body: object = {}) => http().post(`/api/people/${personId}/${action}`).set('Authorization', as).send(body);

      const paused = await act('pause', nakahara, { reason: '引っ越し準備' }).expect(200);
      expect((await getPerson(personId, nakahara, paused.body.position).expect(200)).body.status).toBe('paused');
      expect(errorOf(await act('pause'))).toEqual([409, 'person.already_paused']);
      expect(errorOf(await act('resume', asao))).toEqual([403, 'auth.forbidden']);
      await act('resume').expect(200);
      expect(errorOf(await act('resume'))).toEqual([409, 'person.not_paused']);
      expect(errorOf(await act('resume', nakahara, { reason: 'no reason here' }))).toEqual([400, 'validation.failed']);
      const gone = await act('deactivate', admin, { reason: '退会' }).expect(200);
      expect((await getPerson(personId, nakahara, gone.body.position).expect(200)).body.status).toBe('deactivated');
      expect(errorOf(await http().patch(`/api/people/${personId}`).set('Authorization', nakahara).send({ displayName: 'x' }))).toEqual([409, 'person.deactivated']);
      expect(errorOf(await act('pause'))).toEqual([409, 'person.deactivated']);
    });

    it('on an id nobody registered: 404 for admins, 403 for coordinators (nothing learnt about which ids exist)', async () => {
      const nobody = newId();
      expect(errorOf(await http().post(`/api/people/${nobody}/pause`).set('Authorization', admin).send({}))).toEqual([404, 'person.not_found']);
      expect(errorOf(await http().post(`/api/people/${nobody}/pause`).set('Authorization', nakahara).send({}))).toEqual([403, 'auth.forbidden']);
      expect(errorOf(await getPerson(nobody, admin))).toEqual([404, 'person.not_found']);
      expect(errorOf(await http().get('/api/people/not-a-uuid').set('Authorization', admin))).toEqual([400, 'validation.failed']);
    });

    it('who sees a person, and who gets their contact details', async () => {
      // Consents: hidden (own ward only), visible to other wards but not to be contacted, visible and contactable.
      const hidden = await register(nakahara, { consents: { mayBeContacted: true, visibleToOtherWards: false } });
      const quiet = await register(nakahara, { consents: { mayBeContacted: false, visibleToOtherWards: true } });
      const open = await register(nakahara, { consents: { mayBeContacted: true, visibleToOtherWards: true } });
      const minPosition = open.position;
      const contactOf = async (personId: string, as: string) => {
        const res = await getPerson(personId, as, minPosition);
        return res.status === 200 ? ('contactEmail' in res.body ? 'contact' : 'no contact') : `${res.status} ${res.body.code}`;
      };

      expect(await contactOf(hidden.personId, nakahara)).toBe('contact');
      expect(await contactOf(hidden.personId, asao)).toBe('404 person.not_found');
      expect(await contactOf(quiet.personId, nakahara)).toBe('no contact');
      expect(await contactOf(quiet.personId, asao)).toBe('no contact');
      expect(await contactOf(quiet.personId, admin)).toBe('contact');
      expect(await contactOf(open.personId, asao)).toBe('contact');
      expect(await contactOf(open.personId, volunteer(newId()))).toBe('404 person.not_found');
      expect(await contactOf(open.personId, api.bearer({ role: 'organisation', organisationIds: [newId()] }))).toBe('404 person.not_found');
      expect(await contactOf(open.personId, analyst)).toBe('403 auth.forbidden');

      const me = newId();
      const mine = await register(volunteer(me), { ward: 'saiwai', consents: { mayBeContacted: false, visibleToOtherWards: false } });
      expect((await getPerson(me, volunteer(me), mine.position).expect(200)).body.contactEmail).toEqual(expect.any(String));

      // Lists follow the same rules, row by row.
      const listed = async (as: string) => {
        const res = await http().get(`/api/people?minPosition=${mine.position}&limit=500`).set('Authorization', as).expect(200);
        return new Map<string, boolean>(res.body.items.map((p: { personId: string; contactEmail?: string }) => [p.personId, p.contactEmail !== undefined]));
      };
      const fromAsao = await listed(asao);
      expect(fromAsao.has(hidden.personId)).toBe(false);
      expect(fromAsao.get(quiet.personId)).toBe(false);
      expect(fromAsao.get(open.personId)).toBe(true);
      expect(fromAsao.has(me)).toBe(false);
      const fromNakahara = await listed(nakahara);
      expect([fromNakahara.get(hidden.personId), fromNakahara.get(quiet.personId), fromNakahara.get(open.personId)]).toEqual([true, false, true]);
      const fromAdmin = await listed(admin);
      expect([fromAdmin.get(hidden.personId), fromAdmin.get(quiet.personId), fromAdmin.get(me)]).toEqual([true, true, true]);
    });

    it.each([
      ['volunteer', () => api.bearer({ role: 'volunteer', personId: newId() })],
      ['organisation', () => api.bearer({ role: 'organisation', organisationIds: [newId()] })],
      ['analyst', () => api.bearer({ role: 'analyst' })],
    ])('refuses the %s role on the people directory with 403', async (_role, bearer) => {
      expect(errorOf(await http().get('/api/people').set('Authorization', bearer()))).toEqual([403, 'auth.forbidden']);
    });

    it('lists with filters (ward, skill in any width, theme, status) and pages by cursor', async () => {
      const tag = `skill${Date.now()}`;
      const ids: string[] = [];
      let position = 0;
      for (let i = 0; i < 5; i++) {
        const written = await register(admin, { ward: 'tama', skills: [i % 2 === 0 ? 'IT' : '調理', tag], themes: i < 2 ? ['elderly'] : ['sports'] });
        ids.push(written.personId);
        position = written.position;
      }
      const paused = await http().post(`/api/people/${ids[4]}/pause`).set('Authorization', admin).send({}).expect(200);
      position = paused.body.position;
      const tama = api.bearer({ role: 'coordinator', wards: ['tama'] });
      const list = async (query: string, as = tama) => {
        const res = await http().get(`/api/people?${query}&skill=${encodeURIComponent(tag)}&minPosition=${position}`).set('Authorization', as).expect(200);
        return res.body as { items: { personId: string }[]; nextCursor?: string };
      };
      const sorted = [...ids].sort();

      const pages: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await list(`ward=tama&limit=2${cursor ? `&after=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(2);
        pages.push(...page.items.map((p) => p.personId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(pages).toEqual(sorted);

      // ＩＴ (full width) finds those registered with IT (stored as it).
      const it = await http()
        .get(`/api/people?ward=tama&skill=${encodeURIComponent('ＩＴ')}&minPosition=${position}`)
        .set('Authorization', tama)
        .expect(200);
      expect(it.body.items.map((p: { personId: string }) => p.personId).sort()).toEqual([ids[0], ids[2], ids[4]].sort());
      expect((await list('theme=elderly')).items.map((p) => p.personId).sort()).toEqual([ids[0], ids[1]].sort());
      expect((await list('status=paused')).items.map((p) => p.personId)).toEqual([ids[4]]);
      expect((await list('ward=nakahara')).items).toEqual([]);
      // Nakahara's coordinator does not see Tama's people, who did not agree to be seen elsewhere.
      expect((await list('ward=tama', nakahara)).items).toEqual([]);
    });

    it('rejects unknown fields and malformed values with 400 validation.failed, and decider rules with 422', async () => {
      const post = (body: object) => http().post('/api/people').set('Authorization', admin).send(body);
      const unknown = await post({ ...personBody(), role: 'admin' }).expect(400);
      expect(unknown.body).toMatchObject({ code: 'validation.failed', errors: [{ field: 'role', rules: ['whitelistValidation'] }] });
      const nested = await post(personBody({ consents: { mayBeContacted: true, visibleToOtherWards: false, shareWithPartners: true } })).expect(400);
      expect(nested.body.errors).toEqual([{ field: 'consents.shareWithPartners', rules: ['whitelistValidation'] }]);
      const wrong = await post(personBody({ ward: 'shinjuku', availability: { days: ['someday'], timeBands: [], hoursPerMonth: 500 }, skills: 'IT' })).expect(400);
      expect(wrong.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['availability.days', 'availability.hoursPerMonth', 'skills', 'ward']);
      const missing = await post({ displayName: '花子' }).expect(400);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['contactEmail', 'consents', 'availability']));
      expect(errorOf(await post(personBody({ proBono: { offers: true, professions: [] } })))).toEqual([422, 'person.invalid']);
      expect(errorOf(await post(personBody({ contactEmail: 'not an e-mail' })))).toEqual([422, 'person.invalid']);

      const { personId } = await register(admin);
      const patch = (body: object) => http().patch(`/api/people/${personId}`).set('Authorization', admin).send(body);
      expect((await patch({ status: 'active' }).expect(400)).body.errors).toEqual([{ field: 'status', rules: ['whitelistValidation'] }]);
      expect((await patch({ displayName: null }).expect(400)).body.code).toBe('validation.failed');
      expect((await http().get('/api/people?colour=red').set('Authorization', admin).expect(400)).body.errors).toEqual([{ field: 'colour', rules: ['whitelistValidation'] }]);
    });
  });

  describe('organisations', () => {
    async function registerOrganisation(as: string, overrides: Record<string, unknown> = {}) {
      const res = await http().post('/api/organisations').set('Authorization', as).send(organisationBody(overrides));
      expect([res.status, res.body]).toEqual([201, { organisationId: expect.any(String), position: expect.any(Number), revision: expect.any(Number) }]);
      return res.body as { organisationId: string; position: number; revision: number };
    }
    const getOrganisation = (organisationId: string, as: string, minPosition = 0) =>
      http().get(`/api/organisations/${organisationId}?minPosition=${minPosition}`).set('Authorization', as);

    it('a coordinator registers one serving their ward, with a first representative; everyone signed in reads it, analysts without contacts', async () => {
      const first = newId();
      const { organisationId, position, revision } = await registerOrganisation(nakahara, {
        wardsServed: ['takatsu', 'nakahara'],
        representative: { personId: first, role: 'representative' },
      });
      expect(revision).toBe(1);
      const view = await getOrganisation(organisationId, volunteer(newId()), position).expect(200);
      expect(view.body).toEqual({
        organisationId,
        name: 'NPO法人 なかはら子ども食堂',
        type: 'npo',
        wardsServed: ['nakahara', 'takatsu'],
        themes: ['child_rearing'],
        contactEmail: 'info@nakahara-kodomo.example.jp',
        description: '毎週土曜に子ども食堂を開いています。',
        status: 'active',
        registeredAt: expect.any(String),
        updatedAt: expect.any(String),
        representatives: [{ personId: first, role: 'representative', addedAt: expect.any(String) }],
      });
      const forAnalyst = await getOrganisation(organisationId, analyst, position).expect(200);
      expect(forAnalyst.body).not.toHaveProperty('contactEmail');
      expect(forAnalyst.body).not.toHaveProperty('representatives');
      expect(forAnalyst.body.name).toBe(view.body.name);
      const listed = await http().get(`/api/organisations?minPosition=${position}`).set('Authorization', analyst).expect(200);
      expect(listed.body.items.find((o: { organisationId: string }) => o.organisationId === organisationId)).not.toHaveProperty('contactEmail');
      expect(errorOf(await getOrganisation(newId(), admin))).toEqual([404, 'organisation.not_found']);
    });

    it('registering is for admins and coordinators of a served ward', async () => {
      const post = (as: string) => http().post('/api/organisations').set('Authorization', as).send(organisationBody({ wardsServed: ['nakahara'] }));
      expect(errorOf(await post(asao))).toEqual([403, 'auth.forbidden']);
      expect(errorOf(await post(volunteer(newId())))).toEqual([403, 'auth.forbidden']);
      expect(errorOf(await post(api.bearer({ role: 'organisation', organisationIds: [newId()] })))).toEqual([403, 'auth.forbidden']);
      expect(errorOf(await post(analyst))).toEqual([403, 'auth.forbidden']);
      await registerOrganisation(api.bearer({ role: 'coordinator', wards: ['asao'] }), { wardsServed: ['nakahara', 'asao'] });
      await registerOrganisation(admin, { wardsServed: ['kawasaki'] });
    });

    it('its representatives change its profile and representatives; only coordinators and admins deactivate it', async () => {
      const first = newId();
      const second = newId();
      const { organisationId } = await registerOrganisation(nakahara, { representative: { personId: first, role: 'representative' } });
      const representative = api.bearer({ role: 'organisation', subject: 'rep-1', organisationIds: [organisationId], personId: first });
      const stranger = api.bearer({ role: 'organisation', organisationIds: [newId()] });
      const base = `/api/organisations/${organisationId}`;

      await http().patch(base).set('Authorization', representative).send({ description: '毎週土曜と日曜に開いています。', themes: ['child_rearing', 'welfare'] }).expect(200);
      expect(errorOf(await http().patch(base).set('Authorization', stranger).send({ name: 'x' }))).toEqual([403, 'auth.forbidden']);
      expect(errorOf(await http().patch(base).set('Authorization', asao).send({ name: 'x' }))).toEqual([403, 'auth.forbidden']);
      expect(errorOf(await http().patch(base).set('Authorization', volunteer(first)).send({ name: 'x' }))).toEqual([403, 'auth.forbidden']);
      expect(errorOf(await http().patch(base).set('Authorization', nakahara).send({ wardsServed: ['asao'] }))).toEqual([403, 'auth.forbidden']);

      const added = await http().post(`${base}/representatives`).set('Authorization', representative).send({ personId: second, role: 'staff' }).expect(200);
      expect(added.body).toEqual({ organisationId, position: expect.any(Number), revision: expect.any(Number) });
      expect(errorOf(await http().post(`${base}/representatives`).set('Authorization', nakahara).send({ personId: second, role: 'staff' }))).toEqual([
        409,
        'organisation.representative_exists',
      ]);
      expect(errorOf(await http().post(`${base}/representatives`).set('Authorization', stranger).send({ personId: newId(), role: 'staff' }))).toEqual([403, 'auth.forbidden']);
      expect(errorOf(await http().post(`${base}/representatives`).set('Authorization', nakahara).send({ personId: newId(), role: 'boss' }))).toEqual([400, 'validation.failed']);
      const removed = await http().delete(`${base}/representatives/${first}`).set('Authorization', nakahara).expect(200);
      expect(errorOf(await http().delete(`${base}/representatives/${second}`).set('Authorization', representative))).toEqual([409, 'organisation.last_representative']);
      expect(errorOf(await http().delete(`${base}/representatives/${newId()}`).set('Authorization', admin))).toEqual([404, 'organisation.representative_not_found']);

      const view = await getOrganisation(organisationId, nakahara, removed.body.position).expect(200);
      expect(view.body).toMatchObject({ themes: ['child_rearing', 'welfare'], description: '毎週土曜と日曜に開いています。', representatives: [{ personId: second, role: 'staff' }] });

      expect(errorOf(await http().post(`${base}/deactivate`).set('Authorization', representative).send({}))).toEqual([403, 'auth.forbidden']);
      expect(errorOf(await http().post(`${base}/deactivate`).set('Authorization', asao).send({}))).toEqual([403, 'auth.forbidden']);
      const gone = await http().post(`${base}/deactivate`).set('Authorization', nakahara).send({ reason: '解散' }).expect(200);
      expect((await getOrganisation(organisationId, analyst, gone.body.position).expect(200)).body.status).toBe('deactivated');
      expect(errorOf(await http().patch(base).set('Authorization', admin).send({ name: 'x' }))).toEqual([409, 'organisation.deactivated']);
    });

    it('lists by served ward, type and theme, by cursor', async () => {
      const theme = 'disaster_prevention';
      const made: string[] = [];
      let position = 0;
      for (const [type, wardsServed] of [
        ['neighbourhood_association', ['miyamae']],
        ['neighbourhood_association', ['miyamae', 'tama']],
        ['company', ['miyamae']],
      ] as const) {
        const written = await registerOrganisation(admin, { type, wardsServed, themes: [theme] });
        made.push(written.organisationId);
        position = written.position;
      }
      const list = async (query: string) => {
        const res = await http().get(`/api/organisations?theme=${theme}&minPosition=${position}&${query}`).set('Authorization', volunteer(newId())).expect(200);
        return res.body as { items: { organisationId: string }[]; nextCursor?: string };
      };
      const ids = (page: { items: { organisationId: string }[] }) => page.items.map((o) => o.organisationId);
      expect(ids(await list('ward=miyamae'))).toEqual([...made].sort());
      expect(ids(await list('ward=tama'))).toEqual([made[1]]);
      expect(ids(await list('ward=miyamae&type=company'))).toEqual([made[2]]);
      const first = await list('ward=miyamae&limit=2');
      expect(first.items).toHaveLength(2);
      const rest = await list(`ward=miyamae&limit=2&after=${first.nextCursor}`);
      expect([...ids(first), ...ids(rest)]).toEqual([...made].sort());
      expect(rest.nextCursor).toBeUndefined();
      expect(errorOf(await http().get('/api/organisations?type=club').set('Authorization', admin))).toEqual([400, 'validation.failed']);
    });

    it('rejects unknown fields with 400 validation.failed', async () => {
      const res = await http().post('/api/organisations').set('Authorization', admin).send(organisationBody({ verified: true })).expect(400);
      expect(res.body).toMatchObject({ code: 'validation.failed', errors: [{ field: 'verified', rules: ['whitelistValidation'] }] });
      const empty = await http().post('/api/organisations').set('Authorization', admin).send(organisationBody({ wardsServed: [] })).expect(400);
      expect(empty.body.errors).toEqual([{ field: 'wardsServed', rules: ['arrayMinSize'] }]);
    });
  });
});
