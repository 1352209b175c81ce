import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../errors';
import { newId } from '../ids';
import { SqliteEventStore } from './sqlite-event-store';

/**
 * Group commit: appends made in one turn of the event loop commit together (one transaction, one fsync with
 * durability full), yet each is decided on its own, in the order made, as if it had committed alone.
 */
describe('SqliteEventStore group commit (real file, durability full)', () => {
  let dir: string;
  let path: string;
  const event = (type = 'Happened', data: object = {}) => ({ id: newId(), type, data });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsunagi-group-'));
    path = join(dir, 'events.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('commits concurrent appends with consecutive positions in the order they were made', async () => {
    const store = new SqliteEventStore({ path });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.append(`s-${i % 5}`, [event('Happened', { i })])));
    expect(results.map((r) => r.position)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(results.map((r) => r.nextExpectedRevision)).toEqual(Array.from({ length: 50 }, (_, i) => Math.floor(i / 5)));
    expect((await store.readAll()).map((e) => (e.data as { i: number }).i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    await store.close();
  });

  it('refuses one append of a group alone: the others before and after it are stored', async () => {
    const store = new SqliteEventStore({ path });
    const taken = event();
    await store.append('other', [taken]);
    const outcomes = await Promise.allSettled([
      store.append('a', [event()], { expectedRevision: 'no_stream' }),
      store.append('a', [event()], { expectedRevision: 'no_stream' }), // the first of the group took the stream
      store.append('b', [event(), event()]),
      store.append('c', [event(), { ...taken, type: 'Other' }]), // its second id is taken: the whole append is refused
      store.append('a', [event()], { expectedRevision: 0 }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
    expect((await store.readAll()).map((e) => `${e.streamId}@${e.revision}`)).toEqual(['other@0', 'a@0', 'b@0', 'b@1', 'a@1']);
    expect(await store.readStream('c')).toEqual([]);
    await store.close();
  });

  it('keeps appends made just before close, durably', async () => {
    const store = new SqliteEventStore({ path });
    const pending = store.append('s', [event('Last')]);
    await store.close();
    await expect(pending).resolves.toMatchObject({ position: 1 });
    const reopened = new SqliteEventStore({ path });
    expect((await reopened.readAll()).map((e) => e.type)).toEqual(['Last']);
    await reopened.close();
  });

  it('delivers a group\'s events to a live subscription, in order', async () => {
    const store = new SqliteEventStore({ path });
    const seen: number[] = [];
    const subscription = store.subscribeToAll({ after: 0, onBatch: (events) => void seen.push(...events.map((e) => e.position)), onError: () => undefined });
    const [last] = await Promise.all([store.append('s', [event(), event(), event()]), store.append('t', [event()])]).then((r) => r.reverse());
    for (let i = 0; i < 100 && seen.length < last.position; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(seen).toEqual([1, 2, 3, 4]);
    await subscription.stop();
    await store.close();
  });
});
