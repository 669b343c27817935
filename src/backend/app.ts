import express, { type Router } from "express";
import type { Logger } from "../shared/logger.ts";
import { errorHandler, notFound } from "./http/errors.ts";
import { declaredRoutesOnly } from "./http/declared-routes-only.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { textInputGuard } from "./http/text-input-guard.ts";

export interface ApiModule {
  /** Mounted under /api. */
  router: Router;
}

/** HTTP only: parsing, routing, error shape. Domain rules live in services. */
export function createApp(opts: { log: Logger; api: Router[]; staticDir?: string; jsonLimit?: string }) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(securityHeaders);
  app.use("/api", declaredRoutesOnly);
  app.use("/api", express.json({ limit: opts.jsonLimit ?? "1mb" }));
  app.use("/api", textInputGuard);
  for (const router of opts.api) app.use("/api", router);
  app.use("/api", notFound);
  if (opts.staticDir) {
    app.use(express.static(opts.staticDir, { index: "index.html", maxAge: "1h" }));
  }
  app.use(errorHandler(opts.log));
  return app;
}
