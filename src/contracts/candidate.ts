import { z } from "zod";
import { boxSchema, objectRoleSchema } from "./roles.ts";
import { safeText } from "./safe-text.ts";

export const ruleKinds = ["street_vending", "shop_overflow"] as const;
export const ruleKindSchema = z.enum(ruleKinds);
export type RuleKind = z.infer<typeof ruleKindSchema>;

/** National taxonomy code pair (大类/小类), e.g. 05/01 无照经营游商, 05/04 店外经营. */
export const eventCodeSchema = z.object({
  major: z.string().regex(/^\d{2}$/, "two digits, e.g. 05"),
  minor: z.string().regex(/^\d{2}$/, "two digits, e.g. 01"),
});
export type EventCode = z.infer<typeof eventCodeSchema>;

const sha256Schema = z.string().regex(/^[a-f0-9]{64}$/, "lower-case hex sha256");

export const evidenceKinds = ["snapshot_start", "snapshot_start_annotated", "snapshot_end", "snapshot_end_annotated", "clip"] as const;

/** Evidence travels by HTTP; the candidate carries only what identifies and verifies it. */
export const evidenceRefSchema = z.object({
  kind: z.enum(evidenceKinds),
  sha256: sha256Schema,
  bytes: z.number().int().positive(),
  contentType: z.enum(["image/jpeg", "image/png", "video/mp4"]),
});
export type EvidenceRef = z.infer<typeof evidenceRefSchema>;

export const trackedObjectSchema = z.object({
  trackId: z.number().int().nonnegative(),
  label: safeText(100),
  role: objectRoleSchema,
  score: z.number().min(0).max(1),
  /** Normalised box [x1,y1,x2,y2] in 0..1 so the back end need not know the frame size. */
  box: boxSchema,
});
export type TrackedObject = z.infer<typeof trackedObjectSchema>;

export const candidatePhases = ["start", "update", "end"] as const;

/**
 * One message per phase of one situation. `candidateId` is stable for the whole
 * situation and `seq` grows with each message, so the back end can apply
 * start/update/end idempotently and ignore stale, out-of-order deliveries.
 */
export const candidateEventSchema = z
  .object({
    schema: z.literal("curbwatch.candidate/v1"),
    candidateId: z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/),
    seq: z.number().int().nonnegative(),
    phase: z.enum(candidatePhases),
    edgeId: safeText(64).min(1),
    cameraId: safeText(64).min(1),
    zoneId: safeText(64).min(1),
    ruleId: safeText(64).min(1),
    rule: ruleKindSchema,
    eventCode: eventCodeSchema,
    /** Shop named by a shop-overflow zone; absent for street vending. */
    shopId: safeText(64).optional(),
    startedAt: z.string().datetime({ offset: true }),
    lastSeenAt: z.string().datetime({ offset: true }),
    endedAt: z.string().datetime({ offset: true }).optional(),
    /** Seconds into the source video (replay) or since the stream started. */
    videoStartSec: z.number().nonnegative().optional(),
    videoEndSec: z.number().nonnegative().optional(),
    bestScore: z.number().min(0).max(1),
    objects: z.array(trackedObjectSchema).max(200),
    evidence: z.array(evidenceRefSchema).max(20).default([]),
  })
  .strict();
export type CandidateEvent = z.infer<typeof candidateEventSchema>;

/** MQTT payloads above this are refused before parsing. */
export const MAX_CANDIDATE_PAYLOAD_BYTES = 256 * 1024;
