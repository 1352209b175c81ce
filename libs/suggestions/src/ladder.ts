/**
 * The ladder stages step-up reads (the analytics ladder's first four; planners and connectors count as bearers).
 * Each person's stage comes from `PersonLadders` of the analytics library: the same facts and rule set as the
 * analysts' read model, so a person the indicators count as a regular is a regular here too.
 */
export const STAGE = { registered: 0, participant: 1, regular: 2, bearer: 3 } as const;
export type Stage = (typeof STAGE)[keyof typeof STAGE];

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
