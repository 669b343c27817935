import { beforeAll, describe, expect, it } from "vitest";
import type { Box } from "../../../src/contracts/roles.ts";
import { ZoneStaticDetector } from "../../../src/edge/static/zone-static-detector.ts";
import { cocoCutout, decodeFrames, pasteCutout, type Cutout } from "../../support/coco-composite.ts";
import { testdata, vtestClip } from "../../support/paths.ts";
import { applyCastShadow } from "../../../scripts/scenes/compose-scene.ts";

const FPS = 1;
// The object alone (no cast shadow): its box is compared with the truth.
const SOFT_SHADOW = 1;
const whole = (w: number, h: number): [number, number][] => [
  [0, 0],
  [w, 0],
  [w, h],
  [0, h],
];

function iou(a: Box, b: Box): number {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

let clip: { width: number; height: number; frames: Buffer[] };
let plant: Cutout;

beforeAll(async () => {
  clip = await decodeFrames(vtestClip, FPS, 768, 576);
  plant = await cocoCutout(1605647, 60, 72); // a potted plant, cut out with its COCO polygon
}, 120_000);

function runClip(frames: Buffer[], opts: { reference?: Buffer } = {}) {
  const det = new ZoneStaticDetector(whole(clip.width, clip.height));
  const original = { width: clip.width, height: clip.height };
  if (opts.reference) det.setReference({ data: opts.reference, width: clip.width, height: clip.height, original });
  return frames.map((data, k) => det.update({ data, width: clip.width, height: clip.height, original }, (k * 1000) / FPS));
}

describe("static-object detector on real footage", () => {
  it("finds a real object composited into the plaza clip within the dwell time, boxed on the truth", () => {
    const arriveSec = 30;
    const [x, y] = [520, 420];
    const frames = clip.frames.map((f, k) => {
      if (k / FPS < arriveSec) return f;
      const g = Buffer.from(f);
      pasteCutout(g, clip.width, plant, x, y, SOFT_SHADOW);
      return g;
    });
    const out = runClip(frames);
    const truth: Box = [x, y, x + plant.width, y + plant.height];
    const foundAt = out.findIndex((dets) => dets.some((d) => iou(d.box, truth) >= 0.5));
    expect(foundAt, "never found the composited object").toBeGreaterThan(0);
    const delaySec = foundAt / FPS - arriveSec;
    expect(delaySec).toBeLessThanOrEqual(15 + 8);
    expect(out.slice(0, arriveSec * FPS).flat()).toEqual([]);
  });

  it("raises nothing on people walking through the plaza", () => {
    const out = runClip(clip.frames);
    expect(out.flat()).toEqual([]);
  });

  it("raises nothing on a lighting ramp (the light halves over a minute)", () => {
    const frames = clip.frames.map((f, k) => {
      const gain = 1 - 0.5 * Math.min(1, k / FPS / 60);
      const g = Buffer.alloc(f.length);
      for (let i = 0; i < f.length; i++) g[i] = Math.round(f[i] * gain);
      return g;
    });
    expect(runClip(frames).flat()).toEqual([]);
  });

  it("with a clear-pavement reference, finds an object present from the first frame; without one, does not claim it", () => {
    const [x, y] = [150, 380];
    const reference = clip.frames[0];
    const frames = clip.frames.slice(1).map((f) => {
      const g = Buffer.from(f);
      pasteCutout(g, clip.width, plant, x, y, SOFT_SHADOW);
      return g;
    });
    const truth: Box = [x, y, x + plant.width, y + plant.height];
    const withRef = runClip(frames, { reference });
    const foundAt = withRef.findIndex((dets) => dets.some((d) => iou(d.box, truth) >= 0.5));
    expect(foundAt).toBeGreaterThanOrEqual(0);
    expect(foundAt / FPS).toBeLessThanOrEqual(15 + 8);
    const without = runClip(frames);
    expect(without.flat().filter((d) => iou(d.box, truth) > 0)).toEqual([]);
  });
});

/** A frame with a straight-edged cast shadow (see scripts/scenes/compose-scene.ts) as it stands at `t` s. */
function castShadow(frame: Buffer, width: number, y0: number, slope: number, gain: number): Buffer {
  const g = Buffer.from(frame);
  applyCastShadow(g, width, { y0, slope, gain, soft: 6, from: 0 }, 0);
  return g;
}

describe("static-object detector and cast shadows (real footage)", () => {
  // Two passes of the plaza clip: long enough for a shadow to outlast the dwell several times.
  const looped = () => [...clip.frames, ...clip.frames];

  it("raises nothing for a shadow that falls across the plaza and stays", () => {
    const frames = looped().map((f, k) => (k / FPS < 30 ? f : castShadow(f, clip.width, 330, 0.25, 0.5)));
    expect(frames.length / FPS).toBeGreaterThan(120);
    expect(runClip(frames).flat()).toEqual([]);
  });

  it("raises nothing for a shadow edge creeping across the pavement as the sun moves", () => {
    const frames = looped().map((f, k) => castShadow(f, clip.width, 420 - k * 1.5, -0.15, 0.45));
    expect(runClip(frames).flat()).toEqual([]);
  });

  it("still finds a real object that casts its own shadow", () => {
    const arriveSec = 30;
    const [x, y] = [520, 420];
    const frames = clip.frames.map((f, k) => {
      if (k / FPS < arriveSec) return f;
      const g = Buffer.from(f);
      pasteCutout(g, clip.width, plant, x, y, 0.55);
      return g;
    });
    const truth: Box = [x, y, x + plant.width, y + plant.height];
    const out = runClip(frames);
    expect(out.slice(arriveSec * FPS).some((dets) => dets.some((d) => iou(d.box, truth) >= 0.3))).toBe(true);
  });
});

describe("static-object detector on the car park clip", () => {
  it("raises nothing for a car, a cyclist and a pedestrian passing under a drifting camera, armed from the first frame by a reference", async () => {
    const fps = 2;
    const park = await decodeFrames(testdata("clips/carpark-intel.mp4"), fps, 768, 432);
    const original = { width: park.width, height: park.height };
    const det = new ZoneStaticDetector(whole(park.width, park.height));
    det.setReference({ data: park.frames[0], width: park.width, height: park.height, original });
    const raised = park.frames.slice(1).flatMap((data, k) => det.update({ data, width: park.width, height: park.height, original }, (k * 1000) / fps));
    expect(park.frames.length).toBeGreaterThan(40);
    expect(raised.map((d) => d.box.map(Math.round).join(","))).toEqual([]);
  }, 120_000);
});
