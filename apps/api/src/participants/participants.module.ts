import { Module } from '@nestjs/common';
import { ChangeOrganisationHandler, ChangePersonHandler } from './change-participant.command';
import { OrganisationsController } from './organisations/organisations.controller';
import { PeopleController } from './people/people.controller';
import { PersonNotificationsController } from './people/person-notifications.controller';
import { GetOrganisationHandler, ListOrganisationsHandler } from './queries/list-organisations.query';
import { GetPersonHandler, ListPeopleHandler } from './queries/list-people.query';
import { ParticipantsReadController } from './queries/participants-read.controller';

/** People and organisations: commands, queries and their routes. */
@Module({
  controllers: [PeopleController, PersonNotificationsController, OrganisationsController, ParticipantsReadController],
  providers: [ChangePersonHandler, ChangeOrganisationHandler, ListPeopleHandler, GetPersonHandler, ListOrganisationsHandler, GetOrganisationHandler],
})
export class ParticipantsModule {}
