import { z } from "zod";
import { staticMasksSchema } from "./static-mask.ts";
import { zoneActivitySchema } from "./zone-activity.ts";

/** Retained on `edge/{id}/status`; the broker publishes the `offline` form as the Last Will. */
export const edgeStatusSchema = z.object({
  edgeId: z.string(),
  state: z.enum(["online", "offline"]),
  version: z.string().optional(),
  cameras: z.array(z.string()).default([]),
  startedAt: z.string().optional(),
  at: z.string(),
  /** Revision of the edge config running now, and why the last one offered was rejected (if it was). */
  configRevision: z.number().int().nonnegative().optional(),
  configError: z.string().nullable().optional(),
  /** Candidate messages and evidence uploads waiting in the durable outbox. */
  pendingCandidates: z.number().int().nonnegative().optional(),
  pendingEvidence: z.number().int().nonnegative().optional(),
  /** Bytes used and allowed by the durable outbox and the segment buffer. */
  disk: z
    .object({
      outboxBytes: z.number().int().nonnegative(),
      outboxLimitBytes: z.number().int().nonnegative(),
      segmentBytes: z.number().int().nonnegative(),
      segmentLimitBytes: z.number().int().nonnegative(),
      droppedForSpace: z.number().int().nonnegative(),
    })
    .optional(),
  /** Cumulative main-thread milliseconds per edge stage since start (where an edge box's CPU goes). */
  stages: z.object({ ms: z.record(z.string(), z.number().nonnegative()) }).optional(),
});
export type EdgeStatus = z.infer<typeof edgeStatusSchema>;

/** Retained on `camera/{id}/health`. Rates are per second over the last reporting window. */
export const cameraHealthSchema = z.object({
  cameraId: z.string(),
  edgeId: z.string(),
  state: z.enum(["starting", "streaming", "stalled", "restarting", "stopped", "error"]),
  framesInPerSec: z.number().nonnegative(),
  sampledPerSec: z.number().nonnegative(),
  detectedPerSec: z.number().nonnegative(),
  /** Samples not sent to the detector because nothing changed inside the zones (tracks carried forward). */
  skippedPerSec: z.number().nonnegative().optional(),
  /** Evidence that could not be recorded (segments refused, snapshot or clip failed), since start. */
  evidenceLost: z.number().int().nonnegative().optional(),
  droppedFrames: z.number().int().nonnegative().default(0),
  lastFrameAt: z.string().nullable(),
  restarts: z.number().int().nonnegative(),
  restartsLastHour: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  /** Detector inferences per detected sample over the window (zone tiles + whole-frame passes), and the cap the camera's zone focus allows. */
  inferencesPerSample: z.number().nonnegative().optional(),
  inferenceBudget: z.number().int().positive().optional(),
  /** What the static-object detector of each zone counts as standing there now (for the zone editor); absent from older edges. */
  staticMasks: staticMasksSchema.optional(),
  /** What the detector sees in each zone and where each rule stands (for the zone editor's "why is it quiet"); absent from older edges. */
  zoneActivity: zoneActivitySchema.optional(),
  at: z.string(),
});
export type CameraHealth = z.infer<typeof cameraHealthSchema>;
