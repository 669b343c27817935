import type { Database } from "../db/database.ts";
import { hashPassword } from "./password-hashing.ts";
import { newOneTimePassword } from "./opaque-token.ts";

export type InitialAdministrator = { username: string; oneTimePassword: string | null } | null;

/**
 * First start: when no active administrator can log in, `admin` gets a password — the one
 * configured for headless installs (CURBWATCH_INITIAL_ADMIN_PASSWORD), or a random one-time
 * password the caller prints once. Either must be changed at first login: a password that
 * sat in an environment file or a deployment manifest is not a secret any more. Only
 * automation that cannot change it sets `permanent` (CURBWATCH_INITIAL_ADMIN_PASSWORD_PERMANENT=true).
 * There is never a fixed default password. Also repairs databases from before logins
 * existed, whose bootstrap `admin` had no password.
 */
export async function ensureInitialAdministrator(db: Database, configuredPassword?: string, permanent = false): Promise<InitialAdministrator> {
  const usable = await db.prisma.user.count({ where: { role: "administrator", active: true, passwordHash: { not: null } } });
  if (usable > 0) return null;
  const oneTimePassword = configuredPassword ? null : newOneTimePassword();
  const passwordHash = await hashPassword(configuredPassword ?? oneTimePassword!);
  const data = {
    passwordHash,
    mustChangePassword: !(configuredPassword && permanent),
    role: "administrator" as const,
    active: true,
    passwordChangedAt: new Date(),
  };
  await db.prisma.user.upsert({ where: { username: "admin" }, create: { id: "admin", username: "admin", name: "Administrator", ...data }, update: data });
  return { username: "admin", oneTimePassword };
}
