import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';

/** The clock for every module of an app; tests replace it with overrideProvider(Clock). */
@Global()
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }],
  exports: [Clock],
})
export class ClockModule {}
