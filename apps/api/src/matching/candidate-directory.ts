import { Injectable } from '@nestjs/common';
import { DomainError, Principal } from '@tsunagi/domain';
import type { Candidate } from '@tsunagi/matching';
import { PersonProfile, maySeePerson, organisationDecider, organisationStreamId, personDecider, personStreamId } from '@tsunagi/participants';
import { CommandExecutor } from '@tsunagi/platform';

/**
 * Facts the matching context needs from the participants context, read from their streams (the source of
 * truth) rather than a read model, so a proposal never goes to someone who paused a moment ago.
 */
@Injectable()
export class CandidateDirectory {
  constructor(private readonly executor: CommandExecutor) {}

  /**
   * A coordinator proposes only people they may see: those of their wards, and people of other wards who agreed
   * to be visible to them. Anyone else answers as if the person did not exist.
   */
  async requireMatchable(candidate: Candidate, principal: Principal): Promise<void> {
    if (candidate.type === 'organisation') return this.requireActiveOrganisation(candidate.id);
    await this.requireActivePerson(candidate.id, principal);
  }

  /** A person the principal may see (anyone else answers as if the person did not exist) and who is active: their profile. */
  async requireActivePerson(personId: string, principal: Principal): Promise<PersonProfile> {
    const state = await this.executor.latestState(personDecider, personStreamId(personId));
    if (state.status === 'none' || !maySeePerson(principal, { personId, ward: state.profile!.ward, consents: state.profile!.consents })) {
      throw new DomainError('person.not_found', 'not_found');
    }
    if (state.status !== 'active') throw new DomainError('person.inactive', 'conflict');
    return state.profile!;
  }

  async requireActiveOrganisation(organisationId: string): Promise<void> {
    const state = await this.executor.latestState(organisationDecider, organisationStreamId(organisationId));
    if (state.status === 'none') throw new DomainError('organisation.not_found', 'not_found');
    if (state.status !== 'active') throw new DomainError('organisation.deactivated', 'conflict');
  }
}
