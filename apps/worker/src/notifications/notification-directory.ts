import { fold } from '@tsunagi/domain';
import type { EventStore, RecordedEvent } from '@tsunagi/event-store';
import type { FollowTargets, Recipient } from '@tsunagi/notifications';
import {
  FollowTarget,
  MessageLanguage,
  NotificationPreferences,
  OrganisationEvent,
  PersonEvent,
  PersonState,
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

/** How many source streams' prefixes are kept (the streams notified about lately: an opportunity, a meeting). */
const CACHED_STREAMS = 64;

/**
 * Reads what notifications need from the event store, at the moment they are needed: contact details and
 * language when sending (never earlier, so nothing personal is copied into Redis), consent as of an event when
 * dispatching, and the source stream for rules and messages.
 */
export class NotificationDirectory {
  private readonly followEvents: RecordedEvent[] = [];
  private followEventsUpTo = 0;
  /** Source streams as far as they were read, most recently used last. */
  private readonly prefixes = new Map<string, RecordedEvent[]>();

  constructor(private readonly store: EventStore) {}

  /** The source stream's events before `revision` (the facts the rules see). */
  async earlierEvents(streamId: string, revision: number): Promise<RecordedEvent[]> {
    if (revision <= 0) return [];
    return this.streamPrefix(streamId, revision);
  }

  /** The source stream through the source event, or undefined when that event is not where the job says. */
  async upToSource(streamId: string, revision: number, eventId: string): Promise<RecordedEvent[] | undefined> {
    const events = await this.streamPrefix(streamId, revision + 1);
    const source = events[events.length - 1];
    return source && source.revision === revision && source.id === eventId ? events : undefined;
  }

  /**
   * The first `count` events of a stream (fewer when it is shorter). Written events never change, so the prefixes
   * read lately are kept and only a stream's newer events are read: the dispatcher and every job of one event
   * would otherwise each read (and parse) the whole stream up to it.
   */
  private async streamPrefix(streamId: string, count: number): Promise<RecordedEvent[]> {
    let prefix = this.prefixes.get(streamId) ?? [];
    if (prefix.length < count) {
      prefix = [...prefix, ...(await this.store.readStream(streamId, { fromRevision: prefix.length, maxCount: count - prefix.length }))];
      // Kept only when revisions run 0, 1, 2… (as the store writes them) and longer than what is kept by now.
      if (!prefix.every((event, i) => event.revision === i) || prefix.length <= (this.prefixes.get(streamId)?.length ?? 0)) return prefix;
    }
    this.prefixes.delete(streamId);
    this.prefixes.set(streamId, prefix);
    if (this.prefixes.size > CACHED_STREAMS) this.prefixes.delete(this.prefixes.keys().next().value!);
    return prefix.slice(0, count);
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

  /** Contact details and language now, and a person's notification preferences now (one read of their stream). */
  async recipientNow(recipient: Recipient): Promise<{ contact: Contact; preferences?: NotificationPreferences }> {
    if (recipient.type !== 'person') return { contact: await this.contactOf(recipient) };
    const events = await this.store.readStream(personStreamId(recipient.id));
    const state = fold(personDecider, events as unknown as PersonEvent[]);
    return { contact: personContact(state), preferences: state.notificationPreferences };
  }

  /** Contact details and language now, of an organisation or a subject. */
  private async contactOf(recipient: Recipient): Promise<Contact> {
    switch (recipient.type) {
      case 'organisation': {
        const events = await this.store.readStream(organisationStreamId(recipient.id));
        const state = fold(organisationDecider, events as unknown as OrganisationEvent[]);
        if (state.status === 'none' || !state.profile) return { language: DEFAULT_LANGUAGE, noEmail: 'recipient_not_found' };
        if (state.status === 'deactivated') return { language: DEFAULT_LANGUAGE, noEmail: 'recipient_deactivated' };
        const email = state.profile.contactEmail;
        return email ? { language: DEFAULT_LANGUAGE, email } : { language: DEFAULT_LANGUAGE, noEmail: 'no_address' };
      }
      default:
        return { language: DEFAULT_LANGUAGE, noEmail: 'no_email_channel' };
    }
  }
}

function personContact(state: PersonState): Contact {
  if (state.status === 'none' || !state.profile) return { language: DEFAULT_LANGUAGE, noEmail: 'recipient_not_found' };
  const { preferredLanguage, contactEmail, consents } = state.profile;
  const language = preferredLanguage === 'en' ? 'en' : 'ja';
  if (state.status === 'deactivated') return { language, noEmail: 'recipient_deactivated' };
  if (!consents.mayBeContacted) return { language, noEmail: 'no_consent' };
  return contactEmail ? { language, email: contactEmail } : { language, noEmail: 'no_address' };
}
