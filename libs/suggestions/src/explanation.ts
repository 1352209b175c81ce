import { COMPONENTS, COMPONENT_COUNT, COMPONENT_LABELS, Component, SuggestionPolicy } from './policy';

export type ExplanationLanguage = 'ja' | 'en';

export interface ComponentExplanation {
  component: Component;
  label: string;
  /** In [0, 1]. */
  value: number;
  weight: number;
  /** value × weight: the components' contributions sum to the score. */
  contribution: number;
}

export interface Explanation {
  policy: string;
  score: number;
  components: ComponentExplanation[];
}

/**
 * The score from component values (in COMPONENTS order) and weights: contributions summed in that order. The
 * index and the explanation both call this, so the score shown is the score ranked by, to the bit.
 */
export function weightedScore(values: ArrayLike<number>, weights: ArrayLike<number>): number {
  let score = 0;
  for (let i = 0; i < COMPONENT_COUNT; i++) score += values[i] * weights[i];
  return score;
}

export function explain(values: ArrayLike<number>, policy: SuggestionPolicy, language: ExplanationLanguage): Explanation {
  const components = COMPONENTS.map((component, i) => {
    const weight = policy.weights[component];
    return { component, label: COMPONENT_LABELS[component][language], value: values[i], weight, contribution: values[i] * weight };
  });
  let score = 0;
  for (const c of components) score += c.contribution;
  return { policy: policy.id, score, components };
}
