/** The most recent latencies (ms) in a fixed ring, for percentiles without unbounded memory. */
export class LatencyWindow {
  private readonly ring: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(size = 20_000) {
    this.ring = new Float64Array(size);
  }

  add(ms: number): void {
    this.ring[this.next] = ms;
    this.next = (this.next + 1) % this.ring.length;
    this.filled = Math.min(this.filled + 1, this.ring.length);
  }

  /** Nearest-rank percentiles of what the window holds (0 when empty). */
  percentiles(...ps: number[]): number[] {
    if (this.filled === 0) return ps.map(() => 0);
    const sorted = this.ring.slice(0, this.filled).sort();
    return ps.map((p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]);
  }
}
