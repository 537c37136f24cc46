/**
 * Wall time comes from an injected clock so that idle locks, throttling, end of day and period
 * closes are tested by moving the clock, never by sleeping. The business date is not wall time: it
 * lives in the bank's profile and moves only when the bank's day is closed.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock a test moves by hand. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string = '2026-01-05T09:00:00Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}
