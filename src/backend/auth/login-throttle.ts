import type { Database } from "../db/database.ts";

export interface ThrottlePolicy {
  freeFailures: number;
  baseLockSeconds: number;
  maxLockSeconds: number;
}

/** Failures older than this are forgotten, so a typo last week does not shorten today's allowance. */
const FORGET_AFTER_MS = 60 * 60_000;
/** Progressive delay on an account under attack: first step, and the most any attempt is held. */
const DELAY_BASE_MS = 250;
const DELAY_MAX_MS = 4_000;

/**
 * Failure counters with exponential backoff, in the database so every replica behind the
 * load balancer sees the same counters. Callers choose the keys (see throttle-keys.ts):
 * a key that locks must belong to the one who fails (their address, or their address with
 * the account), so nobody can lock someone else out; an account under attack from many
 * places is only slowed (delayMs), never locked.
 */
export class LoginThrottle {
  constructor(
    private db: Database,
    private policy: ThrottlePolicy,
  ) {}

  get freeFailures(): number {
    return this.policy.freeFailures;
  }

  /** Seconds the caller must still wait before any of these keys may try again (0 = go). */
  async waitSeconds(keys: string[], now = new Date()): Promise<number> {
    const rows = await this.db.prisma.loginThrottle.findMany({ where: { key: { in: keys } } });
    const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0));
    return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
  }

  /** Failures beyond `freeFailures` lock each key for baseLockSeconds, doubling per further failure up to maxLockSeconds. */
  async recordFailure(keys: string[], now = new Date(), freeFailures = this.policy.freeFailures): Promise<void> {
    for (const key of keys) {
      await this.db.prisma.$transaction(async (tx) => {
        const row = await tx.loginThrottle.findUnique({ where: { key } });
        const stale = row && now.getTime() - row.updatedAt.getTime() > FORGET_AFTER_MS && (!row.lockedUntil || row.lockedUntil < now);
        const failures = (stale || !row ? 0 : row.failures) + 1;
        const over = failures - freeFailures;
        const lockedUntil = over >= 0 ? new Date(now.getTime() + Math.min(this.policy.maxLockSeconds, this.policy.baseLockSeconds * 2 ** over) * 1000) : null;
        await tx.loginThrottle.upsert({
          where: { key },
          create: { key, failures, lockedUntil, updatedAt: now },
          update: { failures, lockedUntil, updatedAt: now },
        });
      });
    }
  }

  /**
   * How long to hold an attempt on `key` before answering: 0 within the free failures, then
   * 250 ms doubling up to 4 s. It slows guessing from many addresses without ever refusing
   * the right password.
   */
  async delayMs(key: string, now = new Date()): Promise<number> {
    const row = await this.db.prisma.loginThrottle.findUnique({ where: { key } });
    if (!row || now.getTime() - row.updatedAt.getTime() > FORGET_AFTER_MS) return 0;
    const over = row.failures - this.policy.freeFailures;
    return over <= 0 ? 0 : Math.min(DELAY_MAX_MS, DELAY_BASE_MS * 2 ** (over - 1));
  }

  async reset(key: string): Promise<void> {
    await this.db.prisma.loginThrottle.deleteMany({ where: { key } });
  }

  /** Removes every counter whose key matches one of these predicates (an administrator's unlock); returns how many. */
  async clear(match: { startsWith?: string; endsWith?: string; equals?: string }[]): Promise<number> {
    const r = await this.db.prisma.loginThrottle.deleteMany({ where: { OR: match.map((m) => ({ key: m })) } });
    return r.count;
  }
}
