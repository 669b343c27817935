import { execFileSync, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.ts";
import { cameraHealthSchema, candidateEventSchema, topics, type CameraHealth, type CandidateEvent } from "../../src/contracts/index.ts";
import { releaseDetectors } from "../../src/detector/index.ts";
import { startEdgeWorker, type RunningEdge } from "../../src/edge/worker.ts";
import { ffmpegPath } from "../../src/shared/ffmpeg-path.ts";
import { EvidenceReceiver } from "../support/evidence-receiver.ts";
import { repoRoot, vtestClip } from "../support/paths.ts";
import { freePort } from "../support/process.ts";
import { startRtspFeeder, stopChild } from "../support/rtsp-feeder.ts";
import { RtspRelayServer } from "../support/rtsp-server.ts";
import { MOSQUITTO_URL, mosquittoAvailable } from "../support/services.ts";

/**
 * Situations end and clip the way an officer expects, on real parts: a real frame of vtest.avi
 * with people standing in it, held still and published over RTSP by ffmpeg (H.264), watched by
 * the edge (real ffmpeg ingest and segments, real NanoDet), candidates over Mosquitto, evidence
 * over HTTP to a receiver that checks every sha256. The situation outlives several maximum clip
 * lengths, then the camera stops sending frames.
 */
const edgeId = `sit-${process.pid}`;
const cameraId = `sitcam-${process.pid}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "curbwatch-situation-"));
const MAX_CLIP_SECONDS = 4;
const END_AFTER_SECONDS = 4;
const CLIPS_BEFORE_STOP = 3;

const waitFor = async <T>(what: string, find: () => T | undefined | false, timeoutMs: number, detail: () => string = () => ""): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = find();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

/** Duration of a media file as ffmpeg reads it (the static ffmpeg ships without ffprobe). */
function durationSec(file: string): number {
  const out = spawnSync(ffmpegPath(), ["-hide_banner", "-i", file], { encoding: "utf8" }).stderr;
  const m = /Duration: (\d+):(\d+):([\d.]+)/.exec(out);
  if (!m) throw new Error(`no duration in ffmpeg's reading of ${file}: ${out.slice(-300)}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

describe.runIf(mosquittoAvailable())("situations: clips cover them, a silent camera ends them", () => {
  let rtsp: RtspRelayServer;
  let feeder: ChildProcess | null = null;
  let receiver: EvidenceReceiver;
  let sub: MqttClient;
  let edge: RunningEdge;
  const messages: CandidateEvent[] = [];
  const health: CameraHealth[] = [];

  const latestOf = (id: string) => messages.filter((m) => m.candidateId === id).sort((a, b) => b.seq - a.seq)[0];
  const clipsOf = (m: CandidateEvent) => m.evidence.filter((e) => e.kind === "clip");

  beforeAll(async () => {
    const still = path.join(dir, "standing-still.mp4");
    // One real frame (people standing in the plaza), held for 10 s at 10 fps; the feeder loops it.
    execFileSync(ffmpegPath(), [
      "-v",
      "error",
      "-y",
      "-i",
      vtestClip,
      "-vf",
      "trim=start_frame=0:end_frame=1,loop=loop=99:size=1:start=0,setpts=N/10/TB",
      "-r",
      "10",
      "-c:v",
      "libx264",
      "-preset",
      "veryfast",
      "-pix_fmt",
      "yuv420p",
      still,
    ]);
    rtsp = new RtspRelayServer(await freePort());
    await rtsp.start();
    feeder = startRtspFeeder(still, rtsp.url("still"), { gopFrames: 10 });
    await waitFor("the feeder to publish", () => rtsp.publishing.includes("still"), 30_000);

    receiver = new EvidenceReceiver();
    const backendUrl = await receiver.start();
    sub = await mqtt.connectAsync(MOSQUITTO_URL, { clientId: `sit-sub-${process.pid}` });
    sub.on("message", (topic, payload) => {
      if (!payload.length) return;
      const body = JSON.parse(payload.toString());
      if (topic === topics.cameraHealth(cameraId)) health.push(cameraHealthSchema.parse(body));
      else messages.push(candidateEventSchema.parse(body));
    });
    await sub.subscribeAsync([topics.cameraCandidate(cameraId), topics.cameraHealth(cameraId)], { qos: 1 });

    const config = configSchema.parse({ dataDir: dir, edge: { id: edgeId, modelsDir: path.join(repoRoot, "models"), detectorThreads: 1, backendUrl } });
    edge = await startEdgeWorker(config, pino({ level: process.env.TEST_EDGE_LOG_LEVEL ?? "silent" }), {
      brokerUrl: MOSQUITTO_URL,
      healthIntervalMs: 1000,
      segmentSeconds: 1,
      clipWindow: { preSeconds: 2, postSeconds: 1, maxSeconds: MAX_CLIP_SECONDS },
    });
    const rule = {
      id: "vending",
      kind: "street_vending",
      eventCode: { major: "05", minor: "01" },
      minPersons: 1,
      minGear: 0,
      dwellSeconds: 2,
      stationaryTolerance: 0.35,
      endAfterSeconds: END_AFTER_SECONDS,
      cooldownSeconds: 600,
    };
    const reason = await edge.applyConfig(
      {
        schema: "curbwatch.edge-config/v1",
        revision: 1,
        cameras: [
          {
            id: cameraId,
            url: rtsp.url("still"),
            sampling: { mode: "fps", fps: 2 },
            fullScanSeconds: 2,
            watchdog: { stallSeconds: 30, backoffInitialSeconds: 1, backoffMaxSeconds: 2 },
            zones: [
              {
                id: "plaza",
                polygon: [
                  [0, 0],
                  [1, 0],
                  [1, 1],
                  [0, 1],
                ],
                rules: [rule],
              },
            ],
          },
        ],
      },
      "test",
    );
    expect(reason).toBeNull();

    // The situation starts, and goes on long enough for several whole clips.
    const start = await waitFor(
      "a candidate start",
      () => messages.find((m) => m.phase === "start"),
      90_000,
      () => JSON.stringify(health.at(-1)),
    );
    await waitFor(
      `${CLIPS_BEFORE_STOP} clips while the situation goes on`,
      () => clipsOf(latestOf(start.candidateId)).length >= CLIPS_BEFORE_STOP,
      120_000,
      () => JSON.stringify(latestOf(start.candidateId)),
    );
    // The camera stops sending frames mid-situation.
    await stopChild(feeder);
    feeder = null;
    await waitFor(
      "the end of the situation",
      () => messages.find((m) => m.candidateId === start.candidateId && m.phase === "end"),
      90_000,
      () => JSON.stringify(health.at(-1)),
    );
    const end = messages.find((m) => m.candidateId === start.candidateId && m.phase === "end")!;
    await waitFor("every piece of evidence at the receiver", () => end.evidence.every((e) => receiver.stored.has(e.sha256)), 60_000);
    await waitFor(
      "health to say why the situation ended",
      () => health.some((h) => /open situation\(s\) ended/.test(h.lastError ?? "")),
      30_000,
      () => JSON.stringify(health.at(-1)),
    );
  }, 400_000);

  afterAll(async () => {
    await edge?.close();
    await stopChild(feeder);
    for (const t of [topics.edgeStatus(edgeId), topics.cameraHealth(cameraId)]) await sub?.publishAsync(t, "", { qos: 1, retain: true });
    await sub?.endAsync();
    await receiver?.stop();
    await rtsp?.stop();
    await releaseDetectors();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a camera that stops sending frames ends its open situation, with an end snapshot, and health says why", () => {
    const end = messages.find((m) => m.phase === "end")!;
    expect(end.endedAt, "ended at the last frame that showed it").toBe(end.lastSeenAt);
    const kinds = end.evidence.map((e) => e.kind);
    expect(kinds).toContain("snapshot_start");
    expect(kinds).toContain("snapshot_end");
    expect(kinds).toContain("snapshot_end_annotated");
    const snapshot = receiver.stored.get(end.evidence.find((e) => e.kind === "snapshot_end")!.sha256)!;
    expect(snapshot.contentType).toBe("image/jpeg");
    expect(snapshot.body.subarray(0, 2).toString("hex"), "a JPEG").toBe("ffd8");
    const said = health.map((h) => h.lastError ?? "").find((e) => /open situation\(s\) ended/.test(e));
    expect(said, `health after the feed stopped: ${JSON.stringify(health.at(-1))}`).toMatch(/no frame for \d+ s/);
  });

  it("consecutive clips, each at most the maximum length and hash-verified, cover the situation from start to end", () => {
    const end = messages.find((m) => m.phase === "end")!;
    const clips = clipsOf(end);
    expect(clips.length).toBeGreaterThanOrEqual(CLIPS_BEFORE_STOP + 1);
    let total = 0;
    for (const [i, ref] of clips.entries()) {
      const stored = receiver.stored.get(ref.sha256);
      expect(stored, `clip ${i} reached the receiver`).toBeDefined();
      expect(createHash("sha256").update(stored!.body).digest("hex")).toBe(ref.sha256);
      expect(stored!.bytes).toBe(ref.bytes);
      const file = path.join(dir, `clip-${i}.mp4`);
      fs.writeFileSync(file, stored!.body);
      const d = durationSec(file);
      expect(d, `clip ${i} length`).toBeLessThanOrEqual(MAX_CLIP_SECONDS + 0.5);
      expect(d).toBeGreaterThan(0);
      total += d;
    }
    const situationSec = (Date.parse(end.lastSeenAt) - Date.parse(end.startedAt)) / 1000;
    // Together they cover it (whole 1 s segments: a segment of slack at either end), and do not overlap.
    expect(total, `clips total ${total} s for a situation of ${situationSec} s`).toBeGreaterThanOrEqual(situationSec - 1);
    expect(total).toBeLessThanOrEqual(situationSec + 2 + 1 + 3);
    expect(new Set(clips.map((c) => c.sha256)).size).toBe(clips.length);
  });
});
