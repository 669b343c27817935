/**
 * A camera's frames waiting for the detector. Live cameras take the newest frame and drop
 * the older ones (a stale frame is worth less than a fresh one, and memory must not grow
 * when detection falls behind); replay never drops and instead pauses the reader.
 */
export class FrameQueue<T> {
  private items: T[] = [];
  dropped = 0;

  constructor(
    readonly capacity: number,
    readonly policy: "drop-oldest" | "lossless",
  ) {}

  get size(): number {
    return this.items.length;
  }

  get full(): boolean {
    return this.items.length >= this.capacity;
  }

  /** Returns false when a lossless queue is full (the caller must pause its source). */
  push(item: T): boolean {
    if (this.policy === "lossless") {
      this.items.push(item);
      return this.items.length < this.capacity;
    }
    this.items.push(item);
    while (this.items.length > this.capacity) {
      this.items.shift();
      this.dropped++;
    }
    return true;
  }

  /** Live: the newest frame, older ones dropped. Lossless: the oldest, so replay sees every frame in order. */
  take(): T | undefined {
    if (this.policy === "lossless") return this.items.shift();
    const newest = this.items.pop();
    this.dropped += this.items.length;
    this.items.length = 0;
    return newest;
  }

  clear(): void {
    this.items.length = 0;
  }
}
