import type { UserRole } from "../domain/actor.ts";
import { DomainError } from "../domain/errors.ts";
import type { AuthService } from "../auth/auth.service.ts";
import type { UserInput, UserView } from "../../contracts/api/registry.ts";
import { certificateView } from "./certificate.service.ts";
import { passwordProblem } from "../auth/password-hashing.ts";
import type { UserRecord, UserRepository } from "../repositories/user.repository.ts";

/** The people a directory lists and saves. */
export type UserStore = Pick<UserRepository, "list" | "findById" | "findRecord" | "save">;

/** Exactly the contract's user, dates as ISO strings (as the console receives them). */
const userView = (u: UserRecord): UserView => ({
  id: u.id,
  username: u.username,
  name: u.name,
  role: u.role,
  active: u.active,
  mustChangePassword: u.mustChangePassword,
  streets: u.streets,
  grids: u.grids,
  certificates: u.certificates.map(certificateView),
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
});

/** People: create, update, list — without ever returning a credential. */
export class UserDirectory {
  constructor(
    private users: UserStore,
    private auth: Pick<AuthService, "setPasswordByAdministrator" | "revokeAll" | "unlock">,
  ) {}

  async list(): Promise<UserView[]> {
    return (await this.users.list()).map(userView);
  }

  async sessionView(id: string): Promise<{ id: string; username: string; name: string; role: UserRole; mustChangePassword: boolean } | null> {
    const u = await this.users.findById(id);
    if (!u?.active) return null;
    return { id: u.id, username: u.username, name: u.name, role: u.role, mustChangePassword: u.mustChangePassword };
  }

  /**
   * The id is also the login name. A password set here is one-time: the user must change it.
   * `createOnly` (If-None-Match: *) refuses to overwrite an existing user. The password is
   * checked before anything is written, so a refused password leaves no half-made user.
   */
  async put(id: string, b: UserInput, createOnly = false): Promise<UserView> {
    const { password, ...fields } = b;
    const before = await this.users.findById(id);
    if (before && createOnly) throw new DomainError("conflict", `user ${id} already exists`).withCode("user_exists", [{ path: "id", code: "user_exists" }]);
    if (!before && !password)
      throw new DomainError("unprocessable", "a new user needs an initial password (they change it at first login)").withCode("password_required", [
        { path: "password", code: "required" },
      ]);
    const problem = password ? passwordProblem(password, before?.username ?? id) : null;
    if (problem) throw new DomainError("unprocessable", problem).withCode("password_too_weak", [{ path: "password", code: "password_too_weak" }]);
    await this.users.save(id, fields);
    if (password) await this.auth.setPasswordByAdministrator(id, password);
    else if (before && (before.role !== fields.role || (before.active && !fields.active))) await this.auth.revokeAll(id);
    const saved = await this.users.findRecord(id);
    if (!saved) throw new DomainError("internal", `user ${id} was saved but cannot be read back`);
    return userView(saved);
  }

  /** Lifts the login lockout and delay on a user's account from every address (an administrator's unlock). */
  async unlock(id: string): Promise<{ username: string; cleared: number }> {
    const u = await this.users.findById(id);
    if (!u) throw new DomainError("not_found", `user ${id} does not exist`);
    return { username: u.username, cleared: await this.auth.unlock(u.username) };
  }
}
