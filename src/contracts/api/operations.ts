/**
 * What operators of the back end read: health, this replica's intake counters, the record's
 * integrity check, dead-lettered candidate messages; and the OpenAPI document itself.
 */
import { z } from "zod";
import { cameraHealthSchema, edgeStatusSchema } from "../health.ts";

const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();

/** All a caller without a staff session learns from GET /api/health. */
export const healthSummarySchema = z.strictObject({ status: z.enum(["up", "degraded", "down"]) });
export type HealthSummary = z.output<typeof healthSummarySchema>["status"];

/** Candidate intake of this replica; degraded here leaves the replica serving (HTTP 200). */
export const intakeHealthSchema = z.strictObject({
  status: z.enum(["ok", "degraded"]),
  /** Why it is degraded, for people: failing, lagging, dead letters. */
  problems: z.array(z.string()),
  oldestPendingAgeMs: z.number(),
  failingForMs: z.number(),
  deadLettersLastHour: count,
  rejectedLastHour: count,
});

/** The fleet view administrators and operators get from GET /api/health. */
export const healthReportSchema = z.strictObject({
  status: z.enum(["ok", "degraded"]),
  version: z.string(),
  uptimeSeconds: z.number(),
  database: z.strictObject({ up: z.boolean(), kind: z.string() }),
  broker: z.strictObject({ up: z.boolean(), url: z.string(), embedded: z.boolean() }),
  intake: intakeHealthSchema.optional(),
  edges: z.array(edgeStatusSchema),
  /** Without the static-object masks and zone activity (the zone editor's own routes). */
  cameras: z.array(cameraHealthSchema.omit({ staticMasks: true, zoneActivity: true })),
});
export type HealthReport = z.output<typeof healthReportSchema>;

export const healthSchema = z.union([healthReportSchema, healthSummarySchema]);

/** This replica's candidate intake counters (GET /api/ingest/stats). */
export const ingestStatsSchema = z.strictObject({
  received: count,
  created: count,
  updated: count,
  stale: count,
  rejected: z.record(z.string(), count).describe("total and per reason"),
  batches: count,
  failedBatches: count,
  lastBatchMs: z.number(),
  lastBatchSize: count,
  pending: count,
  refused: z.record(z.string(), count).describe("total and per reason"),
  late: count,
  deadLettered: count,
  receivedToCommittedMs: z.strictObject({ p50: z.number(), p99: z.number() }),
  /** Where intake time goes, summed over committed batches (ms), per stage. */
  stageMs: z.record(z.string(), z.number()),
  oldestPendingAgeMs: z.number(),
});
export type IngestStatsView = z.output<typeof ingestStatsSchema>;

const auditProblemSchema = z.strictObject({ kind: z.enum(["entry", "chain-head", "anchor", "evidence"]), where: z.string(), problem: z.string() });

/** POST /api/audit/verify: every chain and evidence hash checked. */
export const auditVerifySchema = z.strictObject({
  ok: z.boolean(),
  chains: count,
  entries: count,
  anchors: count,
  evidenceFiles: count,
  /** The first broken link found. */
  firstProblem: auditProblemSchema.nullable(),
  problems: z.array(auditProblemSchema),
});
export type AuditVerify = z.output<typeof auditVerifySchema>;

export const deadLetterQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  since: isoTime.optional(),
});

/** A candidate message set aside because the database refused it. */
export const deadLetterSchema = z.strictObject({
  id: z.string(),
  at: isoTime,
  topic: z.string(),
  candidateId: z.string().nullable(),
  seq: z.number().int().nullable(),
  cameraId: z.string().nullable(),
  edgeId: z.string().nullable(),
  reason: z.string(),
  /** The message as JSON, every unstorable character escaped. */
  payload: z.string(),
});
export const deadLetterPageSchema = z.strictObject({
  total: count,
  limit: count,
  offset: count,
  items: z.array(deadLetterSchema),
});

/** The OpenAPI 3.1 document (described here by its frame only). */
export const openApiSchema = z.looseObject({
  openapi: z.literal("3.1.0"),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});
