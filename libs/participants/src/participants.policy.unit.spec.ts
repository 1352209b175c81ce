import { DomainError, Principal, fold } from '@tsunagi/domain';
import type { OrganisationCommand } from './organisation/organisation.commands';
import { organisationDecider } from './organisation/organisation.decider';
import type { OrganisationEvent } from './organisation/organisation.events';
import type { OrganisationProfile } from './organisation/organisation.types';
import { PersonFacts, authorizeOrganisationCommand, authorizePersonCommand, mayContactOrganisation, mayContactPerson, maySeePerson } from './participants.policy';
import type { PersonCommand } from './person/person.commands';
import { personDecider } from './person/person.decider';
import type { PersonEvent } from './person/person.events';
import type { PersonProfile } from './person/person.types';

const at = '2026-04-01T00:00:00.000Z';
const by = 'x';

const who: Record<string, Principal> = {
  admin: { subject: 'a', role: 'admin', wards: [], organisationIds: [] },
  analyst: { subject: 'an', role: 'analyst', wards: [], organisationIds: [] },
  'analyst (with the person id)': { subject: 'an2', role: 'analyst', wards: [], organisationIds: [], personId: 'p-own' },
  'coordinator (own ward)': { subject: 'c1', role: 'coordinator', wards: ['nakahara'], organisationIds: [] },
  'coordinator (other ward)': { subject: 'c2', role: 'coordinator', wards: ['asao'], organisationIds: [] },
  'volunteer (themself)': { subject: 'p-own', role: 'volunteer', wards: [], organisationIds: [], personId: 'p-own' },
  'volunteer (someone else)': { subject: 'p-x', role: 'volunteer', wards: [], organisationIds: [], personId: 'p-x' },
  'volunteer (no person)': { subject: 'v', role: 'volunteer', wards: [], organisationIds: [] },
  'organisation (own)': { subject: 'r1', role: 'organisation', wards: [], organisationIds: ['org-own'] },
  'organisation (other)': { subject: 'r2', role: 'organisation', wards: [], organisationIds: ['org-other'] },
  /** A representative's token may also name the person they are: for their own profile, that is themself. */
  'organisation (themself as a person)': { subject: 'r3', role: 'organisation', wards: [], organisationIds: ['org-other'], personId: 'p-own' },
};
const everyone = Object.keys(who);

const expectAllowed = (may: boolean, run: () => void) => {
  if (may) expect(run).not.toThrow();
  else expect(run).toThrow(expect.objectContaining({ code: 'auth.forbidden' }) as unknown as DomainError);
};

describe('participants policy', () => {
  describe('people', () => {
    const profile: PersonProfile = {
      displayName: '川崎 花子',
      contactEmail: 'hanako@example.jp',
      ward: 'nakahara',
      skills: ['it'],
      themes: ['elderly'],
      availability: { days: ['weekend'], timeBands: ['morning'], hoursPerMonth: 8 },
      languages: ['ja'],
      proBono: { offers: false, professions: [] },
      preferredLanguage: 'ja',
      consents: { mayBeContacted: true, visibleToOtherWards: false },
    };
    const base = { personId: 'p-own', by, at };
    const registered: PersonEvent = { type: 'PersonRegistered', data: { ...base, profile } };
    const state = fold(personDecider, [registered]);
    const nobody = fold(personDecider, []);

    const commands: Record<string, PersonCommand> = {
      UpdatePersonProfile: { type: 'UpdatePersonProfile', ...base, changes: { displayName: '花子' } },
      PausePerson: { type: 'PausePerson', ...base },
      ResumePerson: { type: 'ResumePerson', ...base },
      DeactivatePerson: { type: 'DeactivatePerson', ...base },
    };
    const changers = ['admin', 'coordinator (own ward)', 'volunteer (themself)', 'organisation (themself as a person)'];

    for (const command of Object.keys(commands)) {
      for (const name of everyone) {
        const may = changers.includes(name);
        it(`${name} ${may ? 'may' : 'may not'} ${command}`, () => expectAllowed(may, () => authorizePersonCommand(who[name], commands[command], state)));
      }
    }

    // What reaches a person and what they follow is theirs to choose: not even their ward's coordinator may.
    const ownChoices: Record<string, PersonCommand> = {
      SetNotificationPreferences: { type: 'SetNotificationPreferences', ...base, preferences: { channels: {} } },
      Follow: { type: 'Follow', ...base, target: { type: 'sdc', ward: 'nakahara' } },
      Unfollow: { type: 'Unfollow', ...base, target: { type: 'theme', theme: 'elderly' } },
    };
    const choosers = ['admin', 'volunteer (themself)', 'organisation (themself as a person)'];
    for (const command of Object.keys(ownChoices)) {
      for (const name of everyone) {
        const may = choosers.includes(name);
        it(`${name} ${may ? 'may' : 'may not'} ${command}`, () => expectAllowed(may, () => authorizePersonCommand(who[name], ownChoices[command], state)));
      }
    }

    describe('RegisterPerson', () => {
      const register = (personId: string, ward = profile.ward): PersonCommand => ({ type: 'RegisterPerson', personId, by, at, profile: { ...profile, ward } });
      const allowedFor = ['admin', 'coordinator (own ward)', 'volunteer (themself)'];
      for (const name of everyone) {
        const may = allowedFor.includes(name);
        it(`${name} ${may ? 'may' : 'may not'} register p-own in nakahara`, () => expectAllowed(may, () => authorizePersonCommand(who[name], register('p-own'), nobody)));
      }

      it('a volunteer may not register someone else, and a coordinator only in their wards', () => {
        expectAllowed(false, () => authorizePersonCommand(who['volunteer (themself)'], register('p-x'), nobody));
        expectAllowed(false, () => authorizePersonCommand(who['coordinator (own ward)'], register('p-new', 'asao'), nobody));
        expectAllowed(true, () => authorizePersonCommand(who['coordinator (other ward)'], register('p-new', 'asao'), nobody));
      });
    });

    it('moving a person to another ward needs the new ward too; the person themself may move', () => {
      const move = (ward: PersonProfile['ward']): PersonCommand => ({ type: 'UpdatePersonProfile', ...base, changes: { ward } });
      const both: Principal = { ...who['coordinator (own ward)'], wards: ['nakahara', 'takatsu'] };
      expectAllowed(false, () => authorizePersonCommand(who['coordinator (own ward)'], move('asao'), state));
      expectAllowed(true, () => authorizePersonCommand(both, move('takatsu'), state));
      expectAllowed(true, () => authorizePersonCommand(who['coordinator (own ward)'], move('nakahara'), state));
      expectAllowed(false, () => authorizePersonCommand(who['coordinator (other ward)'], move('asao'), state));
      expectAllowed(true, () => authorizePersonCommand(who['volunteer (themself)'], move('asao'), state));
    });

    it('on an id that does not exist only admins and the person themself reach the decider (nobody learns which ids exist)', () => {
      for (const name of everyone) {
        const may = ['admin', 'volunteer (themself)', 'organisation (themself as a person)'].includes(name);
        expectAllowed(may, () => authorizePersonCommand(who[name], commands.PausePerson, nobody));
      }
    });

    describe('seeing and contacting', () => {
      const person = (consents: PersonFacts['consents']): PersonFacts => ({ personId: 'p-own', ward: 'nakahara', consents });
      const hidden = person({ mayBeContacted: true, visibleToOtherWards: false });
      const visible = person({ mayBeContacted: true, visibleToOtherWards: true });
      const uncontactable = person({ mayBeContacted: false, visibleToOtherWards: true });

      const cases: [string, PersonFacts, string[], string[]][] = [
        // [case, person, who may see, who may contact]
        [
          'own ward only, contactable',
          hidden,
          ['admin', 'coordinator (own ward)', 'volunteer (themself)', 'organisation (themself as a person)'],
          ['admin', 'coordinator (own ward)', 'volunteer (themself)', 'organisation (themself as a person)'],
        ],
        [
          'visible to other wards, contactable',
          visible,
          ['admin', 'coordinator (own ward)', 'coordinator (other ward)', 'volunteer (themself)', 'organisation (themself as a person)'],
          ['admin', 'coordinator (own ward)', 'coordinator (other ward)', 'volunteer (themself)', 'organisation (themself as a person)'],
        ],
        [
          'visible to other wards, not to be contacted',
          uncontactable,
          ['admin', 'coordinator (own ward)', 'coordinator (other ward)', 'volunteer (themself)', 'organisation (themself as a person)'],
          ['admin', 'volunteer (themself)', 'organisation (themself as a person)'],
        ],
      ];
      for (const [label, facts, see, contact] of cases) {
        for (const name of everyone) {
          it(`${label}: ${name} ${see.includes(name) ? 'sees' : 'does not see'} and ${contact.includes(name) ? 'may' : 'may not'} contact`, () => {
            expect(maySeePerson(who[name], facts)).toBe(see.includes(name));
            expect(mayContactPerson(who[name], facts)).toBe(contact.includes(name));
          });
        }
      }
    });
  });

  describe('organisations', () => {
    const profile: OrganisationProfile = {
      name: '中原まちづくりクラブ',
      type: 'civic_group',
      wardsServed: ['nakahara', 'takatsu'],
      themes: ['town_making'],
      contactEmail: 'info@machi.example.jp',
      description: '',
    };
    const base = { organisationId: 'org-own', by, at };
    const events: OrganisationEvent[] = [
      { type: 'OrganisationRegistered', data: { ...base, profile } },
      { type: 'RepresentativeAdded', data: { ...base, personId: 'p1', role: 'representative' } },
    ];
    const state = fold(organisationDecider, events);
    const nobody = fold(organisationDecider, []);

    const commands: Record<string, OrganisationCommand> = {
      RegisterOrganisation: { type: 'RegisterOrganisation', ...base, profile },
      UpdateOrganisation: { type: 'UpdateOrganisation', ...base, changes: { name: '新しい名前' } },
      DeactivateOrganisation: { type: 'DeactivateOrganisation', ...base },
      AddRepresentative: { type: 'AddRepresentative', ...base, personId: 'p2', role: 'staff' },
      RemoveRepresentative: { type: 'RemoveRepresentative', ...base, personId: 'p1' },
    };
    const allowed: Record<string, string[]> = {
      RegisterOrganisation: ['admin', 'coordinator (own ward)'],
      UpdateOrganisation: ['admin', 'coordinator (own ward)', 'organisation (own)'],
      DeactivateOrganisation: ['admin', 'coordinator (own ward)'],
      AddRepresentative: ['admin', 'coordinator (own ward)', 'organisation (own)'],
      RemoveRepresentative: ['admin', 'coordinator (own ward)', 'organisation (own)'],
    };

    for (const [command, allowedFor] of Object.entries(allowed)) {
      for (const name of everyone) {
        const may = allowedFor.includes(name);
        it(`${name} ${may ? 'may' : 'may not'} ${command}`, () =>
          expectAllowed(may, () => authorizeOrganisationCommand(who[name], commands[command], command === 'RegisterOrganisation' ? nobody : state)));
      }
    }

    it('registering needs one served ward; changing the served wards needs one of the new ones (representatives may)', () => {
      const register = (wardsServed: OrganisationProfile['wardsServed']): OrganisationCommand => ({ ...commands.RegisterOrganisation, profile: { ...profile, wardsServed } }) as OrganisationCommand;
      expectAllowed(true, () => authorizeOrganisationCommand(who['coordinator (other ward)'], register(['nakahara', 'asao']), nobody));
      expectAllowed(false, () => authorizeOrganisationCommand(who['coordinator (other ward)'], register(['nakahara']), nobody));

      const serve = (wardsServed: OrganisationProfile['wardsServed']): OrganisationCommand => ({ type: 'UpdateOrganisation', ...base, changes: { wardsServed } });
      expectAllowed(true, () => authorizeOrganisationCommand(who['coordinator (own ward)'], serve(['nakahara', 'asao']), state));
      expectAllowed(false, () => authorizeOrganisationCommand(who['coordinator (own ward)'], serve(['asao']), state));
      expectAllowed(true, () => authorizeOrganisationCommand(who['organisation (own)'], serve(['asao']), state));
    });

    it('organisations are public: on an id that does not exist coordinators and its representatives reach organisation.not_found', () => {
      for (const name of everyone) {
        const may = ['admin', 'coordinator (own ward)', 'coordinator (other ward)', 'organisation (own)'].includes(name);
        expectAllowed(may, () => authorizeOrganisationCommand(who[name], commands.UpdateOrganisation, nobody));
      }
    });

    it('contact details are for everyone but analysts', () => {
      for (const name of everyone) expect(mayContactOrganisation(who[name])).toBe(!name.startsWith('analyst'));
    });
  });
});
