import { Injectable } from '@nestjs/common';
import { DomainError } from '@tsunagi/domain';
import { meetingDecider, meetingStreamId } from '@tsunagi/meetings';
import { personDecider, personStreamId } from '@tsunagi/participants';
import { CommandExecutor } from '@tsunagi/platform';
import type { MeetingOutcomeRef } from '@tsunagi/spinoffs';

/**
 * Facts a spin-off needs from other contexts, read from their streams (the source of truth) rather than a read
 * model: the meeting outcomes it comes from exist (the lineage is recorded, so it must be true when recorded),
 * and the people who start or join it are registered and have not left tsunagi.
 */
@Injectable()
export class SpinOffDirectory {
  constructor(private readonly executor: CommandExecutor) {}

  /** Every origin names a closed meeting and one of the outcomes it closed with. */
  async requireOrigins(origins: readonly MeetingOutcomeRef[]): Promise<void> {
    const meetings = new Map<string, Awaited<ReturnType<SpinOffDirectory['meeting']>>>();
    for (const { meetingId, outcomeId } of origins) {
      if (!meetings.has(meetingId)) meetings.set(meetingId, await this.meeting(meetingId));
      const state = meetings.get(meetingId)!;
      if (state.status === 'none') throw new DomainError('meeting.not_found', 'not_found', { meetingId });
      if (state.status !== 'closed' || !state.outcomes.some((outcome) => outcome.outcomeId === outcomeId)) {
        throw new DomainError('spinoff.origin_invalid', 'invalid', { meetingId, outcomeId });
      }
    }
  }

  async requirePeople(personIds: readonly string[]): Promise<void> {
    for (const personId of personIds) {
      const state = await this.executor.latestState(personDecider, personStreamId(personId));
      if (state.status === 'none') throw new DomainError('person.not_found', 'not_found', { personId });
      if (state.status === 'deactivated') throw new DomainError('person.deactivated', 'conflict', { personId });
    }
  }

  private async meeting(meetingId: string) {
    return (await this.executor.load(meetingDecider, meetingStreamId(meetingId))).state;
  }
}
