import { Module } from '@nestjs/common';
import { AdminQueuesMetricsController } from './admin-queues.controller';

/** Operations views of the job queues: GET /metrics (Prometheus text), admin only. */
@Module({ controllers: [AdminQueuesMetricsController] })
export class AdminQueuesModule {}
