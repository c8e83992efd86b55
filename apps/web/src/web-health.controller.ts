import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig } from '@app/config';

@ApiTags('health')
@Controller('health')
export class WebHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness of the web server itself (it serves pages even while a service is down)' })
  live() {
    return this.health.check([]);
  }

  @Get('services')
  @HealthCheck()
  @ApiOperation({ summary: 'Whether the services behind /api answer their own health checks' })
  services() {
    const upstreams: [string, string][] = [
      ['catalog', this.config.CATALOG_URL],
      ['booking', this.config.BOOKING_URL],
      ['worker', this.config.WORKER_URL],
    ];
    return this.health.check(upstreams.map(([name, url]) => () => this.ping(name, url)));
  }

  private async ping(name: string, url: string) {
    const indicator = this.indicators.check(name);
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      return response.ok ? indicator.up() : indicator.down({ httpStatus: response.status });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
