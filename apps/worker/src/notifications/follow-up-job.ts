import { v5 as uuidv5 } from 'uuid';
import { FOLLOW_UPS, FollowUp } from '@tsunagi/notifications';
import { isSourceOfJob } from './notification-job';

/** Delayed jobs that fire later because of an event: reminders and expiries. Keys under the same prefix. */
export const FOLLOW_UP_QUEUE = 'notification-follow-ups';

/** Ids only, like every job: the follow-up and the event that started it. `followUpId` is also the job id. */
export interface FollowUpJobData {
  followUpId: string;
  followUp: FollowUp;
  sourceEventId: string;
  sourceStreamId: string;
  sourceRevision: number;
}

const FOLLOW_UP_NAMESPACE = '3d7b2c90-5a1e-4f6d-8b24-7e9c1a0f4d63';

/** One follow-up of a kind per source event: a replay of the event adds a job that already exists. */
export const followUpIdFor = (followUp: FollowUp, sourceEventId: string) => uuidv5(`${sourceEventId}|${followUp}`, FOLLOW_UP_NAMESPACE);

export function isFollowUpJobData(value: unknown): value is FollowUpJobData {
  const data = value as Partial<FollowUpJobData> | null;
  return !!data && typeof data.followUpId === 'string' && FOLLOW_UPS.includes(data.followUp as FollowUp) && isSourceOfJob(data);
}
