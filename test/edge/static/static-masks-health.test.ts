import { describe, expect, it } from "vitest";
import { cameraHealthSchema, decodeStaticCells, type CameraConfig } from "../../../src/contracts/index.ts";
import { CameraStaticObjects } from "../../../src/edge/static/camera-static-objects.ts";
import { CameraHealthMeter } from "../../../src/edge/health/camera-health.ts";
import type { CameraPipeline } from "../../../src/edge/pipeline/camera-pipeline.ts";

const W = 320;
const H = 180;

const lcg = (seed: number) => {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 8) / 0x1000000;
};
const blockRnd = lcg(7);
const blocks = Array.from({ length: (W / 4) * (H / 4) }, () => 60 + Math.floor(blockRnd() * 140));

/** A textured pavement (4 px blocks of fixed random grey) with a little sensor noise of frame `k`. */
function pavement(k: number): Uint8Array {
  const rnd = lcg(1000 + k);
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const v = blocks[(y >> 2) * (W / 4) + (x >> 2)] + Math.floor(rnd() * 5) - 2;
      rgb.set([v, v, v], (y * W + x) * 3);
    }
  return rgb;
}

/** A crate of bright and dark stripes standing at [x1, y1, x2, y2] (pixels). */
function withCrate(frame: Uint8Array, [x1, y1, x2, y2]: number[]): Uint8Array {
  const out = Uint8Array.from(frame);
  for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) out.fill(((x - x1) >> 2) % 2 ? 235 : 25, (y * W + x) * 3, (y * W + x) * 3 + 3);
  return out;
}

const rule = { id: "r", kind: "street_vending", eventCode: { major: "05", minor: "01" } } as const;
const zones = [
  {
    id: "kerb",
    name: "",
    polygon: [
      [0.05, 0.5],
      [0.5, 0.5],
      [0.5, 0.95],
      [0.05, 0.95],
    ],
    rules: [rule],
  },
  {
    id: "corner",
    name: "",
    polygon: [
      [0.6, 0.1],
      [0.95, 0.1],
      [0.95, 0.4],
    ],
    rules: [rule],
  },
] as unknown as CameraConfig["zones"];

describe("static-object masks in camera health", () => {
  it("reports every zone's mask, empty ones included, in a form the contract accepts and the console decodes", () => {
    const statics = new CameraStaticObjects();
    const camera = { id: "cam-m", zones } as unknown as CameraConfig;
    // Only what the meter reads of a pipeline: a stream at rest, no zone focus, the static objects.
    const pipeline = {
      camera,
      staticObjects: statics,
      zoneFocus: null,
      framesDetected: 0,
      framesSkipped: 0,
      silenceNote: null,
      zoneActivity: () => ({ at: new Date().toISOString(), zones: [] }),
      stream: {
        state: "streaming",
        framesSampled: 0,
        mediaSecondsRead: 0,
        nominalInputFps: 25,
        evidenceLost: 0,
        queue: { dropped: 0 },
        lastFrameAt: null,
        restarts: 0,
        restartsLastHour: () => 0,
        lastError: null,
      },
    } as unknown as CameraPipeline;
    const meter = new CameraHealthMeter(pipeline);
    expect(meter.report("edge-m", 0).staticMasks, "nothing before the first frame").toBeUndefined();

    const crate = [60, 120, 110, 165];
    for (let sec = 0; sec < 60; sec++) {
      const data = sec < 25 ? pavement(sec) : withCrate(pavement(sec), crate);
      statics.update(zones, { data, width: W, height: H, original: { width: W, height: H } }, sec * 1000, []);
    }

    const health = cameraHealthSchema.parse(JSON.parse(JSON.stringify(meter.report("edge-m", 0))));
    const masks = health.staticMasks!;
    expect(Date.parse(masks.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(masks.zones.map((z) => z.zoneId)).toEqual(["kerb", "corner"]);
    const [kerb, corner] = masks.zones;
    expect(kerb.region).toEqual([0.05, 0.5, 0.5, 0.95]);
    expect(Math.max(kerb.width, kerb.height)).toBe(160);

    const kerbCells = decodeStaticCells(kerb.cells, kerb.width, kerb.height);
    expect(kerbCells).toEqual(statics.masks()[0].cells);
    const standing = [...kerbCells.keys()].filter((i) => kerbCells[i]);
    expect(standing.length, "the crate's cells are static").toBeGreaterThan(50);
    // Every static cell lies on the crate, give or take the structure code's reach (2 cells) and rounding.
    const [rx1, ry1, rx2, ry2] = kerb.region.map((v, i) => v * (i % 2 ? H : W));
    const cw = (rx2 - rx1) / kerb.width;
    const ch = (ry2 - ry1) / kerb.height;
    for (const i of standing) {
      const x = rx1 + ((i % kerb.width) + 0.5) * cw;
      const y = ry1 + (Math.floor(i / kerb.width) + 0.5) * ch;
      expect(x > crate[0] - 4 * cw && x < crate[2] + 4 * cw && y > crate[1] - 4 * ch && y < crate[3] + 4 * ch, `cell ${i} at ${x},${y}`).toBe(true);
    }
    expect(
      decodeStaticCells(corner.cells, corner.width, corner.height).every((c) => c === 0),
      "nothing stands in the corner",
    ).toBe(true);

    // A zone removed from the config is not reported, even before the next frame drops its detector.
    (camera as { zones: CameraConfig["zones"] }).zones = [zones[1]];
    expect(meter.report("edge-m", 0).staticMasks!.zones.map((z) => z.zoneId)).toEqual(["corner"]);
  });
});
