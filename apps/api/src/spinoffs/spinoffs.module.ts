import { Module } from '@nestjs/common';
import { ChangeSpinOffHandler } from './change-spinoff.command';
import { GetSpinOffHandler, ListSpinOffsHandler } from './queries/list-spinoffs.query';
import { ListPersonSpinOffsHandler } from './queries/list-person-spinoffs.query';
import { MeetingLineageHandler } from './queries/meeting-lineage.query';
import { SpinOffOriginHandler } from './queries/spinoff-origin.query';
import { SpinOffsReadController } from './queries/spinoffs-read.controller';
import { SpinOffRolesController } from './roles/spinoff-roles.controller';
import { CloseSpinOffRoleHandler, OpenSpinOffRoleHandler } from './spinoff-roles.command';
import { SpinOffDirectory } from './spinoff-directory';
import { InviteToSpinOffRoleHandler } from './spinoff-invitations.command';
import { CandidateDirectory } from '../matching/candidate-directory';
import { SpinOffsController } from './spinoffs/spinoffs.controller';

/** Spin-off projects grown from SDC meetings: commands, roles filled through matching, queries and the meeting → people lineage. */
@Module({
  controllers: [SpinOffsController, SpinOffRolesController, SpinOffsReadController],
  providers: [
    SpinOffDirectory,
    ChangeSpinOffHandler,
    OpenSpinOffRoleHandler,
    CloseSpinOffRoleHandler,
    InviteToSpinOffRoleHandler,
    CandidateDirectory,
    ListSpinOffsHandler,
    GetSpinOffHandler,
    SpinOffOriginHandler,
    MeetingLineageHandler,
    ListPersonSpinOffsHandler,
  ],
})
export class SpinOffsModule {}
