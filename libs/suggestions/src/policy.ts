/**
 * What a suggestion's score is made of. Every component's value lies in [0, 1]; its weight (from the policy)
 * says how much it counts, and may be negative (load: people already asked a lot are asked less).
 * The order is fixed: scores and explanations sum the contributions in this order, so they agree to the bit.
 */
export const COMPONENTS = ['skills', 'themes', 'ward', 'availability', 'language', 'load', 'exposure', 'stepUp'] as const;
export type Component = (typeof COMPONENTS)[number];
export const COMPONENT_COUNT = COMPONENTS.length;

export const COMPONENT_LABELS: Record<Component, { ja: string; en: string }> = {
  skills: { ja: 'スキルの一致（必須・任意）', en: 'skill coverage (required and optional)' },
  themes: { ja: '関心テーマの一致', en: 'shared themes' },
  ward: { ja: '区（同じ区・隣の区）', en: 'ward (same or adjacent)' },
  availability: { ja: '活動できる日時・時間', en: 'availability overlap' },
  language: { ja: '言語', en: 'language' },
  load: { ja: '依頼の集中（未回答の提案・担当中の役割）', en: 'load (open proposals and active roles)' },
  exposure: { ja: 'まだ誰も決まっていない募集', en: 'exposure (no one accepted yet)' },
  stepUp: { ja: '担い手へのステップアップ', en: 'step-up (ready to become a bearer, programme alumni)' },
};

/**
 * Weights are a named, versioned policy (`name@version`): a policy once published never changes, so that a
 * suggestion's explanation and a replay can name exactly what ranked it. A change is a new version.
 */
export interface SuggestionPolicy {
  readonly id: string;
  readonly description: string;
  readonly weights: Readonly<Record<Component, number>>;
  /** Open proposals plus active roles at which the load component reaches 1. */
  readonly loadSaturation: number;
}

const policy = (id: string, description: string, weights: Record<Component, number>, loadSaturation = 4): SuggestionPolicy =>
  Object.freeze({ id, description, weights: Object.freeze(weights), loadSaturation });

export const SUGGESTION_POLICIES: Readonly<Record<string, SuggestionPolicy>> = Object.freeze({
  'default@1': policy('default@1', 'Relevance first, with a moderate spread of who is asked and which roles are seen', {
    skills: 0.35,
    themes: 0.15,
    ward: 0.15,
    availability: 0.1,
    language: 0.05,
    load: -0.15,
    exposure: 0.1,
    stepUp: 0.1,
  }),
  // Step-up stays small: it lifts a small group, and a replay of a generated city showed a weight of 0.2 piling
  // proposals onto it (top-10 % share 0.30 against 0.26 for relevance@1); at 0.1 the share falls to 0.24.
  'spread@1': policy('spread@1', 'Spreads proposals: strong load and exposure terms, lifts people ready to step up', {
    skills: 0.3,
    themes: 0.1,
    ward: 0.1,
    availability: 0.1,
    language: 0.05,
    load: -0.35,
    exposure: 0.25,
    stepUp: 0.1,
  }),
  'relevance@1': policy('relevance@1', 'Relevance only (no load, exposure or step-up): the baseline fairness is measured against', {
    skills: 0.4,
    themes: 0.2,
    ward: 0.2,
    availability: 0.15,
    language: 0.05,
    load: 0,
    exposure: 0,
    stepUp: 0,
  }),
});

export const DEFAULT_POLICY_ID = 'default@1';
export const POLICY_IDS = Object.keys(SUGGESTION_POLICIES);

export class UnknownPolicyError extends Error {
  constructor(readonly policyId: string) {
    super(`No suggestion policy is named "${policyId}"; known: ${POLICY_IDS.join(', ')}`);
  }
}

export function policyById(id: string): SuggestionPolicy {
  const found = SUGGESTION_POLICIES[id];
  if (!found) throw new UnknownPolicyError(id);
  return found;
}

/** The weights in component order, for the index's inner loop. */
export function weightVector(policy: SuggestionPolicy): Float64Array {
  return Float64Array.from(COMPONENTS.map((c) => policy.weights[c]));
}
