import type { Prisma } from "../../generated/prisma/client.ts";
import type { Database } from "../db/database.ts";
import type { UserRole } from "../domain/actor.ts";
import { DomainError } from "../domain/errors.ts";
import type { AuthService } from "../auth/auth.service.ts";
import type { UserInput, UserView } from "../../contracts/api/registry.ts";
import { certificateView } from "./registry.service.ts";
import { passwordProblem } from "../auth/password-hashing.ts";

/** Columns a user is shown with: never the password hash. Certificates too, so a saved user answers like a listed one. */
const publicUser = {
  id: true,
  username: true,
  name: true,
  role: true,
  active: true,
  mustChangePassword: true,
  streets: true,
  grids: true,
  createdAt: true,
  updatedAt: true,
  certificates: { orderBy: { createdAt: "asc" } },
} as const;

type UserRow = Prisma.UserGetPayload<{ select: typeof publicUser }>;

/** Exactly the contract's user, dates as ISO strings (as the console receives them). */
const userView = (u: UserRow): UserView => ({
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
    private db: Database,
    private auth: AuthService,
  ) {}

  async list(): Promise<UserView[]> {
    return (await this.db.prisma.user.findMany({ orderBy: { id: "asc" }, select: publicUser })).map(userView);
  }

  async sessionView(id: string) {
    const u = await this.db.prisma.user.findUnique({
      where: { id },
      select: { id: true, username: true, name: true, role: true, mustChangePassword: true, active: true },
    });
    if (!u?.active) return null;
    return { id: u.id, username: u.username, name: u.name, role: u.role as UserRole, mustChangePassword: u.mustChangePassword };
  }

  /**
   * The id is also the login name. A password set here is one-time: the user must change it.
   * `createOnly` (If-None-Match: *) refuses to overwrite an existing user. The password is
   * checked before anything is written, so a refused password leaves no half-made user.
   */
  async put(id: string, b: UserInput, createOnly = false): Promise<UserView> {
    const { password, ...fields } = b;
    const before = await this.db.prisma.user.findUnique({ where: { id } });
    if (before && createOnly) throw new DomainError("conflict", `user ${id} already exists`).withCode("user_exists", [{ path: "id", code: "user_exists" }]);
    if (!before && !password)
      throw new DomainError("unprocessable", "a new user needs an initial password (they change it at first login)").withCode("password_required", [
        { path: "password", code: "required" },
      ]);
    const problem = password ? passwordProblem(password, before?.username ?? id) : null;
    if (problem) throw new DomainError("unprocessable", problem).withCode("password_too_weak", [{ path: "password", code: "password_too_weak" }]);
    await this.db.prisma.user.upsert({ where: { id }, create: { id, username: id, ...fields, mustChangePassword: true }, update: fields });
    if (password) await this.auth.setPasswordByAdministrator(id, password);
    else if (before && (before.role !== fields.role || (before.active && !fields.active))) await this.auth.revokeAll(id);
    return userView(await this.db.prisma.user.findUniqueOrThrow({ where: { id }, select: publicUser }));
  }

  /** Lifts the login lockout and delay on a user's account from every address (an administrator's unlock). */
  async unlock(id: string): Promise<{ username: string; cleared: number }> {
    const u = await this.db.prisma.user.findUnique({ where: { id }, select: { username: true } });
    if (!u) throw new DomainError("not_found", `user ${id} does not exist`);
    return { username: u.username, cleared: await this.auth.unlock(u.username) };
  }
}
