import type { DomainEvent } from '@tsunagi/domain';
import type { OrganisationProfile, RepresentativeRole } from './organisation.types';

/**
 * An organisation's profile, status and representatives, stream `organisation-<id>`. Representatives live in
 * the same stream so that "never remove the last one" is checked against one expected revision.
 * Profile values are already normalised. `at` is the decision time from the injected clock (ISO-8601).
 */
export type OrganisationEvent =
  | DomainEvent<'OrganisationRegistered', { organisationId: string; profile: OrganisationProfile; by: string; at: string }>
  /** Only the fields that changed. */
  | DomainEvent<'OrganisationUpdated', { organisationId: string; changes: Partial<OrganisationProfile>; by: string; at: string }>
  | DomainEvent<'OrganisationDeactivated', { organisationId: string; reason?: string; by: string; at: string }>
  | DomainEvent<'RepresentativeAdded', { organisationId: string; personId: string; role: RepresentativeRole; by: string; at: string }>
  | DomainEvent<'RepresentativeRemoved', { organisationId: string; personId: string; by: string; at: string }>;

export type OrganisationEventType = OrganisationEvent['type'];

export const ORGANISATION_EVENT_TYPES: readonly OrganisationEventType[] = [
  'OrganisationRegistered',
  'OrganisationUpdated',
  'OrganisationDeactivated',
  'RepresentativeAdded',
  'RepresentativeRemoved',
];

export const organisationStreamId = (organisationId: string) => `organisation-${organisationId}`;
