import type { Request, Response } from "express";

export const SESSION_COOKIE = "cw_session";

/** The session token from the Cookie header, if any (no cookie-parser: one cookie is all we read). */
export function sessionTokenOf(req: Request): string | null {
  const header = req.header("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return decodedOrNull(part.slice(eq + 1).trim());
  }
  return null;
}

/** A cookie value that is not valid percent-encoding is simply no session (the caller then gets 401), never an error. */
function decodedOrNull(value: string): string | null {
  try {
    return decodeURIComponent(value) || null;
  } catch {
    return null;
  }
}

/** HttpOnly (no script can read it), SameSite=Strict (never sent cross-site: with the JSON-only rule, the CSRF defence), Secure on https. */
export function setSessionCookie(req: Request, res: Response, token: string, maxAgeSeconds: number): void {
  res.append("Set-Cookie", `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${req.secure ? "; Secure" : ""}`);
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.append("Set-Cookie", `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${req.secure ? "; Secure" : ""}`);
}
