import path from "node:path";
import { redactUrlsIn } from "../shared/url-redaction.ts";
import type { MqttClient } from "mqtt";
import type { CurbWatchConfig } from "../config/schema.ts";
import { topics, type CameraConfig, type EdgeConfig, type EdgeStatus } from "../contracts/index.ts";
import { connectMqtt, endMqtt } from "../shared/mqtt-connection.ts";
import { getDetector, type Detector } from "../detector/index.ts";
import type { Logger } from "../shared/logger.ts";
import { stageClock } from "../shared/stage-clock.ts";
import { VERSION } from "../shared/version.ts";
import { diffCameras } from "./config/camera-diff.ts";
import { parseEdgeConfig } from "./config/config-validation.ts";
import { readEdgeConfigFile } from "./config/edge-config-file.ts";
import { DetectionScheduler } from "./detect/detection-scheduler.ts";
import { EvidenceRecorder, type ClipWindow } from "./evidence/evidence-recorder.ts";
import { SegmentBuffer } from "./evidence/segment-buffer.ts";
import { CameraHealthMeter } from "./health/camera-health.ts";
import { CandidateOutbox } from "./outbox/candidate-outbox.ts";
import { EvidenceUploads } from "./outbox/evidence-uploads.ts";
import { CameraPipeline } from "./pipeline/camera-pipeline.ts";
import { CandidatePublisher } from "./pipeline/candidate-publisher.ts";
import type { Situation, SituationEvent } from "./rules/situation.ts";

export { readEdgeConfigFile };

export interface RunningEdge {
  edgeId: string;
  mqtt: MqttClient;
  /** Offer a config (as from the MQTT topic); resolves with the rejection reason or null when applied. */
  applyConfig(raw: unknown, source: string): Promise<string | null>;
  close(): Promise<void>;
}

export interface EdgeWorkerOptions {
  brokerUrl: string;
  healthIntervalMs?: number;
  /** Seconds of stream per evidence segment; shorter = snapshots and clips sooner. */
  segmentSeconds?: number;
  /** Pre-roll, post-roll and longest single clip (a longer situation continues in the next clip). */
  clipWindow?: ClipWindow;
}

interface CameraSlot {
  pipeline: CameraPipeline;
  health: CameraHealthMeter;
}

/**
 * The edge process: cameras → detections → tracked situations → candidates in a durable
 * outbox → MQTT (QoS 1) and evidence → HTTP. Status is retained with a Last Will; camera
 * health is retained per camera; the config comes from a local file and/or the retained
 * config topic, and a change restarts only the cameras it touches.
 */
export async function startEdgeWorker(config: CurbWatchConfig, log: Logger, opts: EdgeWorkerOptions): Promise<RunningEdge> {
  const edgeId = config.edge.id;
  const startedAt = new Date().toISOString();
  const root = path.resolve(config.dataDir, "edge", edgeId);
  const outbox = new CandidateOutbox(path.join(root, "outbox/candidates"), log);
  const uploads = new EvidenceUploads(path.join(root, "outbox/evidence-uploads"), config.edge.backendUrl, config.edge.token, log);
  const recorder = new EvidenceRecorder(path.join(root, "outbox/evidence-files"), log, opts.clipWindow);
  const segments = new SegmentBuffer(path.join(root, "segments"), config.edge.segmentLimitMb * 1024 * 1024, 10 * 60_000);
  const publisher = new CandidatePublisher(edgeId, outbox, uploads, recorder, path.join(root, "state/open-candidates.json"), log);
  const scheduler = new DetectionScheduler(log);
  const outboxLimitBytes = config.edge.outboxLimitMb * 1024 * 1024;
  outbox.overBudget = () => outbox.storedBytes() + uploads.pendingBytes() > outboxLimitBytes;
  const cameras = new Map<string, CameraSlot>();
  let current: EdgeConfig | null = null;
  let configError: string | null = null;
  let toRestore: Situation[] = publisher.restorable();
  let closing = false;

  const status = (state: EdgeStatus["state"]): EdgeStatus => ({
    edgeId,
    state,
    version: VERSION,
    cameras: [...cameras.keys()],
    startedAt,
    at: new Date().toISOString(),
    configRevision: current?.revision,
    // A rejected config's reason may quote the config itself, camera URLs included.
    configError: configError === null ? null : redactUrlsIn(configError),
    pendingCandidates: outbox.pendingCount,
    pendingEvidence: uploads.log.pending.length,
    disk: {
      outboxBytes: outbox.storedBytes() + uploads.log.bytes() + uploads.pendingBytes(),
      outboxLimitBytes,
      segmentBytes: segments.bytes,
      segmentLimitBytes: segments.limit,
      droppedForSpace: outbox.droppedForSpace + segments.droppedForSpace,
    },
    stages: { ms: stageClock.snapshot() },
  });

  const mqtt = connectMqtt({
    url: opts.brokerUrl,
    clientId: `curbwatch-edge-${edgeId}`,
    username: config.mqtt.username,
    password: config.mqtt.password,
    clean: false,
    will: { topic: topics.edgeStatus(edgeId), payload: Buffer.from(JSON.stringify({ ...status("offline"), cameras: [] })), qos: 1, retain: true },
    log,
  });

  const onEvents = (events: SituationEvent[]) => {
    for (const ev of events) {
      log.debug(
        { candidateId: ev.situation.candidateId, phase: ev.phase, camera: ev.situation.cameraId, zone: ev.situation.zone.id, rule: ev.situation.rule.id },
        "situation event",
      );
      publisher.handle(ev);
    }
  };

  function startCamera(cam: CameraConfig, detector: Detector): void {
    const pipeline = new CameraPipeline({
      camera: cam,
      detector,
      log,
      mode: "live",
      segments: { root: path.join(segments.root, cam.id), seconds: opts.segmentSeconds ?? 2 },
      onEvents,
      onFrameReady: () => scheduler.wake(),
      skipUnchanged: cam.skipUnchanged ?? true,
    });
    const mine = toRestore.filter((s) => s.cameraId === cam.id);
    if (mine.length) {
      toRestore = toRestore.filter((s) => s.cameraId !== cam.id);
      // Situations open at the last stop continue under the same id; those whose rule is gone end now.
      for (const orphan of pipeline.rules.restore(mine)) onEvents([{ phase: "end", situation: { ...orphan, endedAtMs: orphan.lastSeenMs } }]);
      log.info({ camera: cam.id, restored: mine.length }, "open candidates restored after restart");
    }
    cameras.set(cam.id, { pipeline, health: new CameraHealthMeter(pipeline) });
    scheduler.add(pipeline);
    pipeline.start();
  }

  async function stopCamera(id: string): Promise<Situation[]> {
    const slot = cameras.get(id);
    if (!slot) return [];
    cameras.delete(id);
    scheduler.remove(slot.pipeline);
    await slot.pipeline.stop();
    return slot.pipeline.rules.openSituations();
  }

  let applying: Promise<unknown> = Promise.resolve();
  async function applyConfigNow(raw: unknown, source: string): Promise<string | null> {
    const parsed = parseEdgeConfig(raw);
    let reason = parsed.ok ? null : parsed.reason;
    const detectors = new Map<string, Detector>();
    if (parsed.ok) {
      for (const model of new Set(parsed.config.cameras.filter((c) => c.enabled).map((c) => c.model))) {
        try {
          detectors.set(
            model,
            await getDetector(model, {
              modelsDir: config.edge.modelsDir,
              threads: config.edge.detectorThreads,
              executionProvider: config.edge.executionProvider,
            }),
          );
        } catch (err) {
          reason = `unknown or unloadable model "${model}": ${(err as Error).message}`;
          break;
        }
      }
    }
    if (reason || !parsed.ok) {
      configError = `${source}: ${reason}`;
      log.error({ source, reason, runningRevision: current?.revision ?? null }, "edge config rejected; the previous config keeps running");
      publishStatus();
      return reason;
    }
    const next = parsed.config;
    const diff = diffCameras(current, next);
    for (const id of diff.removed) {
      for (const s of await stopCamera(id)) onEvents([{ phase: "end", situation: { ...s, endedAtMs: s.lastSeenMs } }]);
    }
    for (const cam of diff.restarted) {
      // The camera's open situations carry over to its new stream (same ids).
      toRestore.push(...(await stopCamera(cam.id)));
      startCamera(cam, detectors.get(cam.model)!);
    }
    for (const cam of diff.rezoned) {
      const slot = cameras.get(cam.id)!;
      slot.pipeline.opts.camera = cam;
      slot.pipeline.zoneFocus?.setZones(cam.zones);
      onEvents(slot.pipeline.rules.reconfigure(cam.zones));
    }
    for (const cam of diff.added) startCamera(cam, detectors.get(cam.model)!);
    current = next;
    configError = null;
    log.info(
      {
        source,
        revision: next.revision,
        added: diff.added.length,
        removed: diff.removed.length,
        restarted: diff.restarted.length,
        rezoned: diff.rezoned.length,
      },
      "edge config applied",
    );
    publisher.resendMissingStarts();
    publishStatus();
    return null;
  }
  const applyConfig = (raw: unknown, source: string): Promise<string | null> => {
    const p = applying.then(() => applyConfigNow(raw, source));
    applying = p.catch(() => undefined);
    return p;
  };

  function publishStatus(): void {
    if (closing || !mqtt.connected) return;
    mqtt.publish(topics.edgeStatus(edgeId), JSON.stringify(status("online")), { qos: 1, retain: true });
  }

  function publishHealth(): void {
    segments.prune();
    if (closing || !mqtt.connected) return;
    for (const slot of cameras.values()) {
      const id = slot.pipeline.camera.id;
      const h = slot.health.report(edgeId, scheduler.overdueScans.get(id) ?? 0, publisher.evidenceLost.get(id) ?? 0);
      mqtt.publish(topics.cameraHealth(slot.pipeline.camera.id), JSON.stringify(h), { qos: 1, retain: true });
    }
    publishStatus();
  }

  mqtt.on("connect", () => {
    publishStatus();
    mqtt.subscribe(topics.edgeConfig(edgeId), { qos: 1 });
    outbox.kick();
  });
  mqtt.on("message", (topic, payload) => {
    if (topic !== topics.edgeConfig(edgeId) || !payload.length) return;
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString("utf8"));
    } catch (err) {
      configError = `mqtt: not JSON: ${(err as Error).message}`;
      log.error({ reason: configError }, "edge config rejected; the previous config keeps running");
      return;
    }
    if (current && JSON.stringify(raw) === JSON.stringify(current)) return;
    void applyConfig(raw, "mqtt");
  });
  outbox.attach(mqtt, edgeId);
  uploads.kick();

  if (config.edge.configFile) {
    const file = config.edge.configFile;
    let raw: unknown;
    try {
      raw = readEdgeConfigFile(file);
    } catch (err) {
      raw = null;
      configError = (err as Error).message;
      log.error({ file, reason: configError }, "edge config file rejected");
    }
    if (raw) await applyConfig(raw, `file ${file}`);
  }

  const healthTimer = setInterval(publishHealth, opts.healthIntervalMs ?? 5000);
  // One timer for every camera: long situations get their next clip, and a camera that went
  // silent ends its open situations on time.
  const silenceTimer = setInterval(() => {
    const now = Date.now();
    for (const slot of cameras.values()) {
      publisher.extendClips(slot.pipeline.rules.openSituations());
      const ended = slot.pipeline.endSilentSituations(now);
      if (ended.length) {
        log.warn({ camera: slot.pipeline.camera.id, ended: ended.length, reason: slot.pipeline.silenceNote }, "camera silent: open situations ended");
        onEvents(ended);
      }
    }
  }, 1000);
  silenceTimer.unref();

  return {
    edgeId,
    mqtt,
    applyConfig,
    async close() {
      clearInterval(healthTimer);
      clearInterval(silenceTimer);
      for (const id of [...cameras.keys()]) await stopCamera(id);
      // Give events already raised a moment to reach the outbox (it is durable; the rest is resent next start).
      await Promise.race([publisher.idle(), new Promise((r) => setTimeout(r, 3000))]);
      closing = true;
      await mqtt.publishAsync(topics.edgeStatus(edgeId), JSON.stringify({ ...status("offline"), cameras: [] }), { qos: 1, retain: true }).catch(() => {});
      outbox.close();
      uploads.close();
      await endMqtt(mqtt);
    },
  };
}

/** For tests and tools: where an edge keeps its outbox and segments. */
export function edgeDataDir(config: CurbWatchConfig): string {
  return path.resolve(config.dataDir, "edge", config.edge.id);
}
