import type { AccountStore, SessionStore } from "../../../src/backend/auth/auth.service.ts";
import type { AccountRecord, PasswordChange } from "../../../src/backend/repositories/user.repository.ts";
import type { NewSession, SessionRecord } from "../../../src/backend/repositories/session.repository.ts";

/** Sessions in a Map; `users` resolves each session's account as the database join would. */
class InMemorySessions implements SessionStore {
  readonly rows = new Map<string, SessionRecord>();

  constructor(private users: Map<string, AccountRecord>) {}

  async create(s: NewSession): Promise<void> {
    this.rows.set(s.tokenHash, { tokenHash: s.tokenHash, userId: s.userId, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt, revokedAt: null });
  }

  async findWithUser(tokenHash: string): Promise<(SessionRecord & { user: AccountRecord }) | null> {
    const s = this.rows.get(tokenHash);
    const user = s && this.users.get(s.userId);
    return s && user ? { ...s, user: { ...user } } : null;
  }

  async touch(tokenHash: string, at: Date): Promise<void> {
    const s = this.rows.get(tokenHash);
    if (s) s.lastSeenAt = at;
  }

  async revoke(tokenHash: string, at: Date): Promise<void> {
    const s = this.rows.get(tokenHash);
    if (s && !s.revokedAt) s.revokedAt = at;
  }

  async revokeAllOf(userId: string, at: Date, except?: string): Promise<void> {
    for (const s of this.rows.values()) if (s.userId === userId && !s.revokedAt && s.tokenHash !== except) s.revokedAt = at;
  }
}

/** Accounts in a Map; a password change ends sessions like the repository's transaction does. */
export class InMemoryAccounts implements AccountStore {
  readonly rows = new Map<string, AccountRecord>();
  readonly sessions = new InMemorySessions(this.rows);

  add(a: Omit<AccountRecord, "username" | "name" | "active" | "mustChangePassword"> & Partial<AccountRecord>): void {
    this.rows.set(a.id, { username: a.id, name: a.id, active: true, mustChangePassword: false, ...a });
  }

  async findByUsername(username: string): Promise<AccountRecord | null> {
    const u = [...this.rows.values()].find((r) => r.username === username);
    return u ? { ...u } : null;
  }

  async findById(id: string): Promise<AccountRecord | null> {
    const u = this.rows.get(id);
    return u ? { ...u } : null;
  }

  async setPassword(userId: string, change: PasswordChange): Promise<void> {
    const u = this.rows.get(userId)!;
    u.passwordHash = change.passwordHash;
    u.mustChangePassword = change.mustChangePassword;
    await this.sessions.revokeAllOf(userId, change.at, change.keepSessionTokenHash ?? undefined);
  }
}
