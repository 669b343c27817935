import { Router } from "express";
import { apiRoute } from "../http/api-route.ts";
import { commandCenter } from "../http/roles.ts";
import type { RequestRateLimit } from "../http/request-rate-limit.ts";
import type { HealthReport, HealthService } from "../services/health.service.ts";
import { healthSchema, type HealthSummary } from "../../contracts/api/operations.ts";

/** All a caller without a staff session learns: whether the back end can do its job. */
export function healthSummary(report: HealthReport): HealthSummary {
  if (!report.database.up) return "down";
  return report.status === "ok" ? "up" : "degraded";
}

/**
 * GET /api/health is what load balancers and orchestration probe (200 up, 503 otherwise).
 * Anonymous callers get `{status}` only; an administrator's or operator's session gets the
 * fleet view (edges, cameras, stream errors) the console shows. Rate-limited per IP.
 */
export function healthController(health: HealthService, limit: RequestRateLimit): Router {
  const router = Router();
  apiRoute(router, {
    method: "get",
    path: "/health",
    tag: "meta",
    access: "public",
    summary: "Report health: {status: up|degraded|down} for probes; the fleet view for administrators and operators",
    responds: "200 up · 200 degraded (intake trouble, still serving) · 503 database or broker down · 429",
    response: healthSchema,
    handler: async ({ req, res, actor }) => {
      limit.check(req, "health");
      const report = await health.report();
      const summary = healthSummary(report);
      // Only a replica that cannot reach its database or broker asks the load balancer to leave it out.
      res.status(report.database.up && report.broker.up ? 200 : 503);
      res.setHeader("Cache-Control", "no-store");
      const staff = actor !== undefined && commandCenter.includes(actor.role as (typeof commandCenter)[number]) && res.locals.mustChangePassword !== true;
      return staff ? report : { status: summary };
    },
  });
  return router;
}
