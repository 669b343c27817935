/**
 * Spacing between stream restarts: doubles from `initialMs` up to `maxMs`, back to the start
 * once a stream has delivered frames for a while; counts restarts in the last hour
 * (Frigate/Viseron users ask for exactly that figure when a camera misbehaves).
 */
export class RestartBackoff {
  private attempt = 0;
  private restartTimes: number[] = [];
  total = 0;

  constructor(
    private initialMs: number,
    private maxMs: number,
  ) {}

  nextDelayMs(now = Date.now()): number {
    const delay = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt++;
    this.total++;
    this.restartTimes.push(now);
    return delay;
  }

  /** A stream that delivered frames is healthy again: the next failure starts from the initial delay. */
  succeeded(): void {
    this.attempt = 0;
  }

  restartsLastHour(now = Date.now()): number {
    this.restartTimes = this.restartTimes.filter((t) => now - t < 3_600_000);
    return this.restartTimes.length;
  }
}
