import { Body, Controller, Delete, Get, HttpCode, Param, ParseEnumPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { WARDS, Ward } from '@tsunagi/domain';
import { SDC_CATALOGUE, sdcDecider, sdcOrganisationId, sdcStreamId } from '@tsunagi/meetings';
import { CommandExecutor, CommandRequest, Roles, commandContextOf } from '@tsunagi/platform';

export class CoordinatorRequestDto {
  @ApiProperty({ description: 'The coordinator’s token subject' }) @IsString() @Length(1, 200) coordinator!: string;
}

const WARD = new ParseEnumPipe(Object.fromEntries(WARDS.map((w) => [w, w])));

@ApiTags('sdcs')
@ApiBearerAuth()
@Controller('api/sdcs')
export class SdcsController {
  constructor(private readonly executor: CommandExecutor) {}

  @Get()
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  @ApiOperation({ summary: 'The seven ward Social Design Centers, with their coordinators' })
  async list() {
    return { items: await Promise.all(SDC_CATALOGUE.map((record) => this.view(record.ward))) };
  }

  @Get(':ward')
  @Roles('coordinator', 'volunteer', 'organisation', 'analyst', 'admin')
  async get(@Param('ward', WARD) ward: Ward) {
    return this.view(ward);
  }

  @Post(':ward/coordinators')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'A coordinator joins an SDC (tokens carry the wards a coordinator acts in)' })
  join(@Param('ward', WARD) ward: Ward, @Body() body: CoordinatorRequestDto, @Req() request: CommandRequest) {
    return this.change(ward, request, (at) => ({ type: 'JoinSdc', coordinator: body.coordinator, by: request.principal.subject, at }));
  }

  @Delete(':ward/coordinators/:coordinator')
  @Roles('admin')
  leave(@Param('ward', WARD) ward: Ward, @Param('coordinator') coordinator: string, @Req() request: CommandRequest) {
    return this.change(ward, request, (at) => ({ type: 'LeaveSdc', coordinator, by: request.principal.subject, at }));
  }

  private async change(ward: Ward, request: CommandRequest, command: Parameters<CommandExecutor['execute']>[3]['command']) {
    const result = await this.executor.execute(sdcDecider, sdcStreamId(ward), commandContextOf(request), { command: command as never });
    return { ward, coordinators: result.state.coordinators, position: result.position };
  }

  /** Seven tiny streams: read straight from the event store, always current. */
  private async view(ward: Ward) {
    const record = SDC_CATALOGUE.find((s) => s.ward === ward)!;
    const { state } = await this.executor.load(sdcDecider, sdcStreamId(ward));
    return { ...record, organisationId: sdcOrganisationId(ward), established: state.established, coordinators: state.coordinators };
  }
}
