import type { CameraHealth } from "../../contracts/health.ts";
import { encodeStaticCells, STATIC_MASK_MAX_ZONES, type StaticMasks } from "../../contracts/static-mask.ts";
import { ZONE_ACTIVITY_MAX_RULES, type ZoneActivity } from "../../contracts/zone-activity.ts";
import type { CameraPipeline } from "../pipeline/camera-pipeline.ts";

interface Counters {
  atMs: number;
  sampled: number;
  detected: number;
  skipped: number;
  mediaSeconds: number;
  inferences: number;
}

/** Per-camera health over the last reporting window, in the contract's shape. */
export class CameraHealthMeter {
  private last: Counters;

  constructor(private pipeline: CameraPipeline) {
    this.last = this.counters();
  }

  private counters(): Counters {
    const s = this.pipeline.stream;
    // Without zone focus every detected sample is one inference.
    const inferences = this.pipeline.zoneFocus?.inferences ?? this.pipeline.framesDetected;
    return {
      atMs: Date.now(),
      sampled: s.framesSampled,
      detected: this.pipeline.framesDetected,
      skipped: this.pipeline.framesSkipped,
      mediaSeconds: s.mediaSecondsRead,
      inferences,
    };
  }

  /** `evidenceLost`: snapshots and clips the publisher could not cut for this camera. */
  report(edgeId: string, overdueScans: number, evidenceLost = 0): CameraHealth {
    const now = this.counters();
    const dt = Math.max(0.001, (now.atMs - this.last.atMs) / 1000);
    const s = this.pipeline.stream;
    const rate = (a: number, b: number) => Math.round(((a - b) / dt) * 100) / 100;
    const health: CameraHealth = {
      cameraId: this.pipeline.camera.id,
      edgeId,
      state: s.state,
      framesInPerSec: Math.round(((now.mediaSeconds - this.last.mediaSeconds) / dt) * s.nominalInputFps * 100) / 100,
      sampledPerSec: rate(now.sampled, this.last.sampled),
      detectedPerSec: rate(now.detected, this.last.detected),
      skippedPerSec: rate(now.skipped, this.last.skipped),
      evidenceLost: s.evidenceLost + evidenceLost,
      droppedFrames: s.queue.dropped,
      lastFrameAt: s.lastFrameAt ? new Date(s.lastFrameAt).toISOString() : null,
      restarts: s.restarts,
      restartsLastHour: s.restartsLastHour(),
      // A silent camera: the stream's own error and what that did to its open situations.
      lastError:
        [s.lastError, this.pipeline.silenceNote].filter(Boolean).join("; ") ||
        (overdueScans ? `detector overloaded: ${overdueScans} scans later than fullScanSeconds` : null),
      inferencesPerSample:
        now.detected > this.last.detected ? Math.round(((now.inferences - this.last.inferences) / (now.detected - this.last.detected)) * 100) / 100 : 0,
      inferenceBudget: this.pipeline.zoneFocus?.budget ?? 1,
      ...this.staticMasks(),
      zoneActivity: this.zoneActivity(),
      at: new Date().toISOString(),
    };
    this.last = now;
    return health;
  }

  /** Every configured zone's static-object mask as of the last frame the detectors saw; nothing before the first. */
  private staticMasks(): { staticMasks?: StaticMasks } {
    const statics = this.pipeline.staticObjects;
    if (statics.updatedAt === null) return {};
    // A zone removed by a config change lingers in the detectors until the next frame: leave it out.
    const configured = new Set(this.pipeline.camera.zones.map((z) => z.id));
    const round = (v: number) => Math.min(1, Math.max(0, Math.round(v * 1e5) / 1e5));
    const zones = statics
      .masks()
      .filter((m) => configured.has(m.zoneId))
      .slice(0, STATIC_MASK_MAX_ZONES)
      .map((m) => ({
        zoneId: m.zoneId,
        width: m.width,
        height: m.height,
        region: m.region.map(round) as [number, number, number, number],
        cells: encodeStaticCells(m.cells),
      }));
    return { staticMasks: { at: new Date(statics.updatedAt).toISOString(), zones } };
  }

  /** Every configured zone's detections and rule standings (see `CameraPipeline.zoneActivity`), within the contract's bounds. */
  private zoneActivity(): ZoneActivity {
    const activity = this.pipeline.zoneActivity();
    const zones = activity.zones.slice(0, STATIC_MASK_MAX_ZONES).map((z) => ({ ...z, rules: z.rules.slice(0, ZONE_ACTIVITY_MAX_RULES) }));
    return { at: activity.at, zones };
  }
}
