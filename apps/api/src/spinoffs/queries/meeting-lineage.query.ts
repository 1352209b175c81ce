import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { Principal } from '@tsunagi/domain';
import { meetingDecider, meetingStreamId } from '@tsunagi/meetings';
import { CommandExecutor } from '@tsunagi/platform';
import { LineageSpinOffView, MeetingLineageView, SpinOffsQueries } from '@tsunagi/projections';
import { READ_MODELS } from '../../projections/projections.service';

/** For callers who may not see who stepped up: the matches without their person, and a count of the people. */
export type RedactedLineageSpinOffView = Omit<LineageSpinOffView, 'roles' | 'peopleWhoSteppedUp'> & {
  roles: (Omit<LineageSpinOffView['roles'][number], 'matches'> & { matches: { matchId: string; status: string }[] })[];
  peopleWhoSteppedUp: number;
};

export interface MeetingLineageAnswer {
  meetingId: string;
  spinOffs: (LineageSpinOffView | RedactedLineageSpinOffView)[];
}

/** Coordinators and admins see the person ids of the people who stepped up; everyone else (analysts too) counts. */
export const seesPeopleInLineage = (principal: Principal) => principal.role === 'admin' || principal.role === 'coordinator';

export function redactLineage(principal: Principal, lineage: MeetingLineageView): MeetingLineageAnswer {
  if (seesPeopleInLineage(principal)) return lineage;
  return {
    meetingId: lineage.meetingId,
    spinOffs: lineage.spinOffs.map((spinOff) => ({
      ...spinOff,
      roles: spinOff.roles.map((role) => ({ ...role, matches: role.matches.map(({ matchId, status }) => ({ matchId, status })) })),
      peopleWhoSteppedUp: spinOff.peopleWhoSteppedUp.length,
    })),
  };
}

export class MeetingLineageQuery extends Query<MeetingLineageAnswer | undefined> {
  constructor(
    readonly principal: Principal,
    readonly meetingId: string,
  ) {
    super();
  }
}

/**
 * Meeting → spin-offs → roles → people, as recorded (never inferred): undefined (404) when there is no such
 * meeting, whose existence is read from its stream.
 */
@QueryHandler(MeetingLineageQuery)
export class MeetingLineageHandler implements IQueryHandler<MeetingLineageQuery> {
  private readonly queries: SpinOffsQueries;
  constructor(
    @Inject(READ_MODELS) db: Database.Database,
    private readonly executor: CommandExecutor,
  ) {
    this.queries = new SpinOffsQueries(db);
  }

  async execute({ principal, meetingId }: MeetingLineageQuery) {
    const { state } = await this.executor.load(meetingDecider, meetingStreamId(meetingId));
    if (state.status === 'none') return undefined;
    return redactLineage(principal, this.queries.lineage(meetingId));
  }
}
