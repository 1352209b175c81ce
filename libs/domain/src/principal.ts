export const ROLES = ['coordinator', 'volunteer', 'organisation', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, from a verified bearer token: a role and the scopes it may act in. */
export interface Principal {
  /** Token subject: the person or service id. */
  subject: string;
  role: Role;
  /** Ward codes a coordinator acts in. */
  wards: string[];
  /** Organisations a representative acts for. */
  organisationIds: string[];
  /** The person a volunteer is. */
  personId?: string;
}

/** The token's JSON claims; short names keep tokens small. */
export interface TokenClaims {
  sub: string;
  role: Role;
  wards?: string[];
  orgs?: string[];
  person?: string;
}
