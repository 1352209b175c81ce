import { THEMES, WARDS, normaliseSkills } from '@tsunagi/domain';
import { DAY_KINDS, PROFESSIONS, TIME_BANDS } from '@tsunagi/matching';

/**
 * A synthetic city for tests, replays and the benchmark: people, organisations and open opportunities as the
 * events the real deciders write (same types, same data shapes), drawn from a seeded random source so the same
 * seed gives the same city. Ids are deterministic too (`p-<n>`, `g-<n>`, `o-<n>` in UUID form).
 */
export interface GeneratedEvent {
  streamId: string;
  type: string;
  data: Record<string, unknown>;
}

export interface WorldSize {
  people: number;
  organisations: number;
  opportunities: number;
}

/** Skills people write, in both languages and both widths: the index must see them as the same skills. */
const SKILL_WORDS = ['調理', '料理', 'cooking', 'ＩＴ', 'パソコン', 'デザイン', '会計', '経理', '広報', '翻訳', '保育', '介護', '運転', '写真', 'イベント企画', '学習支援', '園芸', '公園清掃', '司会', '音楽', 'スポーツ指導', '救命救急', '手話', 'そば打ち'];
const ROLE_SKILLS = ['調理', 'IT', 'デザイン', '会計', '広報', '翻訳', '保育', '介護', '運転', '写真撮影', 'イベント企画', '学習支援', '園芸', 'ファシリテーション', '音楽', 'スポーツ指導'];
const LANGUAGE_CODES = ['ja', 'en', 'zh', 'ko', 'vi', 'tl', 'pt', 'es', 'ne'];

export const generatedId = (prefix: 'p' | 'g' | 'o' | 'm', n: number) => {
  const digit = { p: '1', g: '2', o: '3', m: '4' }[prefix];
  return `00000000-0000-4000-8${digit}00-${n.toString(16).padStart(12, '0')}`;
};

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}
function some<T>(random: () => number, items: readonly T[], min: number, max: number): T[] {
  const count = min + Math.floor(random() * (max - min + 1));
  const chosen = new Set<T>();
  while (chosen.size < Math.min(count, items.length)) chosen.add(pick(random, items));
  return [...chosen];
}

export function personProfile(random: () => number) {
  const offers = random() < 0.15;
  return {
    displayName: `住民 ${Math.floor(random() * 1e6)}`,
    contactEmail: `resident.${Math.floor(random() * 1e9)}@example.jp`,
    ward: pick(random, WARDS),
    skills: normaliseSkills(some(random, SKILL_WORDS, 0, 4)),
    themes: some(random, THEMES, 1, 3),
    availability: { days: some(random, DAY_KINDS, 1, 2), timeBands: some(random, TIME_BANDS, 1, 3), hoursPerMonth: Math.floor(random() * 30) },
    languages: random() < 0.9 ? ['ja', ...some(random, LANGUAGE_CODES, 0, 1)] : some(random, LANGUAGE_CODES, 1, 2),
    proBono: { offers, professions: offers ? some(random, PROFESSIONS, 1, 2) : [] },
    preferredLanguage: random() < 0.9 ? 'ja' : 'en',
    consents: { mayBeContacted: random() < 0.85, visibleToOtherWards: random() < 0.4 },
  };
}

export function opportunityProfile(random: () => number, organisationId: string, kind: 'volunteer_role' | 'pro_bono_project' | 'collaboration') {
  const common = { organisationId, title: `募集 ${Math.floor(random() * 1e6)}`, description: '', ward: pick(random, WARDS), themes: some(random, THEMES, 1, 2) };
  if (kind === 'pro_bono_project') {
    return { ...common, details: { kind, deliverable: 'ウェブサイト', teamSize: 1 + Math.floor(random() * 3), durationWeeks: 12, hoursPerWeek: 1 + Math.floor(random() * 5), professions: some(random, PROFESSIONS, 1, 2) } };
  }
  if (kind === 'collaboration') return { ...common, details: { kind, direction: 'sought', resources: ['venue'], places: 1 } };
  return {
    ...common,
    details: {
      kind,
      places: 1 + Math.floor(random() * 4),
      schedule: { days: some(random, DAY_KINDS, 0, 1), timeBands: some(random, TIME_BANDS, 0, 2) },
      requiredSkills: normaliseSkills(some(random, ROLE_SKILLS, 0, 2)),
      optionalSkills: normaliseSkills(some(random, ROLE_SKILLS, 0, 2)),
    },
  };
}

/**
 * The city's registrations and openings, spread evenly between `from` and `to` (ISO dates): organisations first,
 * then people and opportunities interleaved, so a replay sees the city grow week by week.
 */
export function generateWorld(size: WorldSize, random: () => number, from = '2025-04-01T00:00:00.000Z', to = from): GeneratedEvent[] {
  const start = Date.parse(from);
  const span = Math.max(0, Date.parse(to) - start);
  const events: GeneratedEvent[] = [];
  for (let g = 0; g < size.organisations; g++) {
    const organisationId = generatedId('g', g);
    const profile = { name: `団体 ${g}`, type: 'npo', wardsServed: some(random, WARDS, 1, 2), themes: some(random, THEMES, 1, 3), contactEmail: `org${g}@example.jp`, description: '' };
    events.push({ streamId: `organisation-${organisationId}`, type: 'OrganisationRegistered', data: { organisationId, profile, by: 'generator', at: from } });
  }
  const total = size.people + size.opportunities;
  let p = 0;
  let o = 0;
  for (let i = 0; i < total; i++) {
    const at = new Date(start + Math.floor((span * i) / Math.max(1, total))).toISOString();
    // Keep the two kinds in proportion along the timeline.
    if (o < size.opportunities && (p >= size.people || o * size.people <= p * size.opportunities)) {
      const opportunityId = generatedId('o', o++);
      const roll = random();
      const kind = roll < 0.8 ? 'volunteer_role' : roll < 0.93 ? 'pro_bono_project' : 'collaboration';
      const organisationId = generatedId('g', Math.floor(random() * Math.max(1, size.organisations)));
      events.push({ streamId: `opportunity-${opportunityId}`, type: 'OpportunityOpened', data: { opportunityId, by: 'generator', at, ...opportunityProfile(random, organisationId, kind) } });
    } else {
      const personId = generatedId('p', p++);
      events.push({ streamId: `person-${personId}`, type: 'PersonRegistered', data: { personId, profile: personProfile(random), by: 'generator', at } });
    }
  }
  return events;
}
