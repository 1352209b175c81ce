import type { RecordedEvent } from '@tsunagi/event-store';
import { SUGGESTION_EVENT_TYPES, SuggestionIndex } from '@tsunagi/suggestions';
import type { Projection } from '../runner/projection';

/**
 * The suggestion index as a projection: people, organisations, opportunities and matches in typed columns in
 * memory, fed by the same checkpointed subscription as every read model. It lives in memory for speed (one query
 * scores every person), so it is rebuilt from position 0 at each start (`inMemory`); the index ignores an event at
 * or below the last position it applied, so a batch the runner replays after a failure changes nothing twice.
 */
export class SuggestionsProjection implements Projection {
  readonly name = 'suggestions';
  readonly version = 1;
  readonly inMemory = true;
  readonly eventTypes = SUGGESTION_EVENT_TYPES;

  constructor(readonly index: SuggestionIndex = new SuggestionIndex()) {}

  setUp(): void {
    // Nothing on disk: the index is in memory.
  }

  tearDown(): void {
    this.index.clear();
  }

  apply(event: RecordedEvent): void {
    this.index.apply(event);
  }
}
