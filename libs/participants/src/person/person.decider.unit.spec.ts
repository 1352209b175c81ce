import { fold } from '@tsunagi/domain';
import { spec } from '@tsunagi/testing';
import { PersonCommand } from './person.commands';
import { personDecider } from './person.decider';
import { PERSON_EVENT_TYPES, PersonEvent, personStreamId } from './person.events';
import { PersonProfile } from './person.types';

const at = '2026-04-01T10:00:00.000Z';
const personId = 'person-1';
const by = 'user-1';

const profile: PersonProfile = {
  displayName: '川崎 花子',
  contactEmail: 'hanako@example.jp',
  ward: 'nakahara',
  skills: ['手芸', 'it'],
  themes: ['child_rearing', 'elderly'],
  availability: { days: ['weekend'], timeBands: ['morning', 'afternoon'], hoursPerMonth: 8 },
  languages: ['ja', 'en'],
  proBono: { offers: true, professions: ['it'] },
  preferredLanguage: 'ja',
  consents: { mayBeContacted: true, visibleToOtherWards: false },
};

const cmd = (type: PersonCommand['type'], data: object = {}) => ({ type, personId, by, at, ...data }) as PersonCommand;
const ev = (type: PersonEvent['type'], data: object = {}) => ({ type, data: { personId, ...data, by, at } }) as PersonEvent;
const registered = (p: PersonProfile = profile) => ev('PersonRegistered', { profile: p });
const paused = ev('PersonPaused');
const deactivated = ev('PersonDeactivated');
const given = (events: PersonEvent[]) => spec(personDecider).given(events);

describe('person decider', () => {
  describe('RegisterPerson', () => {
    it('registers a person', () => {
      given([]).when(cmd('RegisterPerson', { profile })).then([registered()]);
    });

    it('normalises the profile: NFKC text, full-width e-mail, tags folded, sets in canonical order', () => {
      const raw: PersonProfile = {
        ...profile,
        displayName: '  ｶﾜｻｷ　 花子 ',
        contactEmail: ' ＨＡＮＡＫＯ＠Ｅｘａｍｐｌｅ．ｊｐ ',
        skills: ['ＩＴ', 'IT', ' it ', '調理', 'ﾃﾞｻﾞｲﾝ', ''],
        themes: ['elderly', 'child_rearing', 'elderly'],
        availability: { days: ['weekend', 'weekday'], timeBands: ['evening', 'morning'], hoursPerMonth: 0 },
        languages: ['vi', 'ja', 'vi'],
      };
      given([])
        .when(cmd('RegisterPerson', { profile: raw }))
        .then([
          registered({
            ...profile,
            displayName: 'カワサキ 花子',
            contactEmail: 'hanako@example.jp',
            skills: ['it', 'cooking', 'design'],
            themes: ['child_rearing', 'elderly'],
            availability: { days: ['weekday', 'weekend'], timeBands: ['morning', 'evening'], hoursPerMonth: 0 },
            languages: ['ja', 'vi'],
          }),
        ]);
    });

    it('keeps only profile fields', () => {
      given([])
        .when(cmd('RegisterPerson', { profile: { ...profile, role: 'admin' } }))
        .then([registered()]);
    });

    it('cannot register twice, even after deactivation', () => {
      given([registered()]).when(cmd('RegisterPerson', { profile })).thenFails('person.already_registered');
      given([registered(), deactivated]).when(cmd('RegisterPerson', { profile })).thenFails('person.already_registered');
    });

    it.each<[string, Partial<Record<keyof PersonProfile, unknown>>]>([
      ['displayName', { displayName: '　 \u3000' }],
      ['displayName', { displayName: 42 }],
      ['displayName', { displayName: undefined }],
      ['contactEmail', { contactEmail: 'hanako at example.jp' }],
      ['contactEmail', { contactEmail: '' }],
      ['ward', { ward: 'yokohama' }],
      ['skills', { skills: 'it' }],
      ['skills', { skills: ['it', 3] }],
      ['themes', { themes: ['gardening'] }],
      ['availability', { availability: null }],
      ['availability.hoursPerMonth', { availability: { ...profile.availability, hoursPerMonth: 201 } }],
      ['availability.hoursPerMonth', { availability: { ...profile.availability, hoursPerMonth: -1 } }],
      ['availability.hoursPerMonth', { availability: { ...profile.availability, hoursPerMonth: Number.NaN } }],
      ['availability.hoursPerMonth', { availability: { ...profile.availability, hoursPerMonth: '8' } }],
      ['availability.days', { availability: { ...profile.availability, days: ['holiday'] } }],
      ['availability.timeBands', { availability: { ...profile.availability, timeBands: ['night'] } }],
      ['languages', { languages: ['fr'] }],
      ['proBono.offers', { proBono: { offers: 'yes', professions: [] } }],
      ['proBono.professions', { proBono: { offers: true, professions: [] } }],
      ['proBono.professions', { proBono: { offers: false, professions: ['chef'] } }],
      ['preferredLanguage', { preferredLanguage: 'zh' }],
      ['consents.visibleToOtherWards', { consents: { mayBeContacted: true } }],
    ])('refuses an invalid %s: %j', (field, change) => {
      given([])
        .when(cmd('RegisterPerson', { profile: { ...profile, ...change } }))
        .thenFails('person.invalid', { field });
    });

    it('accepts the bounds of hoursPerMonth and a pro-bono offer withdrawn', () => {
      for (const hoursPerMonth of [0, 200, 2.5]) {
        const p = { ...profile, availability: { ...profile.availability, hoursPerMonth } };
        given([]).when(cmd('RegisterPerson', { profile: p })).then([registered(p)]);
      }
      const noOffer = { ...profile, proBono: { offers: false, professions: [] } };
      given([]).when(cmd('RegisterPerson', { profile: noOffer })).then([registered(noOffer)]);
    });
  });

  describe('UpdatePersonProfile', () => {
    it('records only the fields that changed', () => {
      given([registered()])
        .when(cmd('UpdatePersonProfile', { changes: { displayName: '川崎 花子', ward: 'tama', skills: ['調理', 'ＩＴ', 'Design'] } }))
        .then([ev('PersonProfileUpdated', { changes: { ward: 'tama', skills: ['cooking', 'it', 'design'] } })]);
    });

    it('replaces nested values whole', () => {
      const consents = { mayBeContacted: false, visibleToOtherWards: false };
      given([registered()]).when(cmd('UpdatePersonProfile', { changes: { consents } })).then([ev('PersonProfileUpdated', { changes: { consents } })]);
    });

    it('yields no event when nothing changes', () => {
      given([registered()]).when(cmd('UpdatePersonProfile', { changes: {} })).then([]);
      given([registered()]).when(cmd('UpdatePersonProfile', { changes: { ...profile } })).then([]);
      // The same values in other forms: full-width, other case, other set order, duplicates.
      given([registered()])
        .when(
          cmd('UpdatePersonProfile', {
            changes: {
              displayName: '川崎　花子',
              contactEmail: 'ＨＡＮＡＫＯ@example.JP',
              skills: ['手芸', 'ＩＴ', 'it'],
              themes: ['elderly', 'child_rearing'],
              availability: { hoursPerMonth: 8, timeBands: ['afternoon', 'morning'], days: ['weekend'] },
              languages: ['en', 'ja', 'en'],
            },
          }),
        )
        .then([]);
    });

    it('applies updates in order, and a change back is a change', () => {
      const history = [registered(), ev('PersonProfileUpdated', { changes: { ward: 'tama' } })];
      given(history).when(cmd('UpdatePersonProfile', { changes: { ward: 'tama' } })).then([]);
      given(history).when(cmd('UpdatePersonProfile', { changes: { ward: 'nakahara' } })).then([ev('PersonProfileUpdated', { changes: { ward: 'nakahara' } })]);
    });

    it('may update while paused', () => {
      given([registered(), paused]).when(cmd('UpdatePersonProfile', { changes: { ward: 'asao' } })).then([ev('PersonProfileUpdated', { changes: { ward: 'asao' } })]);
    });

    it('refuses invalid values, a missing person and a deactivated one', () => {
      given([registered()]).when(cmd('UpdatePersonProfile', { changes: { displayName: ' ' } })).thenFails('person.invalid', { field: 'displayName' });
      given([registered()])
        .when(cmd('UpdatePersonProfile', { changes: { availability: { ...profile.availability, hoursPerMonth: 500 } } }))
        .thenFails('person.invalid', { field: 'availability.hoursPerMonth' });
      given([]).when(cmd('UpdatePersonProfile', { changes: { ward: 'tama' } })).thenFails('person.not_found');
      given([registered(), deactivated]).when(cmd('UpdatePersonProfile', { changes: {} })).thenFails('person.deactivated');
    });
  });

  describe('pause, resume, deactivate', () => {
    it('pauses, with a normalised reason or none', () => {
      given([registered()]).when(cmd('PausePerson')).then([paused]);
      given([registered()]).when(cmd('PausePerson', { reason: ' 育児休業中 ' })).then([ev('PersonPaused', { reason: '育児休業中' })]);
      given([registered()]).when(cmd('PausePerson', { reason: '　' })).then([paused]);
    });

    it('resumes a paused person', () => {
      given([registered(), paused]).when(cmd('ResumePerson')).then([ev('PersonResumed')]);
      given([registered(), paused, ev('PersonResumed')]).when(cmd('PausePerson')).then([paused]);
    });

    it('deactivates an active or a paused person', () => {
      given([registered()]).when(cmd('DeactivatePerson', { reason: 'moved away' })).then([ev('PersonDeactivated', { reason: 'moved away' })]);
      given([registered(), paused]).when(cmd('DeactivatePerson')).then([deactivated]);
    });

    it('refuses illegal moves', () => {
      given([registered(), paused]).when(cmd('PausePerson')).thenFails('person.already_paused');
      given([registered()]).when(cmd('ResumePerson')).thenFails('person.not_paused');
      given([registered(), paused, ev('PersonResumed')]).when(cmd('ResumePerson')).thenFails('person.not_paused');
    });

    it.each(['PausePerson', 'ResumePerson', 'DeactivatePerson'] as const)('%s: not found, and nothing after deactivation', (type) => {
      given([]).when(cmd(type)).thenFails('person.not_found');
      given([registered(), deactivated]).when(cmd(type)).thenFails('person.deactivated');
      given([registered(), paused, deactivated]).when(cmd(type)).thenFails('person.deactivated');
    });
  });

  describe('notification preferences', () => {
    const preferences = { channels: { match_reminder: ['inbox'], meeting_announced: [] }, quietHours: { start: '22:00', end: '07:30' } };

    it('sets them whole, channels in canonical order and without repeats', () => {
      given([registered()])
        .when(cmd('SetNotificationPreferences', { preferences: { channels: { match_proposed: ['inbox', 'email', 'inbox'] } } }))
        .then([ev('NotificationPreferencesSet', { preferences: { channels: { match_proposed: ['email', 'inbox'] } } })]);
      given([registered()]).when(cmd('SetNotificationPreferences', { preferences })).then([ev('NotificationPreferencesSet', { preferences })]);
      const off = { channels: {}, quietHours: null };
      given([registered()]).when(cmd('SetNotificationPreferences', { preferences: off })).then([ev('NotificationPreferencesSet', { preferences: off })]);
    });

    it('records nothing when nothing changes', () => {
      given([registered(), ev('NotificationPreferencesSet', { preferences })]).when(cmd('SetNotificationPreferences', { preferences })).then([]);
    });

    it('refuses unknown kinds and channels, bad or empty quiet hours, a missing or deactivated person', () => {
      const set = (p: object) => cmd('SetNotificationPreferences', { preferences: p });
      given([registered()]).when(set({ channels: { match_gossip: ['email'] } })).thenFails('person.invalid', { field: 'channels.match_gossip' });
      given([registered()]).when(set({ channels: { match_proposed: ['webhook'] } })).thenFails('person.invalid', { field: 'channels.match_proposed' });
      given([registered()]).when(set({ channels: { match_proposed: 'email' } })).thenFails('person.invalid', { field: 'channels.match_proposed' });
      given([registered()]).when(set({})).thenFails('person.invalid', { field: 'channels' });
      given([registered()]).when(set({ channels: {}, quietHours: { start: '25:00', end: '07:00' } })).thenFails('person.invalid', { field: 'quietHours' });
      given([registered()]).when(set({ channels: {}, quietHours: { start: '07:00', end: '07:00' } })).thenFails('person.invalid', { field: 'quietHours' });
      given([]).when(set(preferences)).thenFails('person.not_found');
      given([registered(), deactivated]).when(set(preferences)).thenFails('person.deactivated');
    });
  });

  describe('following SDCs and themes', () => {
    const sdc = { type: 'sdc', ward: 'nakahara' };
    const theme = { type: 'theme', theme: 'elderly' };

    it('follows and unfollows', () => {
      given([registered()]).when(cmd('Follow', { target: sdc })).then([ev('PersonFollowed', { target: sdc })]);
      given([registered(), paused]).when(cmd('Follow', { target: theme })).then([ev('PersonFollowed', { target: theme })]);
      given([registered(), ev('PersonFollowed', { target: sdc })]).when(cmd('Unfollow', { target: sdc })).then([ev('PersonUnfollowed', { target: sdc })]);
    });

    it('following twice or unfollowing what is not followed records nothing', () => {
      given([registered(), ev('PersonFollowed', { target: sdc })]).when(cmd('Follow', { target: sdc })).then([]);
      given([registered(), ev('PersonFollowed', { target: sdc })]).when(cmd('Unfollow', { target: theme })).then([]);
      given([registered(), ev('PersonFollowed', { target: sdc }), ev('PersonUnfollowed', { target: sdc })]).when(cmd('Unfollow', { target: sdc })).then([]);
    });

    it('refuses unknown wards, themes and target types, a missing or deactivated person', () => {
      given([registered()]).when(cmd('Follow', { target: { type: 'sdc', ward: 'shibuya' } })).thenFails('person.invalid', { field: 'target' });
      given([registered()]).when(cmd('Follow', { target: { type: 'theme', theme: 'gossip' } })).thenFails('person.invalid', { field: 'target' });
      given([registered()]).when(cmd('Unfollow', { target: { type: 'person', id: 'x' } })).thenFails('person.invalid', { field: 'target' });
      given([]).when(cmd('Follow', { target: sdc })).thenFails('person.not_found');
      given([registered(), deactivated]).when(cmd('Follow', { target: sdc })).thenFails('person.deactivated');
    });

    it('folds follows and preferences into the state', () => {
      const state = fold(personDecider, [
        registered(),
        ev('PersonFollowed', { target: sdc }),
        ev('PersonFollowed', { target: theme }),
        ev('PersonUnfollowed', { target: sdc }),
        ev('NotificationPreferencesSet', { preferences: { channels: { match_proposed: ['inbox'] } } }),
      ]);
      expect(state.follows).toEqual(['theme:elderly']);
      expect(state.notificationPreferences).toEqual({ channels: { match_proposed: ['inbox'] } });
    });
  });

  it('folds its events into the state', () => {
    expect(fold(personDecider, [])).toEqual({ status: 'none' });
    const history = [registered(), ev('PersonProfileUpdated', { changes: { ward: 'asao' } }), paused];
    expect(fold(personDecider, history)).toEqual({ status: 'paused', personId, profile: { ...profile, ward: 'asao' } });
    expect(fold(personDecider, [...history, ev('PersonResumed')]).status).toBe('active');
    expect(fold(personDecider, [...history, deactivated]).status).toBe('deactivated');
  });

  it('names its stream and lists its event types', () => {
    expect(personStreamId('abc')).toBe('person-abc');
    const profileAndStatus = ['PersonRegistered', 'PersonProfileUpdated', 'PersonPaused', 'PersonResumed', 'PersonDeactivated'];
    expect(PERSON_EVENT_TYPES).toEqual([...profileAndStatus, 'NotificationPreferencesSet', 'PersonFollowed', 'PersonUnfollowed']);
  });
});
