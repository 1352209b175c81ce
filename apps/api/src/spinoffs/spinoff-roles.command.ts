import { Inject, Logger } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, Principal } from '@tsunagi/domain';
import { CLOCK, Clock } from '@tsunagi/event-store';
import type { Schedule } from '@tsunagi/matching';
import { sdcOrganisationId } from '@tsunagi/meetings';
import { CommandContext, CommandExecutor } from '@tsunagi/platform';
import { SpinOffCommand, SpinOffState, authorizeSpinOffCommand, spinOffDecider, spinOffStreamId } from '@tsunagi/spinoffs';
import { ChangeOpportunity, OpportunityWriteResult } from '../matching/change-opportunity.command';

/**
 * The spin-off's policy decides who may open or close its roles; the opportunity that fills a role is then
 * written by the system on the spin-off's behalf (its owner, the SDC's organisation, has no say of its own here).
 */
const SYSTEM: Principal = { subject: 'system', role: 'admin', wards: [], organisationIds: [] };

/**
 * The context of the opportunity write: the system acting, but the request's correlation and causation, so the
 * two streams' events trace back to one request. Event ids are unique across streams and, under an
 * Idempotency-Key, derived from it: the opportunity's events get a scope of their own.
 */
export function onBehalfOf(context: CommandContext, purpose: string): CommandContext {
  return {
    principal: SYSTEM,
    correlationId: context.correlationId,
    causationId: context.causationId,
    ...(context.idempotencyScope ? { idempotencyScope: `${context.idempotencyScope}:${purpose}` } : {}),
  };
}

export interface SpinOffRoleWriteResult {
  spinOffId: string;
  roleId: string;
  opportunityId: string;
  position: number;
  revision: number;
}

/** What a role asks for; title and skills are normalised by the caller, as the opportunity stores them. */
export interface SpinOffRoleRequest {
  roleId: string;
  opportunityId: string;
  title: string;
  description: string;
  places: number;
  requiredSkills: string[];
  schedule: Schedule;
}

/**
 * A role that needs people is opened as a volunteer-role opportunity, so matches fill it. Two streams, in this
 * order: the opportunity first, then SpinOffRoleOpened naming it, so the lineage never points at an opportunity
 * that does not exist. Both ids come from the request (derived from its Idempotency-Key), so a retry after a
 * crash between the two writes finds the opportunity it opened and links it.
 */
export class OpenSpinOffRole extends Command<SpinOffRoleWriteResult> {
  constructor(
    readonly spinOffId: string,
    readonly context: CommandContext,
    readonly role: SpinOffRoleRequest,
  ) {
    super();
  }
}

/** Closes a role and the opportunity that fills it: the opportunity first, so a retry can repair a crash between. */
export class CloseSpinOffRole extends Command<SpinOffRoleWriteResult> {
  constructor(
    readonly spinOffId: string,
    readonly context: CommandContext,
    readonly roleId: string,
  ) {
    super();
  }
}

/** The spin-off side of both: decide without writing first, then commit after the opportunity's write. */
abstract class SpinOffRoleHandler {
  constructor(
    protected readonly executor: CommandExecutor,
    protected readonly commandBus: CommandBus,
    private readonly clock: Clock,
  ) {}

  /**
   * Whether the spin-off would take the command now (the caller may run it, and the decider accepts it), with
   * the state it was decided on. Nothing is written: the other stream is written only for a command that would
   * pass, so a refused request leaves no opportunity behind.
   */
  protected async wouldAccept(spinOffId: string, context: CommandContext, build: (at: string) => SpinOffCommand): Promise<{ accepted: boolean; state: SpinOffState }> {
    const { state } = await this.executor.load(spinOffDecider, spinOffStreamId(spinOffId));
    try {
      const command = build(this.clock.now().toISOString());
      authorizeSpinOffCommand(context.principal, command, state);
      spinOffDecider.decide(command, state);
      return { accepted: true, state };
    } catch (error) {
      if (error instanceof DomainError) return { accepted: false, state };
      throw error;
    }
  }

  /** Writes the command on the spin-off, deciding again; answers a retried request as its first attempt did. */
  protected commit(spinOffId: string, context: CommandContext, build: (at: string) => SpinOffCommand) {
    return this.executor.execute(spinOffDecider, spinOffStreamId(spinOffId), context, {
      command: build,
      authorize: (command, state) => authorizeSpinOffCommand(context.principal, command, state),
    });
  }
}

@CommandHandler(OpenSpinOffRole)
export class OpenSpinOffRoleHandler extends SpinOffRoleHandler implements ICommandHandler<OpenSpinOffRole, SpinOffRoleWriteResult> {
  private readonly logger = new Logger('spinoffs');

  constructor(executor: CommandExecutor, commandBus: CommandBus, @Inject(CLOCK) clock: Clock) {
    super(executor, commandBus, clock);
  }

  async execute({ spinOffId, context, role }: OpenSpinOffRole): Promise<SpinOffRoleWriteResult> {
    const { roleId, opportunityId } = role;
    const build = (at: string): SpinOffCommand => ({
      type: 'OpenSpinOffRole',
      spinOffId,
      by: context.principal.subject,
      at,
      roleId,
      opportunityId,
      title: role.title,
      places: role.places,
      requiredSkills: role.requiredSkills,
    });
    const answer = (position: number, revision: number) => ({ spinOffId, roleId, opportunityId, position, revision });

    const { accepted, state } = await this.wouldAccept(spinOffId, context, build);
    // Refused, or already done by an earlier attempt of this request: the commit answers either way.
    if (!accepted) {
      const result = await this.commit(spinOffId, context, build);
      return answer(result.position, result.revision);
    }

    const profile = state.profile!;
    const ward = profile.wards[0];
    const organisationId = sdcOrganisationId(ward);
    const opened: OpportunityWriteResult = await this.commandBus.execute(
      new ChangeOpportunity(
        opportunityId,
        onBehalfOf(context, 'role-opportunity'),
        (at) => ({
          type: 'OpenOpportunity',
          opportunityId,
          by: SYSTEM.subject,
          at,
          organisationId,
          title: role.title,
          description: role.description,
          ward,
          themes: [...profile.themes],
          details: { kind: 'volunteer_role', places: role.places, schedule: role.schedule, requiredSkills: role.requiredSkills, optionalSkills: [] },
        }),
        {},
        { activeOrganisationId: organisationId },
      ),
    );
    try {
      const result = await this.commit(spinOffId, context, build);
      return answer(Math.max(result.position, opened.position), result.revision);
    } catch (error) {
      // The spin-off changed between the two writes (closed, or the caller stopped organising it): the role will
      // not be opened, so its opportunity must not take people. A store failure is left for the retry to repair.
      if (error instanceof DomainError) await this.withdraw(opportunityId, context);
      throw error;
    }
  }

  private async withdraw(opportunityId: string, context: CommandContext): Promise<void> {
    try {
      await this.commandBus.execute(
        new ChangeOpportunity(opportunityId, onBehalfOf(context, 'role-opportunity-withdrawn'), (at) => ({
          type: 'CloseOpportunity',
          opportunityId,
          by: SYSTEM.subject,
          at,
          reason: 'spin-off role not opened',
        })),
      );
    } catch (error) {
      if (!(error instanceof DomainError)) this.logger.error(`Could not close opportunity ${opportunityId} of a role that was not opened: ${String(error)}`);
    }
  }
}

@CommandHandler(CloseSpinOffRole)
export class CloseSpinOffRoleHandler extends SpinOffRoleHandler implements ICommandHandler<CloseSpinOffRole, SpinOffRoleWriteResult> {
  constructor(executor: CommandExecutor, commandBus: CommandBus, @Inject(CLOCK) clock: Clock) {
    super(executor, commandBus, clock);
  }

  async execute({ spinOffId, context, roleId }: CloseSpinOffRole): Promise<SpinOffRoleWriteResult> {
    const build = (at: string): SpinOffCommand => ({ type: 'CloseSpinOffRole', spinOffId, by: context.principal.subject, at, roleId });
    const { accepted, state } = await this.wouldAccept(spinOffId, context, build);
    let position = 0;
    if (accepted) {
      const { opportunityId } = state.roles[roleId];
      try {
        const closed: OpportunityWriteResult = await this.commandBus.execute(
          new ChangeOpportunity(opportunityId, onBehalfOf(context, 'role-opportunity-closed'), (at) => ({
            type: 'CloseOpportunity',
            opportunityId,
            by: SYSTEM.subject,
            at,
            reason: 'spin-off role closed',
          })),
        );
        position = closed.position;
      } catch (error) {
        // Closed already (by its coordinators, or by an attempt of this request that crashed before the role closed).
        if (!(error instanceof DomainError && error.code === 'opportunity.closed')) throw error;
      }
    }
    const result = await this.commit(spinOffId, context, build);
    const opportunityId = result.state.roles[roleId]?.opportunityId ?? state.roles[roleId]?.opportunityId;
    return { spinOffId, roleId, opportunityId, position: Math.max(position, result.position), revision: result.revision };
  }
}
