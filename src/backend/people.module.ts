import { Router } from "express";
import type { BackendModuleFactory } from "./server.ts";
import { registryController } from "./controllers/registry.controller.ts";
import { authController } from "./controllers/auth.controller.ts";
import { AuthService } from "./auth/auth.service.ts";
import { ensureInitialAdministrator } from "./auth/initial-administrator.ts";
import { sessionActor } from "./http/session-actor.ts";
import { UserDirectory } from "./services/user-directory.ts";
import { EdgeRegistryService } from "./services/edge-registry.service.ts";
import { CertificateService } from "./services/certificate.service.ts";
import { ShopService } from "./services/shop.service.ts";
import { VendorService } from "./services/vendor.service.ts";
import { EventCodeService } from "./services/event-code.service.ts";
import { RejectReasonService } from "./services/reject-reason.service.ts";
import { backendGraph } from "./composition-root.ts";

/**
 * People, sessions and the small registries (shops, vendors, codes). Its first router
 * identifies the caller of every /api request — a person by session cookie, an edge by
 * its API token — so it must stay first in the module list.
 */
export const peopleModule: BackendModuleFactory = (ctx) => {
  const { config, log } = ctx;
  const { repositories: repos, loginThrottle } = backendGraph(ctx);
  const auth = new AuthService(repos.users, repos.sessions, loginThrottle, {
    idleMinutes: config.security.sessionIdleMinutes,
    absoluteHours: config.security.sessionAbsoluteHours,
  });
  const users = new UserDirectory(repos.users, auth);
  const registries = {
    certificates: new CertificateService(repos.certificates, repos.users),
    shops: new ShopService(repos.shops),
    vendors: new VendorService(repos.vendors),
    eventCodes: new EventCodeService(repos.eventCodes),
    rejectReasons: new RejectReasonService(repos.rejectReasons),
  };
  const identify = Router();
  // Only looks edges up by API token: the cameras module's registry is the one that rewrites broker policy.
  identify.use(sessionActor(auth, new EdgeRegistryService(repos.edges, repos.cameras)));
  return {
    name: "people",
    routes: [identify, authController(auth, users), registryController(registries, users)],
    async start() {
      const created = await ensureInitialAdministrator(repos.users, config.security.initialAdminPassword, config.security.initialAdminPasswordPermanent);
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
