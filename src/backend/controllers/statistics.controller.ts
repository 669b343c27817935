import { Router } from "express";
import { apiRoute } from "../http/api-route.ts";
import { overseers } from "../http/roles.ts";
import type { StatisticsService } from "../services/statistics.service.ts";
import { statisticsQuery, statisticsSchema } from "../../contracts/api/statistics.ts";

/** GET /statistics: per day / street / camera / event code, JSON or CSV, for cases reported in [from, to). */
export function statisticsController(statistics: StatisticsService): Router {
  const r = Router();
  apiRoute(r, {
    method: "get",
    path: "/statistics",
    tag: "reports",
    access: overseers,
    summary: "Case statistics per day, street, camera or event code (JSON or CSV)",
    query: statisticsQuery,
    produces: ["application/json", "text/csv"],
    response: statisticsSchema,
    handler: async ({ query, res }) => {
      const from = new Date(query.from);
      const to = new Date(query.to);
      const request = { from, to, by: query.by, timeZone: query.timeZone };
      if (query.format === "csv") {
        const csv = await statistics.csv(request, query.lang);
        res.setHeader("Content-Type", "text/csv; charset=utf-8");
        res.setHeader("Content-Disposition", `attachment; filename="curbwatch-statistics-${query.by}.csv"`);
        res.send(csv);
        return undefined;
      }
      const groups = await statistics.groups(request);
      return { from: from.toISOString(), to: to.toISOString(), by: query.by, timeZone: query.timeZone, groups };
    },
  });
  return r;
}
