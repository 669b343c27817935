import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { cameraConfigSchema } from "../../src/contracts/edge-config.ts";
import { getDetector, releaseDetectors } from "../../src/detector/index.ts";
import { ZoneFocus } from "../../src/edge/detect/zone-focus.ts";
import { CameraHealthMeter } from "../../src/edge/health/camera-health.ts";
import type { SampledFrame } from "../../src/edge/ingest/camera-stream.ts";
import { fitFilters, type FrameFormat } from "../../src/edge/ingest/ffmpeg-args.ts";
import { CameraPipeline } from "../../src/edge/pipeline/camera-pipeline.ts";
import { ffmpegPath } from "../../src/shared/ffmpeg-path.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { repoRoot, testdata } from "../support/paths.ts";

const run = promisify(execFile);
const still = testdata("streetcam/muenster-shot0001.jpg");
const original = { width: 1280, height: 720 };

async function edgeFrame(format: FrameFormat): Promise<Buffer> {
  const { stdout } = await run(
    ffmpegPath(),
    ["-loglevel", "error", "-i", still, "-vf", fitFilters(format).join(","), "-frames:v", "1", "-pix_fmt", format.pixFmt, "-f", "rawvideo", "-"],
    { encoding: "buffer", maxBuffer: 64 << 20 },
  );
  return stdout;
}

/** The camera pipeline, fed one working frame per second of camera time through its own queue, without ffmpeg streaming. */
async function runSamples(zonePolygon: [number, number][], zoneFocus: Record<string, unknown>, samples: number) {
  const camera = cameraConfigSchema.parse({
    id: "prinzipalmarkt",
    url: still,
    zoneFocus,
    zones: [
      {
        id: "shopfronts",
        polygon: zonePolygon,
        rules: [
          {
            id: "overflow",
            kind: "shop_overflow",
            eventCode: { major: "05", minor: "02" },
            shopId: "s",
            frontLine: [
              [0, 0.3],
              [1, 0.3],
            ],
            streetSidePoint: [0.5, 0.9],
          },
        ],
      },
    ],
  });
  const detector = await getDetector("nanodet", { modelsDir: `${repoRoot}/models`, threads: 1 });
  const pipeline = new CameraPipeline({ camera, detector, log: createLogger("test", "warn"), mode: "replay", onEvents: () => {}, onFrameReady: () => {} });
  const focus = pipeline.zoneFocus;
  if (!focus) throw new Error("a camera with zones detects zone-focused by default");
  const format = focus.frameFormat();
  const data = await edgeFrame(format);
  const health = new CameraHealthMeter(pipeline);
  const perSample: number[] = [];
  for (let i = 0; i < samples; i++) {
    const frame: SampledFrame = {
      cameraId: camera.id,
      run: { runId: 1, epochMs: 0 },
      ptsSec: i,
      tMs: i * 1000,
      videoSec: i,
      receivedAtMs: Date.now(),
      data,
      width: format.width,
      height: format.height,
      format: format.pixFmt,
      original,
    };
    pipeline.stream.queue.push(frame);
    await pipeline.processNext();
    perSample.push(focus.lastInferences);
  }
  return { pipeline, focus, perSample, health: health.report("edge-1", 0) };
}

afterAll(releaseDetectors);

describe("zone focus in the camera pipeline", () => {
  // The bicycle racks and shop fronts of the Münster still: 640×160 px of 1280×720.
  const kerb: [number, number][] = [
    [0.25, 0.347],
    [0.75, 0.347],
    [0.75, 0.569],
    [0.25, 0.569],
  ];

  it("keeps every sample within the budget, runs the whole frame every fullFrameSeconds, and health shows both", { timeout: 120_000 }, async () => {
    const { pipeline, focus, perSample, health } = await runSamples(kerb, {}, 21);
    expect(Math.max(...perSample)).toBeLessThanOrEqual(2);
    // Samples 0, 10 and 20 carry the whole-frame pass (1 tile + whole frame); the others 2 tiles.
    expect(focus.wholeFramePasses).toBe(3);
    expect(perSample.every((n) => n === 2)).toBe(true);
    expect(health.inferencesPerSample).toBe(2);
    expect(health.inferenceBudget).toBe(2);
    // The parked bicycles reach the tracker, in original pixels inside the kerb region.
    const bikes = pipeline.tracker.all.filter((t) => t.role === "vehicle" && t.seenNow);
    expect(bikes.length).toBeGreaterThanOrEqual(3);
    for (const t of bikes) expect(t.box[2]).toBeLessThanOrEqual(original.width);
  });

  it("with a budget of one, the whole-frame sample has no zone tiles", { timeout: 120_000 }, async () => {
    const { focus, perSample, health } = await runSamples(kerb, { maxInferencesPerSample: 1, fullFrameSeconds: 5 }, 11);
    expect(perSample.every((n) => n === 1)).toBe(true);
    expect(focus.wholeFramePasses).toBe(3);
    expect(health.inferencesPerSample).toBe(1);
    expect(health.inferenceBudget).toBe(1);
  });

  it("a zone over the whole frame needs no separate whole-frame pass", { timeout: 120_000 }, async () => {
    const { focus, perSample } = await runSamples(
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ],
      {},
      12,
    );
    expect(focus.wholeFramePasses).toBe(0);
    expect(perSample.every((n) => n === 2)).toBe(true);
  });

  it("a zone moved in place re-plans the tiles over its new region", async () => {
    const detector = await getDetector("nanodet", { modelsDir: `${repoRoot}/models`, threads: 1 });
    const zone = (polygon: [number, number][]) => ({
      id: "z",
      polygon,
      rules: [
        {
          id: "r",
          kind: "shop_overflow",
          eventCode: { major: "05", minor: "02" },
          shopId: "s",
          frontLine: [
            [0, 0.3],
            [1, 0.3],
          ],
          streetSidePoint: [0.5, 0.9],
        },
      ],
    });
    const camera = cameraConfigSchema.parse({
      id: "c",
      url: still,
      zoneFocus: { margin: 0 },
      zones: [
        zone([
          [0.1, 0.1],
          [0.2, 0.1],
          [0.2, 0.2],
        ]),
      ],
    });
    const focus = ZoneFocus.forCamera(camera, detector)!;
    const canvas = focus.frameFormat();
    // 128×72 px at (128, 72): one native 416×416 tile centred on it, pushed inside the frame.
    expect(focus.plansFor(original, canvas).zone.tiles.map((t) => t.crop)).toEqual([{ x: 0, y: 0, width: 416, height: 416 }]);
    focus.setZones(
      cameraConfigSchema.parse({
        ...camera,
        zones: [
          zone([
            [0.7, 0.6],
            [0.8, 0.6],
            [0.8, 0.7],
          ]),
        ],
      }).zones,
    );
    // Now 128×72 at (896, 432): centre (960, 468) − 208 = (752, 260).
    expect(focus.plansFor(original, canvas).zone.tiles.map((t) => t.crop)).toEqual([{ x: 752, y: 260, width: 416, height: 416 }]);
    expect(() => focus.setZones([])).toThrow(/at least one zone/);
  });
});
