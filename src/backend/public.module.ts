import type { BackendModuleFactory } from "./server.ts";
import { RequestRateLimit } from "./http/request-rate-limit.ts";
import { PublicCaseService } from "./services/public-case.service.ts";
import { PublicImageRedactor } from "./services/public-image-redaction.ts";
import { publicController } from "./controllers/public.controller.ts";
import { statisticsController } from "./controllers/statistics.controller.ts";
import { StatisticsService } from "./services/statistics.service.ts";
import { backendGraph } from "./composition-root.ts";

/** What needs no login (published cameras, the party's case look-up) and what is reported upward (statistics). */
export const publicModule: BackendModuleFactory = (ctx) => {
  const { config } = ctx;
  // Wrong access codes back off on the staff logins' throttle, under keys of their own (per case number and address, and per address).
  const { evidenceStore: store, changes, repositories, loginThrottle: throttle } = backendGraph(ctx);
  const cases = new PublicCaseService(repositories.publicCases, store, throttle, new PublicImageRedactor(config.edge.modelsDir), changes);
  return {
    name: "public",
    routes: [
      publicController(cases, new RequestRateLimit(config.security.publicRequestsPerMinute)),
      statisticsController(new StatisticsService(repositories.statistics)),
    ],
  };
};
