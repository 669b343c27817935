import type { UserRole } from "../domain/actor.ts";
import { DomainError } from "../domain/errors.ts";
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from "./password-hashing.ts";
import { newToken, tokenHash } from "./opaque-token.ts";
import type { LoginThrottle } from "./login-throttle.ts";
import { SOURCE_ALLOWANCE_FACTOR, staffAccountUnlock, staffAddressUnlock, staffLoginKeys } from "./throttle-keys.ts";
import type { UserRepository } from "../repositories/user.repository.ts";
import type { SessionRepository } from "../repositories/session.repository.ts";

/** The accounts a login checks and a password change writes. */
export type AccountStore = Pick<UserRepository, "findByUsername" | "findById" | "setPassword">;
/** Server-side sessions. */
export type SessionStore = Pick<SessionRepository, "create" | "findWithUser" | "touch" | "revoke" | "revokeAllOf">;

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export interface SessionUser {
  id: string;
  username: string;
  name: string;
  role: UserRole;
  mustChangePassword: boolean;
}

/** Only the one message, so a caller cannot tell an unknown user from a wrong password. */
const BAD_CREDENTIALS = "wrong username or password";
/** lastSeenAt is written at most this often: a busy console must not turn every read into a write. */
const TOUCH_EVERY_MS = 60_000;

const view = (u: { id: string; username: string; name: string; role: UserRole; mustChangePassword: boolean }): SessionUser => ({
  id: u.id,
  username: u.username,
  name: u.name,
  role: u.role,
  mustChangePassword: u.mustChangePassword,
});

/** Passwords, server-side sessions and the login backoff. No HTTP in here. */
export class AuthService {
  constructor(
    private users: AccountStore,
    private sessions: SessionStore,
    private throttle: LoginThrottle,
    private policy: SessionPolicy,
    private clock: () => Date = () => new Date(),
  ) {}

  /** An administrator lifts every lock and delay on an account (from all addresses); returns how many counters were cleared. */
  async unlock(username: string): Promise<number> {
    return this.throttle.clear(staffAccountUnlock(username));
  }

  /** An administrator lifts the login locks of one client address (all accounts); returns how many counters were cleared. */
  async unlockAddress(ip: string): Promise<number> {
    return this.throttle.clear(staffAddressUnlock(ip));
  }

  async login(
    username: string,
    password: string,
    client: { ip: string; userAgent?: string },
  ): Promise<{ token: string; user: SessionUser; maxAgeSeconds: number }> {
    const keys = staffLoginKeys(client.ip, username);
    const wait = await this.throttle.waitSeconds([keys.pair, keys.source]);
    if (wait > 0) throw new DomainError("rate_limited", `too many failed logins; try again in ${wait} s`, undefined, wait);
    const delay = await this.throttle.delayMs(keys.account);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const user = await this.users.findByUsername(username);
    const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
    if (!user || !user.passwordHash || !user.active || !ok) {
      await this.throttle.recordFailure([keys.pair, keys.account]);
      await this.throttle.recordFailure([keys.source], undefined, this.throttle.freeFailures * SOURCE_ALLOWANCE_FACTOR);
      throw new DomainError("unauthenticated", BAD_CREDENTIALS);
    }
    await this.throttle.reset(keys.pair);
    await this.throttle.reset(keys.account);
    const token = newToken();
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + this.policy.absoluteHours * 3_600_000);
    await this.sessions.create({
      tokenHash: tokenHash(token),
      userId: user.id,
      lastSeenAt: now,
      expiresAt,
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 300),
    });
    return { token, user: view(user), maxAgeSeconds: this.policy.absoluteHours * 3600 };
  }

  /** The user behind a cookie token, or null when the session is unknown, revoked, idle too long or past its end. */
  async resolve(token: string, now = this.clock()): Promise<(SessionUser & { sessionExpiresAt: Date }) | null> {
    if (token.length < 20 || token.length > 100) return null;
    const hash = tokenHash(token);
    const s = await this.sessions.findWithUser(hash);
    if (!s || s.revokedAt || s.expiresAt <= now || !s.user.active) return null;
    if (now.getTime() - s.lastSeenAt.getTime() > this.policy.idleMinutes * 60_000) return null;
    if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) await this.sessions.touch(hash, now);
    return { ...view(s.user), sessionExpiresAt: s.expiresAt };
  }

  async logout(token: string): Promise<void> {
    await this.sessions.revoke(tokenHash(token), this.clock());
  }

  /** Changes the password and ends every other session of the user (a stolen cookie dies with the old password). */
  async changePassword(userId: string, keepToken: string, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword)))
      throw new DomainError("forbidden", "the current password is wrong").withCode("current_password_wrong", [
        { path: "currentPassword", code: "current_password_wrong" },
      ]);
    if (currentPassword === newPassword)
      throw new DomainError("unprocessable", "the new password must differ from the current one").withCode("password_unchanged", [
        { path: "newPassword", code: "password_unchanged" },
      ]);
    const problem = passwordProblem(newPassword, user.username);
    if (problem) throw new DomainError("unprocessable", problem).withCode("password_too_weak", [{ path: "newPassword", code: "password_too_weak" }]);
    await this.users.setPassword(userId, {
      passwordHash: await hashPassword(newPassword),
      mustChangePassword: false,
      at: this.clock(),
      keepSessionTokenHash: tokenHash(keepToken),
    });
  }

  /** An administrator sets a password for someone else: they must change it at their next login. */
  async setPasswordByAdministrator(userId: string, password: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError("not_found", `user ${userId} does not exist`);
    const problem = passwordProblem(password, user.username);
    if (problem) throw new DomainError("unprocessable", problem).withCode("password_too_weak", [{ path: "password", code: "password_too_weak" }]);
    await this.users.setPassword(userId, {
      passwordHash: await hashPassword(password),
      mustChangePassword: true,
      at: this.clock(),
      keepSessionTokenHash: null,
    });
  }

  /** Ends all sessions of a user (deactivation, role change). */
  async revokeAll(userId: string): Promise<void> {
    await this.sessions.revokeAllOf(userId, this.clock());
  }
}
