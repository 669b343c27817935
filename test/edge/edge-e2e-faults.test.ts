import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import {
  COMMIT_ACK_SCHEMA,
  candidateEventSchema,
  cameraHealthSchema,
  edgeStatusSchema,
  topics,
  type CameraHealth,
  type CandidateEvent,
  type EdgeStatus,
} from "../../src/contracts/index.ts";
import { EvidenceReceiver } from "../support/evidence-receiver.ts";
import { PrivateMosquitto } from "../support/mosquitto.ts";
import { mosquittoAvailable } from "../support/services.ts";
import { repoRoot, vtestClip } from "../support/paths.ts";
import { freePort, spawnCurbwatch, type Spawned } from "../support/process.ts";
import { RtspRelayServer } from "../support/rtsp-server.ts";
import { startRtspFeeder, stopChild } from "../support/rtsp-feeder.ts";

/**
 * Real parts end to end: ffmpeg publishes vtest.avi (H.264) into an RTSP server → `curbwatch edge`
 * (real ffmpeg ingest, real NanoDet) → a Mosquitto of this test's own → a subscriber with a
 * persistent session; evidence goes over HTTP to a receiver that verifies each sha256. Then the
 * broker, the edge process and the RTSP server each fail and come back, and every candidate
 * message must still arrive: no missing seq, duplicates only as identical redeliveries.
 */
const edgeId = `e2e-${process.pid}`;
const cameraId = "cam-e2e";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "curbwatch-edge-e2e-"));
// mosquitto (dropping to its own user when started as root) must reach its store below this directory.
fs.chmodSync(dir, 0o755);

interface Received {
  topic: string;
  message: CandidateEvent;
  raw: string;
  at: number;
}

const waitUntil = async (what: string, cond: () => boolean, timeoutMs: number, detail: () => string = () => ""): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

function edgeConfig(rtspUrl: string) {
  const rule = {
    id: "vending",
    kind: "street_vending",
    eventCode: { major: "05", minor: "01" },
    dwellSeconds: 3,
    minPersons: 1,
    minGear: 0,
    stationaryTolerance: 0.35,
    endAfterSeconds: 2,
    cooldownSeconds: 0,
  };
  const band = (id: string, x1: number, x2: number) => ({
    id,
    polygon: [
      [x1, 0.2],
      [x2, 0.2],
      [x2, 1],
      [x1, 1],
    ],
    rules: [rule],
  });
  return {
    schema: "curbwatch.edge-config/v1",
    revision: 1,
    cameras: [
      {
        id: cameraId,
        url: rtspUrl,
        sampling: { mode: "fps", fps: 2 },
        model: "nanodet",
        watchdog: { stallSeconds: 5, backoffInitialSeconds: 1, backoffMaxSeconds: 4 },
        zones: [band("west", 0, 0.4), band("centre", 0.4, 0.66), band("east", 0.66, 1)],
      },
    ],
  };
}

describe.runIf(mosquittoAvailable())("edge worker end to end: RTSP → edge → Mosquitto, with faults", () => {
  let broker: PrivateMosquitto;
  let rtsp: RtspRelayServer;
  let feeder: ChildProcess;
  let receiver: EvidenceReceiver;
  let sub: MqttClient;
  const edges: Spawned[] = [];
  const received: Received[] = [];
  const invalid: string[] = [];
  const health: CameraHealth[] = [];
  const statuses: EdgeStatus[] = [];
  const edge = () => edges.at(-1)!;
  let rtspPort = 0;

  /** "candidate queued" lines of every edge run: each is a message that was fsynced into the outbox. */
  const queued = () =>
    edges.flatMap((e) =>
      e
        .output()
        .split("\n")
        .filter((l) => l.includes('"candidate queued"'))
        .map((l) => JSON.parse(l) as { candidateId: string; seq: number; phase: string }),
    );
  const got = (id: string, seq: number) => received.some((r) => r.message.candidateId === id && r.message.seq === seq);
  const allQueuedReceived = () => queued().every((q) => got(q.candidateId, q.seq));
  const missing = () =>
    `invalid: ${invalid.join("\n")}\nmissing: ${JSON.stringify(
      queued()
        .filter((q) => !got(q.candidateId, q.seq))
        .map((q) => [q.candidateId, q.seq]),
    )}; ` +
    `received ${received.length}, last at ${new Date(received.at(-1)?.at ?? 0).toISOString()}; status: ${JSON.stringify(statuses.at(-1))}\n` +
    edge()
      .output()
      .split("\n")
      .filter((l) => /mqtt|publish|outbox/.test(l))
      .slice(-10)
      .join("\n");

  function startEdge(): Spawned {
    const e = spawnCurbwatch(["edge"], {
      env: {
        CURBWATCH_DATA_DIR: path.join(dir, "data"),
        EDGE_ID: edgeId,
        EDGE_CONFIG_FILE: path.join(dir, "edge.yaml"),
        MQTT_URL: broker.url,
        BACKEND_URL: backendUrl,
        MODELS_DIR: path.join(repoRoot, "models"),
        DETECTOR_THREADS: "1",
        DEMO_ENABLED: "0",
      },
    });
    edges.push(e);
    return e;
  }
  let backendUrl = "";

  beforeAll(async () => {
    broker = new PrivateMosquitto(await freePort(), path.join(dir, "mosquitto"), { persistence: true });
    await broker.start();
    rtspPort = await freePort();
    rtsp = new RtspRelayServer(rtspPort);
    await rtsp.start();
    feeder = startRtspFeeder(vtestClip, rtsp.url("plaza"));
    receiver = new EvidenceReceiver();
    backendUrl = await receiver.start();
    fs.writeFileSync(path.join(dir, "edge.yaml"), YAML.stringify(edgeConfig(rtsp.url("plaza"))));

    // The back end's side: a persistent session, so messages published while it is away wait for it.
    sub = mqtt.connect(broker.url, { clientId: `e2e-sub-${process.pid}`, clean: false, reconnectPeriod: 500, protocolVersion: 4 });
    sub.on("message", (topic, payload) => {
      const raw = payload.toString();
      if (topic === topics.cameraCandidate(cameraId)) {
        const parsed = candidateEventSchema.safeParse(JSON.parse(raw));
        if (parsed.success) {
          received.push({ topic, message: parsed.data, raw, at: Date.now() });
          // Confirm it, as the back end does after its commit, so the edge may forget it.
          const ack = { schema: COMMIT_ACK_SCHEMA, acks: [{ candidateId: parsed.data.candidateId, seq: parsed.data.seq, outcome: "committed" }] };
          sub.publish(topics.edgeAck(parsed.data.edgeId), JSON.stringify(ack), { qos: 1 });
        } else invalid.push(`${parsed.error.message} in ${raw.slice(0, 300)}`);
      } else if (topic === topics.cameraHealth(cameraId) && raw) health.push(cameraHealthSchema.parse(JSON.parse(raw)));
      else if (topic === topics.edgeStatus(edgeId) && raw) statuses.push(edgeStatusSchema.parse(JSON.parse(raw)));
    });
    await new Promise<void>((r) => sub.once("connect", () => r()));
    await sub.subscribeAsync([topics.cameraCandidate(cameraId), topics.cameraHealth(cameraId), topics.edgeStatus(edgeId)], { qos: 1 });
    await waitUntil("the RTSP feeder publishing", () => rtsp.publishing.includes("plaza"), 15_000);
    startEdge();
  }, 60_000);

  afterAll(async () => {
    if (process.env.EDGE_E2E_LOG) {
      fs.writeFileSync(process.env.EDGE_E2E_LOG, edges.map((e) => e.output()).join("\n----\n"));
      if (fs.existsSync(path.join(dir, "mosquitto/mosquitto.log")))
        fs.copyFileSync(path.join(dir, "mosquitto/mosquitto.log"), `${process.env.EDGE_E2E_LOG}.mosquitto`);
    }
    for (const e of edges) await e.stop("SIGKILL");
    await stopChild(feeder);
    await rtsp?.stop();
    await sub?.endAsync(true);
    await broker?.stop();
    await receiver?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  /** Everything queued so far arrived, each candidate's seqs 0..n exactly once (identical redeliveries allowed). */
  async function expectEveryCandidateOnce(): Promise<void> {
    await waitUntil("everything queued delivered", allQueuedReceived, 45_000, missing);
    const byId = new Map<string, Received[]>();
    for (const r of received) byId.set(r.message.candidateId, [...(byId.get(r.message.candidateId) ?? []), r]);
    expect(invalid, "every candidate message matches the contract").toEqual([]);
    expect(byId.size).toBeGreaterThanOrEqual(1);
    let duplicates = 0;
    for (const [id, msgs] of byId) {
      const bySeq = new Map<number, string>();
      for (const m of msgs) {
        const seen = bySeq.get(m.message.seq);
        if (seen !== undefined) {
          duplicates++;
          expect(m.raw, `${id} seq ${m.message.seq} redelivered with different content`).toBe(seen);
        } else bySeq.set(m.message.seq, m.raw);
      }
      const seqs = [...bySeq.keys()].sort((a, b) => a - b);
      expect(seqs, `${id}: seqs must run 0..n with no gap`).toEqual(seqs.map((_, i) => i));
      const ordered = seqs.map((s) => JSON.parse(bySeq.get(s)!) as CandidateEvent);
      expect(ordered[0].phase, `${id} starts with start`).toBe("start");
      expect(
        ordered.filter((m) => m.phase === "start"),
        `${id} has one start`,
      ).toHaveLength(1);
      const endAt = ordered.findIndex((m) => m.phase === "end");
      if (endAt >= 0) expect(endAt, `${id}: nothing after end`).toBe(ordered.length - 1);
    }
    // Duplicates are allowed (at-least-once) but must be rare identical redeliveries.
    expect(duplicates).toBeLessThan(received.length / 2);
    const last = statuses.at(-1)!;
    expect(last.state).toBe("online");
    expect(last.disk?.outboxLimitBytes).toBeGreaterThan(0);
  }

  it("delivers start, update and end of a zone's candidate with evidence whose sha256 the receiver verified", async () => {
    const ended = () => received.find((r) => r.message.phase === "end" && r.message.evidence.some((e) => e.kind === "clip"));
    await waitUntil(
      "a candidate that ended with a clip",
      () => Boolean(ended()),
      90_000,
      () => edge().output().slice(-3000),
    );
    const end = ended()!.message;
    const phases = received.filter((r) => r.message.candidateId === end.candidateId).map((r) => r.message.phase);
    expect(phases[0]).toBe("start");
    expect(phases).toContain("update");
    expect(phases.at(-1)).toBe("end");
    expect(end.zoneId).toMatch(/^(west|centre|east)$/);
    expect(end.objects.length).toBeGreaterThan(0);
    // Clips cover the situation to its end: the one cut at the start, and the rest at the end.
    expect(end.evidence.filter((e) => e.kind === "clip").length).toBeGreaterThanOrEqual(1);
    expect(
      end.evidence
        .filter((e) => e.kind !== "clip")
        .map((e) => e.kind)
        .sort(),
    ).toEqual(["snapshot_end", "snapshot_end_annotated", "snapshot_start", "snapshot_start_annotated"]);
    await waitUntil("every evidence file of the candidate uploaded", () => end.evidence.every((e) => receiver.stored.has(e.sha256)), 30_000);
    for (const ref of end.evidence) {
      const file = receiver.stored.get(ref.sha256)!;
      expect(file.bytes, `${ref.kind} size`).toBe(ref.bytes);
      // Content-addressed: the same frame's snapshot serves every candidate that needs it, stored once;
      // a situation that ended on its dwell frame has identical start and end snapshots, sent once.
      const sameFile: string[] = end.evidence.filter((e) => e.sha256 === ref.sha256).map((e) => e.kind);
      expect(
        file.uploads.filter((u) => u.candidateId === end.candidateId && sameFile.includes(u.kind)),
        `${ref.kind} uploaded for this candidate`,
      ).not.toEqual([]);
    }
    expect(receiver.stored.get(end.evidence.find((e) => e.kind === "snapshot_start")!.sha256)!.body.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  }, 180_000);

  it("broker stopped mid-run and restarted: candidates raised meanwhile arrive after it returns", async () => {
    const logAt = edge().output().length;
    await broker.stop();
    // The outage counts once the edge has seen its connection drop; what it queues after that
    // cannot have gone out before the broker stopped.
    await waitUntil("the edge noticed the broker is gone", () => edge().output().slice(logAt).includes("mqtt connection lost"), 30_000);
    const downAt = queued().length;
    await waitUntil("a candidate queued while the broker is down", () => queued().length > downAt, 60_000);
    const statusesBefore = statuses.length;
    await broker.start();
    await waitUntil("edge status online again", () => statuses.slice(statusesBefore).some((s) => s.state === "online"), 15_000);
    await waitUntil("everything queued during the outage delivered", allQueuedReceived, 45_000, missing);
    await expectEveryCandidateOnce();
  }, 180_000);

  it("edge process killed and restarted: the Last Will says offline, nothing queued is lost", async () => {
    const before = queued().length;
    await waitUntil("one more candidate queued", () => queued().length > before, 60_000);
    const statusesBefore = statuses.length;
    await edge().stop("SIGKILL");
    await waitUntil("Last Will: edge offline", () => statuses.slice(statusesBefore).some((s) => s.state === "offline"), 60_000);
    startEdge();
    await waitUntil("edge back online", () => statuses.slice(statusesBefore).some((s) => s.state === "online"), 60_000);
    const afterRestart = queued().length;
    await waitUntil(
      "a candidate queued by the restarted edge",
      () => queued().length > afterRestart,
      60_000,
      () => edge().output().slice(-2000),
    );
    await waitUntil("everything queued by both runs delivered", allQueuedReceived, 45_000, missing);
    await expectEveryCandidateOnce();
  }, 180_000);

  it("RTSP server gone and back: the stream restarts by itself and health shows it", async () => {
    const healthBefore = health.length;
    await stopChild(feeder);
    await rtsp.stop();
    await waitUntil("camera health reports the outage", () => health.slice(healthBefore).some((h) => h.state !== "streaming" && h.lastError !== null), 40_000);
    rtsp = new RtspRelayServer(rtspPort);
    await rtsp.start();
    feeder = startRtspFeeder(vtestClip, rtsp.url("plaza"));
    await waitUntil(
      "camera streaming again after restarts",
      () => health.slice(healthBefore).some((h) => h.state === "streaming" && h.restarts >= 1 && h.sampledPerSec > 0),
      60_000,
      () => JSON.stringify(health.slice(-3)),
    );
    const afterBack = queued().length;
    await waitUntil("a candidate queued after the camera came back", () => queued().length > afterBack, 60_000);
    await expectEveryCandidateOnce();
  }, 180_000);
});
