import { fold } from '@tsunagi/domain';
import type { EventStore, RecordedEvent } from '@tsunagi/event-store';
import type { FollowTargets, Recipient } from '@tsunagi/notifications';
import {
  FollowTarget,
  MessageLanguage,
  NotificationPreferences,
  OrganisationEvent,
  PersonEvent,
  organisationDecider,
  organisationStreamId,
  personDecider,
  followKey,
  personStreamId,
} from '@tsunagi/participants';

const FOLLOW_EVENT_TYPES = ['PersonFollowed', 'PersonUnfollowed', 'PersonDeactivated'];

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
  private readonly followEvents: RecordedEvent[] = [];
  private followEventsUpTo = 0;

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

  /**
   * People following an SDC or one of the themes just before `position` of `$all` (and not deactivated then).
   * Reads the follow events once and then only the new ones.
   */
  async followersBefore(targets: FollowTargets, position: number): Promise<string[]> {
    const read = await this.store.readAll({ after: this.followEventsUpTo, filter: { eventTypes: FOLLOW_EVENT_TYPES } });
    this.followEvents.push(...read);
    if (read.length) this.followEventsUpTo = read[read.length - 1].position;
    const keys = new Set([...targets.sdcs.map((ward) => `sdc:${ward}`), ...targets.themes.map((theme) => `theme:${theme}`)]);
    const following = new Map<string, Set<string>>();
    for (const event of this.followEvents) {
      if (event.position >= position) break;
      const { personId, target } = event.data as { personId: string; target?: FollowTarget };
      const follows = following.get(personId) ?? new Set<string>();
      if (event.type === 'PersonDeactivated') following.delete(personId);
      else if (event.type === 'PersonFollowed') following.set(personId, follows.add(followKey(target!)));
      else if (follows.delete(followKey(target!)) && follows.size === 0) following.delete(personId);
    }
    return [...following].filter(([, follows]) => [...follows].some((key) => keys.has(key))).map(([personId]) => personId);
  }

  /** A person's notification preferences now (undefined for anyone else, or a person who never set them). */
  async preferencesOf(recipient: Recipient): Promise<NotificationPreferences | undefined> {
    if (recipient.type !== 'person') return undefined;
    const events = await this.store.readStream(personStreamId(recipient.id));
    return fold(personDecider, events as unknown as PersonEvent[]).notificationPreferences;
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
