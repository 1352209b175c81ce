import { notificationIdFor } from '@tsunagi/notifications';
import { COORDINATOR, World } from './support/world';
import { Harness } from './support/harness';

/**
 * Every trigger of issue 7, end to end: domain commands → events in SQLite → dispatcher → BullMQ on the real Redis
 * → processor → a real SMTP server (and inbox records), each message to the right people in their language.
 */
describe('notification triggers (real Redis, real SMTP)', () => {
  let h: Harness;
  let world: World;

  beforeAll(async () => {
    h = await Harness.create();
    await h.pipeline.start();
    world = new World(h.executor);
  });
  afterAll(async () => {
    await h.close();
  });

  const subjects = (address: string) => h.emailsTo(address).map((e) => e.subject).sort();

  it('matches: the proposed person, then the proposer and the organisation, then the person doing the work, thanked with the hours', async () => {
    const john = await world.person({ name: 'John Smith', email: 'john@example.jp', language: 'en' });
    const hanako = await world.person({ name: '川崎 花子', email: 'hanako@example.jp', language: 'ja' });
    const quiet = await world.person({ name: '静 かおる', email: 'quiet@example.jp', language: 'ja', mayBeContacted: false });
    const kenta = await world.person({ name: '多摩 健太', email: 'kenta@example.jp', language: 'ja' });
    const org = await world.organisation({ name: 'NPO法人 なかはら子ども食堂', email: 'info@kodomo.example.jp' });
    const partner = await world.organisation({ name: '中原商店会', email: 'office@shotenkai.example.jp' });
    const cooking = await world.opportunity(org, '子ども食堂の調理スタッフ');

    // John (English): proposed → accepts → confirmed → started → logs 3 + 4.5 hours → completed.
    const m1 = await world.propose(cooking, { type: 'person', id: john });
    await world.match(cooking, m1, 'AcceptMatch', john);
    await world.match(cooking, m1, 'ConfirmMatch', 'org-rep');
    await world.match(cooking, m1, 'StartMatch', 'org-rep');
    await world.logHours(cooking, m1, john, 3);
    await world.logHours(cooking, m1, john, 4.5);
    await world.match(cooking, m1, 'CompleteMatch', 'org-rep');
    // Hanako (Japanese) declines; the quiet person (no consent) is proposed, then withdrawn by another coordinator;
    // Kenta's proposal expires.
    const m2 = await world.propose(cooking, { type: 'person', id: hanako });
    await world.match(cooking, m2, 'DeclineMatch', hanako, { reason: 'no_time' });
    const m3 = await world.propose(cooking, { type: 'person', id: quiet });
    await world.match(cooking, m3, 'WithdrawMatch', 'coordinator-2');
    const m4 = await world.propose(cooking, { type: 'person', id: kenta });
    await world.match(cooking, m4, 'ExpireMatch', 'system');
    // A collaboration proposed to another organisation.
    const venue = await world.opportunity(org, '朝市の会場', 'collaboration');
    await world.propose(venue, { type: 'organisation', id: partner });

    await h.settle();

    expect(subjects('john@example.jp')).toEqual(
      [
        'You have been proposed for "子ども食堂の調理スタッフ"',
        'You are confirmed for "子ども食堂の調理スタッフ"',
        '"子ども食堂の調理スタッフ" has started',
        'Thank you for "子ども食堂の調理スタッフ"',
      ].sort(),
    );
    const thanks = h.emailsTo('john@example.jp').find((e) => e.subject.startsWith('Thank you'))!;
    expect(thanks.text).toContain('Hours logged: 7.5 in total');
    expect(thanks.contentLanguage).toBe('en');

    expect(subjects('hanako@example.jp')).toEqual(['「子ども食堂の調理スタッフ」へのマッチングのご提案']);
    expect(h.emailsTo('hanako@example.jp')[0].contentLanguage).toBe('ja');
    // An expiry tells both sides: Kenta learns that the proposal lapsed.
    expect(subjects('kenta@example.jp')).toEqual(['「子ども食堂の調理スタッフ」へのマッチングのご提案', '「子ども食堂の調理スタッフ」のマッチングの期限が切れました'].sort());
    // No consent: no e-mail, but the inbox has it.
    expect(h.emailsTo('quiet@example.jp')).toEqual([]);
    expect((await h.inbox({ type: 'person', id: quiet })).map((d) => d.kind)).toEqual(['match_proposed']);

    // The organisation: accepted, declined (with the reason), withdrawn, expired, in Japanese.
    expect(subjects('info@kodomo.example.jp')).toEqual(
      [
        '「子ども食堂の調理スタッフ」のマッチングが承諾されました',
        '「子ども食堂の調理スタッフ」のマッチングが辞退されました',
        '「子ども食堂の調理スタッフ」のマッチングが取り下げられました',
        '「子ども食堂の調理スタッフ」のマッチングの期限が切れました',
      ].sort(),
    );
    expect(h.emailsTo('info@kodomo.example.jp').find((e) => e.subject.includes('辞退'))!.text).toContain('理由: 時間の都合がつかない');
    expect((await h.inbox({ type: 'organisation', id: org })).map((d) => d.kind).sort()).toEqual(
      ['match_accepted', 'match_declined', 'match_expired', 'match_withdrawn'].sort(),
    );
    expect(subjects('office@shotenkai.example.jp')).toEqual(['「朝市の会場」へのマッチングのご提案']);

    // The proposing coordinator: inbox only (no address), every outcome of the matches they proposed.
    const coordinatorInbox = await h.inbox({ type: 'subject', id: COORDINATOR });
    expect(coordinatorInbox.map((d) => d.kind).sort()).toEqual(['match_accepted', 'match_declined', 'match_expired', 'match_withdrawn'].sort());
    expect(coordinatorInbox.every((d) => d.language === 'ja' && d.title && d.body)).toBe(true);

    // Every message carries the Message-ID derived from its notification id.
    for (const email of h.emails) expect(email.messageId).toMatch(/^<[0-9a-f-]{36}@tsunagi\.test>$/);
    const proposal = (await h.delivered()).find((d) => d.channel === 'email' && d.kind === 'match_proposed' && d.recipient.id === john)!;
    expect(proposal.messageId).toBe(`<${proposal.notificationId}@tsunagi.test>`);
    expect(h.emailsTo('john@example.jp').find((e) => e.subject.startsWith('You have been proposed'))!.messageId).toBe(proposal.messageId);
    expect(proposal.notificationId).toBe(notificationIdFor(proposal.sourceEventId, { type: 'person', id: john }, 'email'));
  });

  it('meetings: the proposer when scheduled, everyone registered when rescheduled or cancelled, the promoted person', async () => {
    const aiko = await world.person({ name: '中原 愛子', email: 'aiko@example.jp', language: 'ja' });
    const mary = await world.person({ name: 'Mary Jones', email: 'mary@example.jp', language: 'en' });
    const taro = await world.person({ name: '幸 太郎', email: 'taro@example.jp', language: 'ja' });
    const meeting = await world.proposeMeeting('YORIAI 5月', { subject: `subject-${aiko}`, personId: aiko }, 10);
    const schedule = World.schedule('2026-05-20T19:00:00+09:00', '2026-05-20T21:00:00+09:00', 1);
    await world.onMeeting(meeting, COORDINATOR, (at) => ({ type: 'ApproveMeeting', meetingId: meeting, ...schedule, by: COORDINATOR, at }));
    await world.onMeeting(meeting, mary, (at) => ({ type: 'RegisterForMeeting', meetingId: meeting, personId: mary, by: mary, at }));
    await world.onMeeting(meeting, taro, (at) => ({ type: 'RegisterForMeeting', meetingId: meeting, personId: taro, by: taro, at })); // waitlisted
    const later = World.schedule('2026-05-27T19:00:00+09:00', '2026-05-27T21:00:00+09:00', 1);
    await world.onMeeting(meeting, COORDINATOR, (at) => ({ type: 'RescheduleMeeting', meetingId: meeting, ...later, reason: '祝日のため', by: COORDINATOR, at }));
    await world.onMeeting(meeting, mary, (at) => ({ type: 'CancelMeetingRegistration', meetingId: meeting, personId: mary, by: mary, at })); // taro promoted
    await world.onMeeting(meeting, COORDINATOR, (at) => ({ type: 'CancelMeeting', meetingId: meeting, reason: '台風のため', by: COORDINATOR, at }));

    await h.settle();

    const [scheduled] = h.emailsTo('aiko@example.jp');
    expect(h.emailsTo('aiko@example.jp')).toHaveLength(1);
    expect(scheduled.subject).toBe('「YORIAI 5月」の開催が決まりました');
    expect(scheduled.text).toContain('日時: 2026年5月20日(水) 19:00〜21:00');
    expect(scheduled.text).toContain('場所: 中原市民館 第1会議室');

    expect(subjects('mary@example.jp')).toEqual(['"YORIAI 5月" has been rescheduled']);
    const moved = h.emailsTo('mary@example.jp')[0];
    expect(moved.text).toContain('When: Wed, 27 May 2026, 19:00–21:00 (Japan time)');
    expect(moved.text).toContain('Reason: 祝日のため');

    // Taro waited: told of the new time, then that he has a place, then of the cancellation.
    expect(subjects('taro@example.jp')).toEqual(
      ['「YORIAI 5月」の日程が変更になりました', '「YORIAI 5月」に参加できるようになりました', '「YORIAI 5月」は中止になりました'].sort(),
    );
    expect(h.emailsTo('taro@example.jp').find((e) => e.subject.includes('中止'))!.text).toContain('理由: 台風のため');
    expect((await h.inbox({ type: 'person', id: taro })).map((d) => d.kind).sort()).toEqual(['meeting_cancelled', 'meeting_rescheduled', 'waitlist_promoted']);
  });

  it('spin-offs: a launch tells its initiators, each in their language', async () => {
    const ken = await world.person({ name: '宮前 健', email: 'ken@example.jp', language: 'ja' });
    const lucy = await world.person({ name: 'Lucy Brown', email: 'lucy@example.jp', language: 'en' });
    const spinOff = await world.spinOff('中原の朝市', [ken, lucy], 'some-meeting');
    await world.onSpinOff(spinOff, COORDINATOR, (at) => ({ type: 'AcknowledgeSpinOff', spinOffId: spinOff, by: COORDINATOR, at }));
    await world.onSpinOff(spinOff, ken, (at) => ({ type: 'LaunchSpinOff', spinOffId: spinOff, by: ken, at }));

    await h.settle();

    expect(subjects('ken@example.jp')).toEqual(['スピンオフ企画「中原の朝市」が始動しました']);
    expect(subjects('lucy@example.jp')).toEqual(['Your spin-off "中原の朝市" has launched']);
  });

  it('spin-off roles: an invitation tells each invited person who agreed to be contacted, in their language, once', async () => {
    const rin = await world.person({ name: '高津 凛', email: 'rin@example.jp', language: 'ja' });
    const tom = await world.person({ name: 'Tom White', email: 'tom@example.jp', language: 'en' });
    const shy = await world.person({ name: '麻生 静', email: 'shy@example.jp', language: 'ja', mayBeContacted: false });
    const ini = await world.person({ name: '幸 一', email: 'ini@example.jp', language: 'ja' });
    const spinOff = await world.spinOff('高津の子ども食堂', [ini], 'another-meeting');
    await world.onSpinOff(spinOff, COORDINATOR, (at) => ({ type: 'AcknowledgeSpinOff', spinOffId: spinOff, by: COORDINATOR, at }));
    await world.onSpinOff(spinOff, ini, (at) => ({ type: 'LaunchSpinOff', spinOffId: spinOff, by: ini, at }));
    const role = { roleId: 'role-cook', opportunityId: 'opp-role-cook', title: '調理スタッフ', places: 2, requiredSkills: ['cooking'] };
    await world.onSpinOff(spinOff, COORDINATOR, (at) => ({ type: 'OpenSpinOffRole', spinOffId: spinOff, by: COORDINATOR, at, ...role }));
    const invite = (personIds: string[]) => (at: string) => ({ type: 'InviteToSpinOffRole' as const, spinOffId: spinOff, roleId: role.roleId, personIds, by: COORDINATOR, at });
    await world.onSpinOff(spinOff, COORDINATOR, invite([rin, tom, shy]));
    // Asked again with two more: only the new ones are invited; Mio chose the inbox only for invitations.
    const kai = await world.person({ name: '川崎 海', email: 'kai@example.jp', language: 'ja' });
    const mio = await world.person({ name: '宮前 澪', email: 'mio@example.jp', language: 'ja' });
    await world.setPreferences(mio, { channels: { spinoff_role_invitation: ['inbox'] } });
    await world.onSpinOff(spinOff, COORDINATOR, invite([tom, kai, mio]));

    await h.settle();

    expect(subjects('rin@example.jp')).toEqual(['スピンオフ企画「高津の子ども食堂」の「調理スタッフ」にご参加いただけませんか']);
    expect(h.emailsTo('rin@example.jp')[0].text).toContain('コーディネーターから、スピンオフ企画「高津の子ども食堂」の役割「調理スタッフ」へのお誘いが届きました。');
    expect(subjects('tom@example.jp')).toEqual(['Would you join "高津の子ども食堂" as "調理スタッフ"?']);
    expect(subjects('kai@example.jp')).toEqual(['スピンオフ企画「高津の子ども食堂」の「調理スタッフ」にご参加いただけませんか']);
    // Without consent to be contacted: no e-mail, and not even an inbox entry.
    expect(h.emailsTo('shy@example.jp')).toEqual([]);
    expect(await h.inbox({ type: 'person', id: shy })).toEqual([]);
    expect(h.emailsTo('mio@example.jp')).toEqual([]);
    for (const person of [rin, tom, kai, mio]) {
      expect((await h.inbox({ type: 'person', id: person })).map((d) => d.kind)).toEqual(['spinoff_role_invitation']);
    }
    // The initiator heard of the launch, not of the invitations.
    expect(subjects('ini@example.jp')).toEqual(['スピンオフ企画「高津の子ども食堂」が始動しました']);
  });

  it('sends each message once, and records one delivery per recipient and channel', async () => {
    await h.settle();
    const ids = h.emails.map((e) => e.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    const delivered = await h.delivered();
    expect(new Set(delivered.map((d) => d.notificationId)).size).toBe(delivered.length);
    expect(delivered.filter((d) => d.channel === 'email')).toHaveLength(h.emails.length);
    // The only message not sent is the one nobody wanted: Mio's invitation by e-mail (recorded, not retried).
    expect((await h.failures()).map((f) => [f.kind, f.channel, f.reason, f.permanent])).toEqual([['spinoff_role_invitation', 'email', 'not_sent: channel_not_wanted', true]]);
    expect((await h.counts()).failed).toBe(0);
  });
});
