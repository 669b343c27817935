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
    responds: "200 ok · 503 degraded",
    handler: async ({ res }) => {
      const report = await health.report();
      res.status(report.status === "ok" ? 200 : 503).json(report);
      return undefined;
    },
  });
  return router;
}
