import type { OrganisationProfile, RepresentativeRole } from './organisation.types';

/** `by` is the acting principal's subject; `at` comes from the injected clock. */
interface Base {
  organisationId: string;
  by: string;
  at: string;
}

export interface Representative {
  personId: string;
  role: RepresentativeRole;
}

export type OrganisationCommand =
  /**
   * `representative` is optional: a coordinator may register (or import) an organisation before anyone of it
   * has signed up. When given it is added in the same decision.
   */
  | ({ type: 'RegisterOrganisation'; profile: OrganisationProfile; representative?: Representative } & Base)
  | ({ type: 'UpdateOrganisation'; changes: Partial<OrganisationProfile> } & Base)
  | ({ type: 'DeactivateOrganisation'; reason?: string } & Base)
  | ({ type: 'AddRepresentative' } & Representative & Base)
  | ({ type: 'RemoveRepresentative'; personId: string } & Base);

export type OrganisationCommandType = OrganisationCommand['type'];
