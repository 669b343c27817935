import { z } from "zod";
import { objectRoleSchema } from "./roles.ts";
import { safeText } from "./safe-text.ts";
import { STATIC_MASK_MAX_ZONES } from "./static-mask.ts";

/**
 * What the edge sees in each zone now and where each of the zone's rules stands, as it travels
 * in camera health: the zone editor's answer to "why is this zone quiet". Strict and bounded,
 * like the static-object masks beside it; this module imports nothing from Node.
 */

/** Detections listed per zone (the highest scores first); a busy pavement shows its most certain objects. */
export const ZONE_ACTIVITY_MAX_DETECTIONS = 30;
/** Rules reported per zone; the console's editor gives a zone one, hand-written configs a few. */
export const ZONE_ACTIVITY_MAX_RULES = 8;
/** Longest span any detail states (a cooldown may be configured longer; the edge reports at most this). */
export const ZONE_ACTIVITY_MAX_SECONDS = 10_000_000;

const id = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);
const unit = z.number().min(0).max(1);
const seconds = z.number().min(0).max(ZONE_ACTIVITY_MAX_SECONDS);
const count = z.number().int().min(0).max(10_000);
/** How many of something the rule counts now, and how many it needs. */
const seenNeeded = z.strictObject({ seen: count, needed: count });

/** One detection whose anchor point lies in the zone; `box` [x1, y1, x2, y2] in fractions of the frame. */
export const zoneDetectionSchema = z
  .strictObject({
    label: safeText(64).min(1),
    role: objectRoleSchema,
    score: unit,
    box: z.tuple([unit, unit, unit, unit]),
  })
  .refine((d) => d.box[0] <= d.box[2] && d.box[1] <= d.box[3], { path: ["box"], message: "box must be x1 ≤ x2, y1 ≤ y2" });
export type ZoneDetection = z.infer<typeof zoneDetectionSchema>;

/** Objects of the rule's roles whose anchor is in the zone but that the rule leaves out, by reason. */
const droppedSchema = z.strictObject({
  /** Below `minScore` now, or below `minMedianScore` over the track. */
  lowScore: count,
  /** A box side shorter than `minBoxPx` (detector pixels). */
  smallBox: count,
  /** A static object smaller than `minStaticObjectArea` of the zone. */
  smallStatic: count,
});

const standings = {
  /** A situation is open: a candidate was raised `sinceSeconds` ago. */
  raised: z.strictObject({ sinceSeconds: seconds }),
  /** What the rule needs is there; the dwell is running. */
  counting: z.strictObject({ dwellSoFarSeconds: seconds, dwellSeconds: seconds }),
  /** What is missing. Street vending states persons and gear; shop overflow the objects beyond the front line. */
  not_enough: z.strictObject({
    persons: seenNeeded.optional(),
    /** Gear near a person (with `minPersons` 0: all gear in the zone). */
    gear: seenNeeded.optional(),
    /** Gear in the zone but further than `nearFactor` person heights from every person. */
    gearNotNear: count.optional(),
    beyondLine: seenNeeded.optional(),
    /** Objects on the shop's side of the front line. */
    behindLine: count.optional(),
    dropped: droppedSchema,
  }),
  outside_schedule: z.strictObject({}),
  cooldown: z.strictObject({ secondsLeft: seconds }),
  /** No frame reached the rules for a while (`sinceSeconds`), or ever (null). */
  no_frames: z.strictObject({ sinceSeconds: seconds.nullable() }),
};

export const ruleStandingStates = Object.keys(standings) as (keyof typeof standings)[];
export type RuleStandingState = keyof typeof standings;

const ruleHead = { ruleId: id, kind: z.enum(["street_vending", "shop_overflow"]) };
const entry = <S extends RuleStandingState>(state: S) => z.strictObject({ ...ruleHead, state: z.literal(state), detail: standings[state] });

export const ruleActivitySchema = z.discriminatedUnion("state", [
  entry("raised"),
  entry("counting"),
  entry("not_enough"),
  entry("outside_schedule"),
  entry("cooldown"),
  entry("no_frames"),
]);
export type RuleActivity = z.infer<typeof ruleActivitySchema>;
/** A rule's standing without the rule's name (what the edge's rule code works out). */
export type RuleStanding = WithoutRule<RuleActivity>;
type WithoutRule<T> = T extends unknown ? Omit<T, "ruleId" | "kind"> : never;

export const zoneActivityEntrySchema = z.strictObject({
  zoneId: id,
  detections: z.array(zoneDetectionSchema).max(ZONE_ACTIVITY_MAX_DETECTIONS),
  rules: z.array(ruleActivitySchema).max(ZONE_ACTIVITY_MAX_RULES),
});
export type ZoneActivityEntry = z.infer<typeof zoneActivityEntrySchema>;

/** Every configured zone of one camera as of the frame at `at` (or, with no recent frame, when reported). */
export const zoneActivitySchema = z.strictObject({
  at: z.string().datetime({ offset: true }),
  zones: z.array(zoneActivityEntrySchema).max(STATIC_MASK_MAX_ZONES),
});
export type ZoneActivity = z.infer<typeof zoneActivitySchema>;
