import { Router } from "express";
import { apiRoute } from "../http/api-route.ts";
import type { HealthService } from "../services/health.service.ts";

export function healthController(health: HealthService): Router {
  const router = Router();
  apiRoute(router, {
    method: "get",
    path: "/health",
    tag: "meta",
    access: "public",
    summary: "Report database, broker and edge health (for load balancers)",
    responds: "200 ok · 200 degraded (intake trouble, still serving) · 503 degraded (database or broker down)",
    handler: async ({ res }) => {
      const report = await health.report();
      // Only a replica that cannot reach its database or broker asks the load balancer to leave it out.
      res.status(report.database.up && report.broker.up ? 200 : 503).json(report);
      return undefined;
    },
  });
  return router;
}
