import type { BackendModuleFactory } from "./server.ts";
import { LoginThrottle } from "./auth/login-throttle.ts";
import { RequestRateLimit } from "./http/request-rate-limit.ts";
import { PublicCaseService } from "./services/public-case.service.ts";
import { PublicImageRedactor } from "./services/public-image-redaction.ts";
import { publicController } from "./controllers/public.controller.ts";
import { statisticsController } from "./controllers/statistics.controller.ts";
import { StatisticsService } from "./services/statistics.service.ts";
import { backendGraph } from "./composition-root.ts";

/** What needs no login (published cameras, the party's case look-up) and what is reported upward (statistics). */
export const publicModule: BackendModuleFactory = (ctx) => {
  const { config, db } = ctx;
  const { evidenceStore: store, changes, repositories } = backendGraph(ctx);
  // Wrong access codes back off per case number and address, and per address (keys apart from staff logins).
  const throttle = new LoginThrottle(db, {
    freeFailures: config.security.loginFreeFailures,
    baseLockSeconds: config.security.loginBaseLockSeconds,
    maxLockSeconds: config.security.loginMaxLockSeconds,
  });
  const cases = new PublicCaseService(repositories.publicCases, store, throttle, new PublicImageRedactor(config.edge.modelsDir), changes);
  return {
    name: "public",
    routes: [
      publicController(cases, new RequestRateLimit(config.security.publicRequestsPerMinute)),
      statisticsController(new StatisticsService(repositories.statistics)),
    ],
  };
};
