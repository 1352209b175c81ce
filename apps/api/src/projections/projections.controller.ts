import { Controller, Get, HttpCode, Logger, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tsunagi/platform';
import { UnknownProjectionError } from '@tsunagi/projections';
import { ProjectionsService } from './projections.service';

@ApiTags('operations')
@ApiBearerAuth()
@Controller('api/admin/projections')
export class ProjectionsController {
  private readonly logger = new Logger('projections');
  constructor(private readonly projections: ProjectionsService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: "Each projection's state, position and lag" })
  async list() {
    return { projections: await this.projections.runner.status() };
  }

  @Post(':name/rebuild')
  @Roles('admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Drop a read model and replay it from position 0; progress shows in GET /api/admin/projections and /health' })
  async rebuild(@Param('name') name: string) {
    if (!this.projections.runner.names.includes(name)) throw new UnknownProjectionError(name, this.projections.runner.names);
    const started = Date.now();
    let lastLogged = 0;
    void this.projections.runner
      .rebuild(name, (progress) => {
        if (progress.fraction === 1 || Date.now() - lastLogged > 2_000) {
          lastLogged = Date.now();
          this.logger.log(`Rebuilding ${name}: ${(progress.fraction * 100).toFixed(1)} % (${progress.position}/${progress.headPosition})`);
        }
      })
      .then(() => this.logger.log(`Rebuilt ${name} in ${Date.now() - started} ms`))
      .catch((error: Error) => this.logger.error(`Rebuild of ${name} failed: ${error.message}`));
    return { projection: name, state: 'rebuilding' };
  }
}
