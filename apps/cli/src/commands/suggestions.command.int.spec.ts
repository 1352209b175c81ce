import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { SqliteEventStore, newId } from '@tsunagi/event-store';
import { generateWorld, policyById, replayPolicies } from '@tsunagi/suggestions';
import { seededRandom } from '@tsunagi/domain';
import { compareSuggestionPolicies, formatComparison } from './suggestions.command';

const CLI = resolve(__dirname, '../../../../dist/apps/cli/src/main.js');

/** `suggestions compare` on a generated history stored in a real SQLite event store (the CLI as built by `npm run build`). */
describe('suggestions compare (real SQLite event store)', () => {
  let dir: string;
  let store: SqliteEventStore;
  const events = generateWorld({ people: 400, organisations: 15, opportunities: 80 }, seededRandom(41), '2026-02-02T00:00:00.000Z', '2026-03-29T00:00:00.000Z');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsunagi-compare-'));
    store = new SqliteEventStore({ path: join(dir, 'events.sqlite'), durability: 'normal' });
    for (const e of events) await store.append(e.streamId, [{ id: newId(), type: e.type, data: e.data }]);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replays what the store holds, as the pure replay does on the same history', async () => {
    const options = { policies: ['default@1', 'spread@1'], seed: 3, perRole: 2 };
    const fromStore = await compareSuggestionPolicies(store, options);
    const direct = replayPolicies(
      events.map((e) => ({ type: e.type, data: e.data, at: (e.data as { at: string }).at })),
      { policies: options.policies.map(policyById), seed: 3, proposalsPerRole: 2 },
    );
    expect(fromStore).toEqual(direct);
    expect(fromStore[0].rows.find((r) => r.week === 'all' && r.ward === 'all')!.proposals).toBeGreaterThan(50);
    const table = formatComparison(fromStore).split('\n');
    expect(table[0]).toMatch(/^week\s+ward\s+default@1 roles≥1\s+accepted\s+proposed\s+answered\s+top10%\s+spread@1 roles≥1/);
    expect(table[table.length - 1]).toMatch(/^all\s+all\s+\d+/);
  });

  it('runs from the command line, two policies in one run, the last N weeks', async () => {
    const env = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'error' };
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'suggestions', 'compare', '--policy', 'relevance@1', '--policy', 'spread@1', '--weeks', '3', '--json'], { env });
    const report = JSON.parse(stdout) as { policy: string; rows: { week: string }[] }[];
    expect(report.map((r) => r.policy)).toEqual(['relevance@1', 'spread@1']);
    expect(new Set(report[0].rows.map((r) => r.week).filter((w) => w !== 'all')).size).toBe(3);
    await expect(promisify(execFile)(process.execPath, [CLI, 'suggestions', 'compare', '--policy', 'nope@9'], { env })).rejects.toMatchObject({
      stderr: expect.stringContaining('No suggestion policy is named "nope@9"'),
    });
  });
});
