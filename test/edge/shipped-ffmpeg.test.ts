import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraConfigSchema, type CameraConfig } from "../../src/contracts/edge-config.ts";
import { EvidenceRecorder } from "../../src/edge/evidence/evidence-recorder.ts";
import { readSegmentList } from "../../src/edge/evidence/segment-list.ts";
import { CameraStream, type SampledFrame } from "../../src/edge/ingest/camera-stream.ts";
import type { Situation } from "../../src/edge/rules/situation.ts";
import { ffmpegMajorVersion, ffmpegPath, shippedFfmpegPath } from "../../src/shared/ffmpeg-path.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { vtestClip } from "../support/paths.ts";
import { freePort } from "../support/process.ts";
import { startRtspFeeder, stopChild } from "../support/rtsp-feeder.ts";
import { RtspRelayServer } from "../support/rtsp-server.ts";

/**
 * The ffmpeg shipped by npm (@ffmpeg-installer/ffmpeg) runs the edge's real ingest and segment
 * arguments — RTSP over TCP with a socket timeout, keyframe skipping or sampling, scaling to the
 * detector input, stream-copied segments with their list — on a real RTSP stream, and the
 * evidence cut from those segments. Forced here even where a system ffmpeg exists.
 */
const shipped = shippedFfmpegPath();
process.env.FFMPEG_PATH = shipped;
const log = createLogger("test", (process.env.TEST_EDGE_LOG_LEVEL ?? "silent") as "silent");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "curbwatch-shipped-ffmpeg-"));

const waitFor = async (what: string, cond: () => boolean, timeoutMs: number, detail: () => string = () => ""): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe("the npm-shipped ffmpeg runs the edge's ingest and segment arguments", () => {
  let rtsp: RtspRelayServer;
  let feeder: ChildProcess;

  beforeAll(async () => {
    rtsp = new RtspRelayServer(await freePort());
    await rtsp.start();
    feeder = startRtspFeeder(vtestClip, rtsp.url("plaza"), { gopFrames: 10 });
    await waitFor("the feeder to publish", () => rtsp.publishing.includes("plaza"), 30_000);
  }, 60_000);

  afterAll(async () => {
    await stopChild(feeder);
    await rtsp?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is the ffmpeg the edge uses here", () => {
    expect(fs.existsSync(shipped)).toBe(true);
    expect(ffmpegPath()).toBe(shipped);
    expect(ffmpegMajorVersion(shipped)).toBeGreaterThanOrEqual(4);
  });

  for (const sampling of [{ mode: "keyframes" }, { mode: "fps", fps: 2 }] as const) {
    it(`pulls RTSP/TCP, samples (${sampling.mode}), scales and records segments; a clip and a snapshot cut from them`, async () => {
      const camera: CameraConfig = cameraConfigSchema.parse({
        id: `shipped-${sampling.mode}`,
        url: rtsp.url("plaza"),
        sampling,
        watchdog: { stallSeconds: 20, backoffInitialSeconds: 1, backoffMaxSeconds: 2 },
      });
      const frames: SampledFrame[] = [];
      const root = path.join(dir, sampling.mode);
      const stream: CameraStream = new CameraStream({
        camera,
        format: { width: 416, height: 416, pixFmt: "bgr24" },
        log,
        mode: "live",
        segments: { root, seconds: 1 },
        onFrame: () => {
          const f = stream.queue.take();
          if (f) frames.push(f);
        },
      });
      stream.start();
      try {
        const segmentDir = () => frames[0]?.run.segmentDir;
        await waitFor(
          "frames and closed segments",
          () => frames.length >= 3 && !!segmentDir() && readSegmentList(segmentDir()!).length >= 3,
          60_000,
          () => `state ${stream.state}, error ${stream.lastError}`,
        );
        expect(stream.state).toBe("streaming");
        for (const f of frames) {
          expect(f.data.length).toBe(416 * 416 * 3);
          expect(f.original).toEqual({ width: 768, height: 576 });
        }
        // Sampled at the configured pace: pts advance (keyframes every 1 s here, or 2/s).
        expect(frames.at(-1)!.ptsSec).toBeGreaterThan(frames[0].ptsSec);

        const segs = readSegmentList(segmentDir()!);
        const recorder = new EvidenceRecorder(path.join(dir, `spool-${sampling.mode}`), log, { preSeconds: 0, postSeconds: 0, maxSeconds: 10 });
        const situation = {
          candidateId: "shipped-ffmpeg",
          zone: {
            id: "z",
            polygon: [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 1],
            ],
            rules: [],
          },
          rule: { kind: "street_vending" },
          objects: [],
        } as unknown as Situation;
        const cut = await recorder.clipSpan(situation, segmentDir()!, segs[0].startSec, segs.at(-1)!.endSec, 10_000);
        expect(cut, "a clip joined from the segments").not.toBeNull();
        expect(fs.statSync(cut!.clip.file).size).toBe(cut!.clip.bytes);
        const frame = frames.find((f) => f.ptsSec < segs.at(-1)!.endSec)!;
        const snaps = await recorder.snapshots(
          {
            tMs: frame.tMs,
            runId: frame.run.runId,
            ptsSec: frame.ptsSec,
            segmentDir: segmentDir(),
            videoSec: frame.videoSec,
            original: frame.original,
            receivedAtMs: frame.receivedAtMs,
          },
          situation,
          "start",
        );
        expect(snaps.map((s) => s.kind)).toEqual(["snapshot_start", "snapshot_start_annotated"]);
        expect(fs.readFileSync(snaps[0].file).subarray(0, 2).toString("hex")).toBe("ffd8");
      } finally {
        await stream.stop();
      }
    });
  }
});
