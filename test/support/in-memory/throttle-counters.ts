import type { ThrottleCounterStore } from "../../../src/backend/auth/login-throttle.ts";
import type { KeyMatch } from "../../../src/backend/auth/throttle-keys.ts";
import type { ThrottleCounter } from "../../../src/backend/repositories/login-throttle.repository.ts";

const matches = (key: string, m: KeyMatch) =>
  (m.equals === undefined || key === m.equals) &&
  (m.startsWith === undefined || key.startsWith(m.startsWith)) &&
  (m.endsWith === undefined || key.endsWith(m.endsWith));

/** The login backoff's counters in a Map. */
export class InMemoryThrottleCounters implements ThrottleCounterStore {
  readonly rows = new Map<string, ThrottleCounter>();

  async find(keys: string[]): Promise<ThrottleCounter[]> {
    return keys.flatMap((k) => (this.rows.has(k) ? [{ ...this.rows.get(k)! }] : []));
  }

  async get(key: string): Promise<ThrottleCounter | null> {
    const row = this.rows.get(key);
    return row ? { ...row } : null;
  }

  async update(key: string, next: (current: ThrottleCounter | null) => Omit<ThrottleCounter, "key">): Promise<void> {
    this.rows.set(key, { key, ...next(await this.get(key)) });
  }

  async remove(key: string): Promise<void> {
    this.rows.delete(key);
  }

  async removeMatching(match: KeyMatch[]): Promise<number> {
    const keys = [...this.rows.keys()].filter((k) => match.some((m) => matches(k, m)));
    for (const k of keys) this.rows.delete(k);
    return keys.length;
  }
}
