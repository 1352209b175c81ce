import { UnrecoverableError } from 'bullmq';
import type { Job, Queue } from 'bullmq';
import { DomainError, Principal } from '@tsunagi/domain';
import type { Clock, EventStore } from '@tsunagi/event-store';
import { opportunityDecider, opportunityStreamId } from '@tsunagi/matching';
import { FollowUpDecision, followUpAtFireTime } from '@tsunagi/notifications';
import type { CommandExecutor } from '@tsunagi/platform';
import { FollowUpJobData, isFollowUpJobData } from './follow-up-job';
import type { NotificationJobData } from './notification-job';
import type { NotificationPlanner } from './notification-planner';

export type FollowUpOutcome =
  | { outcome: 'not_due'; reason: Extract<FollowUpDecision, { due: false }>['reason'] }
  | { outcome: 'notified'; jobs: number }
  | { outcome: 'expired'; replayed: boolean };

/** The worker's own principal on the command side: it may expire any proposal (the admin role), and says who it is. */
export const FOLLOW_UP_PRINCIPAL: Principal = { subject: 'system:follow-ups', role: 'admin', wards: [], organisationIds: [] };

/**
 * Runs a follow-up when its delay is over, on the source stream as it is now: nothing when the proposal was
 * answered or the meeting changed; a reminder becomes notification jobs (facts as of now: who is registered,
 * who consents); an expiry re-enters through the command side with ids derived from the match, so a retried
 * job finds the MatchExpired it already wrote instead of writing a second one.
 */
export class FollowUpProcessor {
  constructor(
    private readonly store: EventStore,
    private readonly planner: NotificationPlanner,
    private readonly notifications: Queue<NotificationJobData>,
    private readonly executor: CommandExecutor,
    private readonly clock: Clock,
  ) {}

  readonly process = async (job: Job<FollowUpJobData>): Promise<FollowUpOutcome> => {
    if (!isFollowUpJobData(job.data)) throw new UnrecoverableError('malformed_job: the job data is not a follow-up');
    const data = job.data;
    const current = await this.store.readStream(data.sourceStreamId);
    const source = current[data.sourceRevision];
    if (!source || source.revision !== data.sourceRevision || source.id !== data.sourceEventId) {
      throw new UnrecoverableError('source_event_missing: the event that caused it is not in the store');
    }
    const decision = followUpAtFireTime(data.followUp, source, data.sourceRevision, current, this.clock.now());
    if (!decision.due) return { outcome: 'not_due', reason: decision.reason };
    if (decision.action === 'expire_match') return this.expire(data, decision.opportunityId, decision.matchId);

    const addressees = decision.recipients.map((recipient) => ({ kind: decision.kind, recipient }));
    // Consent and webhook endpoints as of now: everything stored so far.
    const jobs = await this.planner.jobsFor(addressees, { id: source.id, streamId: source.streamId, revision: source.revision }, Number.MAX_SAFE_INTEGER, decision.kind);
    if (jobs.length > 0) await this.notifications.addBulk(jobs);
    return { outcome: 'notified', jobs: jobs.length };
  };

  private async expire(data: FollowUpJobData, opportunityId: string, matchId: string): Promise<FollowUpOutcome> {
    try {
      const result = await this.executor.execute(
        opportunityDecider,
        opportunityStreamId(opportunityId),
        // The scope makes the event id a function of the follow-up: one expiry per match, however often the job runs.
        { principal: FOLLOW_UP_PRINCIPAL, correlationId: data.sourceEventId, causationId: data.followUpId, idempotencyScope: `follow-up:${data.followUpId}` },
        { command: (at) => ({ type: 'ExpireMatch' as const, opportunityId, matchId, by: FOLLOW_UP_PRINCIPAL.subject, at }) },
      );
      return { outcome: 'expired', replayed: result.replayed };
    } catch (error) {
      // Answered between the check and the command: the decider refuses, and there is nothing left to do.
      if (error instanceof DomainError && error.code === 'match.invalid_transition') return { outcome: 'not_due', reason: 'answered' };
      throw error;
    }
  }
}
