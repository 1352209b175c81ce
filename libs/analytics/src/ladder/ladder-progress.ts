import { AnalyticsFact, byTime } from '../facts/analytics-fact';
import { DAY_MS, tokyoDayNumber } from '../time';
import type { LadderRuleSet, Stage } from './ladder-rules';
import type { StageReached } from './stage-history';


/**
 * A person's ladder as a small state that takes their facts one at a time, in time order (`byTime`), so a
 * projection need not reload a person's facts to restage them. Its `history()` equals `stageHistory` of every
 * fact added (a property test checks it on generated histories, in and out of order).
 *
 * The state: the first fact that reached each stage by its own rule, the last fact taken, the Tokyo days with an
 * occasion still inside the regular window (until 'regular' is reached), and the role groups (until 'connector'
 * is reached). A fact earlier than the last one taken cannot be added (`add` returns false and changes nothing):
 * the caller then rebuilds the state from all the person's facts with `LadderProgress.of`.
 */
export class LadderProgress {
  private readonly firsts: (AnalyticsFact | undefined)[] = [undefined, undefined, undefined, undefined, undefined, undefined];
  private last: AnalyticsFact | undefined;
  /** Tokyo day number → the latest occasion on it, only days that a later occasion's window can still see. */
  private occasionDays: Map<number, number> | undefined = new Map();
  private roleGroups: Set<string> | undefined = new Set();
  private historyChanges = 0;

  constructor(private readonly rules: LadderRuleSet) {}

  /** The state after all these facts (any order). */
  static of(facts: readonly AnalyticsFact[], rules: LadderRuleSet): LadderProgress {
    const progress = new LadderProgress(rules);
    for (const fact of [...facts].sort(byTime)) progress.add(fact);
    return progress;
  }

  /** Takes the person's next fact; false (and nothing changed) when it comes before the last one taken. */
  add(fact: AnalyticsFact): boolean {
    if (this.last && byTime(fact, this.last) < 0) return false;
    this.last = fact;
    const rules = this.rules;
    switch (fact.kind) {
      case 'person_registered':
        this.reach(0, fact);
        break;
      case 'attended':
        if (rules.participant.attendedMeeting) this.reach(1, fact);
        this.occasion(fact);
        break;
      case 'role_accepted':
        if (rules.participant.acceptedRole) this.reach(1, fact);
        break;
      case 'hours_logged':
        this.occasion(fact);
        break;
      case 'role_started':
        if (rules.bearer.matchStarted) this.role(fact);
        break;
      case 'spinoff_role':
        if (rules.bearer.spinOffRoles.includes(fact.detail ?? '')) this.role(fact);
        break;
      case 'meeting_held_by_proposer':
        if (rules.planner.proposedMeetingHeld) this.reach(4, fact);
        break;
      case 'spinoff_launched_by_initiator':
        if (rules.planner.initiatedSpinOffLaunched) this.reach(4, fact);
        break;
      case 'coordinates':
        if (rules.connector.representsOrganisation) this.reach(5, fact);
        break;
    }
    return true;
  }

  /**
   * How many times `history()` changed: it depends only on the first fact of each stage, so this counts the stages
   * reached so far by their own rule. Equal counts of one state mean equal histories: a caller that stored a
   * history can tell that facts changed nothing without asking for it again.
   */
  get changes(): number {
    return this.historyChanges;
  }

  /** The highest stage reached so far (-1: none), the last of `history()`, without building it. */
  get highest(): Stage | -1 {
    for (let stage = 5; stage >= 0; stage--) if (this.firsts[stage]) return stage as Stage;
    return -1;
  }

  /** When each stage was reached so far: the same as `stageHistory` of the facts added. */
  history(): StageReached[] {
    const history: StageReached[] = [];
    let implied: AnalyticsFact | undefined;
    for (let stage = 5; stage >= 0; stage--) {
      const own = this.firsts[stage];
      // The ladder: a stage is reached no later than any higher stage (the earlier of the two facts).
      if (own && (!implied || byTime(own, implied) <= 0)) implied = own;
      if (implied) history.push({ stage: stage as Stage, atMs: implied.atMs, position: implied.position, eventId: implied.eventId, via: implied.kind });
    }
    return history.reverse();
  }

  private reach(stage: Stage, fact: AnalyticsFact): void {
    if (this.firsts[stage]) return;
    this.firsts[stage] = fact;
    this.historyChanges++;
  }

  private role(fact: AnalyticsFact): void {
    this.reach(3, fact);
    if (!this.roleGroups) return; // connector already reached: more groups change nothing
    if (fact.groupId) this.roleGroups.add(fact.groupId);
    if (this.roleGroups.size >= this.rules.connector.distinctOrganisationsOrProjects) {
      this.reach(5, fact);
      this.roleGroups = undefined;
    }
  }

  private occasion(fact: AnalyticsFact): void {
    const days = this.occasionDays;
    if (!days) return; // regular already reached
    const day = tokyoDayNumber(fact.atMs);
    const isNewDay = !days.has(day);
    days.set(day, fact.atMs);
    if (!isNewDay) return;
    // The window only moves forward: a day that falls out of it now never counts again.
    const windowStart = fact.atMs - this.rules.regular.withinDays * DAY_MS;
    for (const [known, atMs] of days) if (atMs <= windowStart) days.delete(known);
    if (days.size >= this.rules.regular.occasions) {
      this.reach(2, fact);
      this.occasionDays = undefined;
    }
  }
}
