import { hash, verify } from "@node-rs/argon2";

/**
 * argon2id with the library's defaults (m=19 MiB, t=2, p=1: the OWASP minimum). The
 * parameters travel inside the PHC string, so raising them later keeps old hashes valid.
 */
export const hashPassword = (password: string): Promise<string> => hash(password);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/**
 * Hash of a password nobody knows, verified against when the username does not exist, so
 * an unknown user costs the same time as a wrong password and usernames cannot be probed.
 */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hash(`decoy-${Math.random()}-${Date.now()}`);
  return decoy;
}

/** What a new password must satisfy; the message is shown to the user as is. */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < 12) return "the password must be at least 12 characters";
  if (password.length > 256) return "the password must be at most 256 characters";
  if (username && password.toLowerCase().includes(username.toLowerCase())) return "the password must not contain the username";
  if (new Set(password).size < 5) return "the password is too repetitive";
  return null;
}
