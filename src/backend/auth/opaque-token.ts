import crypto from "node:crypto";

/**
 * Random bearer secrets (session cookies, enrollment and API tokens, access codes). Only
 * the sha256 is stored: the tokens carry 256 bits, so a fast hash is enough and lookups
 * stay a unique-index hit.
 */
export const newToken = (bytes = 32): string => crypto.randomBytes(bytes).toString("base64url");

export const tokenHash = (token: string): string => crypto.createHash("sha256").update(token, "utf8").digest("hex");

/** Short code a person types from a paper notice: 10 characters without look-alikes (≈50 bits). */
export function newAccessCode(): string {
  const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  const bytes = crypto.randomBytes(10);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
}

/** Human one-time password: 20 characters of base64url (120 bits). */
export const newOneTimePassword = (): string => crypto.randomBytes(15).toString("base64url");

/** The party's access codes as the services take them: a new code, and the hash that is all we store of it. */
export const randomAccessCodes = {
  issue(): { code: string; hash: string } {
    const code = newAccessCode();
    return { code, hash: tokenHash(code) };
  },
};
