import type { UserRepository } from "../repositories/user.repository.ts";
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
export async function ensureInitialAdministrator(
  users: Pick<UserRepository, "countUsableAdministrators" | "saveAdministrator">,
  configuredPassword?: string,
  permanent = false,
  clock: () => Date = () => new Date(),
): Promise<InitialAdministrator> {
  const usable = await users.countUsableAdministrators();
  if (usable > 0) return null;
  const oneTimePassword = configuredPassword ? null : newOneTimePassword();
  const passwordHash = await hashPassword(configuredPassword ?? oneTimePassword!);
  await users.saveAdministrator("admin", passwordHash, !(configuredPassword && permanent), clock());
  return { username: "admin", oneTimePassword };
}
