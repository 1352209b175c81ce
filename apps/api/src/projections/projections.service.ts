import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { EVENT_STORE, EventStore } from '@tsunagi/event-store';
import { AppConfig, ApiError } from '@tsunagi/platform';
import { ProjectionRunner } from '@tsunagi/projections';
import { API_PROJECTIONS } from './api-projections';

export const READ_MODELS = Symbol('READ_MODELS');


/** Runs this instance's projections and gives queries read-your-writes on request. */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('projections');
  readonly runner: ProjectionRunner;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODELS) readonly db: Database.Database,
    private readonly config: AppConfig,
  ) {
    this.runner = new ProjectionRunner(store, db, API_PROJECTIONS(), {
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

  /** Waits (bounded by READ_WAIT_MAX_MS) until `projection` reflects `position`; 503 read_model.behind otherwise. */
  async ensureReflects(projection: string, position: number | undefined): Promise<void> {
    if (position === undefined) return;
    if (!(await this.runner.waitForPosition(projection, position, this.config.READ_WAIT_MAX_MS))) {
      throw new ApiError(503, 'read_model.behind', { projection, position });
    }
  }
}

