import { Job } from 'bullmq';
import { EventStore, NewEvent, AppendOptions, newId } from '@tsunagi/event-store';
import { notificationIdFor } from '@tsunagi/notifications';
import { Harness } from './support/harness';
import { World } from './support/world';

/** What the worker promises through replays, retries, crashes and refusals, on the real Redis and a real SMTP server. */

const JOB_DATA_KEYS = ['channel', 'kind', 'notificationId', 'recipient', 'sourceEventId', 'sourceRevision', 'sourceStreamId'];

async function proposeTo(world: World, person: { name: string; email: string; language: 'ja' | 'en' }) {
  const personId = await world.person(person);
  const org = await world.organisation({ name: 'NPO法人 なかはら子ども食堂', email: 'info@kodomo.example.jp' });
  const opportunityId = await world.opportunity(org, '子ども食堂の調理スタッフ');
  const matchId = await world.propose(opportunityId, { type: 'person', id: personId });
  return { personId, org, opportunityId, matchId };
}

describe('delivery guarantees (real Redis, real SMTP)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('job data holds ids only: no name, address or message text reaches Redis', async () => {
    h = await Harness.create();
    await h.pipeline.start({ worker: false });
    const world = new World(h.executor);
    const { personId, opportunityId, matchId } = await proposeTo(world, { name: 'John Smith', email: 'john.private@example.jp', language: 'en' });
    await world.match(opportunityId, matchId, 'AcceptMatch', personId);
    expect(await h.pipeline.dispatcher.waitForPosition(await h.store.headPosition(), 5_000)).toBe(true);

    const hashes = await h.jobHashes();
    expect(hashes).toHaveLength(2 /* proposal: email, inbox */ + 3 /* accepted: coordinator inbox, organisation email and inbox */);
    for (const hash of hashes) {
      const data = JSON.parse(hash.data);
      expect(Object.keys(data).sort()).toEqual(JOB_DATA_KEYS);
      expect(Object.keys(data.recipient).sort()).toEqual(['id', 'type']);
      expect(JSON.parse(hash.opts).jobId).toBe(data.notificationId);
    }
    const personal = ['john.private', 'John Smith', 'info@kodomo', 'なかはら子ども食堂', '子ども食堂の調理スタッフ', 'proposed for', 'マッチング'];
    const before = await h.dumpRedis();
    for (const text of personal) expect(before).not.toContain(text);

    // Delivered and completed, Redis still holds nothing personal (return values and logs included).
    h.pipeline.worker.start();
    await h.settle();
    expect(h.emails).toHaveLength(2);
    const after = await h.dumpRedis();
    for (const text of personal) expect(after).not.toContain(text);
  });

  it('replaying the subscription from position 0 enqueues nothing new and sends nothing new, even once completed jobs are gone', async () => {
    h = await Harness.create();
    await h.pipeline.start();
    const world = new World(h.executor);
    const { personId, opportunityId, matchId } = await proposeTo(world, { name: '川崎 花子', email: 'hanako@example.jp', language: 'ja' });
    await world.match(opportunityId, matchId, 'AcceptMatch', personId);
    await world.match(opportunityId, matchId, 'ConfirmMatch', 'org-rep');
    await h.settle();
    const emails = h.emails.length;
    const counts = await h.counts();
    const jobs = (await h.jobHashes()).length;
    expect(emails).toBe(3);
    expect(counts.completed).toBe(jobs);

    const replay = async () => {
      await h!.pipeline.dispatcher.stop();
      h!.pipeline.checkpoints.save('notifications', 0);
      h!.pipeline.dispatcher.start();
      expect(h!.pipeline.dispatcher.position).toBe(0);
      await h!.settle();
    };
    await replay();
    expect(await h.counts()).toEqual(counts);
    expect((await h.jobHashes()).length).toBe(jobs);
    expect(h.emails).toHaveLength(emails);

    // Completed jobs leave Redis after a while; the delivery records still stop a replay from enqueueing them.
    await h.queue.clean(0, 10_000, 'completed');
    await replay();
    expect(await h.counts()).toEqual({ ...counts, completed: 0 });
    expect(await h.jobHashes()).toEqual([]);
    expect(h.emails).toHaveLength(emails);

    // A restarted worker process resumes after its saved checkpoint, past every event that notifies.
    const saved = h.pipeline.dispatcher.position;
    await h.pipeline.close();
    const restarted = h.newPipeline();
    h.pipeline = restarted;
    await restarted.start();
    const [confirmed] = await h.store.readAll({ filter: { eventTypes: ['MatchConfirmed'] } });
    expect(restarted.dispatcher.position).toBe(saved);
    expect(saved).toBeGreaterThanOrEqual(confirmed.position);
    await h.settle();
    expect(await h.jobHashes()).toEqual([]);
    expect(h.emails).toHaveLength(emails);
  });

  it('contact details, language and consent are read when sending, not when the event happened', async () => {
    h = await Harness.create();
    await h.pipeline.start({ worker: false });
    const world = new World(h.executor);
    const withdraws = await proposeTo(world, { name: '川崎 花子', email: 'hanako@example.jp', language: 'ja' });
    const moves = await proposeTo(world, { name: 'John Smith', email: 'john@example.jp', language: 'en' });
    expect(await h.pipeline.dispatcher.waitForPosition(await h.store.headPosition(), 5_000)).toBe(true);
    await world.updatePerson(withdraws.personId, { consents: { mayBeContacted: false, visibleToOtherWards: false } });
    await world.updatePerson(moves.personId, { contactEmail: 'john.new@example.jp', preferredLanguage: 'ja' });

    h.pipeline.worker.start();
    await h.settle();

    expect(h.emails.map((e) => [e.to, e.subject])).toEqual([[['john.new@example.jp'], '「子ども食堂の調理スタッフ」へのマッチングのご提案']]);
    const [notSent] = await h.failures();
    expect(notSent).toMatchObject({ recipient: { type: 'person', id: withdraws.personId }, channel: 'email', reason: 'not_sent: no_consent', permanent: true });
    const job = (await Job.fromId(h.queue, notSent.notificationId))!;
    expect(await job.getState()).toBe('completed'); // a decision, not an error: nothing for an operator to retry
    expect(job.returnvalue).toEqual({ outcome: 'not_sent', reason: 'not_sent: no_consent' });
    expect((await h.inbox({ type: 'person', id: withdraws.personId })).map((d) => d.kind)).toEqual(['match_proposed']);
  });

  it('a job retried after its email was sent and recorded sends no second email', async () => {
    h = await Harness.create();
    await h.pipeline.start();
    const world = new World(h.executor);
    const { personId } = await proposeTo(world, { name: 'John Smith', email: 'john@example.jp', language: 'en' });
    await h.settle();
    expect(h.emails).toHaveLength(1);
    const [proposed] = await h.store.readAll({ filter: { eventTypes: ['MatchProposed'] } });
    const notificationId = notificationIdFor(proposed.id, { type: 'person', id: personId }, 'email');

    const job = (await Job.fromId(h.queue, notificationId))!;
    expect(job.returnvalue).toEqual({ outcome: 'delivered', messageId: `<${notificationId}@tsunagi.test>` });
    await job.retry('completed');
    await h.settle();

    expect(h.emails).toHaveLength(1);
    expect((await Job.fromId(h.queue, notificationId))!.returnvalue).toEqual({ outcome: 'already_delivered' });
    expect((await h.delivered()).filter((d) => d.notificationId === notificationId)).toHaveLength(1);
  });

  it('a crash between sending and recording resends under the same Message-ID and records one delivery', async () => {
    let crashes = 1;
    // The store refuses the first e-mail delivery record, as if the process had died right after SMTP accepted.
    const crashOnce = (store: EventStore): EventStore =>
      Object.assign(Object.create(store) as EventStore, {
        append: (streamId: string, events: readonly NewEvent[], options?: AppendOptions) => {
          const data = events[0]?.data as { channel?: string } | undefined;
          if (events[0]?.type === 'NotificationDelivered' && data?.channel === 'email' && crashes-- > 0) {
            return Promise.reject(new Error('process died'));
          }
          return store.append(streamId, events, options);
        },
      });
    h = await Harness.create({ wrapStore: crashOnce });
    await h.pipeline.start();
    const world = new World(h.executor);
    await proposeTo(world, { name: '川崎 花子', email: 'hanako@example.jp', language: 'ja' });
    await h.settle();

    expect(h.emails).toHaveLength(2);
    expect(h.emails[1].messageId).toBe(h.emails[0].messageId);
    const delivered = (await h.delivered()).filter((d) => d.channel === 'email');
    expect(delivered).toHaveLength(1);
    expect(delivered[0].messageId).toBe(h.emails[0].messageId);
    const job = (await Job.fromId(h.queue, delivered[0].notificationId))!;
    expect(job.attemptsMade).toBe(2); // the attempt that "crashed", and the retry
    expect(await job.getState()).toBe('completed');
  });

  it('a permanent failure (a 5xx refusal) is recorded with its reason and fails the job at once, without retries', async () => {
    h = await Harness.create({
      attempts: 5,
      smtp: { onRecipient: (address) => (address.startsWith('bounce') ? [550, `5.1.1 <${address}>: Recipient address rejected: mailbox unavailable`] : undefined) },
    });
    await h.pipeline.start();
    const world = new World(h.executor);
    const { personId } = await proposeTo(world, { name: 'Bounce Person', email: 'bounce@example.jp', language: 'en' });
    await h.settle();

    expect(h.emails).toEqual([]);
    const [failure] = await h.failures();
    expect(failure).toMatchObject({ channel: 'email', kind: 'match_proposed', recipient: { type: 'person', id: personId }, permanent: true });
    expect(failure.reason).toMatch(/^smtp_rejected: 550 5\.1\.1 <address>: Recipient address rejected/);
    const job = (await Job.fromId(h.queue, failure.notificationId))!;
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe(failure.reason);
    expect(await h.dumpRedis()).not.toContain('bounce@');
    // The failed job stays visible; the inbox copy was delivered regardless.
    expect((await h.counts()).failed).toBe(1);
    expect((await h.inbox({ type: 'person', id: personId })).map((d) => d.kind)).toEqual(['match_proposed']);
  });

  it('no address is a permanent failure too (an organisation that does not exist)', async () => {
    h = await Harness.create();
    await h.pipeline.start();
    const world = new World(h.executor);
    const org = await world.organisation({ name: '中原商店会', email: 'office@shotenkai.example.jp' });
    const venue = await world.opportunity(org, '朝市の会場', 'collaboration');
    const ghost = newId();
    await world.propose(venue, { type: 'organisation', id: ghost });
    await h.settle();

    expect(await h.failures()).toEqual([expect.objectContaining({ recipient: { type: 'organisation', id: ghost }, reason: 'no_address: the recipient does not exist', permanent: true })]);
    expect((await h.counts()).failed).toBe(1);
  });

  it('transient failures are retried with backoff; the last failed attempt is recorded and the job stays failed', async () => {
    let refusals = 1;
    h = await Harness.create({ attempts: 3, backoffMs: 20, smtp: { onMessage: () => (refusals-- > 0 ? [451, '4.3.0 Try again later'] : undefined) } });
    await h.pipeline.start();
    const world = new World(h.executor);
    await proposeTo(world, { name: '川崎 花子', email: 'hanako@example.jp', language: 'ja' });
    await h.settle();
    expect(h.emails).toHaveLength(1);
    const [delivered] = (await h.delivered()).filter((d) => d.channel === 'email');
    expect((await Job.fromId(h.queue, delivered.notificationId))!.attemptsMade).toBe(2); // refused once, then sent
    expect(await h.failures()).toEqual([]);

    refusals = Infinity;
    await proposeTo(new World(h.executor), { name: '多摩 健太', email: 'kenta@example.jp', language: 'ja' });
    await h.settle();
    const [failure] = await h.failures();
    expect(failure).toMatchObject({ permanent: false, reason: 'smtp_deferred: 451 4.3.0 Try again later' });
    const job = (await Job.fromId(h.queue, failure.notificationId))!;
    expect(job.attemptsMade).toBe(3);
    expect(await job.getState()).toBe('failed');
  });

  it('closing (SIGTERM) lets the job in flight finish and record its delivery', async () => {
    h = await Harness.create({ smtp: { holdMs: 700 } });
    await h.pipeline.start();
    const world = new World(h.executor);
    await proposeTo(world, { name: '川崎 花子', email: 'hanako@example.jp', language: 'ja' });
    const deadline = Date.now() + 5_000;
    while (h.smtp.started === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(h.smtp.started).toBe(1);
    expect(h.emails).toHaveLength(0);

    await h.pipeline.close();

    expect(h.emails).toHaveLength(1);
    const [delivered] = (await h.delivered()).filter((d) => d.channel === 'email');
    expect(delivered.messageId).toBe(h.emails[0].messageId);
    expect(await (await Job.fromId(h.queue, delivered.notificationId))!.getState()).toBe('completed');
  });
});
