import { Injectable } from '@nestjs/common';
import { DomainError } from '@tsunagi/domain';
import { personDecider, personStreamId } from '@tsunagi/participants';
import { CommandExecutor } from '@tsunagi/platform';

/**
 * Facts the meetings context needs from the participants context, read from the person's stream (the source of
 * truth): only registered people register or check in (a first-timer is registered through POST /api/people
 * first), and nobody who has left tsunagi.
 */
@Injectable()
export class AttendeeDirectory {
  constructor(private readonly executor: CommandExecutor) {}

  async requirePerson(personId: string): Promise<void> {
    const state = await this.executor.latestState(personDecider, personStreamId(personId));
    if (state.status === 'none') throw new DomainError('person.not_found', 'not_found');
    if (state.status === 'deactivated') throw new DomainError('person.deactivated', 'conflict');
  }
}
