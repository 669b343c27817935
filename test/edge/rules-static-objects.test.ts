import { describe, expect, it } from "vitest";
import { zoneSchema, type Zone } from "../../src/contracts/edge-config.ts";
import type { Detection } from "../../src/contracts/roles.ts";
import { CameraRules } from "../../src/edge/rules/camera-rules.ts";
import type { FrameRef, SituationEvent } from "../../src/edge/rules/situation.ts";
import { ObjectTracker } from "../../src/edge/track/object-tracker.ts";

/** Rules fed class-agnostic static objects (as the static-object detector emits them) through the real tracker. */
const W = 1000;
const H = 1000;
const geom = { original: { width: W, height: H }, input: { width: 416, height: 416 } };
const person = (x: number, y: number): Detection => ({ label: "person", role: "person", score: 0.8, box: [x - 20, y - 100, x + 20, y] });
const staticObject = (x: number, y: number, side: number): Detection => ({
  label: "static_object",
  role: "static_object",
  score: 0.7,
  box: [x - side / 2, y - side, x + side / 2, y],
});
const square = [
  [0.2, 0.2],
  [0.8, 0.2],
  [0.8, 0.8],
  [0.2, 0.8],
];
const ec = { major: "05", minor: "01" };

function run(zones: Zone[], seconds: number, scene: () => Detection[]): SituationEvent[] {
  const tracker = new ObjectTracker();
  const rules = new CameraRules("cam", zones);
  const t0 = Date.UTC(2026, 10, 16, 1, 0, 0);
  const events: SituationEvent[] = [];
  for (let i = 0; i <= seconds; i++) {
    const tMs = t0 + i * 1000;
    const frame: FrameRef = { tMs, runId: 1, ptsSec: i, videoSec: i, original: geom.original, receivedAtMs: tMs };
    events.push(...rules.evaluate(tracker.update(scene(), tMs), geom, frame));
  }
  return events;
}

describe("rules with static objects", () => {
  const vendingZone = (extra: Record<string, unknown> = {}) =>
    zoneSchema.parse({ id: "z", polygon: square, rules: [{ id: "v", kind: "street_vending", eventCode: ec, dwellSeconds: 10, ...extra }] });

  it("street vending at its defaults counts a static object near a dwelling person as gear", () => {
    const events = run([vendingZone()], 20, () => [person(500, 600), staticObject(560, 600, 60)]);
    expect(events.some((e) => e.phase === "start")).toBe(true);
  });

  it("a dwelling person alone is not vending at the defaults (gear is needed)", () => {
    expect(run([vendingZone()], 20, () => [person(500, 600)])).toEqual([]);
  });

  it("a static object smaller than the rule's minimum fraction of the zone does not count", () => {
    // Zone area 0.36; a 20 px object on 1000 px is 0.0004 of the frame, about 0.1 % of the zone.
    expect(run([vendingZone({ minStaticObjectArea: 0.005 })], 20, () => [person(500, 600), staticObject(540, 600, 20)])).toEqual([]);
  });

  it("shop overflow at its defaults counts static objects beyond the front line", () => {
    const z = zoneSchema.parse({
      id: "s",
      polygon: square,
      rules: [
        {
          id: "o",
          kind: "shop_overflow",
          eventCode: { major: "05", minor: "04" },
          dwellSeconds: 10,
          shopId: "shop-1",
          frontLine: [
            [0.2, 0.4],
            [0.8, 0.4],
          ],
          streetSidePoint: [0.5, 0.7],
        },
      ],
    });
    expect(run([z], 20, () => [staticObject(500, 650, 80)]).some((e) => e.phase === "start")).toBe(true);
    expect(run([z], 20, () => [staticObject(500, 350, 80)])).toEqual([]);
  });
});
