import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decider, DomainError, DomainEvent, fold, seededRandom } from '@tsunagi/domain';
import { SqliteEventStore, SystemClock } from '@tsunagi/event-store';
import { CommandContext, CommandExecutor } from './command-executor';

/** A jar that holds at most 10: enough rule for a stale state to decide wrongly. */
type Added = DomainEvent<'Added', { k: number; by: string }>;
const jar: Decider<{ n: number; log: string[] }, { k: number; by: string }, Added> = {
  initialState: () => ({ n: 0, log: [] }),
  decide: ({ k, by }, state) => {
    if (state.n + k > 10) throw new DomainError('jar.full', 'conflict');
    return [{ type: 'Added', data: { k, by } }];
  },
  evolve: (state, event) => ({ n: state.n + event.data.k, log: [...state.log, `${event.data.by}+${event.data.k}`] }),
};
const context = (idempotencyScope?: string): CommandContext => ({
  principal: { subject: 'tester', role: 'admin', wards: [], organisationIds: [] },
  correlationId: 'c',
  causationId: 'c',
  ...(idempotencyScope ? { idempotencyScope } : {}),
});

/**
 * The executor keeps recently folded states and reads only newer events. Two executors on one SQLite file stand
 * for two API processes writing the same streams: every decision must rest on the latest state all the same.
 */
describe('CommandExecutor over a real SQLite store (folded states kept between commands)', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsunagi-executor-'));
    store = new SqliteEventStore({ path: join(dir, 'events.sqlite'), durability: 'normal' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('decides on events another process appended since its last command', async () => {
    const other = new SqliteEventStore({ path: join(dir, 'events.sqlite'), durability: 'normal' });
    const [a, b] = [new CommandExecutor(store, new SystemClock()), new CommandExecutor(other, new SystemClock())];
    const add = (executor: CommandExecutor, k: number, by: string) => executor.execute(jar, 'jar-1', context(), { command: () => ({ k, by }) });
    await expect(add(a, 4, 'a')).resolves.toMatchObject({ revision: 0, state: { n: 4 } });
    await expect(add(b, 5, 'b')).resolves.toMatchObject({ revision: 1, state: { n: 9 } });
    await expect(a.latestState(jar, 'jar-1')).resolves.toEqual({ n: 9, log: ['a+4', 'b+5'] }); // a check on another aggregate reads it too
    await expect(add(a, 2, 'a')).rejects.toMatchObject({ code: 'jar.full' });
    await expect(add(a, 1, 'a')).resolves.toMatchObject({ revision: 2, state: { n: 10, log: ['a+4', 'b+5', 'a+1'] } });
    await other.close();
  });

  it('gives, command after command and across interleaved writers, the state a fresh fold of the stream gives', async () => {
    const executors = [new CommandExecutor(store, new SystemClock()), new CommandExecutor(store, new SystemClock()), new CommandExecutor(store, new SystemClock())];
    const random = seededRandom(3);
    const streams = ['jar-a', 'jar-b', 'jar-c', 'jar-d', 'jar-e', 'jar-f', 'jar-g', 'jar-h'];
    for (let round = 0; round < 40; round++) {
      // A few concurrent commands each round: some race for the same stream and retry on the newer state.
      const results = await Promise.allSettled(
        executors.map((executor, i) => {
          const streamId = streams[Math.floor(random() * streams.length)];
          const k = 1 + Math.floor(random() * 3);
          const scope = random() < 0.2 ? `key-${round}-${i}` : undefined;
          return executor.execute(jar, streamId, context(scope), { command: () => ({ k, by: `e${i}` }) }).then((result) => ({ streamId, result }));
        }),
      );
      for (const outcome of results) {
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toMatchObject({ code: 'jar.full' });
          continue;
        }
        const { streamId, result } = outcome.value;
        const recorded = (await store.readStream(streamId)).slice(0, result.revision + 1);
        expect(result.state).toEqual(fold(jar, recorded as unknown as Added[]));
      }
    }
    for (const streamId of streams) expect(fold(jar, (await store.readStream(streamId)) as unknown as Added[]).n).toBeLessThanOrEqual(10);
  });
});
