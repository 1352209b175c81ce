/**
 * The 参加者→担い手 ladder, approximated from a person's own history (the analytics ladder library does not
 * exist on this branch yet; when it does, its stage should replace this). Default rules of DOMAIN.md:
 *   1 participant: attended a meeting, or accepted any role
 *   2 regular:     took part on 3+ distinct occasions within 180 days
 *   3 bearer:      a role started
 * Stages are reached, never lost.
 */
export const STAGE = { registered: 0, participant: 1, regular: 2, bearer: 3 } as const;
export type Stage = (typeof STAGE)[keyof typeof STAGE];

const REGULAR_OCCASIONS = 3;
const REGULAR_WINDOW_MS = 180 * 24 * 3600_000;

/** Whether some 3 of these occasions (epoch ms, any order) fall within 180 days. */
export function reachedRegular(occasions: readonly number[]): boolean {
  if (occasions.length < REGULAR_OCCASIONS) return false;
  const sorted = [...occasions].sort((a, b) => a - b);
  for (let i = REGULAR_OCCASIONS - 1; i < sorted.length; i++) {
    if (sorted[i] - sorted[i - REGULAR_OCCASIONS + 1] <= REGULAR_WINDOW_MS) return true;
  }
  return false;
}

export function stageOf(history: { occasions: readonly number[]; rolesStarted: number }): Stage {
  if (history.rolesStarted > 0) return STAGE.bearer;
  if (reachedRegular(history.occasions)) return STAGE.regular;
  return history.occasions.length > 0 ? STAGE.participant : STAGE.registered;
}

/**
 * Step-up: people at participant or regular stage are ready to carry something (regulars most), and alumni of
 * a pro-bono project (a completed pro-bono match) are lifted fully. Bearers and newcomers get nothing here, and
 * neither does anyone holding an active role: "ready" means free to take one. (Without that rule, replays showed
 * the lift piling proposals onto the few alumni week after week.)
 */
export function stepUpValue(stage: Stage, proBonoAlumni: boolean, activeRoles: number): number {
  if (activeRoles > 0) return 0;
  if (proBonoAlumni) return 1;
  if (stage === STAGE.regular) return 1;
  if (stage === STAGE.participant) return 0.6;
  return 0;
}
