import { Router } from "express";
import { apiRoute, requireActor } from "../http/api-route.ts";
import { administrators, anyUser } from "../http/roles.ts";
import { HttpError } from "../http/errors.ts";
import { clearSessionCookie, setSessionCookie } from "../http/session-cookie.ts";
import type { AuthService } from "../auth/auth.service.ts";
import type { UserDirectory } from "../services/user-directory.ts";
import { addressUnlockSchema, loginBody, passwordBody, sessionSchema, unlockAddressBody } from "../../contracts/api/auth.ts";

/** POST /auth/login, /auth/logout, /auth/password and GET /auth/me — the contract the web console codes against. */
export function authController(auth: AuthService, users: UserDirectory): Router {
  const r = Router();
  const tag = "auth";
  apiRoute(r, {
    method: "post",
    path: "/auth/login",
    tag,
    access: "public",
    summary: "Log in with username and password; sets the cw_session cookie",
    body: loginBody,
    responds: "200 {user} · 401 wrong username or password · 429 locked out (Retry-After)",
    response: sessionSchema,
    handler: async ({ req, res, body }) => {
      const out = await auth.login(body.username, body.password, { ip: req.ip ?? "unknown", userAgent: req.header("user-agent") });
      setSessionCookie(req, res, out.token, out.maxAgeSeconds);
      return { user: out.user };
    },
  });
  apiRoute(r, {
    method: "post",
    path: "/auth/unlock-address",
    tag,
    access: administrators,
    summary: "Lift the login lockout of one client address (every account)",
    body: unlockAddressBody,
    responds: "{address, cleared}",
    response: addressUnlockSchema,
    handler: async ({ body }) => ({ address: body.address, cleared: await auth.unlockAddress(body.address) }),
  });
  apiRoute(r, {
    method: "post",
    path: "/auth/logout",
    tag,
    access: anyUser,
    allowBeforePasswordChange: true,
    summary: "Log out (the session is revoked on the server)",
    responds: "204",
    status: 204,
    handler: async ({ req, res }) => {
      await auth.logout(res.locals.sessionToken as string);
      clearSessionCookie(req, res);
      res.status(204).end();
      return undefined;
    },
  });
  apiRoute(r, {
    method: "get",
    path: "/auth/me",
    tag,
    access: anyUser,
    allowBeforePasswordChange: true,
    summary: "Show the logged-in user",
    response: sessionSchema,
    handler: async ({ actor }) => {
      const user = await users.sessionView(requireActor(actor).id);
      if (!user) throw new HttpError(401, "log in first");
      return { user };
    },
  });
  apiRoute(r, {
    method: "post",
    path: "/auth/password",
    tag,
    access: anyUser,
    allowBeforePasswordChange: true,
    summary: "Change your own password (required first when it is a one-time password)",
    body: passwordBody,
    responds: "204 · 403 current password wrong · 422 new password too weak",
    status: 204,
    handler: async ({ res, actor, body }) => {
      await auth.changePassword(requireActor(actor).id, res.locals.sessionToken as string, body.currentPassword, body.newPassword);
      res.status(204).end();
      return undefined;
    },
  });
  return r;
}
