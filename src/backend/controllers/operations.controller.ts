import { Router } from "express";
import { apiRoute } from "../http/api-route.ts";
import { anyUser, auditors } from "../http/roles.ts";
import type { IngestStats } from "../ingest/ingest-stats.ts";
import type { AuditRecordService } from "../services/audit-record.service.ts";
import { auditVerifySchema, ingestStatsSchema } from "../../contracts/api/operations.ts";

/** What operators of the back end look at: ingest counters and the record's integrity. */
export function operationsController(stats: IngestStats, auditRecord: AuditRecordService): Router {
  const r = Router();
  apiRoute(r, {
    method: "get",
    path: "/ingest/stats",
    tag: "operations",
    access: anyUser,
    summary: "Show this replica's candidate ingest counters",
    response: ingestStatsSchema,
    handler: async () => stats.toJSON(),
  });
  apiRoute(r, {
    method: "post",
    path: "/audit/verify",
    tag: "operations",
    access: auditors,
    summary: "Verify the full-process record and every evidence hash",
    response: auditVerifySchema,
    handler: async () => auditRecord.verify(),
  });
  return r;
}
