import type { Database } from "../db/database.ts";
import type { KeyMatch } from "../auth/throttle-keys.ts";

/** One failure counter of the login backoff. */
export interface ThrottleCounter {
  key: string;
  failures: number;
  lockedUntil: Date | null;
  updatedAt: Date;
}

/** The backoff counters, in the database so every replica behind the load balancer sees the same ones. */
export class LoginThrottleRepository {
  constructor(private db: Database) {}

  find(keys: string[]): Promise<ThrottleCounter[]> {
    return this.db.prisma.loginThrottle.findMany({ where: { key: { in: keys } } });
  }

  get(key: string): Promise<ThrottleCounter | null> {
    return this.db.prisma.loginThrottle.findUnique({ where: { key } });
  }

  /** Reads the counter and stores what `next` makes of it, in one transaction. */
  async update(key: string, next: (current: ThrottleCounter | null) => Omit<ThrottleCounter, "key">): Promise<void> {
    await this.db.prisma.$transaction(async (tx) => {
      const data = next(await tx.loginThrottle.findUnique({ where: { key } }));
      await tx.loginThrottle.upsert({ where: { key }, create: { key, ...data }, update: data });
    });
  }

  async remove(key: string): Promise<void> {
    await this.db.prisma.loginThrottle.deleteMany({ where: { key } });
  }

  /** Removes every counter whose key matches one of the predicates; returns how many. */
  async removeMatching(match: KeyMatch[]): Promise<number> {
    const r = await this.db.prisma.loginThrottle.deleteMany({ where: { OR: match.map((m) => ({ key: m })) } });
    return r.count;
  }
}
