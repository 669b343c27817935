import express, { type Router } from "express";
import type { Logger } from "../shared/logger.ts";
import { assignRequestId, errorHandler, notFound } from "./http/errors.ts";
import { declaredRoutesOnly } from "./http/declared-routes-only.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { textInputGuard } from "./http/text-input-guard.ts";

export interface ApiModule {
  /** Mounted under /api. */
  router: Router;
}

/** HTTP only: parsing, routing, error shape. Domain rules live in services. */
export function createApp(opts: { log: Logger; api: Router[]; staticDir?: string; web?: Router; jsonLimit?: string; trustProxy?: readonly string[] }) {
  const app = express();
  app.disable("x-powered-by");
  // Express's own last-resort handler prints stacks unless env is production: whatever NODE_ENV says, it never may.
  app.set("env", "production");
  // Forwarded-for headers are believed only from the proxies named in the config; none by default.
  app.set("trust proxy", opts.trustProxy && opts.trustProxy.length > 0 ? [...opts.trustProxy] : false);
  app.use(assignRequestId);
  app.use(securityHeaders);
  app.use("/api", declaredRoutesOnly);
  app.use("/api", express.json({ limit: opts.jsonLimit ?? "1mb" }));
  app.use("/api", textInputGuard);
  for (const router of opts.api) app.use("/api", router);
  app.use("/api", notFound);
  if (opts.staticDir) {
    app.use(express.static(opts.staticDir, { index: "index.html", maxAge: "1h" }));
  }
  if (opts.web) app.use(opts.web);
  app.use(errorHandler(opts.log));
  return app;
}
