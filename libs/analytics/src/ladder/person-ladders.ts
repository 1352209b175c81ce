import { AnalyticsFact, PERSON_FACT_KINDS } from '../facts/analytics-fact';
import { MemoryFactLookups, SourceEvent, factsOf } from '../facts/fact-extractor';
import { LadderProgress } from './ladder-progress';
import type { LadderRuleSet, Stage } from './ladder-rules';

const LADDER_KINDS: ReadonlySet<string> = new Set(PERSON_FACT_KINDS);

/**
 * Each person's highest stage on the ladder, kept in memory event by event from the same facts and rules as the
 * analytics read model, for whoever ranks people by it (the suggestions' step-up): the two agree by construction.
 * A fact that comes before one already taken (streams interleave out of time order) re-evaluates that person from
 * all their ladder facts, as the projection does.
 */
export class PersonLadders {
  private lookups = new MemoryFactLookups();
  private readonly people = new Map<string, { facts: AnalyticsFact[]; progress: LadderProgress; highest: Stage | -1 }>();

  constructor(readonly rules: LadderRuleSet) {}

  /**
   * Takes an event; returns the people whose highest stage it raised. An event the facts cannot be read from (one
   * about a meeting or match never seen, as in a partial history) moves nobody: ranking must not stop at it.
   */
  apply(event: SourceEvent): string[] {
    let facts: AnalyticsFact[];
    try {
      facts = factsOf(event, this.lookups);
    } catch {
      return [];
    }
    const raised: string[] = [];
    for (const fact of facts) {
      if (!fact.personId || !LADDER_KINDS.has(fact.kind)) continue;
      let person = this.people.get(fact.personId);
      if (!person) this.people.set(fact.personId, (person = { facts: [], progress: new LadderProgress(this.rules), highest: -1 }));
      person.facts.push(fact);
      if (!person.progress.add(fact)) person.progress = LadderProgress.of(person.facts, this.rules);
      const highest = person.progress.highest;
      if (highest > person.highest) {
        person.highest = highest;
        raised.push(fact.personId);
      }
    }
    return raised;
  }

  /** The highest stage a person has reached (0 registered … 5 connector), -1 before any ladder fact of theirs. */
  highestStage(personId: string): Stage | -1 {
    return this.people.get(personId)?.highest ?? -1;
  }

  clear(): void {
    this.people.clear();
    this.lookups = new MemoryFactLookups();
  }
}
