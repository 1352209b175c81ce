import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { EVENT_STORE, EventStore } from '@tsunagi/event-store';
import { AppConfig, ApiError } from '@tsunagi/platform';
import { Projection, ProjectionRunner } from '@tsunagi/projections';
import { API_PROJECTIONS } from './api-projections';

export const READ_MODELS = Symbol('READ_MODELS');


/** Runs this instance's projections and gives queries read-your-writes on request. */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('projections');
  readonly runner: ProjectionRunner;
  private readonly projections: Projection[] = API_PROJECTIONS();

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODELS) readonly db: Database.Database,
    private readonly config: AppConfig,
  ) {
    this.runner = new ProjectionRunner(store, db, this.projections, {
      onFailure: (name, failure) => this.logger.error(`Projection ${name} stopped at position ${failure.position}: ${failure.error}`),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
    this.db.close();
  }

  /** One of this instance's projections, for a read model kept in memory (the suggestion index). */
  projection<T extends Projection>(name: string): T {
    const found = this.projections.find((p) => p.name === name);
    if (!found) throw new Error(`No projection is named ${name}`);
    return found as T;
  }

  /** Waits (bounded by READ_WAIT_MAX_MS) until `projection` reflects `position`; 503 read_model.behind otherwise. */
  async ensureReflects(projection: string, position: number | undefined): Promise<void> {
    if (position === undefined) return;
    if (!(await this.runner.waitForPosition(projection, position, this.config.READ_WAIT_MAX_MS))) {
      throw new ApiError(503, 'read_model.behind', { projection, position }, {}, { 'retry-after': '1' });
    }
  }

  /**
   * For answers that count: until `projection` has caught up with the events since it started or was rebuilt it
   * holds only part of history, and a count from it would be wrong without saying so. Waits for that as for
   * `minPosition`, then answers 503 read_model.not_ready; 503 read_model.failed when it stopped at an event it
   * could not apply (it stays behind until a rebuild).
   */
  async ensureCaughtUp(projection: string): Promise<void> {
    // Live answers at once; a model that is catching up (a start, a short rebuild) gets up to READ_WAIT_MAX_MS.
    if (this.runner.stateOf(projection) !== 'failed' && (await this.runner.waitForLive(projection, this.config.READ_WAIT_MAX_MS))) return;
    const status = (await this.runner.status()).find((s) => s.name === projection)!;
    const where = { projection, state: status.state, position: status.position, headPosition: status.headPosition };
    if (status.state === 'failed') throw new ApiError(503, 'read_model.failed', { projection }, where, { 'retry-after': '60' });
    const percent = status.headPosition === 0 ? 100 : Math.floor((Math.min(status.position, status.headPosition) / status.headPosition) * 100);
    throw new ApiError(503, 'read_model.not_ready', { projection, state: status.state, percent }, where, { 'retry-after': '5' });
  }
}

