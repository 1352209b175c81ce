import { SqliteEventStore, newId } from '@tsunagi/event-store';
import { NotificationDirectory } from '../../apps/worker/src/notifications/notification-directory';

/** The directory keeps the source-stream prefixes it read: what it answers must equal reading the store again. */
describe('NotificationDirectory source reads', () => {
  let store: SqliteEventStore;
  beforeEach(() => (store = new SqliteEventStore({ path: ':memory:' })));
  afterEach(() => store.close());

  const add = async (streamId: string, n: number) => {
    for (let i = 0; i < n; i++) await store.append(streamId, [{ id: newId(), type: 'Noted', data: { i } }]);
  };

  it('answers each prefix as the store does, also after the stream grew and for several streams', async () => {
    const directory = new NotificationDirectory(store);
    const [a, b] = [`opportunity-${newId()}`, `meeting-${newId()}`];
    await add(a, 3);
    await add(b, 2);
    const read = (streamId: string, count: number) => store.readStream(streamId, { fromRevision: 0, maxCount: count });

    expect(await directory.earlierEvents(a, 2)).toEqual(await read(a, 2));
    const upTo = await directory.upToSource(a, 2, (await read(a, 3))[2].id);
    expect(upTo).toEqual(await read(a, 3));
    upTo!.pop(); // a caller's array is its own
    await add(a, 4);
    expect(await directory.earlierEvents(a, 1)).toEqual(await read(a, 1));
    expect(await directory.earlierEvents(a, 6)).toEqual(await read(a, 6));
    const [source] = await store.readStream(a, { fromRevision: 6, maxCount: 1 });
    expect(await directory.upToSource(a, 6, source.id)).toEqual(await read(a, 7));
    expect(await directory.earlierEvents(b, 2)).toEqual(await read(b, 2));
  });

  it('finds no source that is not where the job says (another id, a revision not written yet)', async () => {
    const directory = new NotificationDirectory(store);
    const a = `opportunity-${newId()}`;
    await add(a, 2);
    expect(await directory.upToSource(a, 1, newId())).toBeUndefined();
    expect(await directory.upToSource(a, 5, newId())).toBeUndefined();
    await add(a, 4);
    const [later] = await store.readStream(a, { fromRevision: 5, maxCount: 1 });
    expect(await directory.upToSource(a, 5, later.id)).toHaveLength(6);
  });
});
