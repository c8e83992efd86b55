import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MonitoredQueues } from './monitored-queues';
import { QueueDashboard } from './queue-dashboard';
import { WorkerMetrics } from './worker-metrics';

/** What operators see of the worker: /metrics for Prometheus, Bull Board at /queues for admins. Global: every job records its metrics. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MonitoredQueues, WorkerMetrics, QueueDashboard],
  exports: [WorkerMetrics],
})
export class OperationsModule {}
