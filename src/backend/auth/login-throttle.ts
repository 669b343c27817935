import type { Database } from "../db/database.ts";

export interface ThrottlePolicy {
  freeFailures: number;
  baseLockSeconds: number;
  maxLockSeconds: number;
}

/** Failures older than this are forgotten, so a typo last week does not shorten today's allowance. */
const FORGET_AFTER_MS = 60 * 60_000;

/**
 * Exponential backoff on failed logins, per username and per client IP, in the database so
 * every replica behind the load balancer sees the same counters.
 */
export class LoginThrottle {
  constructor(
    private db: Database,
    private policy: ThrottlePolicy,
  ) {}

  /** Seconds the caller must still wait before any of these keys may try again (0 = go). */
  async waitSeconds(keys: string[], now = new Date()): Promise<number> {
    const rows = await this.db.prisma.loginThrottle.findMany({ where: { key: { in: keys } } });
    const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0));
    return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
  }

  async recordFailure(keys: string[], now = new Date()): Promise<void> {
    for (const key of keys) {
      await this.db.prisma.$transaction(async (tx) => {
        const row = await tx.loginThrottle.findUnique({ where: { key } });
        const stale = row && now.getTime() - row.updatedAt.getTime() > FORGET_AFTER_MS && (!row.lockedUntil || row.lockedUntil < now);
        const failures = (stale || !row ? 0 : row.failures) + 1;
        const over = failures - this.policy.freeFailures;
        const lockedUntil = over >= 0 ? new Date(now.getTime() + Math.min(this.policy.maxLockSeconds, this.policy.baseLockSeconds * 2 ** over) * 1000) : null;
        await tx.loginThrottle.upsert({ where: { key }, create: { key, failures, lockedUntil, updatedAt: now }, update: { failures, lockedUntil, updatedAt: now } });
      });
    }
  }

  async reset(key: string): Promise<void> {
    await this.db.prisma.loginThrottle.deleteMany({ where: { key } });
  }
}
