import { v5 as uuidv5 } from 'uuid';
import { Decider, DomainEvent, Role, SKILL_TAXONOMY, THEMES, Theme, WARDS, WARD_NAMES, Ward, areAdjacentWards, seededRandom } from '@tsunagi/domain';
import { Candidate, DECLINE_REASONS, END_EARLY_REASONS, OpportunityCommand, OpportunityDetails, PROFESSIONS, opportunityDecider, opportunityStreamId } from '@tsunagi/matching';
import { MeetingCommand, MeetingFormat, SDC_CATALOGUE, SdcCommand, meetingDecider, meetingStreamId, sdcDecider, sdcOrganisationId, sdcStreamId } from '@tsunagi/meetings';
import {
  ORGANISATION_TYPES,
  OrganisationCommand,
  OrganisationType,
  PersonCommand,
  PersonProfile,
  organisationDecider,
  organisationStreamId,
  personDecider,
  personStreamId,
} from '@tsunagi/participants';
import { EXIT_STRATEGIES, MEMBER_ROLES, SpinOffCommand, spinOffDecider, spinOffStreamId } from '@tsunagi/spinoffs';
import { organisationName, personName, pick } from './japanese-names';

/** How big a city to generate, from which seed, ending on which day. The same options always give the same history. */
export interface DemoCityOptions {
  seed: number;
  people: number;
  organisations: number;
  months: number;
  /** The last day of the history (YYYY-MM-DD, Asia/Tokyo): nothing is planned after it. */
  until: string;
}

export const DEFAULT_DEMO_CITY: Omit<DemoCityOptions, 'until'> = { seed: 2026, people: 3000, organisations: 300, months: 12 };

/** One command at one moment, as someone would send it through the API. */
export interface DemoStep {
  at: number;
  by: string;
  role: Role;
  streamId: string;
  decider: Decider<unknown, unknown, DomainEvent>;
  command: (at: string) => unknown;
}

/** Ids a newcomer can try the API with: a volunteer with an open proposal, an organisation and its representative. */
export interface DemoCitySample {
  coordinatorWard: Ward;
  volunteerPersonId: string;
  organisationId: string;
  representativePersonId: string;
}

export interface DemoCityPlan {
  steps: DemoStep[];
  counts: { people: number; organisations: number; opportunities: number; meetings: number; spinOffs: number; proposals: number };
  sample: DemoCitySample;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const DEMO_NAMESPACE = '0b7f3c52-4a8e-4d0b-9c61-7e2d5f1a3b90';

/** Residents by ward, roughly as Kawasaki's population is spread (thousands, 2025). */
const WARD_WEIGHTS: Record<Ward, number> = { kawasaki: 230, saiwai: 170, nakahara: 265, takatsu: 235, miyamae: 230, tama: 220, asao: 180 };
const ORGANISATION_TYPE_WEIGHTS: Partial<Record<OrganisationType, number>> = {
  neighbourhood_association: 30,
  civic_group: 20,
  npo: 15,
  machi_no_hiroba_operator: 10,
  company: 8,
  shopping_street: 5,
  district_welfare_council: 5,
  university: 4,
  ward_office: 3,
};
const SKILL_WORDS = SKILL_TAXONOMY.flatMap((s) => [s.ja, s.ja, s.en, ...s.synonyms.slice(0, 1)]);
const FREE_SKILLS = ['傾聴', '手話', '書道', 'けん玉', '将棋', 'プログラミング教室', '読み聞かせ'];
const ROLE_TITLES: Partial<Record<Theme, string[]>> = {
  child_rearing: ['子ども食堂の調理スタッフ', '学習支援ボランティア', '子育てひろばの見守り'],
  elderly: ['認知症カフェの運営スタッフ', '高齢者の買い物付き添い', '体操教室の補助'],
  disaster_prevention: ['防災訓練の運営', '避難所運営ゲームの進行', '防災マップづくり'],
  environment_green: ['公園の花壇づくり', '多摩川の清掃', '緑化ボランティア'],
  town_making: ['マルシェの運営スタッフ', 'まちのひろばの受付', '地域のお祭りスタッフ'],
  culture: ['地域の歴史講座の準備', '音楽会の運営', '写真展の設営'],
  sports: ['ラジオ体操の見守り', '少年野球の審判補助', 'ウォーキング会の先導'],
  multicultural: ['日本語教室のサポーター', '多言語の案内づくり', '国際交流会の通訳'],
  welfare: ['配食サービスの配達', '福祉施設の行事補助', '見守り訪問'],
};
const MEETING_TITLES: Record<Ward, string> = {
  kawasaki: 'まちのひろば相談会',
  saiwai: 'まちのおと',
  nakahara: 'YORIAI',
  takatsu: 'まちづくりカフェたかつ',
  miyamae: 'みやまえBASE 企画会議',
  tama: '多摩区SDC 月例全体会',
  asao: 'あさお まちのひろばフェス準備会',
};
const PROPOSED_MEETING_TOPICS = ['空き家を地域の居場所に', '子育て世代の防災を考える', '商店街に若者を呼ぶには', '公園をもっと使う', '外国ルーツの子どもの学び', '高齢者のスマホ相談会', 'フードドライブをはじめよう'];
const OUTCOME_TEXTS = ['月1回の朝市を試す', '子ども食堂の担い手を募る', '防災マップを多言語で作る', '空き店舗でカフェを開く', '公園清掃を定例化する', '大学生と商店会の連携企画', '高齢者向けスマホ教室を開く'];

/**
 * A year (by default) of a living city, as commands at moments: SDC coordinators, residents and organisations
 * registering; monthly meetings and proposed ones (approved, rejected, withdrawn, rescheduled, cancelled) with
 * registrations, waitlists, check-ins and minutes; spin-offs launched from meeting outcomes with members, roles,
 * milestones and exit strategies; volunteer roles, pro-bono projects and collaborations whose matches reach every
 * state. Pure: the seed and options decide everything, so two runs plan the same steps in the same order.
 */
export function planDemoCity(options: DemoCityOptions): DemoCityPlan {
  const random = seededRandom(options.seed);
  const chance = (p: number) => random() < p;
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const someOf = <T>(items: readonly T[], min: number, max: number): T[] => {
    const pool = [...items];
    const out: T[] = [];
    for (let n = between(min, Math.min(max, pool.length)); n > 0; n--) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
    return out;
  };
  const idOf = (kind: string, n: number) => uuidv5(`${options.seed}:${kind}:${n}`, DEMO_NAMESPACE);

  const end = Date.parse(`${options.until}T23:59:59+09:00`);
  if (Number.isNaN(end)) throw new Error(`until must be a date (YYYY-MM-DD), not ${options.until}`);
  const start = end - options.months * 30 * DAY;
  const steps: DemoStep[] = [];
  const add = <C>(at: number, by: string, role: Role, streamId: string, decider: Decider<never, C, DomainEvent>, command: (at: string) => C) => {
    if (at <= end) steps.push({ at, by, role, streamId, decider: decider as unknown as DemoStep['decider'], command });
  };
  const onPerson = (at: number, by: string, role: Role, personId: string, command: (at: string) => PersonCommand) =>
    add(at, by, role, personStreamId(personId), personDecider as never, command);
  const onOrganisation = (at: number, by: string, organisationId: string, command: (at: string) => OrganisationCommand) =>
    add(at, by, 'coordinator', organisationStreamId(organisationId), organisationDecider as never, command);
  const onOpportunity = (at: number, by: string, role: Role, opportunityId: string, command: (at: string) => OpportunityCommand) =>
    add(at, by, role, opportunityStreamId(opportunityId), opportunityDecider as never, command);
  const onMeeting = (at: number, by: string, role: Role, meetingId: string, command: (at: string) => MeetingCommand) =>
    add(at, by, role, meetingStreamId(meetingId), meetingDecider as never, command);
  const onSpinOff = (at: number, by: string, role: Role, spinOffId: string, command: (at: string) => SpinOffCommand) =>
    add(at, by, role, spinOffStreamId(spinOffId), spinOffDecider as never, command);

  // Coordinators: two per SDC, from the first day.
  const coordinators = new Map<Ward, string[]>(WARDS.map((ward) => [ward, [`coordinator-${ward}-1`, `coordinator-${ward}-2`]]));
  const coordinatorOf = (ward: Ward) => pick(random, coordinators.get(ward)!);
  for (const [ward, subjects] of coordinators) {
    for (const coordinator of subjects) {
      add(start, 'admin', 'admin', sdcStreamId(ward), sdcDecider as never, (at): SdcCommand => ({ type: 'JoinSdc', coordinator, by: 'admin', at }));
    }
  }

  // Residents: a third in the first month, the rest arriving through the year.
  interface Resident { id: string; ward: Ward; since: number; contactable: boolean; regular: boolean }
  const residents: Resident[] = [];
  const wardPool = WARDS.flatMap((ward) => Array<Ward>(WARD_WEIGHTS[ward]).fill(ward));
  for (let n = 0; n < options.people; n++) {
    const personId = idOf('person', n);
    const ward = pick(random, wardPool);
    const since = chance(0.35) ? start + random() * 30 * DAY : start + random() * (end - start);
    const speaksJapanese = !chance(0.04);
    const proBono = chance(0.08);
    const profile: PersonProfile = {
      displayName: personName(random),
      contactEmail: `resident${n + 1}@example.jp`,
      ward,
      skills: [...new Set([...someOf(SKILL_WORDS, 1, 3), ...(chance(0.15) ? [pick(random, FREE_SKILLS)] : [])])],
      themes: someOf(THEMES.filter((t) => t !== 'other'), 1, 3),
      availability: { days: someOf(['weekday', 'weekend'] as const, 1, 2), timeBands: someOf(['morning', 'afternoon', 'evening'] as const, 1, 3), hoursPerMonth: pick(random, [4, 8, 8, 12, 16, 20]) },
      languages: speaksJapanese ? (chance(0.2) ? ['ja', 'en'] : ['ja']) : [pick(random, ['en', 'vi', 'tl', 'ne', 'zh'] as const), 'ja'],
      proBono: { offers: proBono, professions: proBono ? someOf(PROFESSIONS.filter((p) => p !== 'other'), 1, 2) : [] },
      preferredLanguage: speaksJapanese ? 'ja' : 'en',
      consents: { mayBeContacted: chance(0.9), visibleToOtherWards: chance(0.4) },
    };
    const registrar = coordinatorOf(ward);
    onPerson(since, registrar, 'coordinator', personId, (at) => ({ type: 'RegisterPerson', personId, profile, by: registrar, at }));
    if (chance(0.03)) onPerson(since + between(30, 200) * DAY, personId, 'volunteer', personId, (at) => ({ type: 'PausePerson', reason: '仕事が忙しくなったため', personId, by: personId, at }));
    else if (chance(0.01)) onPerson(since + between(30, 200) * DAY, personId, 'volunteer', personId, (at) => ({ type: 'DeactivatePerson', reason: '転居', personId, by: personId, at }));
    // About one in six comes back often: the regulars every SDC has, who move up the ladder.
    residents.push({ id: personId, ward, since, contactable: profile.consents.mayBeContacted, regular: chance(0.16) });
  }
  const residentsOf = (ward: Ward, before: number, near = false) =>
    residents.filter((r) => r.since < before && (r.ward === ward || (near && areAdjacentWards(r.ward, ward))));

  // Organisations, each with a founding resident of its ward as representative.
  interface Organisation { id: string; type: OrganisationType; ward: Ward; since: number; representative: string; themes: Theme[] }
  const organisations: Organisation[] = [];
  const typePool = ORGANISATION_TYPES.flatMap((type) => Array<OrganisationType>(ORGANISATION_TYPE_WEIGHTS[type] ?? 0).fill(type));
  for (let n = 0; n < options.organisations; n++) {
    const organisationId = idOf('organisation', n);
    const type = pick(random, typePool);
    const ward = pick(random, wardPool);
    const since = start + (chance(0.8) ? 30 + random() * 60 : 90 + random() * 200) * DAY;
    const founders = residentsOf(ward, since);
    if (founders.length === 0) continue;
    const representative = pick(random, founders).id;
    const themes = someOf(THEMES.filter((t) => t !== 'other'), 1, 3);
    const wardsServed = WARDS.filter((w) => w === ward || (type === 'company' || type === 'university' ? areAdjacentWards(w, ward) && chance(0.5) : false));
    const registrar = coordinatorOf(ward);
    onOrganisation(since, registrar, organisationId, (at) => ({
      type: 'RegisterOrganisation',
      organisationId,
      profile: { name: organisationName(random, type, ward, WARD_NAMES[ward].ja), type, wardsServed, themes, contactEmail: `org${n + 1}@example.jp`, description: '' },
      representative: { personId: representative, role: 'representative' },
      by: registrar,
      at,
    }));
    organisations.push({ id: organisationId, type, ward, since, representative, themes });
  }

  // Matches: proposals to nearby contactable residents, answered (or not) like people do.
  let proposals = 0;
  let opportunities = 0;
  let sample: Partial<DemoCitySample> = { coordinatorWard: 'nakahara' };
  const proposalsTo = new Map<string, number>();
  /** People with a proposal still open on the last day: the volunteer a newcomer tries the API as. */
  const awaitingAnswer = new Set<string>();
  const planMatches = (opportunityId: string, owner: { ward: Ward; representative: string; organisationId: string }, kind: OpportunityDetails['kind'], places: number, openedAt: number, closesAt?: number) => {
    const ward = owner.ward;
    const people = residentsOf(ward, openedAt + 30 * DAY, true).filter((r) => r.contactable);
    const partners = organisations.filter((o) => o.id !== owner.organisationId && o.since < openedAt + 30 * DAY && (o.ward === ward || areAdjacentWards(o.ward, ward)));
    const pool: Candidate[] = kind === 'collaboration' ? partners.map((o) => ({ type: 'organisation', id: o.id })) : people.map((r) => ({ type: 'person', id: r.id }));
    const answererOf = (candidate: Candidate) => (candidate.type === 'person' ? candidate.id : organisations.find((o) => o.id === candidate.id)!.representative);
    let accepted = 0;
    for (const candidate of someOf(pool, Math.min(places, pool.length), places * 2 + 2)) {
      const matchId = idOf('match', proposals++);
      const coordinator = coordinatorOf(ward);
      const answerer = answererOf(candidate);
      const answererRole: Role = candidate.type === 'person' ? 'volunteer' : 'organisation';
      let t = openedAt + between(1, 45) * DAY + between(9, 18) * HOUR;
      if (closesAt && t >= closesAt) continue;
      if (candidate.type === 'person' && chance(0.12)) {
        onOpportunity(t, answerer, 'volunteer', opportunityId, (at) => ({ type: 'ExpressInterest', opportunityId, matchId, candidate, message: 'お手伝いしたいです', by: answerer, at }));
        t += between(1, 4) * DAY;
        if (chance(0.2)) {
          onOpportunity(t, coordinator, 'coordinator', opportunityId, (at) => ({ type: 'DeclineInterest', opportunityId, matchId, reason: '今回は定員に達しました', by: coordinator, at }));
          continue;
        }
      }
      onOpportunity(t, coordinator, 'coordinator', opportunityId, (at) => ({ type: 'ProposeMatch', opportunityId, matchId, candidate, message: 'ご興味があればぜひ', by: coordinator, at }));
      if (candidate.type === 'person' && t <= end) proposalsTo.set(candidate.id, (proposalsTo.get(candidate.id) ?? 0) + 1);
      const answer = random();
      const answeredAt = t + between(1, 10) * DAY;
      if (answer < 0.5 && accepted < places && (!closesAt || answeredAt < closesAt)) {
        accepted++;
        onOpportunity(answeredAt, answerer, answererRole, opportunityId, (at) => ({ type: 'AcceptMatch', opportunityId, matchId, by: answerer, at }));
        if (kind === 'collaboration') continue;
        if (chance(0.1)) continue; // the organisation has not confirmed yet
        let u = answeredAt + between(1, 5) * DAY;
        onOpportunity(u, owner.representative, 'organisation', opportunityId, (at) => ({ type: 'ConfirmMatch', opportunityId, matchId, by: owner.representative, at }));
        u += between(3, 14) * DAY;
        onOpportunity(u, owner.representative, 'organisation', opportunityId, (at) => ({ type: 'StartMatch', opportunityId, matchId, by: owner.representative, at }));
        for (let entry = 0; entry < between(1, 6); entry++) {
          u += between(5, 14) * DAY;
          const entryId = `${matchId}-h${entry}`;
          const date = tokyoDate(u);
          const hours = pick(random, [2, 2, 3, 4, 6]);
          onOpportunity(u, answerer, 'volunteer', opportunityId, (at) => ({ type: 'LogHours', opportunityId, matchId, entryId, date, hours, by: answerer, at }));
          if (chance(0.85)) onOpportunity(u + between(1, 6) * DAY, owner.representative, 'organisation', opportunityId, (at) => ({ type: 'ApproveHours', opportunityId, matchId, entryId, by: owner.representative, at }));
        }
        const ending = random();
        u += between(7, 40) * DAY;
        if (ending < 0.6) onOpportunity(u, owner.representative, 'organisation', opportunityId, (at) => ({ type: 'CompleteMatch', opportunityId, matchId, by: owner.representative, at }));
        else if (ending < 0.7) {
          const reason = pick(random, END_EARLY_REASONS);
          onOpportunity(u, answerer, 'volunteer', opportunityId, (at) => ({ type: 'EndMatchEarly', opportunityId, matchId, reason, by: answerer, at }));
        }
      } else if (answer < 0.72) {
        const reason = pick(random, DECLINE_REASONS);
        onOpportunity(answeredAt, answerer, answererRole, opportunityId, (at) => ({ type: 'DeclineMatch', opportunityId, matchId, reason, by: answerer, at }));
      } else if (answer < 0.77) {
        onOpportunity(answeredAt, coordinator, 'coordinator', opportunityId, (at) => ({ type: 'WithdrawMatch', opportunityId, matchId, reason: '条件が変わったため', by: coordinator, at }));
      } else if (t + 14 * DAY <= end) {
        // Silence: the proposal expires after fourteen days, as the notifications worker would expire it.
        onOpportunity(t + 14 * DAY, coordinator, 'coordinator', opportunityId, (at) => ({ type: 'ExpireMatch', opportunityId, matchId, by: coordinator, at }));
      } else if (candidate.type === 'person' && t <= end) {
        awaitingAnswer.add(candidate.id);
      }
    }
  };

  // Opportunities: roles, pro-bono projects and collaborations opened through the year.
  for (const organisation of organisations) {
    if (!sample.organisationId && organisation.type !== 'company') sample = { ...sample, organisationId: organisation.id, representativePersonId: organisation.representative };
    for (let k = between(0, 3); k > 0; k--) {
      const opportunityId = idOf('opportunity', opportunities++);
      const openedAt = organisation.since + between(1, 240) * DAY;
      const theme = pick(random, organisation.themes);
      const roll = random();
      const offersCollaboration = organisation.type === 'company' || organisation.type === 'university';
      let details: OpportunityDetails;
      let title: string;
      if (offersCollaboration || roll < 0.12) {
        const direction = offersCollaboration ? 'offered' : 'sought';
        details = { kind: 'collaboration', direction, resources: someOf(['venue', 'staff', 'field_partner', 'know_how', 'funding', 'equipment'] as const, 1, 2), places: between(1, 2) };
        title = direction === 'offered' ? '会議室・スタッフを地域活動に提供します' : '一緒に活動してくれる団体を探しています';
      } else if (roll < 0.27) {
        const professions = someOf(PROFESSIONS.filter((p) => p !== 'other'), 1, 2);
        details = { kind: 'pro_bono_project', deliverable: 'チラシとウェブサイトの刷新', teamSize: between(2, 4), durationWeeks: between(6, 16), hoursPerWeek: between(2, 6), professions };
        title = 'プロボノ: 広報物のリニューアル';
      } else {
        details = {
          kind: 'volunteer_role',
          places: between(1, 6),
          schedule: { days: someOf(['weekday', 'weekend'] as const, 1, 2), timeBands: someOf(['morning', 'afternoon', 'evening'] as const, 1, 2) },
          requiredSkills: chance(0.6) ? someOf(SKILL_TAXONOMY.map((s) => s.ja), 1, 2) : [],
          optionalSkills: chance(0.4) ? someOf(SKILL_TAXONOMY.map((s) => s.en), 1, 1) : [],
        };
        title = pick(random, ROLE_TITLES[theme] ?? ['地域活動のお手伝い']);
      }
      const owner = organisation.representative;
      onOpportunity(openedAt, owner, 'organisation', opportunityId, (at) => ({
        type: 'OpenOpportunity',
        opportunityId,
        organisationId: organisation.id,
        title,
        description: '',
        ward: organisation.ward,
        themes: [theme],
        details,
        by: owner,
        at,
      }));
      const closesAt = chance(0.3) ? openedAt + between(60, 180) * DAY : undefined;
      const places = details.kind === 'pro_bono_project' ? details.teamSize : details.places;
      planMatches(opportunityId, { ward: organisation.ward, representative: owner, organisationId: organisation.id }, details.kind, places, openedAt, closesAt);
      if (closesAt) onOpportunity(closesAt, owner, 'organisation', opportunityId, (at) => ({ type: 'CloseOpportunity', opportunityId, reason: '募集を終了しました', by: owner, at }));
    }
  }

  // Meetings: each SDC's monthly regular meeting, and meetings residents propose.
  let meetings = 0;
  let spinOffs = 0;
  const attended = new Set<string>();
  for (const sdc of SDC_CATALOGUE) {
    const ward = sdc.ward;
    const seriesId = idOf('series', WARDS.indexOf(ward));
    for (let month = 0; month < options.months; month++) {
      const monthStart = start + month * 30 * DAY;
      const plans: { proposer?: string; title: string; themes: Theme[]; planned: number }[] = [
        { title: `${MEETING_TITLES[ward]} ${month + 1}月`, themes: ['town_making'], planned: monthStart + between(0, 3) * DAY },
      ];
      for (let k = between(0, 2); k > 0; k--) {
        const proposers = residentsOf(ward, monthStart);
        if (proposers.length) plans.push({ proposer: pick(random, proposers).id, title: pick(random, PROPOSED_MEETING_TOPICS), themes: someOf(THEMES.filter((t) => t !== 'other'), 1, 2), planned: monthStart + between(0, 20) * DAY });
      }
      for (const plan of plans) {
        const meetingId = idOf('meeting', meetings++);
        const coordinator = coordinatorOf(ward);
        const capacity = between(12, 40);
        const online = chance(0.15);
        const format: MeetingFormat = online ? { mode: 'online', url: `https://meet.example.jp/${ward}-${meetings}` } : { mode: 'in_person', venue: `${WARD_NAMES[ward].ja} 市民館 会議室` };
        let startsAt = tokyoEvening(plan.planned + between(10, 25) * DAY, between(18, 19));
        const proposal = { sdc: ward, title: plan.title, themes: plan.themes, purpose: '地域の困りごとと、やってみたいことを持ち寄る', preferredDates: [tokyoDate(startsAt)], format, capacity, newcomersWelcome: chance(0.7) };
        const schedule = (startsAtMs: number) => ({ startsAt: tokyoIso(startsAtMs), endsAt: tokyoIso(startsAtMs + 2 * HOUR), format, capacity });
        if (plan.proposer) {
          const proposer = plan.proposer;
          onMeeting(plan.planned, proposer, 'volunteer', meetingId, (at) => ({ type: 'ProposeMeeting', meetingId, proposer: { subject: proposer, personId: proposer }, ...proposal, by: proposer, at }));
          const decision = random();
          const decidedAt = plan.planned + between(2, 6) * DAY;
          if (decision < 0.15) {
            onMeeting(decidedAt, coordinator, 'coordinator', meetingId, (at) => ({ type: 'RejectMeeting', meetingId, reason: '同じテーマの会が既に予定されています', by: coordinator, at }));
            continue;
          }
          if (decision < 0.22) {
            onMeeting(decidedAt, proposer, 'volunteer', meetingId, (at) => ({ type: 'WithdrawMeetingProposal', meetingId, reason: '都合がつかなくなりました', by: proposer, at }));
            continue;
          }
          const approved = schedule(startsAt);
          onMeeting(decidedAt, coordinator, 'coordinator', meetingId, (at) => ({ type: 'ApproveMeeting', meetingId, ...approved, by: coordinator, at }));
        } else {
          const scheduled = schedule(startsAt);
          const proposer = { subject: coordinator };
          const series = { seriesId, occurrence: month + 1 };
          onMeeting(plan.planned, coordinator, 'coordinator', meetingId, (at) => ({ type: 'ScheduleNewMeeting', meetingId, proposer, series, ...proposal, schedule: scheduled, by: coordinator, at }));
        }
        const opensAt = plan.planned + 7 * DAY;
        if (chance(0.04)) {
          onMeeting(opensAt + DAY, coordinator, 'coordinator', meetingId, (at) => ({ type: 'CancelMeeting', meetingId, reason: '台風接近のため中止します', by: coordinator, at }));
          continue;
        }
        if (chance(0.06)) {
          startsAt += 7 * DAY;
          const moved = schedule(startsAt);
          onMeeting(opensAt + 2 * DAY, coordinator, 'coordinator', meetingId, (at) => ({ type: 'RescheduleMeeting', meetingId, reason: '会場の都合により一週間延期します', ...moved, by: coordinator, at }));
        }
        // Registrations, some beyond capacity (the waitlist), a few cancelled; then check-in, walk-ins and minutes.
        const local = residentsOf(ward, startsAt - 2 * DAY, true);
        const regulars = local.filter((r) => r.regular);
        const fromRegulars = someOf(regulars, Math.min(regulars.length, Math.floor(capacity * 0.3)), Math.ceil(capacity * 0.6));
        const others = local.filter((r) => !fromRegulars.includes(r));
        const registrants = [...fromRegulars, ...someOf(others, Math.min(3, others.length), Math.max(3, Math.ceil(capacity * 1.2) - fromRegulars.length))];
        const registeredAt = new Map<string, number>();
        for (const person of registrants) {
          const at0 = opensAt + random() * Math.max(HOUR, startsAt - opensAt - 3 * HOUR);
          registeredAt.set(person.id, at0);
          onMeeting(at0, person.id, 'volunteer', meetingId, (at) => ({ type: 'RegisterForMeeting', meetingId, personId: person.id, by: person.id, at }));
        }
        const cancelled = new Set(registrants.filter(() => chance(0.08)).map((p) => p.id));
        for (const personId of cancelled) {
          onMeeting(Math.min(startsAt - 2 * HOUR, registeredAt.get(personId)! + DAY), personId, 'volunteer', meetingId, (at) => ({ type: 'CancelMeetingRegistration', meetingId, personId, by: personId, at }));
        }
        const present = registrants.filter((p) => !cancelled.has(p.id) && chance(0.8)).slice(0, capacity);
        const walkIns = someOf(local.filter((r) => !registeredAt.has(r.id)), 0, 3);
        const checkedIn = [...present, ...walkIns];
        checkedIn.forEach((person, k) => {
          onMeeting(startsAt + k * 60_000, coordinator, 'coordinator', meetingId, (at) => ({ type: 'CheckInAttendee', meetingId, personId: person.id, by: coordinator, at }));
          attended.add(person.id);
        });
        const outcomes = someOf(OUTCOME_TEXTS, 1, 3).map((text, k) => ({ outcomeId: `o${k + 1}`, kind: pick(random, ['idea', 'decision', 'action'] as const), text }));
        const closedAt = startsAt + 2 * HOUR + between(1, 48) * HOUR;
        const anonymousAttendees = between(0, 4);
        onMeeting(closedAt, coordinator, 'coordinator', meetingId, (at) => ({ type: 'CloseMeeting', meetingId, minutes: `${plan.title}: ${outcomes.map((o) => o.text).join('、')}`, contributions: ['会場提供', 'お茶菓子'], outcomes, anonymousAttendees, by: coordinator, at }));

        // Some outcomes become spin-off projects.
        if (checkedIn.length >= 3 && chance(0.2)) spinOffs += planSpinOff(meetingId, outcomes[0].outcomeId, ward, plan.themes, checkedIn.map((p) => p.id), closedAt, coordinator);
      }
    }
  }

  function planSpinOff(meetingId: string, outcomeId: string, ward: Ward, themes: Theme[], attendees: string[], closedAt: number, coordinator: string): number {
    const spinOffId = idOf('spinoff', spinOffs);
    const [initiator, ...others] = someOf(attendees, Math.min(3, attendees.length), attendees.length);
    const initiators = [initiator, ...others.slice(0, between(0, 1))];
    let t = closedAt + between(3, 10) * DAY;
    onSpinOff(t, initiator, 'volunteer', spinOffId, (at) => ({ type: 'ProposeSpinOff', spinOffId, origins: [{ meetingId, outcomeId }], title: pick(random, OUTCOME_TEXTS), purpose: '会議で出たアイデアを形にする', wards: [ward], themes, initiators, by: initiator, at }));
    if (chance(0.15)) return 1;
    t += between(3, 7) * DAY;
    onSpinOff(t, coordinator, 'coordinator', spinOffId, (at) => ({ type: 'AcknowledgeSpinOff', spinOffId, by: coordinator, at }));
    if (chance(0.15)) return 1;
    t += between(7, 14) * DAY;
    onSpinOff(t, initiator, 'volunteer', spinOffId, (at) => ({ type: 'LaunchSpinOff', spinOffId, by: initiator, at }));
    for (const personId of others.slice(1)) {
      const role = pick(random, MEMBER_ROLES.filter((r) => r !== 'organiser'));
      onSpinOff(t + between(1, 30) * DAY, personId, 'volunteer', spinOffId, (at) => ({ type: 'JoinSpinOff', spinOffId, personId, role, by: personId, at }));
    }
    // A role that needs people is a volunteer-role opportunity of the SDC's organisation, which matches fill.
    const roleAt = t + between(3, 10) * DAY;
    const roleId = `role-1`;
    const opportunityId = idOf('spinoff-role', spinOffs);
    const organisationId = sdcOrganisationId(ward);
    const places = between(2, 4);
    const roleTitle = pick(random, ROLE_TITLES[themes[0]] ?? ['企画の運営スタッフ']);
    onOpportunity(roleAt, 'system', 'admin', opportunityId, (at) => ({
      type: 'OpenOpportunity',
      opportunityId,
      organisationId,
      title: roleTitle,
      description: '',
      ward,
      themes,
      details: { kind: 'volunteer_role', places, schedule: {}, requiredSkills: [], optionalSkills: [] },
      by: 'system',
      at,
    }));
    onSpinOff(roleAt, initiator, 'volunteer', spinOffId, (at) => ({ type: 'OpenSpinOffRole', spinOffId, roleId, opportunityId, title: roleTitle, places, requiredSkills: [], by: initiator, at }));
    planMatches(opportunityId, { ward, representative: coordinator, organisationId }, 'volunteer_role', places, roleAt);
    onSpinOff(t + DAY, initiator, 'volunteer', spinOffId, (at) => ({ type: 'AddMilestone', spinOffId, milestoneId: 'm1', title: '第1回の開催', by: initiator, at }));
    onSpinOff(t + between(30, 90) * DAY, initiator, 'volunteer', spinOffId, (at) => ({ type: 'ReachMilestone', spinOffId, milestoneId: 'm1', by: initiator, at }));
    const strategy = pick(random, EXIT_STRATEGIES);
    onSpinOff(t + between(60, 120) * DAY, initiator, 'volunteer', spinOffId, (at) => ({ type: 'ChooseExitStrategy', spinOffId, strategy, by: initiator, at }));
    const ending = random();
    if (ending < 0.3) onSpinOff(t + between(150, 220) * DAY, initiator, 'volunteer', spinOffId, (at) => ({ type: 'CompleteSpinOff', spinOffId, summary: '自走できる体制になりました', by: initiator, at }));
    else if (ending < 0.4) onSpinOff(t + between(90, 200) * DAY, coordinator, 'coordinator', spinOffId, (at) => ({ type: 'CloseSpinOff', spinOffId, reason: '担い手が集まらなかったため', by: coordinator, at }));
    return 1;
  }

  // Time order; ties keep the order they were planned in (a meeting's check-ins before its close, and so on).
  const ordered = steps.map((step, index) => ({ step, index })).sort((a, b) => a.step.at - b.step.at || a.index - b.index).map(({ step }) => step);
  // The sample volunteer has a proposal to answer if anyone has; otherwise the most-asked person.
  const mostAsked = [...proposalsTo].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const volunteerPersonId = mostAsked.find(([id]) => awaitingAnswer.has(id))?.[0] ?? mostAsked[0]?.[0] ?? residents[0]?.id ?? '';
  return {
    steps: ordered,
    counts: { people: residents.length, organisations: organisations.length, opportunities: opportunities + spinOffs, meetings, spinOffs, proposals },
    sample: {
      coordinatorWard: sample.coordinatorWard ?? 'nakahara',
      volunteerPersonId,
      organisationId: sample.organisationId ?? organisations[0]?.id ?? '',
      representativePersonId: sample.representativePersonId ?? organisations[0]?.representative ?? '',
    },
  };
}

const TOKYO = 9 * HOUR;

/** YYYY-MM-DD of an instant, in Asia/Tokyo. */
function tokyoDate(ms: number): string {
  return new Date(ms + TOKYO).toISOString().slice(0, 10);
}

/** ISO-8601 with +09:00, as meetings store their times. */
function tokyoIso(ms: number): string {
  return `${new Date(ms + TOKYO).toISOString().slice(0, 19)}+09:00`;
}

/** That day at `hour`:00 in Tokyo. */
function tokyoEvening(ms: number, hour: number): number {
  return Date.parse(`${tokyoDate(ms)}T${String(hour).padStart(2, '0')}:00:00+09:00`);
}
