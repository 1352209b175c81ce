import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@tsunagi/platform';
import { openReadModelDatabase } from '@tsunagi/projections';
import { ProjectionsController } from './projections.controller';
import { ProjectionsService, READ_MODELS } from './projections.service';

@Global()
@Module({
  controllers: [ProjectionsController],
  providers: [
    { provide: READ_MODELS, inject: [AppConfig], useFactory: (config: AppConfig) => openReadModelDatabase(config.readModelPath) },
    ProjectionsService,
  ],
  exports: [ProjectionsService, READ_MODELS],
})
export class ProjectionsModule {}
