import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  OrganisationCommand,
  OrganisationState,
  PersonCommand,
  PersonState,
  organisationDecider,
  organisationStreamId,
  personDecider,
  personStreamId,
} from '@tsunagi/participants';
import { CommandContext, CommandExecutor } from '@tsunagi/platform';
import { authorizeOrganisationCommand, authorizePersonCommand } from '@tsunagi/participants';

/** What every write on a person answers: the id and the position it wrote (for read-your-writes). */
export interface PersonWriteResult {
  personId: string;
  position: number;
  revision: number;
}

export interface OrganisationWriteResult {
  organisationId: string;
  position: number;
  revision: number;
}

/** Any command on a person, built from the state it will be decided on. */
export class ChangePerson extends Command<PersonWriteResult> {
  constructor(
    readonly personId: string,
    readonly context: CommandContext,
    readonly build: (at: string, state: PersonState) => PersonCommand,
  ) {
    super();
  }
}

@CommandHandler(ChangePerson)
export class ChangePersonHandler implements ICommandHandler<ChangePerson, PersonWriteResult> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ personId, context, build }: ChangePerson): Promise<PersonWriteResult> {
    const result = await this.executor.execute(personDecider, personStreamId(personId), context, {
      command: build,
      authorize: (command, state) => authorizePersonCommand(context.principal, command, state),
    });
    return { personId, position: result.position, revision: result.revision };
  }
}

/** Any command on an organisation or its representatives, built from the state it will be decided on. */
export class ChangeOrganisation extends Command<OrganisationWriteResult> {
  constructor(
    readonly organisationId: string,
    readonly context: CommandContext,
    readonly build: (at: string, state: OrganisationState) => OrganisationCommand,
  ) {
    super();
  }
}

@CommandHandler(ChangeOrganisation)
export class ChangeOrganisationHandler implements ICommandHandler<ChangeOrganisation, OrganisationWriteResult> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ organisationId, context, build }: ChangeOrganisation): Promise<OrganisationWriteResult> {
    const result = await this.executor.execute(organisationDecider, organisationStreamId(organisationId), context, {
      command: build,
      authorize: (command, state) => authorizeOrganisationCommand(context.principal, command, state),
    });
    return { organisationId, position: result.position, revision: result.revision };
  }
}
