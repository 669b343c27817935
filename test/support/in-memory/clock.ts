/** A clock the test moves by hand: services read it through their `clock` parameter. */
export class FakeClock {
  private t: number;

  constructor(start = "2026-06-01T08:00:00Z") {
    this.t = new Date(start).getTime();
  }

  /** Pass as a service's clock: `clock.now`. */
  readonly now = (): Date => new Date(this.t);

  advance(ms: number): void {
    this.t += ms;
  }
}

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
