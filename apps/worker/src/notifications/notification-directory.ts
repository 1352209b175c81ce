import { fold } from '@tsunagi/domain';
import type { EventStore, RecordedEvent } from '@tsunagi/event-store';
import type { Recipient } from '@tsunagi/notifications';
import {
  MessageLanguage,
  OrganisationEvent,
  PersonEvent,
  organisationDecider,
  organisationStreamId,
  personDecider,
  personStreamId,
} from '@tsunagi/participants';

/** Why an e-mail is not sent: the first two are failures (nothing to send to), the others are decisions. */
export type NoEmailReason = 'recipient_not_found' | 'no_address' | 'no_consent' | 'recipient_deactivated' | 'no_email_channel';

export interface Contact {
  /** The language the recipient reads: a person's preferredLanguage; Japanese for organisations and coordinators. */
  language: MessageLanguage;
  /** The address to write to, when there is one and it may be used. */
  email?: string;
  noEmail?: NoEmailReason;
}

/** Organisations and coordinators have no language setting: the city's working language. */
const DEFAULT_LANGUAGE: MessageLanguage = 'ja';

/**
 * Reads what notifications need from the event store, at the moment they are needed: contact details and
 * language when sending (never earlier, so nothing personal is copied into Redis), consent as of an event when
 * dispatching, and the source stream for rules and messages.
 */
export class NotificationDirectory {
  constructor(private readonly store: EventStore) {}

  /** The source stream's events before `revision` (the facts the rules see). */
  async earlierEvents(streamId: string, revision: number): Promise<RecordedEvent[]> {
    if (revision <= 0) return [];
    return this.store.readStream(streamId, { fromRevision: 0, maxCount: revision });
  }

  /** The source stream through the source event, or undefined when that event is not where the job says. */
  async upToSource(streamId: string, revision: number, eventId: string): Promise<RecordedEvent[] | undefined> {
    const events = await this.store.readStream(streamId, { fromRevision: 0, maxCount: revision + 1 });
    const source = events[events.length - 1];
    return source && source.revision === revision && source.id === eventId ? events : undefined;
  }

  /** Whether the person had agreed to be contacted just before `position` of `$all` (false for an unknown person). */
  async mayBeContactedBefore(personId: string, position: number): Promise<boolean> {
    const events = (await this.store.readStream(personStreamId(personId))).filter((e) => e.position < position);
    const state = fold(personDecider, events as unknown as PersonEvent[]);
    return state.status !== 'none' && state.status !== 'deactivated' && !!state.profile?.consents.mayBeContacted;
  }

  /** Contact details and language now. */
  async contactOf(recipient: Recipient): Promise<Contact> {
    switch (recipient.type) {
      case 'person': {
        const events = await this.store.readStream(personStreamId(recipient.id));
        const state = fold(personDecider, events as unknown as PersonEvent[]);
        if (state.status === 'none' || !state.profile) return { language: DEFAULT_LANGUAGE, noEmail: 'recipient_not_found' };
        const { preferredLanguage, contactEmail, consents } = state.profile;
        const language = preferredLanguage === 'en' ? 'en' : 'ja';
        if (state.status === 'deactivated') return { language, noEmail: 'recipient_deactivated' };
        if (!consents.mayBeContacted) return { language, noEmail: 'no_consent' };
        return contactEmail ? { language, email: contactEmail } : { language, noEmail: 'no_address' };
      }
      case 'organisation': {
        const events = await this.store.readStream(organisationStreamId(recipient.id));
        const state = fold(organisationDecider, events as unknown as OrganisationEvent[]);
        if (state.status === 'none' || !state.profile) return { language: DEFAULT_LANGUAGE, noEmail: 'recipient_not_found' };
        if (state.status === 'deactivated') return { language: DEFAULT_LANGUAGE, noEmail: 'recipient_deactivated' };
        const email = state.profile.contactEmail;
        return email ? { language: DEFAULT_LANGUAGE, email } : { language: DEFAULT_LANGUAGE, noEmail: 'no_address' };
      }
      case 'subject':
        return { language: DEFAULT_LANGUAGE, noEmail: 'no_email_channel' };
    }
  }
}
