import { Module } from '@nestjs/common';
import { SdcBootstrap } from './sdc-bootstrap';
import { SdcsController } from './sdcs.controller';

@Module({ controllers: [SdcsController], providers: [SdcBootstrap] })
export class SdcsModule {}
