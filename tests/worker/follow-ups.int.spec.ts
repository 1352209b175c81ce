import type { Job } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import { opportunityStreamId } from '@tsunagi/matching';
import { FollowUpJobData, followUpIdFor } from '../../apps/worker/src/notifications/follow-up-job';
import { FOLLOW_UP_PRINCIPAL } from '../../apps/worker/src/notifications/follow-up-processor';
import { COORDINATOR, World } from './support/world';
import { Harness } from './support/harness';

/**
 * Reminders and expiries of unanswered proposals, end to end with short delays: the dispatcher adds delayed
 * follow-up jobs on the real Redis, the follow-up worker checks the match when they fire, reminds by real SMTP,
 * and expires through the command side (SQLite), exactly once; nothing happens to a proposal answered in time.
 */
describe('follow-ups of unanswered proposals (real Redis, SQLite, SMTP)', () => {
  const REMIND_MS = 400;
  const EXPIRE_MS = 1_400;
  let h: Harness;
  let world: World;

  beforeEach(async () => {
    h = await Harness.create({ followUps: { matchReminderAfterMs: REMIND_MS, matchExpiryAfterMs: EXPIRE_MS, meetingReminderBeforeMs: 60_000 } });
    await h.pipeline.start();
    world = new World(h.executor);
  });
  afterEach(async () => {
    await h.close();
  });

  const followUpsDone = async () => {
    const counts = await h.pipeline.followUpQueue.getJobCounts('waiting', 'active', 'delayed', 'failed');
    return counts.waiting + counts.active + counts.delayed === 0;
  };
  const expiries = async (opportunityId: string) => (await h.store.readStream(opportunityStreamId(opportunityId))).filter((e) => e.type === 'MatchExpired');
  const subjects = (address: string) => h.emailsTo(address).map((e) => e.subject).sort();

  async function proposal() {
    const hanako = await world.person({ name: '川崎 花子', email: 'hanako@example.jp', language: 'ja' });
    const org = await world.organisation({ name: 'なかはら子ども食堂', email: 'info@kodomo.example.jp' });
    const cooking = await world.opportunity(org, '子ども食堂の調理スタッフ');
    const matchId = await world.propose(cooking, { type: 'person', id: hanako });
    return { hanako, org, cooking, matchId };
  }

  it('an unanswered proposal: a reminder to the proposed person, then an expiry through the command side, and both sides are told', async () => {
    const started = Date.now();
    const { hanako, org, cooking, matchId } = await proposal();
    const proposed = (await h.store.readStream(opportunityStreamId(cooking))).find((e) => e.type === 'MatchProposed')!;
    // Delayed jobs with ids derived from the proposal.
    await h.until('the follow-ups to be added', async () => !!(await h.pipeline.followUpQueue.getJob(followUpIdFor('match_expiry', proposed.id))));
    expect(await h.pipeline.followUpQueue.getJob(followUpIdFor('match_reminder', proposed.id))).toBeDefined();

    await h.until('the reminder', () => h.emailsTo('hanako@example.jp').some((e) => e.subject.startsWith('【リマインド】')));
    expect(Date.now() - started).toBeGreaterThanOrEqual(REMIND_MS);
    // Not expired yet when reminded.
    expect(await expiries(cooking)).toHaveLength(0);
    expect((await h.inbox({ type: 'person', id: hanako })).map((d) => d.kind).sort()).toEqual(['match_proposed', 'match_reminder']);

    await h.until('the expiry', async () => (await expiries(cooking)).length === 1);
    await h.until('the follow-ups to finish', followUpsDone);
    await h.settle();
    const [expired] = await expiries(cooking);
    expect(expired.data).toMatchObject({ opportunityId: cooking, matchId, by: FOLLOW_UP_PRINCIPAL.subject });
    expect(expired.metadata.actor).toEqual({ role: 'admin', id: FOLLOW_UP_PRINCIPAL.subject });

    expect(subjects('hanako@example.jp')).toEqual(
      ['「子ども食堂の調理スタッフ」へのマッチングのご提案', '【リマインド】「子ども食堂の調理スタッフ」へのマッチングのご提案', '「子ども食堂の調理スタッフ」のマッチングの期限が切れました'].sort(),
    );
    expect(subjects('info@kodomo.example.jp')).toEqual(['「子ども食堂の調理スタッフ」のマッチングの期限が切れました']);
    expect((await h.inbox({ type: 'subject', id: COORDINATOR })).map((d) => d.kind)).toEqual(['match_expired']);
    expect((await h.inbox({ type: 'organisation', id: org })).map((d) => d.kind)).toEqual(['match_expired']);
    expect((await h.pipeline.followUpQueue.getJobCounts('failed')).failed).toBe(0);

    // A retried expiry job (the first attempt wrote, then crashed) finds its own event and writes nothing new.
    const job = { data: { followUpId: followUpIdFor('match_expiry', proposed.id), followUp: 'match_expiry', sourceEventId: proposed.id, sourceStreamId: proposed.streamId, sourceRevision: proposed.revision } } as Job<FollowUpJobData>;
    expect(await h.pipeline.followUpProcessor.process(job)).toEqual({ outcome: 'not_due', reason: 'answered' });
    expect(await expiries(cooking)).toHaveLength(1);

    // Replaying the dispatcher from position 0 adds nothing that runs again and sends nothing new.
    const sent = h.emails.length;
    await h.pipeline.dispatcher.stop();
    h.pipeline.checkpoints.save('notifications', 0);
    h.pipeline.dispatcher.start();
    await h.settle();
    await h.until('replayed follow-ups to finish', followUpsDone);
    await sleep(200);
    expect(h.emails.length).toBe(sent);
    expect(await expiries(cooking)).toHaveLength(1);
  });

  it('the expiry command is idempotent per follow-up: run twice at once or retried, one MatchExpired', async () => {
    // Long delays: the jobs stay delayed, and the test runs the processor itself.
    await h.close();
    h = await Harness.create({ followUps: { matchReminderAfterMs: 60_000, matchExpiryAfterMs: 120_000, meetingReminderBeforeMs: 60_000 } });
    await h.pipeline.start();
    world = new World(h.executor);
    const { cooking } = await proposal();
    const proposed = (await h.store.readStream(opportunityStreamId(cooking))).find((e) => e.type === 'MatchProposed')!;
    const job = { data: { followUpId: followUpIdFor('match_expiry', proposed.id), followUp: 'match_expiry', sourceEventId: proposed.id, sourceStreamId: proposed.streamId, sourceRevision: proposed.revision } } as Job<FollowUpJobData>;
    const outcomes = await Promise.all([h.pipeline.followUpProcessor.process(job), h.pipeline.followUpProcessor.process(job)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['expired', 'expired']);
    expect(await h.pipeline.followUpProcessor.process(job)).toEqual({ outcome: 'not_due', reason: 'answered' });
    expect(await expiries(cooking)).toHaveLength(1);
  });

  it('a proposal answered in time: no reminder, no expiry', async () => {
    const { hanako, cooking, matchId } = await proposal();
    await world.match(cooking, matchId, 'AcceptMatch', hanako);
    const proposed = (await h.store.readStream(opportunityStreamId(cooking))).find((e) => e.type === 'MatchProposed')!;
    await h.until('both follow-ups to have run', async () => {
      const jobs = await Promise.all(['match_reminder', 'match_expiry'].map((f) => h.pipeline.followUpQueue.getJob(followUpIdFor(f as 'match_reminder', proposed.id))));
      return jobs.every((j) => !!j && !!j.finishedOn);
    });
    for (const followUp of ['match_reminder', 'match_expiry'] as const) {
      const job = await h.pipeline.followUpQueue.getJob(followUpIdFor(followUp, proposed.id));
      expect(job!.returnvalue).toEqual({ outcome: 'not_due', reason: 'answered' });
    }
    await h.settle();
    expect(subjects('hanako@example.jp')).toEqual(['「子ども食堂の調理スタッフ」へのマッチングのご提案']);
    expect(await expiries(cooking)).toHaveLength(0);
  });

  it('follow-up jobs carry ids only', async () => {
    await proposal();
    await h.until('the follow-ups to be added', async () => (await h.pipeline.followUpQueue.getJobCounts('delayed', 'completed', 'waiting', 'active')).delayed > 0);
    const jobs = await h.pipeline.followUpQueue.getJobs(['delayed', 'waiting', 'active', 'completed']);
    for (const job of jobs) {
      expect(Object.keys(job.data).sort()).toEqual(['followUp', 'followUpId', 'sourceEventId', 'sourceRevision', 'sourceStreamId']);
      expect(JSON.stringify(job.data)).not.toMatch(/hanako|花子|example\.jp|調理/);
    }
  });
});
