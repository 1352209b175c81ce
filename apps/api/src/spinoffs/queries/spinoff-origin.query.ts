import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { Principal } from '@tsunagi/domain';
import { Proposer, meetingDecider, meetingStreamId } from '@tsunagi/meetings';
import { CommandExecutor } from '@tsunagi/platform';
import { MeetingsQueries, SpinOffsQueries } from '@tsunagi/projections';
import { READ_MODELS } from '../../projections/projections.service';
import { runsMeeting } from '../../meetings/queries/meeting-views';

export interface OriginMeetingView {
  meetingId: string;
  outcomeId: string;
  /** The meeting's title and its SDC (ward code). */
  title: string;
  sdc: string;
  outcome: { kind: string; text: string };
  /** As in the meetings views: only for the proposer, the SDC's coordinators and admins. */
  proposer?: Proposer;
  closedAt?: string;
}

export interface SpinOffOriginAnswer {
  spinOffId: string;
  meetings: OriginMeetingView[];
}

interface OriginMeeting {
  title: string;
  sdc: string;
  outcomes: { outcomeId: string; kind: string; text: string }[];
  proposer?: Proposer;
  closedAt?: string;
}

export class SpinOffOriginQuery extends Query<SpinOffOriginAnswer | undefined> {
  constructor(
    readonly principal: Principal,
    readonly spinOffId: string,
  ) {
    super();
  }
}

/**
 * The meeting outcomes a spin-off came from, with what was said. The origins are the spin-off read model's; the
 * meetings the meetings read model's, or their streams while that read model has not caught up with them.
 */
@QueryHandler(SpinOffOriginQuery)
export class SpinOffOriginHandler implements IQueryHandler<SpinOffOriginQuery> {
  private readonly spinOffs: SpinOffsQueries;
  private readonly meetings: MeetingsQueries;
  constructor(
    @Inject(READ_MODELS) db: Database.Database,
    private readonly executor: CommandExecutor,
  ) {
    this.spinOffs = new SpinOffsQueries(db);
    this.meetings = new MeetingsQueries(db);
  }

  async execute({ principal, spinOffId }: SpinOffOriginQuery): Promise<SpinOffOriginAnswer | undefined> {
    const origins = this.spinOffs.origins(spinOffId);
    if (origins.length === 0) return undefined;
    const meetings = new Map<string, OriginMeeting | undefined>();
    const views: OriginMeetingView[] = [];
    for (const { meetingId, outcomeId } of origins) {
      if (!meetings.has(meetingId)) meetings.set(meetingId, await this.meeting(meetingId));
      const meeting = meetings.get(meetingId);
      const outcome = meeting?.outcomes.find((o) => o.outcomeId === outcomeId);
      // Origins were checked against the meeting's stream when the spin-off was proposed, and a closed meeting never changes.
      if (!meeting || !outcome) continue;
      const seesProposer = !!meeting.proposer && (runsMeeting(principal, meeting) || meeting.proposer.subject === principal.subject);
      views.push({
        meetingId,
        outcomeId,
        title: meeting.title,
        sdc: meeting.sdc,
        outcome: { kind: outcome.kind, text: outcome.text },
        ...(seesProposer ? { proposer: meeting.proposer } : {}),
        ...(meeting.closedAt ? { closedAt: meeting.closedAt } : {}),
      });
    }
    return { spinOffId, meetings: views };
  }

  private async meeting(meetingId: string): Promise<OriginMeeting | undefined> {
    const read = this.meetings.meeting(meetingId);
    if (read?.status === 'closed' && read.outcomes) {
      return { title: read.title, sdc: read.sdc, outcomes: read.outcomes, ...(read.proposer ? { proposer: read.proposer } : {}), ...(read.closedAt ? { closedAt: read.closedAt } : {}) };
    }
    const { state } = await this.executor.load(meetingDecider, meetingStreamId(meetingId));
    if (state.status !== 'closed' || !state.proposal) return undefined;
    return { title: state.proposal.title, sdc: state.proposal.sdc, outcomes: state.outcomes, proposer: state.proposal.proposer };
  }
}
