import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { STAGES, generateHistory, monthsBetween } from '@tsunagi/analytics';
import { AnalyticsQueries, openReadModelDatabase } from '@tsunagi/projections';
import { SqliteEventStore } from '@tsunagi/event-store';
import { seededRandom } from '@tsunagi/domain';

/**
 * The operator's CLI as a real process (the compiled dist/apps/cli/src/main.js, as `npm run cli` runs it) on a
 * data directory holding a generated history: the analytics projection rebuilds through `projections rebuild`
 * with progress lines (output is not a terminal here), and `export indicators` and `export funnel` write the
 * analysts' CSVs.
 */
const CLI = resolve(__dirname, '../../dist/apps/cli/src/main.js');
const run = promisify(execFile);

describe('analytics through the CLI', () => {
  let dataDir: string;
  const env = () => ({ ...process.env, DATA_DIR: dataDir, ANALYTICS_MIN_COUNT: '3', LOG_LEVEL: 'error' });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tsunagi-cli-'));
    const store = new SqliteEventStore({ path: join(dataDir, 'events.sqlite'), durability: 'normal' });
    const history = generateHistory({ people: 150, organisations: 10, events: 2500, startMs: Date.parse('2025-04-01T00:00:00+09:00'), days: 365 }, seededRandom(9));
    for (const e of history) await store.append(e.streamId, [{ id: e.id, type: e.type, data: e.data }]);
    await store.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('rebuilds the analytics projection with progress lines', async () => {
    const { stdout, stderr } = await run('node', [CLI, 'projections', 'rebuild', 'analytics'], { env: env() });
    expect(stderr).toMatch(/^analytics: 100\.0 % \(\d+\/\d+ positions, \d+ events\)$/m);
    expect(stdout).toMatch(/^Rebuilt analytics in [\d.]+ s$/m);
  });

  it('exports the indicators as CSV for Excel, by month, with small counts suppressed', async () => {
    const out = join(dataDir, 'indicators.csv');
    await run('node', [CLI, 'export', 'indicators', '--ward', 'nakahara', '--from', '2025-10-01', '--to', '2025-12-31', '--as-of', '2026-03-31', '--by-month', '--lang', 'en', '--out', out], { env: env() });
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('period,ward,as_of,rule_set,section,metric,label,breakdown,value');
    const rows = lines.slice(1, -1).map((line) => line.split(','));
    expect([...new Set(rows.map((r) => `${r[0]} ${r[2]}`))]).toEqual(['2025-10 2025-10-31', '2025-11 2025-11-30', '2025-12 2025-12-31']);
    expect(rows.every((r) => r[1] === 'nakahara')).toBe(true);
    const counts = rows.filter((r) => !/share|rate|median|active_after|per_meeting/.test(r[5]));
    expect(counts.filter((r) => /^[12]$/.test(r[8]))).toEqual([]);
    expect(rows.some((r) => r[8] === 'suppressed')).toBe(true);
  });

  it('exports the ladder funnel month by month as CSV for Excel, equal to the read model\'s funnel with small counts suppressed', async () => {
    const out = join(dataDir, 'funnel.csv');
    await run('node', [CLI, 'export', 'funnel', '--ward', 'nakahara', '--from', '2025-04-01', '--to', '2026-03-31', '--as-of', '2026-03-31', '--out', out], { env: env() });
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('期間,区,基準日,ルールセット,区分,指標,指標名,内訳,値');
    const rows = lines.slice(1, -1).map((line) => line.split(','));
    const db = openReadModelDatabase(join(dataDir, 'read-models.sqlite'));
    try {
      const months = new AnalyticsQueries(db).funnel(monthsBetween(Date.parse('2025-04-01T00:00:00+09:00'), Date.parse('2026-03-31T00:00:00+09:00')), Date.parse('2026-04-01T00:00:00+09:00') - 1, 'nakahara');
      expect(months).toHaveLength(12);
      const expected = months.flatMap((m) =>
        (['reached_by_month_end', 'at_stage_at_month_end'] as const).flatMap((metric) =>
          STAGES.map(({ key }) => {
            const n = (metric === 'reached_by_month_end' ? m.reached : m.atStage)[key];
            return [m.month, 'nakahara', m.asOf, metric, key, n > 0 && n < 3 ? '秘匿' : String(n)];
          }),
        ),
      );
      expect(rows.map((r) => [r[0], r[1], r[2], r[5], r[7], r[8]])).toEqual(expected);
      expect(months[11].reached.registered).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it('refuses an impossible period with a message, exit code 1', async () => {
    await expect(run('node', [CLI, 'export', 'indicators', '--from', '2026-02-01', '--to', '2026-01-01'], { env: env() })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('The period must start on or before it ends'),
    });
  });
});
