import type { KeyMatch } from "./throttle-keys.ts";
import type { ThrottleCounter } from "../repositories/login-throttle.repository.ts";

export interface ThrottlePolicy {
  freeFailures: number;
  baseLockSeconds: number;
  maxLockSeconds: number;
}

/** Where the counters live: the database (LoginThrottleRepository), or memory in unit tests. */
export interface ThrottleCounterStore {
  find(keys: string[]): Promise<ThrottleCounter[]>;
  get(key: string): Promise<ThrottleCounter | null>;
  /** Reads the counter and stores what `next` makes of it, atomically. */
  update(key: string, next: (current: ThrottleCounter | null) => Omit<ThrottleCounter, "key">): Promise<void>;
  remove(key: string): Promise<void>;
  removeMatching(match: KeyMatch[]): Promise<number>;
}

/** Failures older than this are forgotten, so a typo last week does not shorten today's allowance. */
const FORGET_AFTER_MS = 60 * 60_000;
/** Progressive delay on an account under attack: first step, and the most any attempt is held. */
const DELAY_BASE_MS = 250;
const DELAY_MAX_MS = 4_000;

/**
 * Failure counters with exponential backoff, kept where every replica behind the load
 * balancer sees the same counters. Callers choose the keys (see throttle-keys.ts):
 * a key that locks must belong to the one who fails (their address, or their address with
 * the account), so nobody can lock someone else out; an account under attack from many
 * places is only slowed (delayMs), never locked.
 */
export class LoginThrottle {
  constructor(
    private readonly counters: ThrottleCounterStore,
    private policy: ThrottlePolicy,
    private clock: () => Date = () => new Date(),
  ) {}

  get freeFailures(): number {
    return this.policy.freeFailures;
  }

  /** Seconds the caller must still wait before any of these keys may try again (0 = go). */
  async waitSeconds(keys: string[], now = this.clock()): Promise<number> {
    const rows = await this.counters.find(keys);
    const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0));
    return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
  }

  /** Failures beyond `freeFailures` lock each key for baseLockSeconds, doubling per further failure up to maxLockSeconds. */
  async recordFailure(keys: string[], now = this.clock(), freeFailures = this.policy.freeFailures): Promise<void> {
    for (const key of keys) {
      await this.counters.update(key, (row) => {
        const stale = row && now.getTime() - row.updatedAt.getTime() > FORGET_AFTER_MS && (!row.lockedUntil || row.lockedUntil < now);
        const failures = (stale || !row ? 0 : row.failures) + 1;
        const over = failures - freeFailures;
        const lockedUntil = over >= 0 ? new Date(now.getTime() + Math.min(this.policy.maxLockSeconds, this.policy.baseLockSeconds * 2 ** over) * 1000) : null;
        return { failures, lockedUntil, updatedAt: now };
      });
    }
  }

  /**
   * How long to hold an attempt on `key` before answering: 0 within the free failures, then
   * 250 ms doubling up to 4 s. It slows guessing from many addresses without ever refusing
   * the right password.
   */
  async delayMs(key: string, now = this.clock()): Promise<number> {
    const row = await this.counters.get(key);
    if (!row || now.getTime() - row.updatedAt.getTime() > FORGET_AFTER_MS) return 0;
    const over = row.failures - this.policy.freeFailures;
    return over <= 0 ? 0 : Math.min(DELAY_MAX_MS, DELAY_BASE_MS * 2 ** (over - 1));
  }

  async reset(key: string): Promise<void> {
    await this.counters.remove(key);
  }

  /** Removes every counter whose key matches one of these predicates (an administrator's unlock); returns how many. */
  async clear(match: KeyMatch[]): Promise<number> {
    return this.counters.removeMatching(match);
  }
}
