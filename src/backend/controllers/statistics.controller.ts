import { Router } from "express";
import { apiRoute } from "../http/api-route.ts";
import { overseers } from "../http/roles.ts";
import { HttpError } from "../http/errors.ts";
import type { Database } from "../db/database.ts";
import { statisticsBy, statisticsCsv } from "../services/case-statistics.ts";
import { statisticsQuery, statisticsSchema } from "../../contracts/api/statistics.ts";

const MAX_RANGE_DAYS = 366;

/** GET /statistics: per day / street / camera / event code, JSON or CSV, for cases reported in [from, to). */
export function statisticsController(db: Database): Router {
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
      if (!(from < to)) throw new HttpError(400, "from must be before to");
      if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) throw new HttpError(400, `a range of at most ${MAX_RANGE_DAYS} days`);
      const [cases, cameras] = await Promise.all([
        db.prisma.case.findMany({
          where: { createdAt: { gte: from, lt: to } },
          select: {
            createdAt: true,
            cameraId: true,
            eventMajor: true,
            eventMinor: true,
            state: true,
            rejectReason: true,
            confirmedAt: true,
            dispatchedAt: true,
            closedAt: true,
            overdueAt: true,
            outcome: true,
            class721: true,
          },
        }),
        db.prisma.camera.findMany({ select: { id: true, street: true } }),
      ]);
      const streetOf = new Map(cameras.map((c) => [c.id, c.street]));
      const groups = statisticsBy(
        cases.map((c) => ({ ...c, street: streetOf.get(c.cameraId) ?? null })),
        query.by,
        query.timeZone,
      );
      if (query.format === "csv") {
        res.setHeader("Content-Type", "text/csv; charset=utf-8");
        res.setHeader("Content-Disposition", `attachment; filename="curbwatch-statistics-${query.by}.csv"`);
        const [reasons, codes] = await Promise.all([db.prisma.rejectReason.findMany(), db.prisma.eventCode.findMany()]);
        res.send(
          statisticsCsv(groups, query.by, query.lang, {
            rejectReasons: Object.fromEntries(reasons.map((r) => [r.code, r.label])),
            eventCodes: Object.fromEntries(codes.map((c) => [`${c.major}/${c.minor}`, c.name])),
          }),
        );
        return undefined;
      }
      return { from: from.toISOString(), to: to.toISOString(), by: query.by, timeZone: query.timeZone, groups };
    },
  });
  return r;
}
