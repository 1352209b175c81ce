import {
  DuplicateEventIdError,
  EventStore,
  InvalidAppendError,
  NewEvent,
  RecordedEvent,
  SubscribeToAllOptions,
  UpcasterRegistry,
  WrongExpectedRevisionError,
  newId,
} from '@tsunagi/event-store';

export interface ContractStoreOptions {
  upcasters?: UpcasterRegistry;
}

/** Makes a store for one test; it may share its backend with other tests (stream ids are unique per test). */
export type EventStoreFactory = (options?: ContractStoreOptions) => Promise<EventStore>;

const event = (type: string, data: unknown = {}, extra: Partial<NewEvent> = {}): NewEvent => ({ id: newId(), type, data, ...extra });

/** Collects what a subscription delivers, and lets a test wait for a condition on it. */
export class SubscriptionProbe {
  readonly events: RecordedEvent[] = [];
  checkpoint = 0;
  caughtUp = false;
  error?: Error;
  readonly options: Pick<SubscribeToAllOptions, 'onBatch' | 'onError'> = {
    onBatch: (events, context) => {
      this.events.push(...events);
      this.checkpoint = context.checkpoint;
      this.caughtUp = context.caughtUp;
    },
    onError: (error) => {
      this.error = error;
    },
  };

  async until(condition: (probe: this) => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this)) {
      if (this.error) throw this.error;
      if (Date.now() > deadline) throw new Error(`Subscription probe timed out with ${this.events.length} events`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

/**
 * The event store contract: every adapter must pass this suite unchanged.
 * Call it inside a test file: `describeEventStoreContract('sqlite', factory)`.
 */
export function describeEventStoreContract(adapterName: string, makeStore: EventStoreFactory): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;
    const opened: EventStore[] = [];
    let prefix: string;
    let streamId: string;

    const open = async (options?: ContractStoreOptions) => {
      const s = await makeStore(options);
      opened.push(s);
      return s;
    };
    const ownEvents = (s: EventStore = store) => s.readAll({ filter: { streamPrefixes: [prefix] } });

    beforeEach(async () => {
      prefix = `contract${newId().replace(/-/g, '')}-`;
      streamId = `${prefix}stream`;
      store = await open();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    describe('expected revision', () => {
      it('no_stream creates a stream at revision 0, 1, …', async () => {
        const result = await store.append(streamId, [event('A'), event('B')], { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(1);
        const stored = await store.readStream(streamId);
        expect(stored.map((e) => [e.type, e.revision])).toEqual([['A', 0], ['B', 1]]);
        expect(result.position).toBe(stored[1].position);
      });

      it('no_stream on an existing stream fails with the actual revision', async () => {
        await store.append(streamId, [event('A')], { expectedRevision: 'no_stream' });
        const error = await store.append(streamId, [event('B')], { expectedRevision: 'no_stream' }).catch((e) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ streamId, expected: 'no_stream', actual: 0, code: 'event_store.wrong_expected_revision' });
      });

      it('exists fails on a missing stream and succeeds on an existing one', async () => {
        const error = await store.append(streamId, [event('A')], { expectedRevision: 'exists' }).catch((e) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error.actual).toBe('no_stream');
        await store.append(streamId, [event('A')]);
        await expect(store.append(streamId, [event('B')], { expectedRevision: 'exists' })).resolves.toMatchObject({
          nextExpectedRevision: 1,
        });
      });

      it('an exact revision succeeds only when it is the current one', async () => {
        await store.append(streamId, [event('A'), event('B')]);
        const stale = await store.append(streamId, [event('C')], { expectedRevision: 0 }).catch((e) => e);
        expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
        expect(stale.actual).toBe(1);
        const ahead = await store.append(streamId, [event('C')], { expectedRevision: 5 }).catch((e) => e);
        expect(ahead).toBeInstanceOf(WrongExpectedRevisionError);
        await expect(store.append(streamId, [event('C')], { expectedRevision: 1 })).resolves.toMatchObject({ nextExpectedRevision: 2 });
        expect((await store.readStream(streamId)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('an exact revision on a missing stream fails with no_stream', async () => {
        const error = await store.append(streamId, [event('A')], { expectedRevision: 0 }).catch((e) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error.actual).toBe('no_stream');
      });

      it('any appends whatever the stream holds', async () => {
        await expect(store.append(streamId, [event('A')], { expectedRevision: 'any' })).resolves.toMatchObject({ nextExpectedRevision: 0 });
        await expect(store.append(streamId, [event('B')])).resolves.toMatchObject({ nextExpectedRevision: 1 });
      });

      it('rejects malformed appends before touching the store', async () => {
        await expect(store.append(streamId, [])).rejects.toBeInstanceOf(InvalidAppendError);
        const twice = event('A');
        await expect(store.append(streamId, [twice, twice])).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(store.append(streamId, [event('A')], { expectedRevision: -1 })).rejects.toBeInstanceOf(InvalidAppendError);
        expect(await store.readStream(streamId)).toEqual([]);
      });
    });

    describe('idempotent appends', () => {
      it('re-appending the same ids at the same expected revision returns the original result and stores nothing', async () => {
        const batch = [event('A', { n: 1 }), event('B', { n: 2 })];
        const first = await store.append(streamId, batch, { expectedRevision: 'no_stream' });
        const again = await store.append(streamId, batch, { expectedRevision: 'no_stream' });
        expect(again).toEqual(first);
        expect(await store.readStream(streamId)).toHaveLength(2);
        expect(await ownEvents()).toHaveLength(2);
      });

      it('re-appending after later events still returns the original result', async () => {
        const batch = [event('A')];
        const first = await store.append(streamId, batch, { expectedRevision: 'no_stream' });
        await store.append(streamId, [event('B')], { expectedRevision: 0 });
        await expect(store.append(streamId, batch, { expectedRevision: 'no_stream' })).resolves.toEqual(first);
        await expect(store.append(streamId, batch, { expectedRevision: 'any' })).resolves.toEqual(first);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it('the same id with different content is an error', async () => {
        const original = event('A', { n: 1 });
        await store.append(streamId, [original]);
        const error = await store.append(streamId, [{ ...original, data: { n: 2 } }]).catch((e) => e);
        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect(error.code).toBe('event_store.duplicate_event_id');
      });

      it('the same id in another stream is an error', async () => {
        const original = event('A');
        await store.append(streamId, [original]);
        await expect(store.append(`${prefix}other`, [original])).rejects.toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(`${prefix}other`)).toEqual([]);
      });

      it('an append is atomic: a batch that fails stores none of its events', async () => {
        const stored = event('A');
        await store.append(`${prefix}first`, [stored]);
        const error = await store.append(streamId, [event('B'), stored, event('C')]).catch((e) => e);
        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(streamId)).toEqual([]);
        expect(await ownEvents()).toHaveLength(1);
      });
    });

    describe('reading', () => {
      it('reads a missing stream as empty', async () => {
        expect(await store.readStream(`${prefix}missing`)).toEqual([]);
        expect(await store.readStream(`${prefix}missing`, { direction: 'backwards' })).toEqual([]);
      });

      it('reads forwards and backwards from a revision with a limit', async () => {
        await store.append(streamId, ['E0', 'E1', 'E2', 'E3', 'E4'].map((t) => event(t)));
        const types = (events: RecordedEvent[]) => events.map((e) => e.type);
        expect(types(await store.readStream(streamId, { fromRevision: 1, maxCount: 2 }))).toEqual(['E1', 'E2']);
        expect(types(await store.readStream(streamId, { direction: 'backwards' }))).toEqual(['E4', 'E3', 'E2', 'E1', 'E0']);
        expect(types(await store.readStream(streamId, { direction: 'backwards', fromRevision: 3, maxCount: 2 }))).toEqual(['E3', 'E2']);
        expect(types(await store.readStream(streamId, { fromRevision: 9 }))).toEqual([]);
      });

      it('keeps data and metadata as written, Japanese text included', async () => {
        const data = { name: '川崎 太郎', ward: 'nakahara', skills: ['ＩＴ', 'デザイン'], nested: { n: 1.5, ok: true, none: null } };
        const metadata = { correlationId: newId(), causationId: newId(), actor: { role: 'coordinator', id: 'p1' }, occurredAt: '2026-04-01T09:00:00.000Z' };
        const written = event('PersonRegistered', data, { metadata });
        await store.append(streamId, [written]);
        const [read] = await store.readStream(streamId);
        expect(read).toMatchObject({ id: written.id, type: 'PersonRegistered', schemaVersion: 1, data, streamId, revision: 0 });
        expect(read.metadata).toMatchObject(metadata);
        expect(typeof read.position).toBe('number');
        expect(Number.isNaN(Date.parse(read.recordedAt))).toBe(false);
      });

      it('orders $all by commit, across streams, strictly increasing', async () => {
        await store.append(`${prefix}a`, [event('A1'), event('A2')]);
        await store.append(`${prefix}b`, [event('B1')]);
        await store.append(`${prefix}a`, [event('A3')]);
        const all = await ownEvents();
        expect(all.map((e) => e.type)).toEqual(['A1', 'A2', 'B1', 'A3']);
        for (let i = 1; i < all.length; i++) expect(all[i].position).toBeGreaterThan(all[i - 1].position);
        const afterSecond = await store.readAll({ after: all[1].position, filter: { streamPrefixes: [prefix] } });
        expect(afterSecond.map((e) => e.type)).toEqual(['B1', 'A3']);
        const limited = await store.readAll({ after: all[0].position, maxCount: 1, filter: { streamPrefixes: [prefix] } });
        expect(limited.map((e) => e.type)).toEqual(['A2']);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(all[3].position);
      });

      it('filters $all by event type or stream prefix', async () => {
        const typeName = `Only${prefix.replace(/-/g, '')}`;
        await store.append(`${prefix}a`, [event(typeName), event('Other')]);
        await store.append(`${prefix}b`, [event('Other')]);
        expect((await store.readAll({ filter: { eventTypes: [typeName] } })).map((e) => e.streamId)).toEqual([`${prefix}a`]);
        expect((await store.readAll({ filter: { streamPrefixes: [`${prefix}b`] } })).map((e) => e.type)).toEqual(['Other']);
      });

      it('upcasts stored old versions to the current shape on read', async () => {
        await store.append(streamId, [event('PersonRegistered', { fullName: '田中 花子' }, { schemaVersion: 1 })]);
        const upcasters = new UpcasterRegistry()
          .register('PersonRegistered', 1, (d: { fullName: string }) => ({ displayName: d.fullName }))
          .register('PersonRegistered', 2, (d: { displayName: string }) => ({ ...d, languages: ['ja'] }));
        const reader = await open({ upcasters });
        const [read] = await reader.readStream(streamId);
        expect(read.schemaVersion).toBe(3);
        expect(read.data).toEqual({ displayName: '田中 花子', languages: ['ja'] });
        const [viaAll] = await reader.readAll({ filter: { streamPrefixes: [prefix] } });
        expect(viaAll.data).toEqual(read.data);
      });
    });

    describe('concurrency', () => {
      it('appenders racing on one stream: exactly one wins each revision', async () => {
        const racers = await Promise.all(Array.from({ length: 4 }, () => open()));
        const rounds = 5;
        let winners = 0;
        for (let round = 0; round < rounds; round++) {
          // Every racer reads the same head first (over a network the reads could otherwise interleave with appends).
          const heads = await Promise.all(
            Array.from({ length: 20 }, (_, i) => racers[i % racers.length].readStream(streamId, { direction: 'backwards', maxCount: 1 })),
          );
          const outcomes = await Promise.allSettled(
            heads.map(([last], i) =>
              racers[i % racers.length].append(streamId, [event('Raced', { round, i })], { expectedRevision: last ? last.revision : 'no_stream' }),
            ),
          );
          const won = outcomes.filter((o) => o.status === 'fulfilled');
          expect(won).toHaveLength(1);
          for (const lost of outcomes.filter((o) => o.status === 'rejected')) {
            expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
          }
          winners += won.length;
        }
        const stored = await store.readStream(streamId);
        expect(stored.map((e) => e.revision)).toEqual(Array.from({ length: winners }, (_, i) => i));
      });
    });

    describe('subscriptions', () => {
      it('catches up, then delivers live appends', async () => {
        await store.append(streamId, [event('Before1'), event('Before2')]);
        const probe = new SubscriptionProbe();
        const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] }, ...probe.options });
        await probe.until((p) => p.events.length === 2 && p.caughtUp);
        await store.append(streamId, [event('Live1')]);
        await store.append(`${prefix}other`, [event('Live2')]);
        await probe.until((p) => p.events.length === 4);
        await subscription.stop();
        expect(probe.events.map((e) => e.type)).toEqual(['Before1', 'Before2', 'Live1', 'Live2']);
        expect(probe.checkpoint).toBeGreaterThanOrEqual(probe.events[3].position);
      });

      it('resumes after a checkpoint with no gap and no repeat', async () => {
        const filter = { streamPrefixes: [prefix] };
        await store.append(streamId, Array.from({ length: 30 }, (_, i) => event('Numbered', { i })));
        const first = new SubscriptionProbe();
        const one = store.subscribeToAll({ filter, maxBatchSize: 7, ...first.options });
        await first.until((p) => p.events.length >= 14);
        await one.stop();
        const seen = first.events.length;
        await store.append(streamId, Array.from({ length: 10 }, (_, i) => event('Numbered', { i: 30 + i })));
        const second = new SubscriptionProbe();
        const two = store.subscribeToAll({ filter, after: first.checkpoint, maxBatchSize: 7, ...second.options });
        await second.until((p) => p.events.length === 40 - seen && p.caughtUp);
        await two.stop();
        const numbers = [...first.events, ...second.events].map((e) => (e.data as { i: number }).i);
        expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => i));
      });

      it('a filtered subscription advances its checkpoint past events it skips', async () => {
        const wanted = `Wanted${prefix.replace(/-/g, '')}`;
        const probe = new SubscriptionProbe();
        const subscription = store.subscribeToAll({ filter: { eventTypes: [wanted] }, ...probe.options });
        await store.append(streamId, [event('Skipped'), event(wanted), event('Skipped')]);
        const lastPosition = (await ownEvents()).at(-1)!.position;
        await probe.until((p) => p.events.length === 1 && p.checkpoint >= lastPosition);
        await subscription.stop();
        expect(probe.events.map((e) => e.type)).toEqual([wanted]);
      });

      it('sees appends made through another connection to the same store', async () => {
        const other = await open();
        const probe = new SubscriptionProbe();
        const subscription = store.subscribeToAll({ filter: { streamPrefixes: [prefix] }, ...probe.options });
        await probe.until((p) => p.caughtUp);
        await other.append(streamId, [event('FromElsewhere')]);
        await probe.until((p) => p.events.length === 1, 2_000);
        await subscription.stop();
      });

      it('stops and reports when the handler throws', async () => {
        await store.append(streamId, [event('Poison')]);
        let reported: Error | undefined;
        const subscription = store.subscribeToAll({
          filter: { streamPrefixes: [prefix] },
          onBatch: (events) => {
            if (events.some((e) => e.type === 'Poison')) throw new Error('cannot handle');
          },
          onError: (error) => {
            reported = error;
          },
        });
        await subscription.stopped;
        expect(reported?.message).toBe('cannot handle');
      });
    });
  });
}
