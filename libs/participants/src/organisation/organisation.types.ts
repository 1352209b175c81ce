import { WARDS, Ward } from '@tsunagi/domain';
import { FieldRules, email, oneOf, prose, requiredText, setOf } from '../shared/profile-rules';
import { THEMES, Theme } from '../shared/vocabulary';

/** The actor types of DOMAIN.md: territorial groups, theme groups, companies, universities, the SDCs and the ward. */
export const ORGANISATION_TYPES = [
  'neighbourhood_association',
  'npo',
  'civic_group',
  'company',
  'university',
  'district_welfare_council',
  'shopping_street',
  'machi_no_hiroba_operator',
  'ward_office',
  'sdc',
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

/** A representative may act for the organisation in the API; the role says in what capacity. */
export const REPRESENTATIVE_ROLES = ['representative', 'staff'] as const;
export type RepresentativeRole = (typeof REPRESENTATIVE_ROLES)[number];

export interface OrganisationProfile {
  name: string;
  type: OrganisationType;
  wardsServed: Ward[];
  themes: Theme[];
  contactEmail: string;
  description: string;
}

export const ORGANISATION_STATUSES = ['none', 'active', 'deactivated'] as const;
export type OrganisationStatus = (typeof ORGANISATION_STATUSES)[number];

export const ORGANISATION_PROFILE_RULES: FieldRules<OrganisationProfile> = {
  name: requiredText,
  type: oneOf(ORGANISATION_TYPES),
  wardsServed: setOf(WARDS, 1),
  themes: setOf(THEMES),
  contactEmail: email,
  description: prose,
};
