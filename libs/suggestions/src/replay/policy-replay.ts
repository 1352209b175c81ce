import { SuggestionIndex, SUGGESTION_EVENT_TYPES } from '../suggestion-index';
import type { SuggestionPolicy } from '../policy';

/**
 * Replaying history under a policy, to know whether one policy is better than another.
 *
 * The world is history: people, organisations and opportunities appear, change, pause and close when they did, and
 * meeting attendance counts toward the ladder. What the coordinators did is replaced by a simulation of the
 * policy being replayed: at the end of each week, for every open volunteer role and pro-bono project with a place
 * left (in id order), the simulated coordinator proposes to the top `proposalsPerRole` suggested people (never more
 * than the places left). Each proposal is then answered by a stated, deterministic model:
 *
 *   answered  when u₁ < 0.9 / (1 + 0.5 × load)     load = the person's open proposals + active roles when asked
 *   accepted  when answered and u₂ < relevance      relevance = mean of the skills, themes, ward, availability and
 *                                                   language values (clamped to [0.05, 0.95]); a full role declines
 *   otherwise declined (answered) or expired (silence) at the end of the week
 *
 * u₁ and u₂ are uniform draws hashed from (seed, person, opportunity): the same person asked for the same role
 * draws the same numbers under every policy (common random numbers), so two policies differ only by whom they
 * ask. Acceptance depends on relevance, never on the policy's own weights: a policy cannot grade itself. An
 * accepted match starts at once and completes four weeks later, freeing the person's load.
 */
export interface ReplayOptions {
  policies: readonly SuggestionPolicy[];
  /** Simulate only the last N weeks of history (the weeks before still build the world). Default: every week. */
  weeks?: number;
  seed?: number;
  proposalsPerRole?: number;
}

export interface ReplayEvent {
  type: string;
  data: unknown;
  /** ISO time of the event: data.at, else metadata.occurredAt, else recordedAt. */
  at: string;
}

export interface WardWeek {
  /** Monday (Asia/Tokyo) the week starts on, YYYY-MM-DD; 'all' for the totals over every simulated week. */
  week: string;
  ward: string;
  proposals: number;
  answered: number;
  acceptances: number;
  /** Distinct roles with at least one acceptance. */
  rolesWithAcceptance: number;
  /** Share of proposals answered (accepted or declined); 0 when there were none. */
  answeredShare: number;
  /** Share of proposals that went to the top 10 % of the people who received any (at least one person). */
  top10Share: number;
}

export interface PolicyReplay {
  policy: string;
  rows: WardWeek[];
}

const WORLD_EVENT_TYPES = new Set<string>(SUGGESTION_EVENT_TYPES.filter((t) => !/^(Match|Interest)/.test(t)));
export const REPLAY_EVENT_TYPES: readonly string[] = [...WORLD_EVENT_TYPES];

const WEEK_MS = 7 * 24 * 3600_000;
const JST_MS = 9 * 3600_000;
const COMPLETES_AFTER_WEEKS = 4;

/** Monday 00:00 Asia/Tokyo on or before `t`, as epoch ms. */
function weekStart(t: number): number {
  const local = t + JST_MS;
  const day = Math.floor(local / 86_400_000);
  const weekday = (day + 3) % 7; // 1970-01-01 was a Thursday: Monday → 0
  return (day - weekday) * 86_400_000 - JST_MS;
}

/** A uniform draw in [0, 1) from the seed and a key (FNV-1a, then a mulberry32 round). */
export function draw(seed: number, key: string): number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  let t = (h + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

interface Proposal {
  matchId: string;
  opportunityId: string;
  personId: string;
  ward: string;
  relevance: number;
  load: number;
}

/** Replays the same history under each policy; the events must be in the order they happened (position order). */
export function replayPolicies(history: readonly ReplayEvent[], options: ReplayOptions): PolicyReplay[] {
  const world = history.filter((e) => WORLD_EVENT_TYPES.has(e.type) && Number.isFinite(Date.parse(e.at)));
  if (world.length === 0) return options.policies.map((p) => ({ policy: p.id, rows: [] }));
  const first = weekStart(Date.parse(world[0].at));
  const last = weekStart(Date.parse(world[world.length - 1].at));
  const totalWeeks = Math.round((last - first) / WEEK_MS) + 1;
  const simulateFrom = options.weeks === undefined ? 0 : Math.max(0, totalWeeks - options.weeks);
  return options.policies.map((policy) => ({ policy: policy.id, rows: replayOne(world, policy, { first, totalWeeks, simulateFrom, seed: options.seed ?? 1, perRole: options.proposalsPerRole ?? 2 }) }));
}

function replayOne(world: readonly ReplayEvent[], policy: SuggestionPolicy, plan: { first: number; totalWeeks: number; simulateFrom: number; seed: number; perRole: number }): WardWeek[] {
  const index = new SuggestionIndex();
  let position = 0;
  const apply = (type: string, data: object) => index.apply({ type, data, position: ++position });
  const opportunities: string[] = [];
  const completions = new Map<number, { opportunityId: string; matchId: string }[]>();
  const rows: WardWeek[] = [];
  const totals = new Map<string, { proposals: Proposal[]; answered: number; accepted: Set<string>; acceptances: number }>();
  let next = 0;
  let matchCount = 0;
  for (let week = 0; week < plan.totalWeeks; week++) {
    const weekEnd = plan.first + (week + 1) * WEEK_MS;
    for (; next < world.length && Date.parse(world[next].at) < weekEnd; next++) {
      const event = world[next];
      apply(event.type, event.data as object);
      if (event.type === 'OpportunityOpened') opportunities.push((event.data as { opportunityId: string }).opportunityId);
    }
    if (week < plan.simulateFrom) continue;
    const at = new Date(weekEnd - 1).toISOString();
    for (const done of completions.get(week) ?? []) apply('MatchCompleted', { ...done, by: 'replay', at });

    // The simulated coordinator proposes, role by role: load from earlier proposals this week already counts.
    const proposals: Proposal[] = [];
    for (const opportunityId of [...opportunities].sort()) {
      const summary = index.opportunity(opportunityId);
      if (!summary?.open || summary.kind === 'collaboration') continue;
      const free = index.placesLeft(opportunityId);
      if (free <= 0) continue;
      const ranked = index.peopleFor(opportunityId, { all: true }, { policy, language: 'en', limit: Math.min(free, plan.perRole) });
      for (const r of ranked) {
        const matchId = `replay-${policy.id}-${++matchCount}`;
        const load = index.loadOf(r.item.personId)!;
        const values = r.explanation.components.map((c) => c.value);
        const relevance = Math.min(0.95, Math.max(0.05, (values[0] + values[1] + values[2] + values[3] + values[4]) / 5));
        proposals.push({ matchId, opportunityId, personId: r.item.personId, ward: summary.ward, relevance, load: load.openProposals + load.activeRoles });
        apply('MatchProposed', { opportunityId, matchId, candidate: { type: 'person', id: r.item.personId }, by: 'replay', at });
      }
    }

    // The people answer (or stay silent) by the model above.
    const byWard = new Map<string, { proposals: Proposal[]; answered: number; accepted: Set<string>; acceptances: number }>();
    for (const p of proposals) {
      const key = `${p.personId}|${p.opportunityId}`;
      const answered = draw(plan.seed, `answer|${key}`) < 0.9 / (1 + 0.5 * p.load);
      const accepts = answered && draw(plan.seed, `accept|${key}`) < p.relevance && index.placesLeft(p.opportunityId) > 0;
      const stats = byWard.get(p.ward) ?? { proposals: [], answered: 0, accepted: new Set<string>(), acceptances: 0 };
      byWard.set(p.ward, stats);
      stats.proposals.push(p);
      const base = { opportunityId: p.opportunityId, matchId: p.matchId, by: 'replay', at };
      if (accepts) {
        apply('MatchAccepted', base);
        apply('MatchStarted', base);
        const due = week + COMPLETES_AFTER_WEEKS;
        completions.set(due, [...(completions.get(due) ?? []), { opportunityId: p.opportunityId, matchId: p.matchId }]);
        stats.accepted.add(p.opportunityId);
        stats.acceptances++;
      } else apply(answered ? 'MatchDeclined' : 'MatchExpired', { ...base, reason: 'no_time' });
      if (answered) stats.answered++;
    }
    const weekLabel = new Date(plan.first + week * WEEK_MS + JST_MS).toISOString().slice(0, 10);
    for (const ward of [...byWard.keys()].sort()) {
      const stats = byWard.get(ward)!;
      rows.push(row(weekLabel, ward, stats));
      const total = totals.get(ward) ?? { proposals: [], answered: 0, accepted: new Set<string>(), acceptances: 0 };
      totals.set(ward, total);
      total.proposals.push(...stats.proposals);
      total.answered += stats.answered;
      total.acceptances += stats.acceptances;
      for (const o of stats.accepted) total.accepted.add(o);
    }
  }
  for (const ward of [...totals.keys()].sort()) rows.push(row('all', ward, totals.get(ward)!));
  const everything = [...totals.values()];
  rows.push(
    row('all', 'all', {
      proposals: everything.flatMap((t) => t.proposals),
      answered: everything.reduce((n, t) => n + t.answered, 0),
      acceptances: everything.reduce((n, t) => n + t.acceptances, 0),
      accepted: new Set(everything.flatMap((t) => [...t.accepted])),
    }),
  );
  return rows;
}

function row(week: string, ward: string, stats: { proposals: Proposal[]; answered: number; accepted: Set<string>; acceptances: number }): WardWeek {
  const proposals = stats.proposals.length;
  return {
    week,
    ward,
    proposals,
    answered: stats.answered,
    acceptances: stats.acceptances,
    rolesWithAcceptance: stats.accepted.size,
    answeredShare: proposals === 0 ? 0 : stats.answered / proposals,
    top10Share: topTenPercentShare(stats.proposals.map((p) => p.personId)),
  };
}

/** The share of proposals received by the top 10 % (rounded up) of the people who received any. */
export function topTenPercentShare(recipients: readonly string[]): number {
  if (recipients.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const id of recipients) counts.set(id, (counts.get(id) ?? 0) + 1);
  const sorted = [...counts.values()].sort((a, b) => b - a);
  const top = sorted.slice(0, Math.ceil(sorted.length / 10)).reduce((sum, n) => sum + n, 0);
  return top / recipients.length;
}
