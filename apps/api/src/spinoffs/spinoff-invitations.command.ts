import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@tsunagi/domain';
import { EVENT_STORE, EventStore } from '@tsunagi/event-store';
import { AppConfig, ApiError, CommandContext, CommandExecutor } from '@tsunagi/platform';
import type { SuggestionsProjection } from '@tsunagi/projections';
import { SpinOffCommand, SpinOffEvent, authorizeSpinOffCommand, spinOffDecider, spinOffStreamId } from '@tsunagi/spinoffs';
import { policyById } from '@tsunagi/suggestions';
import { CandidateDirectory } from '../matching/candidate-directory';
import { ProjectionsService } from '../projections/projections.service';
import { SUGGESTIONS_PROJECTION } from '../suggestions/queries/suggest.queries';
import { peopleScopeOf } from '../suggestions/queries/suggestion-page';

/** Whom to invite: people the coordinator chose, or the `top` people the suggestions rank highest for the role. */
export type Invitees = { personIds: string[] } | { top: number };

export interface SpinOffInvitationsResult {
  spinOffId: string;
  roleId: string;
  opportunityId?: string;
  /** Invited by this request, in the order asked (for `top`: best first). */
  invited: string[];
  /** Asked for, but invited to this role before: not invited again. */
  alreadyInvited: string[];
  position: number;
  revision: number;
}

/**
 * Invites people to an open role of a launched spin-off (issue 7: "a role opened in it → people the suggestions rank
 * highest, only if a coordinator chose to invite them"). The invitation is SpinOffRoleInvitationsSent on the
 * spin-off's stream; the worker turns it into a message to each invited person who agreed to be contacted.
 */
export class InviteToSpinOffRole extends Command<SpinOffInvitationsResult> {
  constructor(
    readonly spinOffId: string,
    readonly roleId: string,
    readonly context: CommandContext,
    readonly invitees: Invitees,
  ) {
    super();
  }
}

@CommandHandler(InviteToSpinOffRole)
export class InviteToSpinOffRoleHandler implements ICommandHandler<InviteToSpinOffRole, SpinOffInvitationsResult> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly candidates: CandidateDirectory,
    private readonly projections: ProjectionsService,
    private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ spinOffId, roleId, context, invitees }: InviteToSpinOffRole): Promise<SpinOffInvitationsResult> {
    const { principal } = context;
    const top = 'top' in invitees ? await this.topFor(spinOffId, roleId, context, invitees.top) : undefined;
    // Nobody to suggest (everyone suitable is matched already, or nobody fits): nothing to send, and nothing to refuse.
    if (top?.ranked.length === 0) return { spinOffId, roleId, opportunityId: top.opportunityId, invited: [], alreadyInvited: [], position: top.position, revision: top.revision };
    const personIds = 'personIds' in invitees ? invitees.personIds : (top?.ranked ?? []);
    const build = (at: string): SpinOffCommand => ({ type: 'InviteToSpinOffRole', spinOffId, roleId, personIds, by: principal.subject, at });
    const result = await this.executor.execute(spinOffDecider, spinOffStreamId(spinOffId), context, {
      command: build,
      authorize: (command, state) => authorizeSpinOffCommand(principal, command, state),
      verify: async (_command, state) => {
        // The decider answers for a spin-off or role that is not there, or not open; and a chosen person must be someone
        // the coordinator may see, active, and willing to be contacted (the suggestions only ever rank such people).
        const role = state.roles[roleId];
        if (!role?.open || state.status !== 'launched') return;
        for (const personId of personIds.filter((id) => !role.invited.includes(id))) await this.requireInvitable(personId, context);
      },
    });
    const sent = (result.events as SpinOffEvent[]).find((event) => event.type === 'SpinOffRoleInvitationsSent');
    const invited = sent?.type === 'SpinOffRoleInvitationsSent' ? sent.data.personIds : [];
    return {
      spinOffId,
      roleId,
      opportunityId: result.state.roles[roleId]?.opportunityId,
      invited,
      alreadyInvited: personIds.filter((personId) => !invited.includes(personId)),
      position: result.position,
      revision: result.revision,
    };
  }

  private async requireInvitable(personId: string, context: CommandContext): Promise<void> {
    const person = await this.candidates.requireActivePerson(personId, context.principal);
    if (!person.consents.mayBeContacted) throw new DomainError('spinoff.person_not_contactable', 'conflict', { personId });
  }

  /**
   * The `top` people the suggestions rank highest for the role's opportunity, among those the caller may see: only
   * people who agreed to be contacted, are active, and have no match on it yet. The index is read once it reflects
   * everything stored before the request, so the ranking is the one the suggestions route gives now. Nothing about
   * the people is looked up before the caller is known to be allowed to invite to this role.
   */
  private async topFor(spinOffId: string, roleId: string, context: CommandContext, top: number): Promise<RankedInvitees | undefined> {
    const { state, recorded } = await this.executor.load(spinOffDecider, spinOffStreamId(spinOffId));
    const probe: SpinOffCommand = { type: 'InviteToSpinOffRole', spinOffId, roleId, personIds: [], by: context.principal.subject, at: new Date(0).toISOString() };
    authorizeSpinOffCommand(context.principal, probe, state);
    const role = state.roles[roleId];
    // No such role, or not open: the decider's answer (it checks the role before the people) is the one to give.
    if (!role?.open || state.status !== 'launched') return undefined;
    await this.projections.ensureReflects(SUGGESTIONS_PROJECTION, await this.store.headPosition());
    const index = this.projections.projection<SuggestionsProjection>(SUGGESTIONS_PROJECTION).index;
    const opportunity = index.opportunity(role.opportunityId);
    if (!opportunity) throw new ApiError(404, 'opportunity.not_found');
    if (!opportunity.open) throw new ApiError(409, 'opportunity.closed');
    const policy = policyById(this.config.SUGGESTIONS_POLICY);
    const ranked = index.peopleFor(role.opportunityId, peopleScopeOf(context.principal), { policy, language: 'ja', limit: top });
    const last = recorded.at(-1);
    return { opportunityId: role.opportunityId, ranked: ranked.map((r) => r.item.personId), position: last?.position ?? 0, revision: last?.revision ?? -1 };
  }
}

interface RankedInvitees {
  opportunityId: string;
  /** Person ids, best first. */
  ranked: string[];
  /** Where the spin-off's stream stood when they were ranked. */
  position: number;
  revision: number;
}
