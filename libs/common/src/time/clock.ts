import { Injectable } from '@nestjs/common';

/** The current instant, injected so tests can move time. */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
