import { Router } from "express";
import { z } from "zod";
import { apiRoute } from "../http/api-route.ts";
import { overseers } from "../http/roles.ts";
import { statisticsDimensions } from "../services/case-statistics.ts";
import type { StatisticsService } from "../services/statistics.service.ts";

const statisticsQuery = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    by: z.enum(statisticsDimensions).default("day"),
    format: z.enum(["json", "csv"]).default("json"),
    lang: z.enum(["keys", "en", "zh"]).default("keys").describe("CSV column names: keys (for programs), or words in en / zh"),
    timeZone: z
      .string()
      .max(64)
      .default("Asia/Shanghai")
      .refine((tz) => Intl.supportedValuesOf("timeZone").includes(tz) || tz === "UTC", "unknown time zone"),
  })
  .strict();

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
