import { fold } from '@tsunagi/domain';
import { spec } from '@tsunagi/testing';
import { OrganisationCommand } from './organisation.commands';
import { actsFor, organisationDecider } from './organisation.decider';
import { ORGANISATION_EVENT_TYPES, OrganisationEvent, organisationStreamId } from './organisation.events';
import { OrganisationProfile } from './organisation.types';

const at = '2026-04-01T10:00:00.000Z';
const organisationId = 'org-1';
const by = 'coordinator-1';

const profile: OrganisationProfile = {
  name: '中原まちづくりクラブ',
  type: 'civic_group',
  wardsServed: ['nakahara', 'takatsu'],
  themes: ['town_making'],
  contactEmail: 'info@machi.example.jp',
  description: '月に一度の清掃活動。\n\nどなたでも参加できます。',
};

const cmd = (type: OrganisationCommand['type'], data: object = {}) => ({ type, organisationId, by, at, ...data }) as OrganisationCommand;
const ev = (type: OrganisationEvent['type'], data: object = {}) => ({ type, data: { organisationId, ...data, by, at } }) as OrganisationEvent;
const registered = (p: OrganisationProfile = profile) => ev('OrganisationRegistered', { profile: p });
const added = (personId: string, role = 'representative') => ev('RepresentativeAdded', { personId, role });
const deactivated = ev('OrganisationDeactivated');
const given = (events: OrganisationEvent[]) => spec(organisationDecider).given(events);

describe('organisation decider', () => {
  describe('RegisterOrganisation', () => {
    it('registers an organisation, with or without a first representative', () => {
      given([]).when(cmd('RegisterOrganisation', { profile })).then([registered()]);
      given([])
        .when(cmd('RegisterOrganisation', { profile, representative: { personId: 'p1', role: 'representative' } }))
        .then([registered(), added('p1')]);
    });

    it('normalises the profile: NFKC name, full-width e-mail, sets in canonical order, paragraphs kept', () => {
      given([])
        .when(
          cmd('RegisterOrganisation', {
            profile: {
              ...profile,
              name: ' 中原ﾏﾁﾂﾞｸﾘ　ｸﾗﾌﾞ ',
              wardsServed: ['takatsu', 'nakahara', 'takatsu'],
              themes: ['culture', 'town_making'],
              contactEmail: 'ＩＮＦＯ＠ｍａｃｈｉ．ｅｘａｍｐｌｅ．ｊｐ',
              description: '  ＮＰＯと協働。\n\n㈱川崎も参加。 ',
            },
          }),
        )
        .then([
          registered({
            ...profile,
            name: '中原マチヅクリ クラブ',
            wardsServed: ['nakahara', 'takatsu'],
            themes: ['town_making', 'culture'],
            description: 'NPOと協働。\n\n(株)川崎も参加。',
          }),
        ]);
    });

    it('cannot register twice, even after deactivation', () => {
      given([registered()]).when(cmd('RegisterOrganisation', { profile })).thenFails('organisation.already_registered');
      given([registered(), deactivated]).when(cmd('RegisterOrganisation', { profile })).thenFails('organisation.already_registered');
    });

    it.each<[string, Partial<Record<keyof OrganisationProfile, unknown>>]>([
      ['name', { name: '\u3000 ' }],
      ['name', { name: undefined }],
      ['type', { type: 'club' }],
      ['wardsServed', { wardsServed: [] }],
      ['wardsServed', { wardsServed: ['nakahara', 'shibuya'] }],
      ['themes', { themes: ['gardening'] }],
      ['contactEmail', { contactEmail: 'info@machi' }],
      ['description', { description: 7 }],
    ])('refuses an invalid %s: %j', (field, change) => {
      given([])
        .when(cmd('RegisterOrganisation', { profile: { ...profile, ...change } }))
        .thenFails('organisation.invalid', { field });
    });

    it('refuses an invalid first representative', () => {
      given([])
        .when(cmd('RegisterOrganisation', { profile, representative: { personId: 'p1', role: 'owner' } }))
        .thenFails('organisation.invalid', { field: 'role' });
      given([])
        .when(cmd('RegisterOrganisation', { profile, representative: { personId: ' ', role: 'staff' } }))
        .thenFails('organisation.invalid', { field: 'personId' });
    });
  });

  describe('UpdateOrganisation', () => {
    it('records only the fields that changed', () => {
      given([registered()])
        .when(cmd('UpdateOrganisation', { changes: { name: '中原まちづくりクラブ', type: 'npo', wardsServed: ['takatsu', 'nakahara', 'tama'] } }))
        .then([ev('OrganisationUpdated', { changes: { type: 'npo', wardsServed: ['nakahara', 'takatsu', 'tama'] } })]);
    });

    it('yields no event when nothing changes', () => {
      given([registered()]).when(cmd('UpdateOrganisation', { changes: {} })).then([]);
      given([registered()]).when(cmd('UpdateOrganisation', { changes: { ...profile } })).then([]);
      given([registered()])
        .when(cmd('UpdateOrganisation', { changes: { name: '中原まちづくりクラブ ', wardsServed: ['takatsu', 'nakahara'], contactEmail: 'Info@Machi.Example.JP' } }))
        .then([]);
    });

    it('refuses invalid values, a missing organisation and a deactivated one', () => {
      given([registered()]).when(cmd('UpdateOrganisation', { changes: { wardsServed: [] } })).thenFails('organisation.invalid', { field: 'wardsServed' });
      given([]).when(cmd('UpdateOrganisation', { changes: { type: 'npo' } })).thenFails('organisation.not_found');
      given([registered(), deactivated]).when(cmd('UpdateOrganisation', { changes: {} })).thenFails('organisation.deactivated');
    });
  });

  describe('DeactivateOrganisation', () => {
    it('deactivates, with a normalised reason or none', () => {
      given([registered(), added('p1')]).when(cmd('DeactivateOrganisation')).then([deactivated]);
      given([registered()]).when(cmd('DeactivateOrganisation', { reason: ' 解散 ' })).then([ev('OrganisationDeactivated', { reason: '解散' })]);
    });

    it('refuses a missing organisation and a second deactivation', () => {
      given([]).when(cmd('DeactivateOrganisation')).thenFails('organisation.not_found');
      given([registered(), deactivated]).when(cmd('DeactivateOrganisation')).thenFails('organisation.deactivated');
    });
  });

  describe('representatives', () => {
    it('adds representatives and staff', () => {
      given([registered()]).when(cmd('AddRepresentative', { personId: 'p1', role: 'representative' })).then([added('p1')]);
      given([registered(), added('p1')]).when(cmd('AddRepresentative', { personId: 'p2', role: 'staff' })).then([added('p2', 'staff')]);
    });

    it('removes a representative while another remains', () => {
      given([registered(), added('p1'), added('p2', 'staff')])
        .when(cmd('RemoveRepresentative', { personId: 'p1' }))
        .then([ev('RepresentativeRemoved', { personId: 'p1' })]);
    });

    it('refuses a duplicate, an unknown one, the last one, and invalid input', () => {
      given([registered(), added('p1')]).when(cmd('AddRepresentative', { personId: 'p1', role: 'staff' })).thenFails('organisation.representative_exists', { personId: 'p1' });
      given([registered(), added('p1')]).when(cmd('RemoveRepresentative', { personId: 'p2' })).thenFails('organisation.representative_not_found', { personId: 'p2' });
      given([registered()]).when(cmd('RemoveRepresentative', { personId: 'p1' })).thenFails('organisation.representative_not_found');
      given([registered(), added('p1')]).when(cmd('RemoveRepresentative', { personId: 'p1' })).thenFails('organisation.last_representative');
      given([registered()]).when(cmd('AddRepresentative', { personId: 'p1', role: 'owner' })).thenFails('organisation.invalid', { field: 'role' });
      given([registered()]).when(cmd('AddRepresentative', { personId: '', role: 'staff' })).thenFails('organisation.invalid', { field: 'personId' });
    });

    it('can add someone again after removal', () => {
      const history = [registered(), added('p1'), added('p2'), ev('RepresentativeRemoved', { personId: 'p1' })];
      given(history).when(cmd('AddRepresentative', { personId: 'p1', role: 'staff' })).then([added('p1', 'staff')]);
      given(history).when(cmd('RemoveRepresentative', { personId: 'p2' })).thenFails('organisation.last_representative');
    });

    it.each(['AddRepresentative', 'RemoveRepresentative'] as const)('%s: not found, and nothing after deactivation', (type) => {
      given([]).when(cmd(type, { personId: 'p1', role: 'staff' })).thenFails('organisation.not_found');
      given([registered(), added('p1'), added('p2'), deactivated]).when(cmd(type, { personId: 'p1', role: 'staff' })).thenFails('organisation.deactivated');
    });
  });

  it('folds its events into the state, and tells who acts for it', () => {
    expect(fold(organisationDecider, [])).toEqual({ status: 'none', representatives: {} });
    const history = [
      registered(),
      added('p1'),
      added('p2', 'staff'),
      ev('RepresentativeRemoved', { personId: 'p1' }),
      ev('OrganisationUpdated', { changes: { type: 'npo' } }),
    ];
    const state = fold(organisationDecider, history);
    expect(state).toEqual({ status: 'active', organisationId, profile: { ...profile, type: 'npo' }, representatives: { p2: 'staff' } });
    expect(actsFor(state, 'p2')).toBe(true);
    expect(actsFor(state, 'p1')).toBe(false);
    expect(actsFor(state, 'toString')).toBe(false);
    expect(actsFor(fold(organisationDecider, [...history, deactivated]), 'p2')).toBe(false);
  });

  it('names its stream and lists its event types', () => {
    expect(organisationStreamId('abc')).toBe('organisation-abc');
    expect(ORGANISATION_EVENT_TYPES).toEqual(['OrganisationRegistered', 'OrganisationUpdated', 'OrganisationDeactivated', 'RepresentativeAdded', 'RepresentativeRemoved']);
  });
});
