import { Router } from "express";
import type { BackendModuleFactory } from "./server.ts";
import { RegistryService } from "./services/registry.service.ts";
import { registryController } from "./controllers/registry.controller.ts";
import { authController } from "./controllers/auth.controller.ts";
import { AuthService } from "./auth/auth.service.ts";
import { LoginThrottle } from "./auth/login-throttle.ts";
import { ensureInitialAdministrator } from "./auth/initial-administrator.ts";
import { sessionActor } from "./http/session-actor.ts";
import { UserDirectory } from "./services/user-directory.ts";
import { EdgeRegistry } from "./services/edge-registry.service.ts";

/**
 * People, sessions and the small registries (shops, vendors, codes). Its first router
 * identifies the caller of every /api request — a person by session cookie, an edge by
 * its API token — so it must stay first in the module list.
 */
export const peopleModule: BackendModuleFactory = (ctx) => {
  const { config, db, log } = ctx;
  const throttle = new LoginThrottle(db, {
    freeFailures: config.security.loginFreeFailures,
    baseLockSeconds: config.security.loginBaseLockSeconds,
    maxLockSeconds: config.security.loginMaxLockSeconds,
  });
  const auth = new AuthService(db, throttle, { idleMinutes: config.security.sessionIdleMinutes, absoluteHours: config.security.sessionAbsoluteHours });
  const users = new UserDirectory(db, auth);
  const identify = Router();
  identify.use(sessionActor(auth, new EdgeRegistry(db)));
  return {
    name: "people",
    routes: [identify, authController(auth, users), registryController(new RegistryService(db), users)],
    async start() {
      const created = await ensureInitialAdministrator(db, config.security.initialAdminPassword, config.security.initialAdminPasswordPermanent);
      if (!created) return;
      if (created.oneTimePassword) {
        // Printed once, on the console only — not as a structured log field that log shipping would keep.
        process.stdout.write(
          `\n  CurbWatch first start: log in as "${created.username}" with the one-time password\n\n      ${created.oneTimePassword}\n\n  You must choose a new password at first login. This password is not shown again.\n\n`,
        );
        log.warn({ user: created.username }, "no administrator could log in: created one with a one-time password (printed above, once)");
      } else
        log.warn(
          { user: created.username, mustChangePassword: !config.security.initialAdminPasswordPermanent },
          config.security.initialAdminPasswordPermanent
            ? "no administrator could log in: created one with the configured initial password (kept: security.initialAdminPasswordPermanent)"
            : "no administrator could log in: created one with the configured initial password, to be changed at first login",
        );
    },
  };
};
