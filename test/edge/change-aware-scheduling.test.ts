import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraConfigSchema } from "../../src/contracts/edge-config.ts";
import { getDetector, releaseDetectors } from "../../src/detector/index.ts";
import { DetectionScheduler } from "../../src/edge/detect/detection-scheduler.ts";
import { CameraPipeline, type SampleDecision } from "../../src/edge/pipeline/camera-pipeline.ts";
import { ffmpegPath } from "../../src/shared/ffmpeg-path.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { repoRoot, vtestClip } from "../support/paths.ts";

/**
 * Change-aware scheduling on real footage through the real pipeline (ffmpeg ingest, NanoDet):
 * a clip whose first 8 s are one frame of vtest.avi held still (a static scene, people standing
 * in it), then the plaza 6 s later, when the people have walked on. Samples at 2/s, a full scan
 * every 3 s: the still part is detected only on full scans, the first sample after people moved
 * is detected.
 */
const log = createLogger("test", "silent");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "curbwatch-change-"));
const clip = path.join(dir, "still-then-moving.mp4");
const STILL_SECONDS = 8;
const FULL_SCAN_SECONDS = 3;

interface Sample {
  videoSec: number;
  decision: SampleDecision;
}

async function run(skipUnchanged: boolean): Promise<Sample[]> {
  const camera = cameraConfigSchema.parse({
    id: "cam-change",
    url: clip,
    sampling: { mode: "fps", fps: 2 },
    fullScanSeconds: FULL_SCAN_SECONDS,
    zones: [
      {
        id: "plaza",
        polygon: [
          [0, 0.15],
          [1, 0.15],
          [1, 1],
          [0, 1],
        ],
        rules: [{ id: "vending", kind: "street_vending", eventCode: { major: "05", minor: "01" }, minGear: 0 }],
      },
    ],
  });
  const detector = await getDetector("nanodet", { modelsDir: path.join(repoRoot, "models"), threads: 1 });
  const scheduler = new DetectionScheduler(log);
  const samples: Sample[] = [];
  await new Promise<void>((resolve, reject) => {
    const pipeline: CameraPipeline = new CameraPipeline({
      camera,
      detector,
      log,
      mode: "replay",
      mediaEpochMs: 0,
      skipUnchanged,
      onEvents: () => {},
      onFrameReady: () => scheduler.wake(),
      onSample: (frame, decision) => samples.push({ videoSec: frame.videoSec, decision }),
      onEnded: (failure) => {
        if (failure) return reject(new Error(failure));
        const done = setInterval(() => {
          if (pipeline.stream.queue.size === 0 && pipeline.idle) {
            clearInterval(done);
            scheduler.remove(pipeline);
            void pipeline.stop().then(() => resolve());
          }
        }, 20);
      },
    });
    scheduler.add(pipeline);
    pipeline.start();
  });
  return samples;
}

beforeAll(() => {
  // One real frame held for STILL_SECONDS, then the real clip from 6 s on (people have walked on), 10 fps.
  execFileSync(ffmpegPath(), [
    "-v",
    "error",
    "-y",
    "-i",
    vtestClip,
    "-i",
    vtestClip,
    "-filter_complex",
    `[0:v]trim=start_frame=0:end_frame=1,loop=loop=${STILL_SECONDS * 10 - 1}:size=1:start=0,setpts=N/10/TB[still];[1:v]trim=start=6:end=10,setpts=PTS-STARTPTS[moving];[still][moving]concat=n=2:v=1[out]`,
    "-map",
    "[out]",
    "-r",
    "10",
    "-c:v",
    "libx264",
    "-preset",
    "veryfast",
    "-g",
    "20",
    "-pix_fmt",
    "yuv420p",
    clip,
  ]);
}, 60_000);

afterAll(async () => {
  await releaseDetectors();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("change-aware scheduling (real footage, real detector)", () => {
  it("a static scene is detected only on full scans; the first sample after people move is detected", async () => {
    const samples = await run(true);
    const still = samples.filter((s) => s.videoSec < STILL_SECONDS - 0.01);
    const moving = samples.filter((s) => s.videoSec >= STILL_SECONDS - 0.01);
    expect(still.length, "the still part is sampled at 2/s").toBeGreaterThanOrEqual(STILL_SECONDS * 2 - 1);
    const detectedStill = still.filter((s) => s.decision === "detected").map((s) => s.videoSec);
    // The first sample, then one full scan every FULL_SCAN_SECONDS of video: 0, 3, 6.
    expect(detectedStill, `detected in the still part at ${detectedStill.join(", ")}`).toHaveLength(Math.floor((STILL_SECONDS - 0.5) / FULL_SCAN_SECONDS) + 1);
    for (let i = 1; i < detectedStill.length; i++) expect(detectedStill[i] - detectedStill[i - 1]).toBeGreaterThanOrEqual(FULL_SCAN_SECONDS - 0.01);
    expect(moving.length).toBeGreaterThan(0);
    expect(moving[0].decision, `first sample after the change (at ${moving[0].videoSec} s)`).toBe("detected");
  });

  it("without it every sample is detected (replay's default)", async () => {
    const samples = await run(false);
    expect(samples.length).toBeGreaterThanOrEqual(STILL_SECONDS * 2);
    expect(samples.every((s) => s.decision === "detected")).toBe(true);
  });
});
