import { COMPONENTS, COMPONENT_LABELS, Component, SuggestionPolicy } from './policy';

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
 * Each component's value, weight and contribution; the score is the contributions summed in COMPONENTS order, the
 * same order the index's scans sum them in (scoreOf), so the score shown is the score ranked by, to the bit.
 */
export function explain(values: ArrayLike<number>, policy: SuggestionPolicy, language: ExplanationLanguage): Explanation {
  const components = COMPONENTS.map((component, i) => {
    const weight = policy.weights[component];
    return { component, label: COMPONENT_LABELS[component][language], value: values[i], weight, contribution: values[i] * weight };
  });
  let score = 0;
  for (const c of components) score += c.contribution;
  return { policy: policy.id, score, components };
}
