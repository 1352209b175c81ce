import type { ExpectedRevision } from './event-store.port';

/** Errors from the event store carry a stable code, mapped to problem+json at the HTTP edge. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stream was not at the revision the caller read: reload, decide again, retry. */
export class WrongExpectedRevisionError extends EventStoreError {
  readonly code = 'event_store.wrong_expected_revision';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual revision, or `no_stream`. */
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream "${streamId}" expected revision ${String(expected)} but is at ${String(actual)}`);
  }
}

/** An event id was reused for different content, or in another stream or position. */
export class DuplicateEventIdError extends EventStoreError {
  readonly code = 'event_store.duplicate_event_id';
  constructor(
    readonly eventId: string,
    readonly reason: string,
  ) {
    super(`Event id ${eventId} was already stored: ${reason}`);
  }
}

export class InvalidAppendError extends EventStoreError {
  readonly code = 'event_store.invalid_append';
}

export class EventStoreUnavailableError extends EventStoreError {
  readonly code = 'event_store.unavailable';
}
