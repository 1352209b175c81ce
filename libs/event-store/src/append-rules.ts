import type { ExpectedRevision, NewEvent } from './event-store.port';
import { InvalidAppendError, WrongExpectedRevisionError } from './errors';

/** Checks shared by every adapter, so that they reject the same appends with the same errors. */
export function validateNewEvents(streamId: string, events: readonly NewEvent[]): void {
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.startsWith('$')) {
    throw new InvalidAppendError(`Invalid stream id "${streamId}": non-empty, and not starting with "$"`);
  }
  if (events.length === 0) throw new InvalidAppendError('An append needs at least one event');
  const ids = new Set<string>();
  for (const event of events) {
    if (typeof event.id !== 'string' || event.id.length === 0) throw new InvalidAppendError('Every event needs an id');
    if (typeof event.type !== 'string' || event.type.length === 0) throw new InvalidAppendError(`Event ${event.id} needs a type`);
    if (ids.has(event.id)) throw new InvalidAppendError(`Event id ${event.id} appears twice in one append`);
    ids.add(event.id);
  }
}

export function checkExpectedRevision(streamId: string, expected: ExpectedRevision, current: number | 'no_stream'): void {
  if (typeof expected === 'number' && (!Number.isInteger(expected) || expected < 0)) {
    throw new InvalidAppendError(`Expected revision must be a non-negative integer, no_stream, exists or any; got ${expected}`);
  }
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === 'no_stream') ||
    (expected === 'exists' && current !== 'no_stream') ||
    expected === current;
  if (!ok) throw new WrongExpectedRevisionError(streamId, expected, current);
}
