import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraConfigSchema } from "../../src/contracts/edge-config.ts";
import { readSegmentList } from "../../src/edge/evidence/segment-list.ts";
import { CameraStream, type SampledFrame } from "../../src/edge/ingest/camera-stream.ts";
import { ffmpegPath } from "../../src/shared/ffmpeg-path.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { vtestClip } from "../support/paths.ts";

/**
 * A stream the segment muxer refuses: a raw H.264 elementary stream with B-frames carries no
 * usable timestamps, so stream-copying it into Matroska segments fails ("Can't write packet with
 * unknown timestamp") while decoding it works. The edge retries the muxer with timestamps regenerated from arrival
 * time and records evidence segments, instead of watching without evidence.
 */
const log = createLogger("test", "silent");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "curbwatch-segment-fallback-"));
const raw = path.join(dir, "no-timestamps.h264");

const waitFor = async (what: string, cond: () => boolean, timeoutMs: number, detail: () => string): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

beforeAll(() => {
  execFileSync(ffmpegPath(), [
    "-v",
    "error",
    "-y",
    "-i",
    vtestClip,
    "-t",
    "8",
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-bf",
    "2",
    "-g",
    "10",
    "-f",
    "h264",
    raw,
  ]);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("segment muxer fallback", () => {
  it("a stream whose timestamps the muxer refuses is recorded with regenerated timestamps", async () => {
    const camera = cameraConfigSchema.parse({
      id: "cam-raw",
      url: raw,
      sampling: { mode: "fps", fps: 2 },
      watchdog: { stallSeconds: 20, backoffInitialSeconds: 0.2, backoffMaxSeconds: 0.5 },
    });
    const frames: SampledFrame[] = [];
    const stream: CameraStream = new CameraStream({
      camera,
      format: { width: 416, height: 416, pixFmt: "bgr24" },
      log,
      mode: "live",
      segments: { root: path.join(dir, "segments"), seconds: 1 },
      onFrame: () => {
        const f = stream.queue.take();
        if (f) frames.push(f);
      },
    });
    stream.start();
    try {
      const recorded = () => {
        const d = frames.at(-1)?.run.segmentDir;
        return d ? readSegmentList(d) : [];
      };
      await waitFor(
        "frames and evidence segments after the fallback",
        () => recorded().length >= 2,
        60_000,
        () => `recording ${stream.segmentRecording}, state ${stream.state}, error ${stream.lastError}`,
      );
      expect(stream.segmentRecording).toBe("regenerated-timestamps");
      expect(stream.evidenceLost).toBe(0);
      for (const seg of recorded()) {
        expect(fs.statSync(seg.file).size).toBeGreaterThan(0);
        expect(seg.endSec).toBeGreaterThan(seg.startSec);
      }
    } finally {
      await stream.stop();
    }
  });
});
