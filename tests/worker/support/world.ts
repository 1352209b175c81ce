import { Decider, DomainEvent, Principal } from '@tsunagi/domain';
import { newId } from '@tsunagi/event-store';
import { OpportunityCommand, OpportunityProfile, opportunityDecider, opportunityStreamId } from '@tsunagi/matching';
import { MeetingCommand, MeetingProposal, MeetingSchedule, meetingDecider, meetingStreamId } from '@tsunagi/meetings';
import { FollowTarget, NotificationPreferences, PersonProfile, organisationDecider, organisationStreamId, personDecider, personStreamId } from '@tsunagi/participants';
import { SpinOffCommand, spinOffDecider, spinOffStreamId } from '@tsunagi/spinoffs';
import type { CommandExecutor } from '@tsunagi/platform';

/**
 * Domain state for worker tests, written the way the API writes it: commands through the real deciders and the
 * CommandExecutor, so the events are exactly what production would store.
 */
export const COORDINATOR = 'coordinator-nakahara';

const principal = (subject: string): Principal => ({ subject, role: 'admin', wards: [], organisationIds: [] });

async function run<State, Command, Event extends DomainEvent>(
  executor: CommandExecutor,
  decider: Decider<State, Command, Event>,
  streamId: string,
  by: string,
  command: (at: string) => Command,
): Promise<void> {
  await executor.execute(decider, streamId, { principal: principal(by), correlationId: newId(), causationId: newId() }, { command: (at) => command(at) });
}

export class World {
  constructor(private readonly executor: CommandExecutor) {}

  async person(options: { name: string; email: string; language: 'ja' | 'en'; mayBeContacted?: boolean }): Promise<string> {
    const personId = newId();
    const profile: PersonProfile = {
      displayName: options.name,
      contactEmail: options.email,
      ward: 'nakahara',
      skills: ['調理'],
      themes: ['child_rearing'],
      availability: { days: ['weekend'], timeBands: ['morning'], hoursPerMonth: 8 },
      languages: [options.language],
      proBono: { offers: false, professions: [] },
      preferredLanguage: options.language,
      consents: { mayBeContacted: options.mayBeContacted ?? true, visibleToOtherWards: false },
    };
    await run(this.executor, personDecider, personStreamId(personId), 'admin', (at) => ({ type: 'RegisterPerson' as const, personId, profile, by: 'admin', at }));
    return personId;
  }

  async updatePerson(personId: string, changes: Partial<PersonProfile>): Promise<void> {
    await run(this.executor, personDecider, personStreamId(personId), 'admin', (at) => ({ type: 'UpdatePersonProfile' as const, personId, changes, by: 'admin', at }));
  }

  /** The person's own choices (a command they run themselves through the API). */
  async setPreferences(personId: string, preferences: NotificationPreferences): Promise<void> {
    await run(this.executor, personDecider, personStreamId(personId), personId, (at) => ({ type: 'SetNotificationPreferences' as const, personId, preferences, by: personId, at }));
  }

  async follow(personId: string, target: FollowTarget, type: 'Follow' | 'Unfollow' = 'Follow'): Promise<void> {
    await run(this.executor, personDecider, personStreamId(personId), personId, (at) => ({ type, personId, target, by: personId, at }));
  }

  async organisation(options: { name: string; email: string }): Promise<string> {
    const organisationId = newId();
    const profile = { name: options.name, type: 'npo' as const, wardsServed: ['nakahara' as const], themes: [], contactEmail: options.email, description: '' };
    await run(this.executor, organisationDecider, organisationStreamId(organisationId), 'admin', (at) => ({
      type: 'RegisterOrganisation' as const,
      organisationId,
      profile,
      by: 'admin',
      at,
    }));
    return organisationId;
  }

  async opportunity(organisationId: string, title: string, kind: 'volunteer_role' | 'collaboration' = 'volunteer_role'): Promise<string> {
    const opportunityId = newId();
    const profile: OpportunityProfile = {
      organisationId,
      title,
      description: '土曜の朝、調理を手伝ってください。',
      ward: 'nakahara',
      themes: ['child_rearing'],
      details:
        kind === 'volunteer_role'
          ? { kind, places: 5, schedule: { days: ['weekend'] }, requiredSkills: [], optionalSkills: [] }
          : { kind, direction: 'sought', resources: ['venue'], places: 2 },
    };
    await this.onOpportunity(opportunityId, COORDINATOR, (at) => ({ type: 'OpenOpportunity', opportunityId, ...profile, by: COORDINATOR, at }));
    return opportunityId;
  }

  async propose(opportunityId: string, candidate: { type: 'person' | 'organisation'; id: string }, by = COORDINATOR): Promise<string> {
    const matchId = newId();
    await this.onOpportunity(opportunityId, by, (at) => ({ type: 'ProposeMatch', opportunityId, matchId, candidate, message: 'いかがですか', by, at }));
    return matchId;
  }

  /** A match command without extra fields (AcceptMatch, ConfirmMatch, StartMatch, CompleteMatch, WithdrawMatch, ExpireMatch). */
  async match(opportunityId: string, matchId: string, type: OpportunityCommand['type'], by: string, extra: object = {}): Promise<void> {
    await this.onOpportunity(opportunityId, by, (at) => ({ type, opportunityId, matchId, by, at, ...extra }) as OpportunityCommand);
  }

  async logHours(opportunityId: string, matchId: string, by: string, hours: number): Promise<void> {
    await this.match(opportunityId, matchId, 'LogHours', by, { entryId: newId(), date: '2026-04-05', hours });
  }

  private async onOpportunity(opportunityId: string, by: string, command: (at: string) => OpportunityCommand): Promise<void> {
    await run(this.executor, opportunityDecider, opportunityStreamId(opportunityId), by, command);
  }

  async proposeMeeting(title: string, proposer: { subject: string; personId?: string }, capacity: number): Promise<string> {
    const meetingId = newId();
    const proposal: MeetingProposal = {
      sdc: 'nakahara',
      title,
      themes: ['town_making'],
      purpose: '地域の困りごとを話そう',
      preferredDates: ['2026-05-20'],
      format: { mode: 'in_person', venue: '中原市民館' },
      capacity,
      newcomersWelcome: true,
    };
    await this.onMeeting(meetingId, proposer.subject, (at) => ({ type: 'ProposeMeeting', meetingId, proposer, ...proposal, by: proposer.subject, at }));
    return meetingId;
  }

  async onMeeting(meetingId: string, by: string, command: (at: string) => MeetingCommand): Promise<void> {
    await run(this.executor, meetingDecider, meetingStreamId(meetingId), by, command);
  }

  static schedule(startsAt: string, endsAt: string, capacity: number): MeetingSchedule {
    return { startsAt, endsAt, format: { mode: 'in_person', venue: '中原市民館 第1会議室' }, capacity };
  }

  async spinOff(title: string, initiators: string[], originMeetingId: string): Promise<string> {
    const spinOffId = newId();
    await this.onSpinOff(spinOffId, initiators[0], (at) => ({
      type: 'ProposeSpinOff',
      spinOffId,
      origins: [{ meetingId: originMeetingId, outcomeId: 'o1' }],
      title,
      purpose: '地元の野菜を売る朝市を開く',
      wards: ['nakahara'],
      themes: ['town_making'],
      initiators,
      by: initiators[0],
      at,
    }));
    return spinOffId;
  }

  async onSpinOff(spinOffId: string, by: string, command: (at: string) => SpinOffCommand): Promise<void> {
    await run(this.executor, spinOffDecider, spinOffStreamId(spinOffId), by, command);
  }
}
