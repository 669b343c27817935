import { describe, expect, it } from "vitest";
import { zoneActivitySchema, zoneSchema, type Zone } from "../../src/contracts/index.ts";
import type { Detection } from "../../src/contracts/roles.ts";
import { CameraRules } from "../../src/edge/rules/camera-rules.ts";
import type { FrameRef } from "../../src/edge/rules/situation.ts";
import { ObjectTracker } from "../../src/edge/track/object-tracker.ts";

/** Hand-made scenes through the real tracker, rules and lifecycles; then where each rule stands on the last frame. */
const W = 1000;
const H = 1000;
const geom = { original: { width: W, height: H }, input: { width: 416, height: 416 } };
const MONDAY_9 = Date.UTC(2026, 10, 16, 1, 0, 0); // Monday 09:00 Asia/Shanghai
const person = (x: number, y: number, score = 0.8): Detection => ({ label: "person", role: "person", score, box: [x - 20, y - 100, x + 20, y] });
const umbrella = (x: number, y: number, score = 0.7): Detection => ({ label: "umbrella", role: "vending_gear", score, box: [x - 40, y - 60, x + 40, y] });
const table = (x: number, y: number, score = 0.7): Detection => ({ label: "dining table", role: "furniture", score, box: [x - 50, y - 40, x + 50, y] });
const crate = (x: number, y: number, side: number): Detection => ({
  label: "static_object",
  role: "static_object",
  score: 0.9,
  box: [x - side / 2, y - side, x + side / 2, y],
});

const square = [
  [0.2, 0.2],
  [0.8, 0.2],
  [0.8, 0.8],
  [0.2, 0.8],
];
const vending = (extra: Record<string, unknown> = {}) => ({
  id: "v",
  kind: "street_vending",
  eventCode: { major: "05", minor: "01" },
  dwellSeconds: 20,
  minGear: 1,
  endAfterSeconds: 5,
  cooldownSeconds: 0,
  ...extra,
});
const zoneWith = (rule: Record<string, unknown>, polygon = square): Zone => zoneSchema.parse({ id: "z", polygon, rules: [rule] });

/** Runs `seconds` of frames at 2 fps from `t0` and returns where every zone × rule stands on the last one. */
function standAfter(zones: Zone[], seconds: number, scene: (sec: number) => Detection[], t0 = MONDAY_9) {
  const tracker = new ObjectTracker();
  const rules = new CameraRules("cam", zones);
  let tMs = t0;
  for (let i = 0; i <= seconds * 2; i++) {
    tMs = t0 + i * 500;
    const tracks = tracker.update(scene(i / 2), tMs);
    const frame: FrameRef = { tMs, runId: 1, ptsSec: i / 2, videoSec: i / 2, original: geom.original, receivedAtMs: tMs };
    rules.evaluate(tracks, geom, frame);
  }
  const zonesNow = rules.activity(tracker.all, geom, tMs);
  // Whatever the rules work out, the contract carries (strict and bounded).
  expect(zoneActivitySchema.safeParse({ at: new Date(tMs).toISOString(), zones: zonesNow }).error).toBeUndefined();
  return zonesNow;
}
const ruleOf = (zones: ReturnType<typeof standAfter>) => zones[0].rules[0];
const none = { lowScore: 0, smallBox: 0, smallStatic: 0 };

describe("street vending: where the rule stands", () => {
  it("names the missing gear and counts the umbrellas the minimum score left out", () => {
    const z = zoneWith(vending({ minScore: 0.75 }));
    const r = ruleOf(standAfter([z], 10, () => [person(500, 600), umbrella(560, 600), umbrella(440, 600)]));
    expect(r).toEqual({
      ruleId: "v",
      kind: "street_vending",
      state: "not_enough",
      detail: { persons: { seen: 1, needed: 1 }, gear: { seen: 0, needed: 1 }, gearNotNear: 0, dropped: { ...none, lowScore: 2 } },
    });
  });

  it("counts gear in the zone that stands too far from anyone apart from the missing gear", () => {
    const r = ruleOf(standAfter([zoneWith(vending())], 10, () => [person(300, 600), umbrella(700, 600)]));
    expect(r.state).toBe("not_enough");
    expect(r.detail).toMatchObject({ persons: { seen: 1, needed: 1 }, gear: { seen: 0, needed: 1 }, gearNotNear: 1 });
  });

  it("a track whose median score is low is left out even when this frame's score passes", () => {
    // The person's first 20 s at 0.45 (a track, but below the median threshold), then 10 s at 0.6.
    const z = zoneWith(vending({ minGear: 0, minMedianScore: 0.5 }));
    const r = ruleOf(standAfter([z], 30, (s) => [person(500, 600, s < 20 ? 0.45 : 0.6)]));
    expect(r).toMatchObject({ state: "not_enough", detail: { persons: { seen: 0, needed: 1 }, dropped: { ...none, lowScore: 1 } } });
  });

  it("counts objects smaller than minBoxPx, and static objects smaller than minStaticObjectArea of the zone", () => {
    // A person 40×100 px of 1000 is 16.6×41.6 detector pixels; a 20 px crate is 0.04 % of the zone (the default minimum is 0.3 %).
    const z = zoneWith(vending({ minBoxPx: 20 }));
    const r = ruleOf(standAfter([z], 10, () => [person(500, 600), crate(540, 600, 20), crate(300, 700, 120)]));
    expect(r).toMatchObject({
      state: "not_enough",
      detail: { persons: { seen: 0, needed: 1 }, gear: { seen: 0, needed: 1 }, dropped: { lowScore: 0, smallBox: 2, smallStatic: 0 } },
    });
    const small = ruleOf(standAfter([zoneWith(vending())], 10, () => [person(500, 600), crate(540, 600, 20)]));
    expect(small.detail).toMatchObject({ gear: { seen: 0, needed: 1 }, dropped: { ...none, smallStatic: 1 } });
  });

  it("leaves out what stands outside the zone: nothing is dropped that the zone would not have counted", () => {
    const r = ruleOf(standAfter([zoneWith(vending({ minScore: 0.75 }))], 10, () => [person(100, 600), umbrella(900, 600)]));
    expect(r).toMatchObject({ state: "not_enough", detail: { persons: { seen: 0, needed: 1 }, gear: { seen: 0, needed: 1 }, dropped: none } });
  });

  it("is counting while a person with gear stays, with the dwell so far and the dwell needed", () => {
    const r = ruleOf(standAfter([zoneWith(vending())], 12, () => [person(500, 600), umbrella(560, 600)]));
    expect(r).toEqual({ ruleId: "v", kind: "street_vending", state: "counting", detail: { dwellSoFarSeconds: 12, dwellSeconds: 20 } });
  });

  it("with two persons needed, waits on the one who came second", () => {
    const z = zoneWith(vending({ minPersons: 2, minGear: 0 }));
    const r = ruleOf(standAfter([z], 15, (s) => (s < 6 ? [person(400, 600)] : [person(400, 600), person(600, 600)])));
    expect(r).toMatchObject({ state: "counting", detail: { dwellSoFarSeconds: 9, dwellSeconds: 20 } });
  });

  it("an unattended stall (minPersons 0) counts the gear's own stay", () => {
    const z = zoneWith(vending({ minPersons: 0, minGear: 1 }));
    const r = ruleOf(standAfter([z], 16, (s) => (s < 8 ? [person(500, 600)] : [person(500, 600), umbrella(300, 700)])));
    expect(r).toMatchObject({ state: "counting", detail: { dwellSoFarSeconds: 8 } });
    const empty = ruleOf(standAfter([z], 5, () => [person(500, 600)]));
    expect(empty).toMatchObject({ state: "not_enough", detail: { persons: { seen: 1, needed: 0 }, gear: { seen: 0, needed: 1 } } });
    expect(empty.detail).not.toHaveProperty("gearNotNear");
  });

  it("is raised once the dwell is reached, with how long ago", () => {
    const r = ruleOf(standAfter([zoneWith(vending())], 30, () => [person(500, 600), umbrella(560, 600)]));
    expect(r).toMatchObject({ state: "raised", detail: { sinceSeconds: 10 } });
  });

  it("is outside the schedule on a Tuesday for a Monday rule, even with a stall standing", () => {
    const z = zoneWith(vending({ schedule: [{ days: ["mon"], from: "08:00", to: "10:00" }] }));
    const scene = () => [person(500, 600), umbrella(560, 600)];
    expect(ruleOf(standAfter([z], 30, scene, Date.UTC(2026, 10, 17, 1, 0)))).toMatchObject({ state: "outside_schedule", detail: {} });
    expect(ruleOf(standAfter([z], 30, scene)).state, "the same scene on Monday 09:00").toBe("raised");
  });

  it("is cooling down after a situation ended, with the seconds left", () => {
    // Stands 8 s (raised at 3 s), gone from 8 s: ends 3 s after the last sighting at 7.5 s; cooldown 20 s from 7.5 s.
    const z = zoneWith(vending({ minGear: 0, dwellSeconds: 3, endAfterSeconds: 3, cooldownSeconds: 20 }));
    const scene = (s: number) => (s < 8 || s >= 14 ? [person(500, 600)] : []);
    expect(ruleOf(standAfter([z], 15, scene))).toMatchObject({ state: "cooldown", detail: { secondsLeft: 13 } });
    expect(ruleOf(standAfter([z], 29, scene)).state, "back after the cooldown: a new situation").toBe("raised");
  });
});

describe("shop overflow: where the rule stands", () => {
  const pavement = [
    [0.0, 0.3],
    [1.0, 0.3],
    [1.0, 1.0],
    [0.0, 1.0],
  ];
  const overflow = {
    id: "o",
    kind: "shop_overflow",
    eventCode: { major: "05", minor: "04" },
    shopId: "shop-17",
    frontLine: [
      [0, 0.5],
      [1, 0.5],
    ],
    streetSidePoint: [0.5, 0.9],
    dwellSeconds: 30,
    minObjects: 2,
    cooldownSeconds: 0,
  };
  it("counts objects beyond the front line against those needed, and those still on the shop's side", () => {
    const r = ruleOf(standAfter([zoneWith(overflow, pavement)], 10, () => [table(300, 700), table(600, 450), person(800, 700)]));
    expect(r).toEqual({
      ruleId: "o",
      kind: "shop_overflow",
      state: "not_enough",
      detail: { beyondLine: { seen: 1, needed: 2 }, behindLine: 1, dropped: none },
    });
  });
  it("is counting on the second object's stay once enough are beyond the line", () => {
    const r = ruleOf(standAfter([zoneWith(overflow, pavement)], 20, (s) => (s < 5 ? [table(300, 700)] : [table(300, 700), table(700, 800)])));
    expect(r).toMatchObject({ state: "counting", detail: { dwellSoFarSeconds: 15, dwellSeconds: 30 } });
  });
});

describe("the zone's detections", () => {
  it("lists what is seen now with its anchor in the zone, most certain first, at most 30, boxes in fractions of the frame", () => {
    const crowd = Array.from({ length: 40 }, (_, i) => person(230 + (i % 10) * 60, 300 + Math.floor(i / 10) * 120, 0.5 + i / 100));
    const zones = standAfter([zoneWith(vending())], 2, () => [...crowd, umbrella(900, 900), person(100, 100)]);
    const seen = zones[0].detections;
    expect(seen).toHaveLength(30);
    expect(seen[0]).toEqual({ label: "person", role: "person", score: 0.89, box: [0.75, 0.56, 0.79, 0.66] });
    expect(seen.map((d) => d.score)).toEqual([...seen.map((d) => d.score)].sort((a, b) => b - a));
    expect(
      seen.every((d) => d.box[3] > 0.2 && d.box[3] <= 0.8),
      "nothing whose bottom centre is outside",
    ).toBe(true);
  });
  it("lists nothing that was not seen in the last frame (a track kept through flicker is not on the pavement now)", () => {
    const zones = standAfter([zoneWith(vending())], 6, (s) => (s < 5 ? [person(500, 600), umbrella(560, 600)] : [umbrella(560, 600)]));
    expect(zones[0].detections.map((d) => d.label)).toEqual(["umbrella"]);
  });
});

describe("no frames", () => {
  it("every zone × rule is no_frames with nothing listed, with how long (or never)", () => {
    const second = zoneSchema.parse({ id: "door", polygon: square, rules: [vending({ id: "a" }), vending({ id: "b", minPersons: 0 })] });
    const rules = new CameraRules("cam", [zoneWith(vending()), second]);
    expect(rules.activityWithoutFrames(null)).toEqual([
      { zoneId: "z", detections: [], rules: [{ ruleId: "v", kind: "street_vending", state: "no_frames", detail: { sinceSeconds: null } }] },
      {
        zoneId: "door",
        detections: [],
        rules: [
          { ruleId: "a", kind: "street_vending", state: "no_frames", detail: { sinceSeconds: null } },
          { ruleId: "b", kind: "street_vending", state: "no_frames", detail: { sinceSeconds: null } },
        ],
      },
    ]);
    expect(rules.activityWithoutFrames(42.7)[1].rules[1].detail).toEqual({ sinceSeconds: 42 });
  });
});
