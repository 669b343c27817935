import type { Database } from "../db/database.ts";
import { accountColumns, type AccountRecord } from "./user.repository.ts";

export interface SessionRecord {
  tokenHash: string;
  userId: string;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface NewSession {
  tokenHash: string;
  userId: string;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string;
  userAgent?: string;
}

/** Server-side login sessions, found by the hash of their cookie token. */
export class SessionRepository {
  constructor(private db: Database) {}

  async create(s: NewSession): Promise<void> {
    await this.db.prisma.session.create({ data: s });
  }

  findWithUser(tokenHash: string): Promise<(SessionRecord & { user: AccountRecord }) | null> {
    return this.db.prisma.session.findUnique({
      where: { tokenHash },
      select: { tokenHash: true, userId: true, lastSeenAt: true, expiresAt: true, revokedAt: true, user: { select: accountColumns } },
    });
  }

  async touch(tokenHash: string, at: Date): Promise<void> {
    await this.db.prisma.session.update({ where: { tokenHash }, data: { lastSeenAt: at } });
  }

  async revoke(tokenHash: string, at: Date): Promise<void> {
    await this.db.prisma.session.updateMany({ where: { tokenHash, revokedAt: null }, data: { revokedAt: at } });
  }

  async revokeAllOf(userId: string, at: Date): Promise<void> {
    await this.db.prisma.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
  }
}
