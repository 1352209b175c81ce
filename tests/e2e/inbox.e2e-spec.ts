import request from 'supertest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@tsunagi/event-store';
import { NotificationChannel, NotificationKind, Recipient, notificationIdFor, notificationStreamId } from '@tsunagi/notifications';
import { ProjectionsService } from '../../apps/api/src/projections/projections.service';
import { TestApi, startTestApi } from '../support/test-api';

/**
 * The in-app inbox through the API (real SQLite store and Redis). The worker that delivers notifications is built
 * alongside; here deliveries are appended to the event store as it will append them (one stream per notification,
 * its id derived from the source event, the recipient and the channel), and everything else goes through HTTP.
 */
describe('inbox through the API (real SQLite store and Redis)', () => {
  let api: TestApi;
  const http = () => request(api.app.getHttpServer());
  /** The highest position written so far: reads ask the inbox read model to reflect it. */
  let head = 0;

  const volunteer = (personId: string) => api.bearer({ role: 'volunteer', personId });
  const representative = (subject: string, ...organisationIds: string[]) => api.bearer({ role: 'organisation', subject, organisationIds });
  const coordinator = (subject: string) => api.bearer({ role: 'coordinator', subject, wards: ['nakahara'] });
  const admin = (subject = 'inbox-admin') => api.bearer({ role: 'admin', subject });

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  interface Delivery {
    kind?: NotificationKind;
    channel?: NotificationChannel;
    language?: 'ja' | 'en';
    /** A failed attempt only: no delivery. */
    failed?: boolean;
  }

  /** What the worker will write for one notification of one source event to one recipient. */
  async function deliver(recipient: Recipient, { kind = 'match_proposed', channel = 'inbox', language = 'ja', failed = false }: Delivery = {}) {
    const sourceEventId = newId();
    const notificationId = notificationIdFor(sourceEventId, recipient, channel);
    const at = new Date().toISOString();
    const about = { notificationId, recipient, channel, kind, sourceEventId, sourceStreamId: `opportunity-${newId()}`, sourceRevision: 1, at };
    const event = failed
      ? { type: 'NotificationFailed', data: { ...about, reason: 'smtp timeout', permanent: false } }
      : {
          type: 'NotificationDelivered',
          data: {
            ...about,
            language,
            ...(channel === 'inbox' ? { title: language === 'ja' ? 'マッチングの提案があります' : 'You have a match proposal', body: '土曜の調理スタッフ' } : { messageId: 'm-1' }),
          },
        };
    const { position } = await api.store.append(
      notificationStreamId(notificationId),
      [{ id: newId(), ...event, metadata: { causationId: sourceEventId, actor: { role: 'service', id: 'worker' }, occurredAt: at } }],
      { expectedRevision: 'no_stream' },
    );
    head = Math.max(head, position);
    return notificationId;
  }

  async function deliverMany(recipient: Recipient, count: number, delivery: Delivery = {}) {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await deliver(recipient, delivery));
    return ids;
  }

  const inbox = async (bearer: string, query = '') => (await http().get(`/api/inbox?minPosition=${head}${query}`).set('Authorization', bearer).expect(200)).body;
  const unread = async (bearer: string) => (await http().get(`/api/inbox/unread-count?minPosition=${head}`).set('Authorization', bearer).expect(200)).body.unread as number;
  const ids = (body: { items: { notificationId: string }[] }) => body.items.map((i) => i.notificationId);
  const markRead = (notificationId: string, bearer: string) => http().post(`/api/inbox/${notificationId}/read`).set('Authorization', bearer).send({});
  const readAll = (bearer: string) => http().post('/api/inbox/read-all').set('Authorization', bearer).send({});
  const remember = (res: request.Response) => {
    if (typeof res.body?.position === 'number') head = Math.max(head, res.body.position);
    return res;
  };
  const streamLength = async (notificationId: string) => (await api.store.readStream(notificationStreamId(notificationId))).length;

  it('shows each caller their own inbox only: a volunteer’s person, a representative’s organisations, a coordinator’s subject', async () => {
    const [hanako, taro] = [newId(), newId()];
    const [kodomo, shokudo] = [newId(), newId()];
    const forHanako = await deliver({ type: 'person', id: hanako });
    await deliver({ type: 'person', id: hanako }, { channel: 'email' });
    await deliver({ type: 'person', id: hanako }, { failed: true });
    const forTaro = await deliver({ type: 'person', id: taro }, { kind: 'meeting_scheduled', language: 'en' });
    const forKodomo = await deliver({ type: 'organisation', id: kodomo });
    const forShokudo = await deliver({ type: 'organisation', id: shokudo }, { kind: 'match_accepted' });
    const forCoordinator = await deliver({ type: 'subject', id: 'inbox-coordinator-nakahara' }, { kind: 'meeting_scheduled' });
    const forAdmin = await deliver({ type: 'subject', id: 'inbox-admin' }, { kind: 'spinoff_launched' });

    const mine = await inbox(volunteer(hanako));
    expect(mine).toEqual({
      items: [
        {
          notificationId: forHanako,
          kind: 'match_proposed',
          title: 'マッチングの提案があります',
          body: '土曜の調理スタッフ',
          language: 'ja',
          deliveredAt: expect.any(String),
          readAt: null,
          recipient: { type: 'person', id: hanako },
        },
      ],
    });
    expect(ids(await inbox(volunteer(taro)))).toEqual([forTaro]);
    expect((await inbox(volunteer(taro))).items[0]).toMatchObject({ language: 'en', title: 'You have a match proposal' });
    expect(ids(await inbox(representative('inbox-rep-1', kodomo)))).toEqual([forKodomo]);
    expect(ids(await inbox(representative('inbox-rep-2', kodomo, shokudo)))).toEqual([forShokudo, forKodomo]);
    expect(ids(await inbox(coordinator('inbox-coordinator-nakahara')))).toEqual([forCoordinator]);
    expect(ids(await inbox(coordinator('inbox-coordinator-asao')))).toEqual([]);
    // An inbox is personal: an admin reads their own subject's, not everyone's.
    expect(ids(await inbox(admin()))).toEqual([forAdmin]);
    expect(ids(await inbox(admin('another-admin')))).toEqual([]);
    expect(await inbox(api.bearer({ role: 'analyst', subject: 'inbox-analyst' }))).toEqual({ items: [] });
    expect(await unread(api.bearer({ role: 'analyst', subject: 'inbox-analyst' }))).toBe(0);
    // A volunteer whose token names no person has only their subject's.
    expect(ids(await inbox(api.bearer({ role: 'volunteer', subject: hanako })))).toEqual([]);
    expect(await unread(representative('inbox-rep-2', kodomo, shokudo))).toBe(2);

    expect((await http().get('/api/inbox')).status).toBe(401);
    expect((await http().get('/api/inbox/unread-count')).status).toBe(401);
  });

  it('marks a notification read: the unread count goes down; marking it again writes nothing; an Idempotency-Key replays', async () => {
    const personId = newId();
    const [first, second, third] = await deliverMany({ type: 'person', id: personId }, 3);
    const bearer = volunteer(personId);
    expect(await unread(bearer)).toBe(3);

    const marked = remember(await markRead(second, bearer).expect(200));
    expect(marked.body).toEqual({ notificationId: second, position: expect.any(Number) });
    expect(await unread(bearer)).toBe(2);
    const after = await inbox(bearer);
    expect(after.items.map((i: { notificationId: string; readAt: string | null }) => [i.notificationId, i.readAt !== null])).toEqual([
      [third, false],
      [second, true],
      [first, false],
    ]);
    expect(ids(await inbox(bearer, '&unread=true'))).toEqual([third, first]);
    expect(ids(await inbox(bearer, '&unread=false'))).toEqual([third, second, first]);

    const again = await markRead(second, bearer).expect(200);
    expect(again.body).toEqual(marked.body);
    expect(await streamLength(second)).toBe(2);
    const [read] = (await api.store.readStream(notificationStreamId(second))).slice(-1);
    expect(read).toMatchObject({ type: 'NotificationRead', data: { notificationId: second, recipient: { type: 'person', id: personId }, by: personId } });
    expect(read.metadata).toMatchObject({ actor: { role: 'volunteer', id: personId } });

    const key = `inbox-${newId()}`;
    const once = await markRead(third, bearer).set('Idempotency-Key', key).expect(200);
    const twice = await markRead(third, bearer).set('Idempotency-Key', key).expect(200);
    expect(twice.body).toEqual(once.body);
    expect(twice.headers['idempotent-replayed']).toBe('true');
    expect(await streamLength(third)).toBe(2);
    remember(once);
    expect(await unread(bearer)).toBe(1);
  });

  it('lets only the recipient mark a notification (403 auth.forbidden), and answers 404 inbox.not_found for one in no inbox', async () => {
    const [personId, organisationId] = [newId(), newId()];
    const forPerson = await deliver({ type: 'person', id: personId });
    const forOrganisation = await deliver({ type: 'organisation', id: organisationId });
    const forCoordinator = await deliver({ type: 'subject', id: 'inbox-coordinator-kawasaki' });

    for (const [notificationId, bearer] of [
      [forPerson, volunteer(newId())],
      [forPerson, admin()],
      [forPerson, coordinator('inbox-coordinator-kawasaki')],
      [forPerson, api.bearer({ role: 'volunteer', subject: personId })],
      [forOrganisation, representative('inbox-rep-elsewhere', newId())],
      [forOrganisation, volunteer(organisationId)],
      [forCoordinator, coordinator('inbox-coordinator-other')],
      [forCoordinator, api.bearer({ role: 'analyst', subject: 'inbox-analyst' })],
    ] as const) {
      const res = await markRead(notificationId, bearer);
      expect([res.status, res.body.code]).toEqual([403, 'auth.forbidden']);
    }
    expect([await streamLength(forPerson), await streamLength(forOrganisation), await streamLength(forCoordinator)]).toEqual([1, 1, 1]);

    const nobody = await markRead(notificationIdFor(newId(), { type: 'person', id: personId }, 'inbox'), volunteer(personId)).set('Accept-Language', 'ja').expect(404);
    expect(nobody.body).toMatchObject({ code: 'inbox.not_found', detail: '受信箱に該当するお知らせがありません。' });
    const email = await deliver({ type: 'person', id: personId }, { channel: 'email' });
    expect((await markRead(email, volunteer(personId)).expect(404)).body.code).toBe('inbox.not_found');
    const failed = await deliver({ type: 'person', id: personId }, { failed: true });
    expect((await markRead(failed, volunteer(personId)).expect(404)).body.code).toBe('inbox.not_found');
    expect([await streamLength(email), await streamLength(failed)]).toEqual([1, 1]);
    expect((await markRead('not-a-uuid', volunteer(personId)).expect(400)).body.code).toBe('validation.failed');
    expect((await markRead(forPerson, volunteer(personId)).send({ read: true }).expect(400)).body.code).toBe('validation.failed');
    expect((await http().post(`/api/inbox/${forPerson}/read`).send({})).status).toBe(401);

    // The recipient may; an organisation's notification is read for all its representatives at once.
    remember(await markRead(forCoordinator, coordinator('inbox-coordinator-kawasaki')).expect(200));
    remember(await markRead(forOrganisation, representative('inbox-rep-a', organisationId)).expect(200));
    const seenByAnother = await inbox(representative('inbox-rep-b', organisationId));
    expect(seenByAnother.items).toEqual([expect.objectContaining({ notificationId: forOrganisation, readAt: expect.any(String) })]);
    expect((await markRead(forOrganisation, representative('inbox-rep-b', organisationId)).expect(200)).body.notificationId).toBe(forOrganisation);
    expect(await streamLength(forOrganisation)).toBe(2);
    expect(await unread(representative('inbox-rep-b', organisationId))).toBe(0);
  });

  it('reads all of the caller’s unread notifications, and nobody else’s', async () => {
    const [personId, neighbourId, organisationId] = [newId(), newId(), newId()];
    const mine = await deliverMany({ type: 'person', id: personId }, 4);
    const neighbours = await deliverMany({ type: 'person', id: neighbourId }, 2);
    const organisations = await deliverMany({ type: 'organisation', id: organisationId }, 2);
    remember(await markRead(mine[0], volunteer(personId)).expect(200));

    const all = remember(await readAll(volunteer(personId)).expect(200));
    expect(all.body).toEqual({ marked: 3, position: expect.any(Number), more: false });
    expect(all.body.position).toBeGreaterThanOrEqual(Math.max(...(await Promise.all(mine.map(async (id) => (await api.store.readStream(notificationStreamId(id))).at(-1)!.position)))));
    expect(await unread(volunteer(personId))).toBe(0);
    expect((await inbox(volunteer(personId))).items.every((i: { readAt: string | null }) => i.readAt !== null)).toBe(true);
    expect(await Promise.all(mine.map(streamLength))).toEqual([2, 2, 2, 2]);
    expect(await unread(volunteer(neighbourId))).toBe(2);
    expect(await Promise.all([...neighbours, ...organisations].map(streamLength))).toEqual([1, 1, 1, 1]);

    expect((await readAll(volunteer(personId)).expect(200)).body).toEqual({ marked: 0, position: expect.any(Number), more: false });
    expect((await readAll(api.bearer({ role: 'analyst', subject: 'inbox-analyst' })).expect(200)).body).toEqual({ marked: 0, position: 0, more: false });

    const key = `inbox-all-${newId()}`;
    const rep = representative('inbox-rep-all', organisationId);
    const once = remember(await readAll(rep).set('Idempotency-Key', key).expect(200));
    const twice = await readAll(rep).set('Idempotency-Key', key).expect(200);
    expect(once.body).toEqual({ marked: 2, position: expect.any(Number), more: false });
    expect(twice.body).toEqual(once.body);
    expect(await Promise.all(organisations.map(streamLength))).toEqual([2, 2]);
    expect((await readAll(rep).send({ all: true }).expect(400)).body.code).toBe('validation.failed');
  });

  it('reads all at most 500 at a time, newest first, and says when there are more', async () => {
    const personId = newId();
    const delivered = await deliverMany({ type: 'person', id: personId }, 501);
    const first = remember(await readAll(volunteer(personId)).expect(200));
    expect(first.body).toMatchObject({ marked: 500, more: true });
    expect(await unread(volunteer(personId))).toBe(1);
    expect(ids(await inbox(volunteer(personId), '&unread=true'))).toEqual([delivered[0]]);
    const second = remember(await readAll(volunteer(personId)).expect(200));
    expect(second.body).toMatchObject({ marked: 1, more: false });
    expect(await unread(volunteer(personId))).toBe(0);
  }, 60_000);

  it('pages newest first with a cursor, and filters by kind and by unread', async () => {
    const personId = newId();
    const recipient: Recipient = { type: 'person', id: personId };
    const delivered: string[] = [];
    for (let i = 0; i < 7; i++) delivered.push(await deliver(recipient, { kind: i % 2 === 0 ? 'meeting_scheduled' : 'match_proposed' }));
    const newestFirst = [...delivered].reverse();
    const bearer = volunteer(personId);

    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await inbox(bearer, `&limit=3${cursor ? `&after=${cursor}` : ''}`);
      seen.push(...ids(page));
      sizes.push(page.items.length);
      cursor = page.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(newestFirst);

    expect(ids(await inbox(bearer, '&kind=match_proposed'))).toEqual(newestFirst.filter((_, i) => i % 2 === 1));
    remember(await markRead(delivered[6], bearer).expect(200));
    const unreadMeetings = await inbox(bearer, '&kind=meeting_scheduled&unread=true&limit=2');
    expect(ids(unreadMeetings)).toEqual([delivered[4], delivered[2]]);
    expect(ids(await inbox(bearer, `&kind=meeting_scheduled&unread=true&limit=2&after=${unreadMeetings.nextCursor}`))).toEqual([delivered[0]]);

    for (const query of ['after=abc', 'after=-1', 'unread=yes', 'kind=party', 'limit=0', 'limit=501']) {
      const res = await http().get(`/api/inbox?${query}`).set('Authorization', bearer);
      expect([query, res.status, res.body.code]).toEqual([query, 400, 'validation.failed']);
    }
  });

  it('replays to the same inbox, read state included: on a fresh instance, and after a rebuild', async () => {
    const personId = newId();
    const delivered = await deliverMany({ type: 'person', id: personId }, 4);
    for (const id of delivered.slice(0, 2)) remember(await markRead(id, volunteer(personId)).expect(200));
    const before = await inbox(volunteer(personId));
    const countBefore = await unread(volunteer(personId));
    expect(countBefore).toBe(2);

    // Another API instance on the same event store, with a read model of its own: it replays from the start.
    const readModels = mkdtempSync(join(tmpdir(), 'tsunagi-inbox-'));
    const fresh = await startTestApi({ DATA_DIR: api.config.DATA_DIR, READ_MODEL_PATH: join(readModels, 'read-models.sqlite') });
    try {
      const res = await request(fresh.app.getHttpServer()).get(`/api/inbox?minPosition=${head}`).set('Authorization', fresh.bearer({ role: 'volunteer', personId })).expect(200);
      expect(res.body).toEqual(before);
    } finally {
      await fresh.close();
      rmSync(readModels, { recursive: true, force: true });
    }

    // A rebuild drops this instance's inbox and replays it. POST /api/admin/projections/inbox/rebuild answers 202 before
    // the rebuild starts, and its state reads 'live' until then, so the test runs it the way the route does and waits.
    await api.app.get(ProjectionsService).runner.rebuild('inbox');
    expect(await inbox(volunteer(personId))).toEqual(before);
    expect(await unread(volunteer(personId))).toBe(countBefore);
  });
});
