import { AnalyticsFact, byTime } from '../facts/analytics-fact';
import { DAY_MS, tokyoDay } from '../time';
import type { LadderRuleSet, Stage } from './ladder-rules';

/** When a person reached a stage, and through which event. */
export interface StageReached {
  stage: Stage;
  atMs: number;
  position: number;
  eventId: string;
  /** The kind of fact that reached it (for a lower stage implied by a higher one: that fact). */
  via: AnalyticsFact['kind'];
}

const earlier = (a: AnalyticsFact | undefined, b: AnalyticsFact | undefined) => (!a ? b : !b ? a : byTime(a, b) <= 0 ? a : b);

/**
 * A person's stage history from their facts alone (any order; facts of other people must not be given).
 *
 * Each stage is reached by the first fact that makes its rule true, so the history up to a date depends only
 * on the facts up to that date. It is a ladder: reaching a stage reaches every lower stage not reached yet at
 * the same moment (a spin-off initiator is a bearer without having attended anything, and counts as a
 * participant from then on), so "at stage k on day D" is simply the highest stage reached by D.
 * Stage 0 is the registration; someone without one (a history imported in part) is at stage 0 from their
 * first fact, so the people who reached each stage are always nested sets.
 */
export function stageHistory(facts: readonly AnalyticsFact[], rules: LadderRuleSet): StageReached[] {
  const sorted = [...facts].sort(byTime);
  const raw: (AnalyticsFact | undefined)[] = [undefined, undefined, undefined, undefined, undefined, undefined];
  const latestOnDay = new Map<string, number>();
  const roleGroups = new Set<string>();
  const reach = (stage: Stage, fact: AnalyticsFact) => {
    if (!raw[stage]) raw[stage] = fact;
  };

  // Facts that reach a stage by themselves, when the rule set counts them.
  const reachesAlone: Partial<Record<AnalyticsFact['kind'], [Stage, boolean]>> = {
    person_registered: [0, true],
    attended: [1, rules.participant.attendedMeeting],
    role_accepted: [1, rules.participant.acceptedRole],
    meeting_held_by_proposer: [4, rules.planner.proposedMeetingHeld],
    spinoff_launched_by_initiator: [4, rules.planner.initiatedSpinOffLaunched],
    coordinates: [5, rules.connector.representsOrganisation],
  };
  for (const fact of sorted) {
    const alone = reachesAlone[fact.kind];
    if (alone?.[1]) reach(alone[0], fact);
    // A role counts when the rules name it: a started match, or a spin-off role in the named list.
    const role = fact.kind === 'role_started' ? rules.bearer.matchStarted : fact.kind === 'spinoff_role' && rules.bearer.spinOffRoles.includes(fact.detail ?? '');
    if (role) {
      reach(3, fact);
      addRoleGroup(fact);
    }
    if (fact.kind === 'attended' || fact.kind === 'hours_logged') addOccasion(fact);
  }

  function addRoleGroup(fact: AnalyticsFact) {
    if (fact.groupId) roleGroups.add(fact.groupId);
    if (roleGroups.size >= rules.connector.distinctOrganisationsOrProjects) reach(5, fact);
  }
  function addOccasion(fact: AnalyticsFact) {
    // A day counts while any of its occasions is inside the window; facts come in time order, so keeping each
    // day's latest occasion is enough. Only a new day can complete the rule (the window only moves forward).
    const day = tokyoDay(fact.atMs);
    const isNewDay = !latestOnDay.has(day);
    latestOnDay.set(day, fact.atMs);
    if (!isNewDay) return;
    const windowStart = fact.atMs - rules.regular.withinDays * DAY_MS;
    let inWindow = 0;
    for (const atMs of latestOnDay.values()) if (atMs > windowStart) inWindow++;
    if (inWindow >= rules.regular.occasions) reach(2, fact);
  }

  // The ladder: a stage is reached no later than any higher stage.
  const history: StageReached[] = [];
  let implied: AnalyticsFact | undefined;
  for (let stage = 5; stage >= 0; stage--) {
    implied = earlier(raw[stage], implied);
    if (implied) history.push({ stage: stage as Stage, atMs: implied.atMs, position: implied.position, eventId: implied.eventId, via: implied.kind });
  }
  return history.reverse();
}

/** The highest stage reached by `asOfMs` (-1 when none, e.g. not registered yet). */
export function stageAsOf(history: readonly StageReached[], asOfMs: number): number {
  let stage = -1;
  for (const reached of history) if (reached.atMs <= asOfMs && reached.stage > stage) stage = reached.stage;
  return stage;
}

/** Groups facts about people by person: the input of `stageHistory` for everyone at once. */
export function personFacts(facts: readonly AnalyticsFact[]): Map<string, AnalyticsFact[]> {
  const byPerson = new Map<string, AnalyticsFact[]>();
  for (const fact of facts) {
    if (!fact.personId) continue;
    let list = byPerson.get(fact.personId);
    if (!list) byPerson.set(fact.personId, (list = []));
    list.push(fact);
  }
  return byPerson;
}
