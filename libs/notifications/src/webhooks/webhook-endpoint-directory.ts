import { fold } from '@tsunagi/domain';
import type { EventStore, RecordedEvent } from '@tsunagi/event-store';
import { WEBHOOK_ENDPOINT_STREAM_PREFIX, WebhookEndpointEvent, WebhookEndpointState, webhookEndpointDecider } from './webhook-endpoint';

export interface KnownEndpoint {
  endpointId: string;
  state: WebhookEndpointState;
}

/**
 * The webhook endpoints as the worker needs them, from the event store (the worker keeps no read models): which
 * organisations had an active endpoint just before a position (the dispatcher's fact for the rules, so that a replay
 * plans what the first pass planned), and an organisation's active endpoints now (the processor's, at send time).
 * Endpoint events are few; they are read once and then incrementally.
 */
export class WebhookEndpointDirectory {
  private readonly events: RecordedEvent[] = [];
  private readUpTo = 0;
  private reading?: Promise<void>;

  constructor(private readonly store: EventStore) {}

  /** Organisations with at least one active endpoint after every endpoint event before `position`. */
  async organisationsWithEndpointsBefore(position: number): Promise<Set<string>> {
    await this.refresh();
    const active = new Set<string>();
    for (const { state } of this.fold((e) => e.position < position)) if (state.status === 'active' && state.organisationId) active.add(state.organisationId);
    return active;
  }

  /** The organisation's active endpoints now. */
  async activeEndpoints(organisationId: string): Promise<KnownEndpoint[]> {
    await this.refresh();
    return this.fold(() => true).filter((e) => e.state.status === 'active' && e.state.organisationId === organisationId);
  }

  private fold(include: (event: RecordedEvent) => boolean): KnownEndpoint[] {
    const byStream = new Map<string, RecordedEvent[]>();
    for (const event of this.events) {
      if (!include(event)) continue;
      const list = byStream.get(event.streamId) ?? [];
      list.push(event);
      byStream.set(event.streamId, list);
    }
    return [...byStream].map(([streamId, events]) => ({
      endpointId: streamId.slice(WEBHOOK_ENDPOINT_STREAM_PREFIX.length),
      state: fold(webhookEndpointDecider, events as unknown as WebhookEndpointEvent[]),
    }));
  }

  private refresh(): Promise<void> {
    this.reading ??= (async () => {
      try {
        for (;;) {
          const batch = await this.store.readAll({ after: this.readUpTo, maxCount: 500, filter: { streamPrefixes: [WEBHOOK_ENDPOINT_STREAM_PREFIX] } });
          if (batch.length === 0) break;
          this.events.push(...batch);
          this.readUpTo = batch[batch.length - 1].position;
          if (batch.length < 500) break;
        }
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }
}
