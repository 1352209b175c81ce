import { WARDS, Ward } from '@tsunagi/domain';
import type { DECLINE_REASONS, OpportunityEvent } from '@tsunagi/matching';
import type { MeetingEvent } from '@tsunagi/meetings';
import type { OrganisationEvent, PersonEvent, PersonProfile } from '@tsunagi/participants';
import type { EXIT_STRATEGIES, SpinOffEvent } from '@tsunagi/spinoffs';
import { DAY_MS } from '../time';

/**
 * A generated city history for the property tests and the benchmark: the deciders' event types and payloads
 * (checked by the compiler), in time order, with the life cycles the deciders allow (proposed → accepted →
 * started → hours → completed; meetings proposed → scheduled → check-ins → closed; spin-offs from closed
 * meetings). A few people are much more active than most, as in any town, so every stage of the ladder occurs.
 */
export interface HistoryShape {
  people: number;
  organisations: number;
  /** Roughly how many events to generate (the last episodes may add a few more). */
  events: number;
  startMs: number;
  days: number;
}

export interface GeneratedEvent {
  streamId: string;
  id: string;
  type: string;
  data: { at: string } & object;
  atMs: number;
}

type AnyEvent = OpportunityEvent | MeetingEvent | PersonEvent | OrganisationEvent | SpinOffEvent;
const HOUR = 3_600_000;
const DECLINES: (typeof DECLINE_REASONS)[number][] = ['no_time', 'not_my_skills', 'too_far', 'other'];
const EXITS: (typeof EXIT_STRATEGIES)[number][] = ['becomes_policy', 'becomes_business', 'runs_on_its_own', 'ends'];
const SAMPLE_PROFILE: PersonProfile = { displayName: '川崎 花子', contactEmail: '', ward: 'nakahara', skills: ['調理'], themes: ['child_rearing'], languages: ['ja'],
  availability: { days: ['weekend'], timeBands: ['morning'], hoursPerMonth: 8 }, proBono: { offers: false, professions: [] }, preferredLanguage: 'ja', consents: { mayBeContacted: true, visibleToOtherWards: false } };
const KINDS = ['volunteer_role', 'volunteer_role', 'volunteer_role', 'pro_bono_project', 'collaboration'] as const;

export function generateHistory(shape: HistoryShape, random: () => number): GeneratedEvent[] {
  const endMs = shape.startMs + shape.days * DAY_MS;
  const out: GeneratedEvent[] = [];
  let sequence = 0;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  const emit = (streamId: string, atMs: number, event: AnyEvent) => {
    if (atMs > endMs) return false;
    out.push({ streamId, id: `ev-${(++sequence).toString(36)}`, type: event.type, data: event.data as GeneratedEvent['data'], atMs });
    return true;
  };
  const iso = (ms: number) => new Date(ms).toISOString();

  // People: registered over the first 80 % of the period; a skewed pick makes a few people very active.
  const people = Array.from({ length: shape.people }, (_, i) => ({
    id: `person-${i}`,
    ward: pick(WARDS) as Ward,
    registeredMs: shape.startMs + Math.floor(random() * shape.days * 0.8 * DAY_MS),
  }));
  for (const p of people) {
    emit(`person-${p.id}`, p.registeredMs, {
      type: 'PersonRegistered',
      data: {
        personId: p.id,
        by: 'coordinator',
        at: iso(p.registeredMs),
        // Only the ward matters to analytics; the rest is a valid profile, so the events are ones the decider makes.
        profile: { ...SAMPLE_PROFILE, contactEmail: `${p.id}@example.jp`, ward: p.ward },
      },
    });
  }
  const activePerson = (notBefore: number) => {
    for (let tries = 0; tries < 8; tries++) {
      const p = people[Math.floor(people.length * random() ** 2.5)];
      if (p.registeredMs <= notBefore) return p;
    }
    return undefined;
  };

  const organisations = Array.from({ length: shape.organisations }, (_, i) => ({ id: `org-${i}`, ward: pick(WARDS) as Ward, registeredMs: shape.startMs + Math.floor(random() * 30 * DAY_MS) }));
  for (const o of organisations) {
    emit(`organisation-${o.id}`, o.registeredMs, {
      type: 'OrganisationRegistered',
      data: { organisationId: o.id, by: 'coordinator', at: iso(o.registeredMs), profile: { name: 'なかはら子ども食堂', type: 'npo', wardsServed: [o.ward], themes: ['child_rearing'], contactEmail: 'info@example.jp', description: '' } },
    });
  }

  interface Opportunity { id: string; openedMs: number; kind: (typeof KINDS)[number] }
  const opportunities: Opportunity[] = [];
  const openOpportunity = (atMs: number): Opportunity => {
    const org = pick(organisations);
    const kind = pick(KINDS);
    const o = { id: `opp-${opportunities.length}`, openedMs: Math.max(atMs, org.registeredMs), kind };
    opportunities.push(o);
    const details =
      kind === 'volunteer_role'
        ? { kind, places: 3, schedule: {}, requiredSkills: [], optionalSkills: [] }
        : kind === 'pro_bono_project'
          ? { kind, deliverable: 'website', teamSize: 2, durationWeeks: 8, hoursPerWeek: 4, professions: ['it' as const] }
          : { kind, direction: 'offered' as const, resources: ['venue' as const], places: 1 };
    emit(`opportunity-${o.id}`, o.openedMs, {
      type: 'OpportunityOpened',
      data: { opportunityId: o.id, by: 'coordinator', at: iso(o.openedMs), organisationId: org.id, title: '調理スタッフ', description: '', ward: pick(WARDS), themes: ['child_rearing'], details },
    });
    if (chance(0.3)) {
      const closedMs = o.openedMs + Math.floor(random() * 200 * DAY_MS);
      emit(`opportunity-${o.id}`, closedMs, { type: 'OpportunityClosed', data: { opportunityId: o.id, by: 'coordinator', at: iso(closedMs) } });
      if (chance(0.4)) emit(`opportunity-${o.id}`, closedMs + 20 * DAY_MS, { type: 'OpportunityReopened', data: { opportunityId: o.id, by: 'coordinator', at: iso(closedMs + 20 * DAY_MS) } });
    }
    return o;
  };

  let matches = 0;
  const matchEpisode = (startMs: number) => {
    const opportunity = chance(0.15) || opportunities.length === 0 ? openOpportunity(startMs) : pick(opportunities);
    const t0 = Math.max(startMs, opportunity.openedMs + HOUR);
    const matchId = `match-${matches++}`;
    const stream = `opportunity-${opportunity.id}`;
    const base = { opportunityId: opportunity.id, matchId };
    let candidate: { type: 'person' | 'organisation'; id: string };
    if (opportunity.kind === 'collaboration') candidate = { type: 'organisation', id: pick(organisations).id };
    else {
      const person = activePerson(t0);
      if (!person) return;
      candidate = { type: 'person', id: person.id };
    }
    let t = t0;
    const fromInterest = candidate.type === 'person' && chance(0.2);
    if (fromInterest) emit(stream, t, { type: 'InterestExpressed', data: { ...base, candidate, at: iso(t) } });
    t += fromInterest ? 2 * DAY_MS : 0;
    if (!emit(stream, t, { type: 'MatchProposed', data: { ...base, candidate, message: 'お願いできますか？', proposedBy: 'coordinator', fromInterest, at: iso(t) } })) return;
    const r = random();
    if (r < 0.15) return; // no answer yet
    if (r < 0.3) return void emit(stream, t + 14 * DAY_MS, { type: 'MatchExpired', data: { ...base, by: 'system', at: iso(t + 14 * DAY_MS) } });
    if (r < 0.35) return void emit(stream, t + 3 * DAY_MS, { type: 'MatchWithdrawn', data: { ...base, by: 'coordinator', at: iso(t + 3 * DAY_MS) } });
    t += Math.floor(random() * 96 * HOUR) + HOUR;
    if (r < 0.5) return void emit(stream, t, { type: 'MatchDeclined', data: { ...base, by: candidate.id, reason: pick(DECLINES), at: iso(t) } });
    if (!emit(stream, t, { type: 'MatchAccepted', data: { ...base, by: candidate.id, at: iso(t) } }) || chance(0.1)) return;
    t += DAY_MS;
    emit(stream, t, { type: 'MatchConfirmed', data: { ...base, by: 'org', at: iso(t) } });
    t += 3 * DAY_MS;
    if (chance(0.1) || !emit(stream, t, { type: 'MatchStarted', data: { ...base, by: 'org', at: iso(t) } })) return;
    const entries = Math.floor(random() * 5);
    for (let i = 0; i < entries; i++) {
      t += Math.floor((5 + random() * 30) * DAY_MS);
      emit(stream, t, { type: 'HoursLogged', data: { ...base, entryId: `${matchId}-h${i}`, date: iso(t).slice(0, 10), hours: 2, by: candidate.id, at: iso(t) } });
    }
    t += 10 * DAY_MS;
    if (chance(0.6)) emit(stream, t, { type: 'MatchCompleted', data: { ...base, by: 'org', at: iso(t) } });
    else if (chance(0.3)) emit(stream, t, { type: 'MatchEndedEarly', data: { ...base, by: candidate.id, reason: 'schedule', at: iso(t) } });
  };

  let meetings = 0;
  let spinOffs = 0;
  const meetingEpisode = (t: number) => {
    const meetingId = `meeting-${meetings++}`;
    const stream = `meeting-${meetingId}`;
    const sdc = pick(WARDS) as Ward;
    const proposerPerson = chance(0.4) ? activePerson(t) : undefined;
    const base = { meetingId, by: 'coordinator' };
    const startsMs = t + 14 * DAY_MS;
    const format = { mode: 'in_person' as const, venue: '市民館' };
    emit(stream, t, {
      type: 'MeetingProposed',
      data: { ...base, at: iso(t), sdc, title: 'YORIAI', themes: ['town_making'], purpose: '地域の困りごと', preferredDates: [iso(startsMs).slice(0, 10)], format, capacity: 30, newcomersWelcome: true, proposer: { subject: proposerPerson?.id ?? 'coordinator', personId: proposerPerson?.id } },
    });
    if (chance(0.1)) return void emit(stream, t + DAY_MS, { type: 'MeetingRejected', data: { ...base, at: iso(t + DAY_MS), reason: '日程' } });
    emit(stream, t + 2 * DAY_MS, { type: 'MeetingScheduled', data: { ...base, at: iso(t + 2 * DAY_MS), startsAt: iso(startsMs), endsAt: iso(startsMs + 2 * HOUR), format, capacity: 30 } });
    if (chance(0.05)) return void emit(stream, t + 5 * DAY_MS, { type: 'MeetingCancelled', data: { ...base, at: iso(t + 5 * DAY_MS), reason: '台風' } });
    const attendees = new Set<string>();
    const size = 3 + Math.floor(random() * 12);
    for (let i = 0; i < size; i++) {
      const person = activePerson(t + 3 * DAY_MS);
      if (!person || attendees.has(person.id)) continue;
      attendees.add(person.id);
      emit(stream, t + 3 * DAY_MS + i * HOUR, { type: 'RegisteredForMeeting', data: { ...base, at: iso(t + 3 * DAY_MS + i * HOUR), personId: person.id } });
    }
    let minute = 0;
    for (const personId of attendees) {
      if (chance(0.2)) continue;
      const at = startsMs + ++minute * 60_000;
      emit(stream, at, { type: 'AttendeeCheckedIn', data: { ...base, at: iso(at), personId, walkIn: false } });
    }
    const closedMs = startsMs + 3 * HOUR;
    if (!emit(stream, closedMs, { type: 'MeetingClosed', data: { ...base, at: iso(closedMs), minutes: '議事録', contributions: [], outcomes: [{ outcomeId: 'o1', kind: 'idea', text: '子ども食堂' }], attendees: attendees.size, noShows: 0, anonymousAttendees: 0 } })) return;
    if (attendees.size === 0 || !chance(0.45)) return;
    spinOffEpisode(closedMs + Math.floor((3 + random() * 20) * DAY_MS), meetingId, sdc, [...attendees]);
  };

  const spinOffEpisode = (t: number, meetingId: string, ward: Ward, attendees: string[]) => {
    const spinOffId = `spinoff-${spinOffs++}`;
    const stream = `spinoff-${spinOffId}`;
    const initiators = attendees.slice(0, 1 + Math.floor(random() * Math.min(2, attendees.length)));
    const base = { spinOffId, by: initiators[0] };
    if (!emit(stream, t, { type: 'SpinOffProposed', data: { ...base, at: iso(t), origins: [{ meetingId, outcomeId: 'o1' }], title: 'マルシェ', purpose: '', wards: [ward], themes: ['town_making'], initiators } })) return;
    if (!chance(0.8)) return;
    emit(stream, t + 3 * DAY_MS, { type: 'SpinOffAcknowledged', data: { ...base, at: iso(t + 3 * DAY_MS) } });
    const launchedMs = t + 10 * DAY_MS;
    if (!chance(0.7) || !emit(stream, launchedMs, { type: 'SpinOffLaunched', data: { ...base, at: iso(launchedMs) } })) return;
    const joins = Math.floor(random() * 5);
    for (let i = 0; i < joins; i++) {
      const person = activePerson(launchedMs);
      if (!person || initiators.includes(person.id)) continue;
      const at = launchedMs + (i + 1) * 7 * DAY_MS;
      emit(stream, at, { type: 'MemberJoined', data: { ...base, at: iso(at), personId: person.id, role: pick(['staff', 'supporter', 'advisor'] as const) } });
      initiators.push(person.id); // never joins twice
    }
    const exitMs = launchedMs + 60 * DAY_MS;
    if (chance(0.6)) emit(stream, exitMs, { type: 'ExitStrategyChosen', data: { ...base, at: iso(exitMs), strategy: pick(EXITS) } });
    if (chance(0.3)) emit(stream, exitMs + 5 * DAY_MS, { type: 'ExitStrategyChosen', data: { ...base, at: iso(exitMs + 5 * DAY_MS), strategy: pick(EXITS) } });
    if (chance(0.3)) emit(stream, exitMs + 90 * DAY_MS, { type: 'SpinOffCompleted', data: { ...base, at: iso(exitMs + 90 * DAY_MS) } });
    else if (chance(0.1)) emit(stream, exitMs + 90 * DAY_MS, { type: 'SpinOffClosed', data: { ...base, at: iso(exitMs + 90 * DAY_MS), reason: '終了' } });
  };

  const representative = (t: number) => {
    const person = activePerson(t);
    const org = pick(organisations);
    if (person) emit(`organisation-${org.id}`, Math.max(t, org.registeredMs), { type: 'RepresentativeAdded', data: { organisationId: org.id, personId: person.id, role: 'staff', by: 'coordinator', at: iso(Math.max(t, org.registeredMs)) } });
  };

  for (let i = 0; i < Math.max(1, shape.organisations); i++) openOpportunity(shape.startMs + Math.floor(random() * shape.days * DAY_MS));
  while (out.length < shape.events) {
    const t = shape.startMs + Math.floor(random() * shape.days * DAY_MS);
    const r = random();
    if (r < 0.6) matchEpisode(t);
    else if (r < 0.97) meetingEpisode(t);
    else representative(t);
  }
  // Time order, as the events would be appended; the sort is stable, so a stream's events keep their decided order.
  return out.sort((a, b) => a.atMs - b.atMs);
}
