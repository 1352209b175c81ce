import { Command } from 'commander';
import { WARDS } from '@tsunagi/domain';
import { EventStore, createEventStore } from '@tsunagi/event-store';
import { loadConfig } from '@tsunagi/platform';
import { POLICY_IDS, PolicyReplay, REPLAY_EVENT_TYPES, ReplayEvent, policyById, replayPolicies } from '@tsunagi/suggestions';

const PAGE = 10_000;

export interface CompareOptions {
  policies: string[];
  weeks?: number;
  seed: number;
  perRole: number;
}

/** The history the replay needs, in position order: people, organisations, opportunities, attendance. */
export async function readReplayHistory(store: EventStore): Promise<ReplayEvent[]> {
  const history: ReplayEvent[] = [];
  for (let after = 0; ; ) {
    const page = await store.readAll({ after, maxCount: PAGE, filter: { eventTypes: REPLAY_EVENT_TYPES } });
    for (const e of page) {
      const at = (e.data as { at?: string }).at ?? e.metadata.occurredAt ?? e.recordedAt;
      history.push({ type: e.type, data: e.data, at });
    }
    if (page.length < PAGE) return history;
    after = page[page.length - 1].position;
  }
}

export async function compareSuggestionPolicies(store: EventStore, options: CompareOptions): Promise<PolicyReplay[]> {
  const policies = options.policies.map(policyById);
  return replayPolicies(await readReplayHistory(store), { policies, weeks: options.weeks, seed: options.seed, proposalsPerRole: options.perRole });
}

const percent = (share: number) => `${(share * 100).toFixed(0)}%`;

/** One line per week and ward (totals last), the policies side by side. */
export function formatComparison(replays: readonly PolicyReplay[]): string {
  // Weeks in order, then the totals; wards in the city's order, then all of them.
  const order = (week: string, ward: string) => `${week === 'all' ? '9' : week}|${ward === 'all' ? 9 : WARDS.indexOf(ward as never)}`;
  const keys = [...new Set(replays.flatMap((r) => r.rows.map((row) => `${row.week}|${row.ward}`)))].sort((a, b) => {
    const [x, y] = [a, b].map((key) => order(...(key.split('|') as [string, string])));
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const cells = (replay: PolicyReplay, key: string) => {
    const row = replay.rows.find((r) => `${r.week}|${r.ward}` === key);
    return row ? [row.rolesWithAcceptance, row.acceptances, row.proposals, percent(row.answeredShare), percent(row.top10Share)].map(String) : ['-', '-', '-', '-', '-'];
  };
  const header = ['week', 'ward', ...replays.flatMap((r) => [`${r.policy} roles≥1`, 'accepted', 'proposed', 'answered', 'top10%'])];
  const lines = [header, ...keys.map((key) => [...key.split('|'), ...replays.flatMap((r) => cells(r, key))])];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) => l.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n');
}

const positiveInteger = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number`);
  return n;
};

export function suggestionsCommand(): Command {
  const suggestions = new Command('suggestions').description('Match suggestions');
  suggestions
    .command('compare')
    .description(
      'Replay the history in the event store under each policy and report, per week and ward: roles with at least one acceptance, ' +
        'acceptances, proposals, the share answered, and the share of proposals that went to the top 10 % of people asked. ' +
        'Acceptance is simulated by a stated, deterministic model (README: "Comparing suggestion policies").',
    )
    .option('--policy <id>', `a policy to replay (repeat to compare); known: ${POLICY_IDS.join(', ')}`, (v: string, previous: string[] = []) => [...previous, v])
    .option('--weeks <n>', 'simulate only the last N weeks of history', positiveInteger('--weeks'))
    .option('--seed <n>', 'seed of the simulated answers', positiveInteger('--seed'), 1)
    .option('--per-role <n>', 'proposals the simulated coordinator makes per role and week', positiveInteger('--per-role'), 2)
    .option('--json', 'print the report as JSON')
    .action(async (options: { policy?: string[]; weeks?: number; seed: number; perRole: number; json?: boolean }) => {
      const config = loadConfig();
      const policies = options.policy?.length ? options.policy : [config.SUGGESTIONS_POLICY];
      for (const id of policies) policyById(id); // an unknown name stops here, naming the known ones
      const store = createEventStore(config.eventStoreSettings);
      try {
        const replays = await compareSuggestionPolicies(store, { policies, weeks: options.weeks, seed: options.seed, perRole: options.perRole });
        process.stdout.write(`${options.json ? JSON.stringify(replays, null, 2) : formatComparison(replays)}\n`);
      } finally {
        await store.close();
      }
    });
  return suggestions;
}
