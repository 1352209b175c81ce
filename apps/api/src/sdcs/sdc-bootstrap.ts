import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DomainError, Principal } from '@tsunagi/domain';
import { SDC_CATALOGUE, SdcCommand, sdcDecider, sdcOrganisationId, sdcStreamId } from '@tsunagi/meetings';
import { OrganisationCommand, organisationDecider, organisationStreamId } from '@tsunagi/participants';
import { CommandContext, CommandExecutor } from '@tsunagi/platform';

const SYSTEM: Principal = { subject: 'system', role: 'admin', wards: [], organisationIds: [] };

/**
 * Makes the seven SDCs (and the organisation each one is) exist on a fresh start. Event ids are derived from
 * the ward, so several instances starting at once, or every restart, write them exactly once.
 */
@Injectable()
export class SdcBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('sdcs');
  constructor(private readonly executor: CommandExecutor) {}

  async onApplicationBootstrap(): Promise<void> {
    let created = 0;
    for (const record of SDC_CATALOGUE) {
      const organisationId = sdcOrganisationId(record.ward);
      // Every instance must write identical events under the derived ids, so the time is the SDC's, not the clock's.
      const at = `${record.since}-01T00:00:00+09:00`;
      const context = (what: string): CommandContext => ({ principal: SYSTEM, correlationId: `bootstrap-${record.ward}`, causationId: `bootstrap-${record.ward}`, idempotencyScope: `bootstrap:${what}:${record.ward}` });
      created += await this.once(() =>
        this.executor.execute(organisationDecider, organisationStreamId(organisationId), context('organisation'), {
          command: (): OrganisationCommand => ({
            type: 'RegisterOrganisation',
            organisationId,
            by: SYSTEM.subject,
            at,
            profile: {
              name: record.name.ja,
              type: 'sdc',
              wardsServed: [record.ward],
              themes: ['town_making'],
              contactEmail: `sdc-${record.ward}@tsunagi.invalid`,
              description: `${record.name.en}: ${record.signatureActivity}`,
            },
          }),
        }),
      );
      created += await this.once(() =>
        this.executor.execute(sdcDecider, sdcStreamId(record.ward), context('sdc'), {
          command: (): SdcCommand => ({ type: 'EstablishSdc', record, organisationId, by: SYSTEM.subject, at }),
        }),
      );
    }
    if (created > 0) this.logger.log(`Established ${created / 2} SDCs`);
  }

  /** 1 when written now, 0 when it already existed (written by an earlier start or another instance). */
  private async once(write: () => Promise<{ replayed: boolean }>): Promise<number> {
    try {
      return (await write()).replayed ? 0 : 1;
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'conflict') return 0;
      throw error;
    }
  }
}
