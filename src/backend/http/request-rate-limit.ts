import type { Request } from "express";
import { HttpError } from "./errors.ts";

/**
 * Fixed-window request limit per client IP, in memory (per replica): a cheap brake on
 * scraping and guessing on the public endpoints. Login lockout, which must hold across
 * replicas, lives in the database instead (auth/login-throttle.ts).
 */
export class RequestRateLimit {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    private perMinute: number,
    private windowMs = 60_000,
  ) {}

  /** Throws 429 with Retry-After when this IP used up its allowance in the current window. */
  check(req: Request, bucket: string): void {
    const now = Date.now();
    const key = `${bucket}|${req.ip ?? "unknown"}`;
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 50_000) this.sweep(now);
    }
    w.count++;
    if (w.count > this.perMinute) {
      const retry = Math.ceil((w.start + this.windowMs - now) / 1000);
      throw new HttpError(429, `too many requests; try again in ${retry} s`, undefined, { "Retry-After": String(retry) });
    }
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}
