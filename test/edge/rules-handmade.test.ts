import { describe, expect, it } from "vitest";
import { zoneSchema, type Zone } from "../../src/contracts/edge-config.ts";
import type { Detection } from "../../src/contracts/roles.ts";
import { CameraRules } from "../../src/edge/rules/camera-rules.ts";
import { isArmed } from "../../src/edge/rules/arming-schedule.ts";
import type { FrameRef, SituationEvent } from "../../src/edge/rules/situation.ts";
import { ObjectTracker } from "../../src/edge/track/object-tracker.ts";

/** Hand-made scenes: detections frame by frame through the real tracker and rules. */
const W = 1000;
const H = 1000;
const geom = { original: { width: W, height: H }, input: { width: 416, height: 416 } };
const person = (x: number, y: number, score = 0.8): Detection => ({ label: "person", role: "person", score, box: [x - 20, y - 100, x + 20, y] });
const umbrella = (x: number, y: number, score = 0.7): Detection => ({ label: "umbrella", role: "vending_gear", score, box: [x - 40, y - 60, x + 40, y] });
const table = (x: number, y: number, score = 0.7): Detection => ({ label: "dining table", role: "furniture", score, box: [x - 50, y - 40, x + 50, y] });

function zone(z: unknown): Zone {
  return zoneSchema.parse(z);
}

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
  dwellSeconds: 10,
  minGear: 0,
  endAfterSeconds: 5,
  cooldownSeconds: 0,
  ...extra,
});

/** Runs frames at `fps` starting at `t0`; `scene(i, tMs)` gives the detections of frame i. */
function run(zones: Zone[], seconds: number, scene: (i: number, tMs: number) => Detection[], opts: { fps?: number; t0?: number } = {}) {
  const fps = opts.fps ?? 2;
  const t0 = opts.t0 ?? Date.UTC(2026, 10, 16, 1, 0, 0); // Monday 09:00 Asia/Shanghai
  const tracker = new ObjectTracker();
  const rules = new CameraRules("cam", zones);
  const events: (SituationEvent & { atSec: number })[] = [];
  for (let i = 0; i <= seconds * fps; i++) {
    const tMs = t0 + (i * 1000) / fps;
    const tracks = tracker.update(scene(i, tMs), tMs);
    const frame: FrameRef = { tMs, runId: 1, ptsSec: i / fps, videoSec: i / fps, original: geom.original, receivedAtMs: tMs };
    for (const ev of rules.evaluate(tracks, geom, frame)) events.push({ ...ev, atSec: i / fps });
  }
  return { events, rules };
}

const phases = (evs: SituationEvent[]) => evs.map((e) => e.phase).filter((p) => p !== "update");
const ids = (evs: SituationEvent[]) => new Set(evs.map((e) => e.situation.candidateId));

describe("dwell", () => {
  it("starts a candidate when a person has stood in the zone for the dwell time, not before", () => {
    const { events } = run([zone({ id: "z", polygon: square, rules: [vending()] })], 30, (_i, t) =>
      t - Date.UTC(2026, 10, 16, 1) < 20_000 ? [person(500, 600)] : [],
    );
    const start = events.find((e) => e.phase === "start")!;
    expect(start, "a person standing 20 s with dwell 10 s must raise a candidate").toBeDefined();
    expect(start.atSec).toBe(10);
    expect(start.situation.videoStartSec).toBe(0);
    expect(phases(events)).toEqual(["start", "end"]);
  });

  it("never raises a candidate for a person walking through the zone", () => {
    const { events } = run([zone({ id: "z", polygon: square, rules: [vending({ dwellSeconds: 5 })] })], 30, (i) => [person(210 + i * 10, 600)]);
    expect(events).toEqual([]);
  });

  it("street vending with minGear 1 needs gear near the person", () => {
    const z = [zone({ id: "z", polygon: square, rules: [vending({ minGear: 1, dwellSeconds: 5 })] })];
    const near = run(z, 15, () => [person(500, 600), umbrella(560, 600)]);
    expect(phases(near.events)).toContain("start");
    expect(near.events[0].situation.objects.map((o) => o.role).sort()).toEqual(["person", "vending_gear"]);
    const far = run(z, 15, () => [person(300, 600), umbrella(700, 600)]);
    expect(far.events, "an umbrella 4 person-heights away is not the person's stall").toEqual([]);
  });
});

describe("anchor point", () => {
  // The box's bottom centre is in the zone (y 0.7), its centre is not (zone ends at 0.65 from the top).
  const topEdge = [
    [0.2, 0.65],
    [0.8, 0.65],
    [0.8, 0.9],
    [0.2, 0.9],
  ];
  const scene = () => [person(500, 700)];
  it("bottom_center (the default) counts a person standing on the zone", () => {
    const { events } = run([zone({ id: "z", polygon: topEdge, rules: [vending({ dwellSeconds: 3 })] })], 8, scene);
    expect(phases(events)).toContain("start");
  });
  it("center does not count the same person, whose body centre is outside", () => {
    const { events } = run([zone({ id: "z", polygon: topEdge, rules: [vending({ dwellSeconds: 3, anchor: "center" })] })], 8, scene);
    expect(events).toEqual([]);
  });
});

describe("arming schedule", () => {
  const rule = vending({ dwellSeconds: 3, schedule: [{ days: ["mon"], from: "08:00", to: "10:00" }], timezone: "Asia/Shanghai" });
  const schedule = [{ days: ["mon" as const], from: "08:00", to: "10:00" }];
  it("is armed Monday 09:00 in Shanghai and not on Tuesday or at 10:00", () => {
    expect(isArmed(schedule, "Asia/Shanghai", Date.UTC(2026, 10, 16, 1, 0))).toBe(true);
    expect(isArmed(schedule, "Asia/Shanghai", Date.UTC(2026, 10, 17, 1, 0))).toBe(false);
    expect(isArmed(schedule, "Asia/Shanghai", Date.UTC(2026, 10, 16, 2, 0))).toBe(false);
  });
  it("raises nothing outside the schedule", () => {
    const { events, rules } = run([zone({ id: "z", polygon: square, rules: [rule] })], 10, () => [person(500, 600)], { t0: Date.UTC(2026, 10, 17, 1, 0) });
    expect(events).toEqual([]);
    expect(rules.openSituations()).toEqual([]);
  });
  it("raises inside the schedule", () => {
    const { events } = run([zone({ id: "z", polygon: square, rules: [rule] })], 10, () => [person(500, 600)]);
    expect(phases(events)).toEqual(["start"]);
  });
});

describe("cooldown", () => {
  // Stands 8 s, leaves for 7 s, back for 8 s, leaves, back again at 40 s.
  const present = (s: number) => s < 8 || (s >= 15 && s < 23) || s >= 40;
  const scene = (_i: number, t: number) => (present((t - Date.UTC(2026, 10, 16, 1)) / 1000) ? [person(500, 600)] : []);
  it("suppresses a new candidate for the same zone and rule within the cooldown", () => {
    const { events } = run([zone({ id: "z", polygon: square, rules: [vending({ dwellSeconds: 3, endAfterSeconds: 3, cooldownSeconds: 20 })] })], 50, scene);
    const starts = events.filter((e) => e.phase === "start");
    expect(
      starts.map((e) => e.atSec),
      "the return at 15 s falls in the cooldown (ends 7.5 s + 20 s); the one at 40 s does not",
    ).toEqual([3, 43]);
  });
  it("without cooldown each return is a new situation with a new id", () => {
    const { events } = run([zone({ id: "z", polygon: square, rules: [vending({ dwellSeconds: 3, endAfterSeconds: 3 })] })], 50, scene);
    expect(events.filter((e) => e.phase === "start")).toHaveLength(3);
    expect(ids(events).size).toBe(3);
  });
});

describe("shop front line", () => {
  // Shop fronts run along y = 0.5; the street is below it (larger y).
  const shopZone = zone({
    id: "pavement",
    polygon: [
      [0.0, 0.3],
      [1.0, 0.3],
      [1.0, 1.0],
      [0.0, 1.0],
    ],
    rules: [
      {
        id: "overflow",
        kind: "shop_overflow",
        eventCode: { major: "05", minor: "04" },
        shopId: "shop-17",
        frontLine: [
          [0, 0.5],
          [0.5, 0.52],
          [1, 0.5],
        ],
        streetSidePoint: [0.5, 0.9],
        dwellSeconds: 5,
        endAfterSeconds: 5,
        cooldownSeconds: 0,
      },
    ],
  });
  it("raises shop overflow, naming the shop, for a table on the street side", () => {
    const { events } = run([shopZone], 12, () => [table(400, 700)]);
    const start = events.find((e) => e.phase === "start");
    expect(start?.situation.rule.kind).toBe("shop_overflow");
    expect(start?.situation.rule.kind === "shop_overflow" && start.situation.rule.shopId).toBe("shop-17");
  });
  it("ignores the same table inside the shop line", () => {
    const { events } = run([shopZone], 12, () => [table(400, 450)]);
    expect(events).toEqual([]);
  });
  it("ignores a person (not goods) beyond the line", () => {
    const { events } = run([shopZone], 12, () => [person(400, 700)]);
    expect(events).toEqual([]);
  });
});

describe("flicker", () => {
  it("a stall whose detections drop out and dip in score stays one candidate with one id", () => {
    // Missing in 3 of every 7 frames, every 5th detection at a low score, small jitter.
    const scene = (i: number) => {
      if (i > 200) return []; // the stall packs up at 100 s
      if (i % 7 === 2 || i % 7 === 3 || i % 7 === 5) return [];
      const jitter = (i % 3) - 1;
      return [person(500 + jitter * 3, 600 + jitter * 2, i % 5 === 0 ? 0.25 : 0.8), umbrella(560 - jitter * 2, 600, i % 5 === 0 ? 0.2 : 0.7)];
    };
    const { events } = run([zone({ id: "z", polygon: square, rules: [vending({ minGear: 1, dwellSeconds: 10, endAfterSeconds: 5 })] })], 120, scene);
    expect(ids(events).size, "flicker must not mint a new candidate id").toBe(1);
    expect(phases(events)).toEqual(["start", "end"]);
    const trackIds = new Set(events.flatMap((e) => e.situation.objects.map((o) => o.trackId)));
    expect(trackIds.size, "the tracker keeps the person and the umbrella on their ids").toBe(2);
  });
});
