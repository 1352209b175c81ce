/**
 * The progression ladder 参加者→担い手 as data. The rules change over time (the city revises them), so a
 * rule set has an id and the date it came into force; the rule set in force evaluates *all* history, so
 * changing it and rebuilding re-evaluates every person. Every answer names the rule set it used.
 */
export const STAGES = [
  { stage: 0, key: 'registered', ja: '登録', en: 'registered' },
  { stage: 1, key: 'participant', ja: '参加者', en: 'participant' },
  { stage: 2, key: 'regular', ja: '継続参加者', en: 'regular' },
  { stage: 3, key: 'bearer', ja: '担い手', en: 'bearer' },
  { stage: 4, key: 'planner', ja: '企画者', en: 'planner' },
  { stage: 5, key: 'connector', ja: 'つなぎ手', en: 'connector' },
] as const;
export type Stage = (typeof STAGES)[number]['stage'];
export type StageKey = (typeof STAGES)[number]['key'];

export interface LadderRuleSet {
  id: string;
  /** YYYY-MM-DD: the day the city adopted it. */
  effectiveFrom: string;
  /** Bumped whenever the rules of this id change: rebuilds the read model. */
  revision: number;
  description: { ja: string; en: string };
  participant: { attendedMeeting: boolean; acceptedRole: boolean };
  /** Distinct Tokyo days with a check-in or logged hours, within a sliding window. */
  regular: { occasions: number; withinDays: number };
  bearer: { matchStarted: boolean; spinOffRoles: readonly string[] };
  planner: { proposedMeetingHeld: boolean; initiatedSpinOffLaunched: boolean };
  /** Roles (started matches or spin-off roles above) in this many distinct organisations/projects, or representing an organisation. */
  connector: { distinctOrganisationsOrProjects: number; representsOrganisation: boolean };
}

/** DOMAIN.md, "The progression ladder", default rule set. */
export const DEFAULT_LADDER_RULES: LadderRuleSet = {
  id: 'kawasaki-default-2026',
  effectiveFrom: '2026-04-01',
  revision: 1,
  description: {
    ja: '参加=会議出席または役割受諾、継続=180日以内に3日以上、担い手=役割開始またはスピンオフの役割、企画者=提案した会議の開催またはスピンオフの立ち上げ、つなぎ手=2つ以上の団体・企画で役割または団体の代表',
    en: 'participant = attended a meeting or accepted a role; regular = 3+ distinct days within 180 days; bearer = a role started or a named spin-off role; planner = proposed a meeting that was held or initiated a spin-off that launched; connector = roles in 2+ organisations/projects or represents an organisation',
  },
  participant: { attendedMeeting: true, acceptedRole: true },
  regular: { occasions: 3, withinDays: 180 },
  bearer: { matchStarted: true, spinOffRoles: ['organiser', 'staff', 'supporter', 'advisor'] },
  planner: { proposedMeetingHeld: true, initiatedSpinOffLaunched: true },
  connector: { distinctOrganisationsOrProjects: 2, representsOrganisation: true },
};

/** Every rule set the city has adopted, oldest first. */
export const LADDER_RULE_SETS: readonly LadderRuleSet[] = [DEFAULT_LADDER_RULES];

/** The rule set in force on a day (YYYY-MM-DD): the latest adopted on or before it, else the first. */
export function ruleSetInForce(day: string, ruleSets: readonly LadderRuleSet[] = LADDER_RULE_SETS): LadderRuleSet {
  let inForce = ruleSets[0];
  for (const ruleSet of ruleSets) if (ruleSet.effectiveFrom <= day) inForce = ruleSet;
  return inForce;
}

/** What every answer carries to say which rules produced it. */
export function ruleSetSummary(ruleSet: LadderRuleSet) {
  return { id: ruleSet.id, effectiveFrom: ruleSet.effectiveFrom, revision: ruleSet.revision, description: ruleSet.description };
}
