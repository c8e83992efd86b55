import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { WorkerMetrics } from './worker-metrics';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: WorkerMetrics) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics: queue depth, notification sends and failures, statistics compile durations' })
  @ApiOkResponse({ description: 'Prometheus text format' })
  render(): Promise<string> {
    return this.metrics.render();
  }
}
