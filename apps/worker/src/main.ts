import 'reflect-metadata';
import { bootstrapHttpApp } from '@app/common';
import { WorkerModule } from './worker.module';

export const WORKER_DEFAULT_PORT = 3003;

void bootstrapHttpApp(WorkerModule, {
  name: 'worker',
  description: 'Background jobs: reminders and statistics. HTTP serves health only.',
  defaultPort: WORKER_DEFAULT_PORT,
});
