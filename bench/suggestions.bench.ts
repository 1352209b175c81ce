/**
 * One suggestion query against a plain typed-array scan of the same data, same run, interleaved.
 *
 * - data: a generated city (libs/suggestions generated-world) of 100k people and 10k open opportunities (10 % with
 *   `--quick`), fed to the SuggestionIndex as the projection feeds it, plus 20 % as many proposals (some accepted)
 *   so that load, exposure and exclusions are real.
 * - subject `index`: SuggestionIndex.peopleFor(role) under default@1, top 20, with explanations (what the API
 *   serves, minus HTTP); and opportunitiesFor(person), top 20.
 * - baseline `typed-array scan`: the same formula's components written inline over typed columns built from the
 *   same profiles (skills as a bit mask of taxonomy codes), keeping the top 20; no cursor, no filters, no scope, no
 *   exclusions, no explanations. It is the floor of a full scan in JavaScript.
 *
 * Goal (issue 6): p95 of one query under 10 ms, and at most 3× the baseline (ratio of median rates ≥ 0.33).
 */
import { DAY_KINDS, TIME_BANDS } from '@tsunagi/matching';
import { SKILL_TAXONOMY, THEMES, WARDS } from '@tsunagi/domain';
import { ADJACENT_WARD_MASK, SuggestionIndex, generateWorld, generatedId, policyById, weightVector } from '@tsunagi/suggestions';
import { BenchContext, Benchmark, Side, compare, formatMs, interleave, scaled, seededRandom } from './harness';

const PEOPLE = 100_000;
const OPPORTUNITIES = 10_000;
const LIMIT = 20;
const GOAL_RATIO = 1 / 3;
const GOAL_P95_MS = 10;
const LANGUAGES = ['ja', 'en', 'zh', 'ko', 'vi', 'tl', 'pt', 'es', 'ne', 'other'];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const maskOf = (vocabulary: readonly string[], values: readonly string[] = []) => values.reduce((m, v) => (vocabulary.indexOf(v) >= 0 ? m | (1 << vocabulary.indexOf(v)) : m), 0);
const popcount = (m: number) => {
  let c = 0;
  for (; m; c++) m &= m - 1;
  return c;
};

/** The same people as plain typed columns, for the baseline. */
class Columns {
  readonly flags: Uint8Array;
  readonly ward: Uint8Array;
  readonly themes: Uint16Array;
  readonly days: Uint8Array;
  readonly bands: Uint8Array;
  readonly hours: Uint16Array;
  readonly languages: Uint16Array;
  readonly skills: Uint32Array;
  readonly load: Uint16Array;
  constructor(readonly n: number) {
    this.flags = new Uint8Array(n);
    this.ward = new Uint8Array(n);
    this.themes = new Uint16Array(n);
    this.days = new Uint8Array(n);
    this.bands = new Uint8Array(n);
    this.hours = new Uint16Array(n);
    this.languages = new Uint16Array(n);
    this.skills = new Uint32Array(n);
    this.load = new Uint16Array(n);
  }
}

interface RoleQuery {
  opportunityId: string;
  ward: number;
  themes: number;
  required: number;
  optional: number;
  days: number;
  bands: number;
}

const SKILL_CODES = SKILL_TAXONOMY.map((s) => s.code);

/** Inserts into a sorted top-LIMIT; returns the new entry threshold. */
function pushTop(top: Float64Array, topSlots: Int32Array, score: number, slot: number): number {
  let i = LIMIT - 1;
  while (i > 0 && top[i - 1] < score) {
    top[i] = top[i - 1];
    topSlots[i] = topSlots[i - 1];
    i--;
  }
  top[i] = score;
  topSlots[i] = slot;
  return top[LIMIT - 1];
}

/** The baseline: default@1's formula inline over the columns, top LIMIT by score. */
function scan(c: Columns, q: RoleQuery, w: Float64Array, top: Float64Array, topSlots: Int32Array): number {
  top.fill(-Infinity);
  const requiredCount = popcount(q.required);
  const optionalCount = popcount(q.optional);
  const themeCount = popcount(q.themes);
  const dayCount = popcount(q.days);
  const bandCount = popcount(q.bands);
  const adjacent = ADJACENT_WARD_MASK[q.ward];
  let threshold = -Infinity;
  for (let p = 0; p < c.n; p++) {
    if (c.flags[p] !== 3) continue;
    const r = requiredCount ? popcount(c.skills[p] & q.required) / requiredCount : 0;
    const o = optionalCount ? popcount(c.skills[p] & q.optional) / optionalCount : 0;
    const skills = requiredCount && optionalCount ? 0.75 * r + 0.25 * o : requiredCount ? r : optionalCount ? o : 1;
    const themes = themeCount ? popcount(c.themes[p] & q.themes) / themeCount : 0;
    const wardBit = 1 << c.ward[p];
    const ward = wardBit & (1 << q.ward) ? 1 : wardBit & adjacent ? 0.5 : 0;
    const availability = ((dayCount ? popcount(c.days[p] & q.days) / dayCount : 1) + (bandCount ? popcount(c.bands[p] & q.bands) / bandCount : 1)) / 2;
    const language = c.languages[p] & 1 ? 1 : 0;
    const load = Math.min(1, c.load[p] / 4);
    const score = w[0] * skills + w[1] * themes + w[2] * ward + w[3] * availability + w[4] * language + w[5] * load + w[6];
    if (score > threshold) threshold = pushTop(top, topSlots, score, p);
  }
  return topSlots[0];
}

export const benchmark: Benchmark = {
  name: 'suggestions',
  description: 'One suggestion query (100k people, 10k open opportunities) vs a plain typed-array scan of the same data',
  async run(ctx: BenchContext) {
    const people = scaled(ctx, PEOPLE, 1_000);
    const opportunities = scaled(ctx, OPPORTUNITIES, 100);
    const random = seededRandom(61);
    const started = performance.now();
    const world = generateWorld({ people, organisations: Math.max(10, opportunities / 20), opportunities }, random);
    const index = new SuggestionIndex();
    let position = 0;
    for (const e of world) index.apply({ type: e.type, data: e.data, position: ++position });
    const columns = new Columns(people);
    const roles: RoleQuery[] = [];
    for (const e of world) {
      const d = e.data as any;
      if (e.type === 'PersonRegistered') {
        const p = Number.parseInt(d.personId.slice(-12), 16);
        const profile = d.profile;
        columns.flags[p] = 1 | (profile.consents.mayBeContacted ? 2 : 0);
        columns.ward[p] = WARDS.indexOf(profile.ward);
        columns.themes[p] = maskOf(THEMES, profile.themes);
        columns.days[p] = maskOf(DAY_KINDS, profile.availability.days);
        columns.bands[p] = maskOf(TIME_BANDS, profile.availability.timeBands);
        columns.hours[p] = profile.availability.hoursPerMonth;
        columns.languages[p] = maskOf(LANGUAGES, profile.languages);
        columns.skills[p] = maskOf(SKILL_CODES, profile.skills);
      } else if (e.type === 'OpportunityOpened' && d.details.kind === 'volunteer_role') {
        const { requiredSkills, optionalSkills, schedule } = d.details;
        roles.push({ opportunityId: d.opportunityId, ward: WARDS.indexOf(d.ward), themes: maskOf(THEMES, d.themes), required: maskOf(SKILL_CODES, requiredSkills), optional: maskOf(SKILL_CODES, optionalSkills), days: maskOf(DAY_KINDS, schedule.days), bands: maskOf(TIME_BANDS, schedule.timeBands) });
      }
    }
    // A history of proposals, a quarter of them accepted, so load, exposure and exclusions are real.
    const proposals = Math.round(people * 0.2);
    for (let m = 0; m < proposals; m++) {
      const role = roles[Math.floor(random() * roles.length)];
      const p = Math.floor(random() * people);
      const base = { opportunityId: role.opportunityId, matchId: generatedId('m', m), by: 'bench', at: '2025-04-01T00:00:00.000Z' };
      index.apply({ type: 'MatchProposed', position: ++position, data: { ...base, candidate: { type: 'person', id: generatedId('p', p) } } });
      columns.load[p]++;
      if (random() < 0.25 && index.placesLeft(role.opportunityId) > 0) index.apply({ type: 'MatchAccepted', position: ++position, data: base });
    }
    ctx.log(`suggestions: ${people} people, ${opportunities} opportunities (${roles.length} volunteer roles), ${proposals} proposals indexed in ${formatMs(performance.now() - started)}`);
    ctx.detail('size', { people, opportunities, roles: roles.length, proposals, buildMs: performance.now() - started });

    const policy = policyById('default@1');
    const weights = weightVector(policy);
    const queriesPerRound = ctx.scale >= 1 ? 100 : 50;
    const rounds = ctx.rounds ?? 5;
    const picks = (seed: number, n: number) => {
      const r = seededRandom(seed);
      return Array.from({ length: n }, () => Math.floor(r() * n * 997));
    };

    // ---- opportunity → people
    if (ctx.selected('people for a role')) {
      const order = picks(71, queriesPerRound).map((i) => roles[i % roles.length]);
      const top = new Float64Array(LIMIT);
      const topSlots = new Int32Array(LIMIT);
      await compareQueries(ctx, 'people for a role (top 20 of all people)', order, {
        index: (q) => index.peopleFor(q.opportunityId, { all: true }, { policy, language: 'ja', limit: LIMIT }).length,
        scan: (q) => scan(columns, q, weights, top, topSlots),
      }, rounds);
    }

    // ---- person → opportunities
    if (ctx.selected('roles for a person')) {
      const order = picks(73, queriesPerRound).map((i) => generatedId('p', i % people));
      // The baseline for this direction: the same formula inline over role columns, the person fixed, top LIMIT.
      const roleWard = Uint8Array.from(roles, (r) => r.ward);
      const roleThemes = Uint16Array.from(roles, (r) => r.themes);
      const roleRequired = Uint32Array.from(roles, (r) => r.required);
      const roleOptional = Uint32Array.from(roles, (r) => r.optional);
      const roleDays = Uint8Array.from(roles, (r) => r.days);
      const roleBands = Uint8Array.from(roles, (r) => r.bands);
      const top = new Float64Array(LIMIT);
      const topSlots = new Int32Array(LIMIT);
      const scanRoles = (personId: string) => {
        const p = Number.parseInt(personId.slice(-12), 16);
        const [skills, themes, days, bands] = [columns.skills[p], columns.themes[p], columns.days[p], columns.bands[p]];
        const wardBit = 1 << columns.ward[p];
        const language = columns.languages[p] & 1 ? 1 : 0;
        const load = Math.min(1, columns.load[p] / 4);
        top.fill(-Infinity);
        let threshold = -Infinity;
        for (let o = 0; o < roles.length; o++) {
          const requiredCount = popcount(roleRequired[o]);
          const optionalCount = popcount(roleOptional[o]);
          const r = requiredCount ? popcount(skills & roleRequired[o]) / requiredCount : 0;
          const op = optionalCount ? popcount(skills & roleOptional[o]) / optionalCount : 0;
          const skill = requiredCount && optionalCount ? 0.75 * r + 0.25 * op : requiredCount ? r : optionalCount ? op : 1;
          const themeCount = popcount(roleThemes[o]);
          const theme = themeCount ? popcount(themes & roleThemes[o]) / themeCount : 0;
          const ward = wardBit & (1 << roleWard[o]) ? 1 : wardBit & ADJACENT_WARD_MASK[roleWard[o]] ? 0.5 : 0;
          const dayCount = popcount(roleDays[o]);
          const bandCount = popcount(roleBands[o]);
          const availability = ((dayCount ? popcount(days & roleDays[o]) / dayCount : 1) + (bandCount ? popcount(bands & roleBands[o]) / bandCount : 1)) / 2;
          const score = weights[0] * skill + weights[1] * theme + weights[2] * ward + weights[3] * availability + weights[4] * language + weights[5] * load + weights[6];
          if (score > threshold) threshold = pushTop(top, topSlots, score, o);
        }
        return topSlots[0];
      };
      await compareQueries(ctx, 'roles for a person (top 20 of all open roles)', order, {
        index: (personId) => index.opportunitiesFor(personId, { policy, language: 'ja', limit: LIMIT }).length,
        scan: scanRoles,
      }, rounds);
    }
  },
};

/**
 * Runs the same queries through both sides, interleaved round by round (one unmeasured warm-up round), timing each
 * query; records the rates' comparison and notes both sides' p50/p95.
 */
async function compareQueries<Q>(ctx: BenchContext, name: string, queries: readonly Q[], run: Record<'index' | 'scan', (query: Q) => number>, rounds: number): Promise<void> {
  const latencies: Record<'index' | 'scan', number[]> = { index: [], scan: [] };
  let measuring = false;
  let sink = 0;
  const side =
    (which: 'index' | 'scan'): Side =>
    async () => {
      const startedAt = performance.now();
      for (const q of queries) {
        const t = performance.now();
        sink += run[which](q);
        if (measuring) latencies[which].push(performance.now() - t);
      }
      return { work: queries.length, ms: performance.now() - startedAt };
    };
  const sides = { index: side('index'), scan: side('scan') };
  await interleave(sides, { rounds: 0, warmup: 1 });
  measuring = true;
  const rates = await interleave(sides, { rounds, warmup: 0, log: (m) => ctx.log(m), label: name });
  ctx.detail(`${name}: checksum`, sink);
  report(ctx, name, rates, latencies);
}

function report(ctx: BenchContext, name: string, rates: Record<string, number[]>, latencies: Record<'index' | 'scan', number[]>): void {
  const [p50, p95, b50, b95] = [percentile(latencies.index, 50), percentile(latencies.index, 95), percentile(latencies.scan, 50), percentile(latencies.scan, 95)];
  ctx.record(
    compare({
      name,
      unit: 'queries/s',
      goal: GOAL_RATIO,
      subject: { label: 'SuggestionIndex (explained, filtered, excluded)', rates: rates.index },
      baseline: { label: 'plain typed-array scan', rates: rates.scan },
      details: { p50Ms: p50, p95Ms: p95, baselineP50Ms: b50, baselineP95Ms: b95, goalP95Ms: GOAL_P95_MS, p95Met: p95 < GOAL_P95_MS },
    }),
  );
  ctx.note(`${name}: index p50 ${formatMs(p50)}, p95 ${formatMs(p95)} (goal < ${GOAL_P95_MS} ms: ${p95 < GOAL_P95_MS ? 'met' : 'MISSED'}); baseline scan p50 ${formatMs(b50)}, p95 ${formatMs(b95)}; p95 ratio ${(p95 / b95).toFixed(2)}×`);
}
