import { z } from "zod";
import { safeText } from "./safe-text.ts";
import { eventCodeSchema } from "./candidate.ts";
import { objectRoleSchema } from "./roles.ts";
import { defaultZoneFocusConfig, zoneFocusConfigSchema } from "./zone-focus-config.ts";

/** A point in normalised frame coordinates (0..1, origin top-left). */
const pointSchema = z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]);

function polygonArea(points: [number, number][]): number {
  let a = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i];
    const [x2, y2] = points[(i + 1) % points.length];
    a += x1 * y2 - x2 * y1;
  }
  return Math.abs(a) / 2;
}

export const polygonSchema = z
  .array(pointSchema)
  .min(3, "a polygon needs at least 3 points")
  .max(64)
  .refine((pts) => polygonArea(pts) > 1e-6, "polygon has no area (points are collinear or repeated)");

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "time as HH:MM");
const weekday = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);

/** Arming schedule: the rule raises candidates only inside these weekday × time ranges. */
export const scheduleSchema = z
  .array(
    z
      .object({ days: z.array(weekday).min(1), from: hhmm, to: hhmm })
      .refine((r) => r.from < r.to, "schedule range must have from < to (split overnight ranges in two)"),
  )
  .describe("empty or absent = always armed");
export type Schedule = z.infer<typeof scheduleSchema>;

export const anchorSchema = z.enum(["bottom_center", "center", "top_center", "any_corner", "whole_box"]);

const ruleCommon = {
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  eventCode: eventCodeSchema,
  dwellSeconds: z.number().positive().max(86_400).default(60),
  minScore: z.number().min(0).max(1).default(0.35),
  minMedianScore: z.number().min(0).max(1).default(0.4),
  /** Minimum box side in pixels of the detector input. */
  minBoxPx: z.number().nonnegative().default(8),
  anchor: anchorSchema.default("bottom_center"),
  cooldownSeconds: z.number().nonnegative().default(300),
  /** A situation ends when no qualifying object was seen for this long. */
  endAfterSeconds: z.number().positive().default(30),
  schedule: scheduleSchema.default([]),
  timezone: z.string().default("Asia/Shanghai"),
  /** Smallest static object (class-agnostic occupancy) this rule counts, as a fraction of the zone's area. */
  minStaticObjectArea: z.number().min(0).max(1).default(0.003),
};

export const streetVendingRuleSchema = z.strictObject({
  ...ruleCommon,
  kind: z.literal("street_vending"),
  minPersons: z.number().int().min(0).default(1),
  minGear: z.number().int().min(0).default(1),
  gearRoles: z.array(objectRoleSchema).default(["vending_gear", "goods", "static_object"]),
  /** Gear counts as "near" a person within this many person-box heights. */
  nearFactor: z.number().positive().default(1.5),
  /** Max movement of a track, in fractions of its box size, to count as stationary. */
  stationaryTolerance: z.number().positive().default(0.5),
});

export const shopOverflowRuleSchema = z.strictObject({
  ...ruleCommon,
  kind: z.literal("shop_overflow"),
  shopId: safeText(64).min(1),
  /** The shop's front line (polyline); objects on the street side of it are overflow. */
  frontLine: z.array(pointSchema).min(2).max(32),
  /** Which side of the front line is the street: a point known to lie on the street side. */
  streetSidePoint: pointSchema,
  objectRoles: z.array(objectRoleSchema).default(["goods", "furniture", "vending_gear", "static_object"]),
  minObjects: z.number().int().min(1).default(1),
});

export const ruleSchema = z.discriminatedUnion("kind", [streetVendingRuleSchema, shopOverflowRuleSchema]);
export type Rule = z.infer<typeof ruleSchema>;
export type StreetVendingRule = z.infer<typeof streetVendingRuleSchema>;
export type ShopOverflowRule = z.infer<typeof shopOverflowRuleSchema>;

/**
 * A clear-pavement reference of a zone, captured by an administrator from the camera's snapshot:
 * the zone's bounding box (`region`, fractions of the frame) as 8-bit grayscale at most 160 px on
 * its long side, zlib-deflated and base64-encoded (a few KB: it travels inside the config message).
 * With it, the static-object detector also finds what already stood there when the edge started.
 */
export const zoneReferenceSchema = z.strictObject({
  version: z.number().int().positive(),
  capturedAt: z.string().datetime({ offset: true }),
  region: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1)]),
  width: z.number().int().min(8).max(160),
  height: z.number().int().min(8).max(160),
  gray: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, "base64")
    .max(48_000),
});
export type ZoneReference = z.infer<typeof zoneReferenceSchema>;

export const zoneSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  name: safeText(200).default(""),
  polygon: polygonSchema,
  rules: z.array(ruleSchema).min(1),
  reference: zoneReferenceSchema.optional(),
});
export type Zone = z.infer<typeof zoneSchema>;

export const samplingSchema = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("fps"), fps: z.number().positive().max(30).default(1) }),
  z.strictObject({ mode: z.literal("keyframes") }),
]);

export const cameraConfigSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  name: safeText(200).default(""),
  /** rtsp://, file:// or a local path. Credentials may be inline; they are never logged. */
  url: z.string().min(1),
  enabled: z.boolean().default(true),
  sampling: samplingSchema.default({ mode: "fps", fps: 1 }),
  model: z.string().min(1).default("nanodet"),
  /** Loop a file source forever (demo camera). */
  loop: z.boolean().default(false),
  /** Run a detection every N seconds even with nothing new, so static scenes are still seen. */
  fullScanSeconds: z.number().positive().default(10),
  /** Live: skip inference on a sample whose zones did not change since the last detection (full scans still run); on unless false. */
  skipUnchanged: z.boolean().optional(),
  watchdog: z
    .strictObject({
      stallSeconds: z.number().positive().default(20),
      backoffInitialSeconds: z.number().positive().default(1),
      backoffMaxSeconds: z.number().positive().default(300),
    })
    // prefault: an absent watchdog is parsed as {}, so the defaults above are the only ones.
    .prefault({}),
  zones: z.array(zoneSchema).default([]),
  /** Detect on the zones' region at the model's scale (tiles), with a whole-frame pass for context. */
  zoneFocus: zoneFocusConfigSchema.default(defaultZoneFocusConfig),
});
export type CameraConfig = z.infer<typeof cameraConfigSchema>;

/** Retained on `edge/{id}/config`; also the format of a standalone/replay config file. */
export const edgeConfigSchema = z.strictObject({
  schema: z.literal("curbwatch.edge-config/v1").default("curbwatch.edge-config/v1"),
  /** Increases with every change the back end publishes. */
  revision: z.number().int().nonnegative().default(0),
  cameras: z.array(cameraConfigSchema).default([]),
});
export type EdgeConfig = z.infer<typeof edgeConfigSchema>;
export type EdgeConfigInput = z.input<typeof edgeConfigSchema>;
