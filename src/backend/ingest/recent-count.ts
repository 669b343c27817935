/** Events counted in one-minute buckets, so "how many in the last hour" costs nothing to keep. */
export class RecentCount {
  private buckets = new Map<number, number>();

  add(n = 1, now = Date.now()): void {
    const minute = Math.floor(now / 60_000);
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + n);
    for (const m of this.buckets.keys()) if (m < minute - 60) this.buckets.delete(m);
  }

  /** Events in the last `minutes` whole minutes (the current one included). */
  since(minutes: number, now = Date.now()): number {
    const from = Math.floor(now / 60_000) - minutes + 1;
    let n = 0;
    for (const [m, c] of this.buckets) if (m >= from) n += c;
    return n;
  }
}
