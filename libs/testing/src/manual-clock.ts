import { Clock } from '@app/common';

/** A clock tests set and move by hand. */
export class ManualClock extends Clock {
  private current: number;

  constructor(start: string | Date) {
    super();
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: string | Date): void {
    this.current = new Date(instant).getTime();
  }

  advance(milliseconds: number): void {
    this.current += milliseconds;
  }
}
