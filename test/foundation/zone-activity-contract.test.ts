import { describe, expect, it } from "vitest";
import {
  cameraHealthSchema,
  ruleStandingStates,
  zoneActivitySchema,
  ZONE_ACTIVITY_MAX_DETECTIONS,
  ZONE_ACTIVITY_MAX_RULES,
  ZONE_ACTIVITY_MAX_SECONDS,
  STATIC_MASK_MAX_ZONES,
  type RuleActivity,
  type ZoneActivity,
} from "../../src/contracts/index.ts";

const detection = { label: "umbrella", role: "vending_gear", score: 0.71, box: [0.4, 0.5, 0.48, 0.56] };
const dropped = { lowScore: 2, smallBox: 0, smallStatic: 1 };
/** One rule in each state, as the edge reports them. */
const everyState: RuleActivity[] = [
  { ruleId: "r1", kind: "street_vending", state: "raised", detail: { sinceSeconds: 40 } },
  { ruleId: "r2", kind: "street_vending", state: "counting", detail: { dwellSoFarSeconds: 12, dwellSeconds: 20 } },
  {
    ruleId: "r3",
    kind: "street_vending",
    state: "not_enough",
    detail: { persons: { seen: 1, needed: 1 }, gear: { seen: 0, needed: 1 }, gearNotNear: 1, dropped },
  },
  { ruleId: "r4", kind: "shop_overflow", state: "not_enough", detail: { beyondLine: { seen: 0, needed: 2 }, behindLine: 3, dropped } },
  { ruleId: "r5", kind: "shop_overflow", state: "outside_schedule", detail: {} },
  { ruleId: "r6", kind: "shop_overflow", state: "cooldown", detail: { secondsLeft: 240 } },
  { ruleId: "r7", kind: "street_vending", state: "no_frames", detail: { sinceSeconds: null } },
  { ruleId: "r8", kind: "street_vending", state: "no_frames", detail: { sinceSeconds: 31 } },
];
const activity: ZoneActivity = {
  at: "2026-11-20T08:00:00.000Z",
  zones: [{ zoneId: "kerb", detections: [detection as ZoneActivity["zones"][number]["detections"][number]], rules: everyState }],
};
const health = {
  cameraId: "c",
  edgeId: "e",
  state: "streaming",
  framesInPerSec: 1,
  sampledPerSec: 1,
  detectedPerSec: 1,
  lastFrameAt: null,
  restarts: 0,
  restartsLastHour: 0,
  lastError: null,
  at: activity.at,
};

const refused = (v: unknown) => !zoneActivitySchema.safeParse(v).success;
const withZone = (z: Record<string, unknown>) => ({ ...activity, zones: [{ ...activity.zones[0], ...z }] });
const withRule = (r: Record<string, unknown>) => withZone({ rules: [r] });
const withDetection = (d: Record<string, unknown>) => withZone({ detections: [{ ...detection, ...d }] });

describe("zone activity in camera health (contract)", () => {
  it("carries every state with its detail, and is optional for older edges", () => {
    expect(ruleStandingStates).toEqual(["raised", "counting", "not_enough", "outside_schedule", "cooldown", "no_frames"]);
    expect(cameraHealthSchema.parse({ ...health, zoneActivity: activity }).zoneActivity).toEqual(activity);
    expect(cameraHealthSchema.parse(health).zoneActivity, "older edges send none").toBeUndefined();
  });

  it("is strict: unknown states and fields, and a detail of another state, are refused", () => {
    expect(refused({ ...activity, extra: 1 }), "unknown field").toBe(true);
    expect(refused(withZone({ extra: 1 })), "unknown zone field").toBe(true);
    expect(refused(withRule({ ...everyState[0], state: "sleeping" })), "unknown state").toBe(true);
    expect(refused(withRule({ ...everyState[1], state: "cooldown" })), "counting's detail under cooldown").toBe(true);
    expect(refused(withRule({ ...everyState[4], detail: { why: "closed" } })), "free text in a detail").toBe(true);
    expect(refused(withRule({ ...everyState[2], detail: { ...everyState[2].detail, note: "x" } })), "unknown detail field").toBe(true);
    expect(refused(withRule({ ...everyState[0], kind: "parking" })), "unknown rule kind").toBe(true);
    expect(refused(withRule({ ...everyState[0], ruleId: "a b" })), "not a rule id").toBe(true);
    expect(refused(withZone({ zoneId: "a/b" })), "not a zone id").toBe(true);
    expect(refused(withDetection({ role: "cart" })), "unknown role").toBe(true);
    expect(refused(withDetection({ extra: 1 })), "unknown detection field").toBe(true);
    expect(refused({ ...activity, at: "yesterday" }), "not a time").toBe(true);
  });

  it("is bounded: counts, seconds, scores, boxes, labels and list lengths", () => {
    const notEnough = everyState[2] as Extract<RuleActivity, { state: "not_enough" }>;
    expect(refused(withRule({ ...notEnough, detail: { ...notEnough.detail, dropped: { ...dropped, lowScore: -1 } } })), "negative count").toBe(true);
    expect(refused(withRule({ ...notEnough, detail: { ...notEnough.detail, persons: { seen: 1.5, needed: 1 } } })), "fractional count").toBe(true);
    expect(refused(withRule({ ...everyState[5], detail: { secondsLeft: ZONE_ACTIVITY_MAX_SECONDS + 1 } })), "seconds over the bound").toBe(true);
    expect(refused(withRule({ ...everyState[1], detail: { dwellSoFarSeconds: -3, dwellSeconds: 20 } })), "negative seconds").toBe(true);
    expect(refused(withDetection({ score: 1.2 })), "score over 1").toBe(true);
    expect(refused(withDetection({ box: [0.5, 0.5, 1.1, 0.6] })), "box outside the frame").toBe(true);
    expect(refused(withDetection({ box: [0.5, 0.5, 0.4, 0.6] })), "inverted box").toBe(true);
    expect(refused(withDetection({ label: "" })), "empty label").toBe(true);
    expect(refused(withDetection({ label: "x".repeat(65) })), "label over 64").toBe(true);
    expect(refused(withDetection({ label: "a\u0000b" })), "NUL in a label").toBe(true);
    expect(refused(withZone({ detections: Array(ZONE_ACTIVITY_MAX_DETECTIONS + 1).fill(detection) })), "more than 30 detections").toBe(true);
    expect(refused(withZone({ rules: Array(ZONE_ACTIVITY_MAX_RULES + 1).fill(everyState[0]) })), "more than 8 rules").toBe(true);
    expect(refused({ ...activity, zones: Array(STATIC_MASK_MAX_ZONES + 1).fill(activity.zones[0]) }), "more zones than a camera has").toBe(true);

    // The largest report the bounds allow stays under a quarter megabyte (a typical camera sends a few KB).
    const full = {
      ...activity,
      zones: Array.from({ length: STATIC_MASK_MAX_ZONES }, (_, i) => ({
        zoneId: `z${i}`.padEnd(64, "z"),
        detections: Array(ZONE_ACTIVITY_MAX_DETECTIONS).fill({ ...detection, label: "x".repeat(64), box: [0.1234, 0.1234, 0.5678, 0.5678] }),
        rules: Array(ZONE_ACTIVITY_MAX_RULES).fill({ ...notEnough, ruleId: "r".repeat(64) }),
      })),
    };
    expect(zoneActivitySchema.safeParse(full).success).toBe(true);
    expect(JSON.stringify(full).length).toBeLessThan(250_000);
  });
});
