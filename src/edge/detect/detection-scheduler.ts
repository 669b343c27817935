import type { Logger } from "../../shared/logger.ts";

export interface DetectionClient {
  readonly camera: { id: string; fullScanSeconds: number };
  readonly hasFrame: boolean;
  lastDetectMs: number;
  processNext(): Promise<void>;
}

/**
 * Cameras take turns on the shared detector, least recently served first. When detection
 * cannot keep up, every camera still gets a full scan in turn instead of the busiest
 * camera starving the rest; a camera that waits longer than its `fullScanSeconds` is
 * counted as overdue, which health reports as detector overload.
 */
export class DetectionScheduler {
  private clients = new Set<DetectionClient>();
  private running = false;
  overdueScans = new Map<string, number>();

  constructor(private log: Logger) {}

  add(c: DetectionClient): void {
    this.clients.add(c);
    this.wake();
  }

  remove(c: DetectionClient): void {
    this.clients.delete(c);
  }

  wake(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        let next: DetectionClient | null = null;
        for (const c of this.clients) if (c.hasFrame && (!next || c.lastDetectMs < next.lastDetectMs)) next = c;
        if (!next) break;
        const waited = Date.now() - next.lastDetectMs;
        if (next.lastDetectMs && waited > next.camera.fullScanSeconds * 1000) {
          this.overdueScans.set(next.camera.id, (this.overdueScans.get(next.camera.id) ?? 0) + 1);
        }
        try {
          await next.processNext();
        } catch (err) {
          this.log.error({ camera: next.camera.id, err: (err as Error).message }, "detection failed on a frame");
          next.lastDetectMs = Date.now();
        }
      }
    } finally {
      this.running = false;
    }
  }
}
