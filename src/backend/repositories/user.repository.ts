import type { Database } from "../db/database.ts";
import type { OfficerCertificate } from "../../generated/prisma/client.ts";
import type { UserRole } from "../domain/actor.ts";

/** A person as logins and sessions see them. */
export interface AccountRecord {
  id: string;
  username: string;
  name: string;
  role: UserRole;
  active: boolean;
  passwordHash: string | null;
  mustChangePassword: boolean;
}

/** A person as the user list shows them: never the password hash; their certificates in the order registered. */
export interface UserRecord {
  id: string;
  username: string;
  name: string;
  role: UserRole;
  active: boolean;
  mustChangePassword: boolean;
  streets: string[];
  grids: string[];
  createdAt: Date;
  updatedAt: Date;
  certificates: OfficerCertificate[];
}

/** What an administrator edits of a person. */
export interface UserFields {
  name: string;
  role: UserRole;
  active: boolean;
  streets: string[];
  grids: string[];
}

export interface PasswordChange {
  passwordHash: string;
  mustChangePassword: boolean;
  at: Date;
  /** The session that stays (the one changing its own password); null ends every session of the user. */
  keepSessionTokenHash: string | null;
}

/** The columns of an AccountRecord. */
export const accountColumns = { id: true, username: true, name: true, role: true, active: true, passwordHash: true, mustChangePassword: true } as const;
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

/** People: their accounts, passwords and what the user list shows of them. */
export class UserRepository {
  constructor(private db: Database) {}

  findByUsername(username: string): Promise<AccountRecord | null> {
    return this.db.prisma.user.findUnique({ where: { username }, select: accountColumns });
  }

  findById(id: string): Promise<AccountRecord | null> {
    return this.db.prisma.user.findUnique({ where: { id }, select: accountColumns });
  }

  list(): Promise<UserRecord[]> {
    return this.db.prisma.user.findMany({ orderBy: { id: "asc" }, select: publicUser });
  }

  findRecord(id: string): Promise<UserRecord | null> {
    return this.db.prisma.user.findUnique({ where: { id }, select: publicUser });
  }

  /** Creates the user (login name = id, must choose a password) or updates these fields. */
  async save(id: string, fields: UserFields): Promise<void> {
    await this.db.prisma.user.upsert({ where: { id }, create: { id, username: id, ...fields, mustChangePassword: true }, update: fields });
  }

  /** Stores a new password hash and ends the user's other sessions, together. */
  async setPassword(userId: string, change: PasswordChange): Promise<void> {
    const { passwordHash, mustChangePassword, at, keepSessionTokenHash } = change;
    await this.db.prisma.$transaction([
      this.db.prisma.user.update({ where: { id: userId }, data: { passwordHash, mustChangePassword, passwordChangedAt: at } }),
      this.db.prisma.session.updateMany({
        where: { userId, revokedAt: null, ...(keepSessionTokenHash === null ? {} : { NOT: { tokenHash: keepSessionTokenHash } }) },
        data: { revokedAt: at },
      }),
    ]);
  }

  countUsableAdministrators(): Promise<number> {
    return this.db.prisma.user.count({ where: { role: "administrator", active: true, passwordHash: { not: null } } });
  }

  /** Creates `admin` or makes the existing one an active administrator with this password. */
  async saveAdministrator(id: string, passwordHash: string, mustChangePassword: boolean, at: Date): Promise<void> {
    const data = { passwordHash, mustChangePassword, role: "administrator" as const, active: true, passwordChangedAt: at };
    await this.db.prisma.user.upsert({ where: { username: id }, create: { id, username: id, name: "Administrator", ...data }, update: data });
  }
}
