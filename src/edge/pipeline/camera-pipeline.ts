import type { CameraConfig } from "../../contracts/edge-config.ts";
import type { Detection } from "../../contracts/roles.ts";
import type { ZoneActivity } from "../../contracts/zone-activity.ts";
import type { Detector } from "../../detector/index.ts";
import { frameFormatFor } from "../../detector/index.ts";
import type { Logger } from "../../shared/logger.ts";
import { ZoneFocus } from "../detect/zone-focus.ts";
import { stageClock } from "../../shared/stage-clock.ts";
import { ChangeGate } from "../detect/change-gate.ts";
import { canvasContentSize } from "../ingest/ffmpeg-args.ts";
import { CameraStream, type SampledFrame, type StreamRun } from "../ingest/camera-stream.ts";
import { CameraRules } from "../rules/camera-rules.ts";
import type { FrameGeometry } from "../rules/rule-context.ts";
import type { FrameRef, SituationEvent } from "../rules/situation.ts";
import { CameraStaticObjects } from "../static/camera-static-objects.ts";
import { ObjectTracker, defaultTrackerOptions } from "../track/object-tracker.ts";

export interface CameraPipelineOptions {
  camera: CameraConfig;
  detector: Detector;
  log: Logger;
  mode: "live" | "replay";
  mediaEpochMs?: number;
  segments?: { root: string; seconds: number };
  /** Called for every situation event, in order, with the frame that caused it. */
  onEvents: (events: SituationEvent[], frame: SampledFrame) => void;
  /** A frame is waiting: the scheduler should come round. */
  onFrameReady: () => void;
  /** Replay only: the file is over, or (with a reason) ffmpeg could not read it. */
  onEnded?: (failure?: string) => void;
  onRunStart?: (run: StreamRun) => void;
  /**
   * Skip inference on a sample whose zones have not changed since the last detection (tracks
   * carried forward); a full scan still runs every `fullScanSeconds`. The edge turns it on for
   * live cameras; replay detects every sample unless asked.
   */
  skipUnchanged?: boolean;
  /** Every handled sample and what was done with it (tests, tools). */
  onSample?: (frame: SampledFrame, decision: SampleDecision) => void;
}

export type SampleDecision = "detected" | "skipped";

/** Detections below this never matter, even to ByteTrack's second (low-score) pass. */
const DETECT_THRESHOLD = defaultTrackerOptions.lowScore;

/**
 * The journey of one camera's frame: ingest → detect → track → rules. Detection is driven
 * by the shared scheduler (one ONNX session for all cameras); every detection is a full scan
 * of the frame. With `skipUnchanged`, a sample whose zones look the same as at the last
 * detection reuses that detection (the scene did not change, so neither did what is in it),
 * and a full scan still runs every `fullScanSeconds`, so a static scene is never hidden.
 */
export class CameraPipeline {
  readonly stream: CameraStream;
  readonly tracker = new ObjectTracker();
  readonly rules: CameraRules;
  /** Zone-focused detection (tiles over the zones' region); null = the whole frame scaled by ffmpeg. */
  readonly zoneFocus: ZoneFocus | null;
  /** Class-agnostic occupancy per zone: what stopped and stays, whatever the model calls it. */
  readonly staticObjects: CameraStaticObjects;
  lastDetectMs = 0;
  framesDetected = 0;
  /** Samples whose zones had not changed: not sent to the detector, tracks carried forward. */
  framesSkipped = 0;
  /** Why open situations were last ended without a frame (the camera went silent), for health. */
  silenceNote: string | null = null;
  private busy = false;
  private gate: ChangeGate | null = null;
  private gateZones: CameraConfig["zones"] | null = null;
  private lastDetections: { detections: Detection[]; input: { width: number; height: number } } | null = null;
  private lastFullScanTMs = -Infinity;
  /** The frame the rules last evaluated: its time, geometry, and when (wall clock) that was. */
  private lastEvaluated: { tMs: number; geom: FrameGeometry; atMs: number } | null = null;

  constructor(readonly opts: CameraPipelineOptions) {
    this.zoneFocus = ZoneFocus.forCamera(opts.camera, opts.detector);
    this.staticObjects = new CameraStaticObjects((zone, problem) => opts.log.warn({ camera: opts.camera.id, zone }, problem));
    const format = this.zoneFocus?.frameFormat() ?? frameFormatFor(opts.detector.manifest);
    this.rules = new CameraRules(opts.camera.id, opts.camera.zones);
    this.stream = new CameraStream({
      camera: opts.camera,
      format,
      log: opts.log,
      mode: opts.mode,
      mediaEpochMs: opts.mediaEpochMs,
      segments: opts.segments,
      onFrame: () => opts.onFrameReady(),
      onEnded: (failure) => opts.onEnded?.(failure),
      onRunStart: opts.onRunStart,
    });
  }

  get camera(): CameraConfig {
    return this.opts.camera;
  }

  /** No detection in progress. */
  get idle(): boolean {
    return !this.busy;
  }

  get hasFrame(): boolean {
    return !this.busy && this.stream.queue.size > 0;
  }

  start(): void {
    this.stream.start();
  }

  async stop(): Promise<void> {
    await this.stream.stop();
  }

  /** Detect (or, unchanged, carry forward), track and evaluate the next frame (newest first when live). */
  async processNext(): Promise<void> {
    const frame = this.stream.queue.take();
    this.stream.resume();
    if (!frame) return;
    this.busy = true;
    try {
      const skip = this.opts.skipUnchanged ? stageClock.time("changeCheck", () => this.unchanged(frame)) : false;
      let seen: { detections: Detection[]; input: { width: number; height: number } };
      if (skip && this.lastDetections) {
        seen = this.lastDetections;
        this.framesSkipped++;
      } else {
        seen = await this.detect(frame);
        this.gate?.detected();
        this.lastDetections = seen;
        this.lastFullScanTMs = frame.tMs;
        this.framesDetected++;
      }
      this.lastDetectMs = Date.now();
      this.silenceNote = null;
      const geom: FrameGeometry = { original: frame.original, input: seen.input };
      const events = stageClock.time("trackingRules", () => {
        const statics = this.staticObjects.update(this.camera.zones, { ...frame, content: this.pictureSize(frame) }, frame.tMs, seen.detections);
        const tracks = this.tracker.update([...seen.detections, ...statics], frame.tMs);
        return this.rules.evaluate(tracks, geom, frameRefOf(frame));
      });
      this.lastEvaluated = { tMs: frame.tMs, geom, atMs: Date.now() };
      this.opts.onSample?.(frame, skip ? "skipped" : "detected");
      for (const e of events) e.situation.staticMask = this.staticObjects.maskOf(e.situation.zone.id, frame.original);
      if (events.length) this.opts.onEvents(events, frame);
    } finally {
      this.busy = false;
    }
  }

  /**
   * What each zone shows and where each rule stands as of the last frame the rules evaluated, for
   * camera health. Worked out when health is reported (the tracker and the lifecycles still hold
   * that frame's state), not on every frame. Without a frame for the camera's stall time, every
   * rule is `no_frames` and nothing is listed: the last picture is no longer what is there.
   */
  zoneActivity(nowMs = Date.now()): ZoneActivity {
    const last = this.lastEvaluated;
    if (!last || nowMs - last.atMs > this.camera.watchdog.stallSeconds * 1000)
      return { at: new Date(nowMs).toISOString(), zones: this.rules.activityWithoutFrames(last ? (nowMs - last.atMs) / 1000 : null) };
    return { at: new Date(last.atMs).toISOString(), zones: this.rules.activity(this.tracker.all, last.geom, last.tMs) };
  }

  /** Detections in original pixels, and the frame's size as the detector saw it (what `minBoxPx` is stated in). */
  private async detect(frame: SampledFrame): Promise<{ detections: Detection[]; input: { width: number; height: number } }> {
    if (this.zoneFocus) {
      const r = await this.zoneFocus.detect(frame, DETECT_THRESHOLD);
      return { detections: r.detections, input: r.effectiveInput };
    }
    const detections = await this.opts.detector.detectFrame(frame, frame.original, { threshold: DETECT_THRESHOLD });
    return { detections, input: { width: frame.width, height: frame.height } };
  }

  /** Where the picture sits on the frame: top-left of a padded canvas under zone focus, else the whole frame. */
  private pictureSize(frame: SampledFrame): { width: number; height: number } {
    const frameSize = { width: frame.width, height: frame.height };
    return this.zoneFocus ? canvasContentSize(frame.original, frameSize) : frameSize;
  }

  /** True when nothing changed inside the zones since the last detection and no full scan is due. */
  private unchanged(frame: SampledFrame): boolean {
    const zones = this.opts.camera.zones;
    if (!this.gate || this.gate.width !== frame.width || this.gate.height !== frame.height) {
      this.gate = new ChangeGate(frame.width, frame.height, zones, this.pictureSize(frame));
      this.gateZones = zones;
    } else if (this.gateZones !== zones) {
      this.gate.setZones(zones);
      this.gateZones = zones;
    }
    const verdict = this.gate.check(frame.data);
    const fullScanDue = frame.tMs - this.lastFullScanTMs >= this.opts.camera.fullScanSeconds * 1000;
    return !verdict.changed && !fullScanDue && this.lastDetections !== null;
  }

  /**
   * Live: end the open situations of a camera that has sent no frame for longer than their end
   * timeout. Their end snapshot comes from the last frame that showed them (in the segment
   * buffer). Returns the end events; health says why.
   */
  endSilentSituations(nowMs: number): SituationEvent[] {
    const lastFrame = this.stream.lastFrameAt ?? 0;
    const events = this.rules.expire(nowMs, lastFrame);
    if (events.length) this.silenceNote = `no frame for ${Math.round((nowMs - lastFrame) / 1000)} s: ${events.length} open situation(s) ended`;
    return events;
  }
}

export function frameRefOf(frame: SampledFrame): FrameRef {
  return {
    tMs: frame.tMs,
    runId: frame.run.runId,
    ptsSec: frame.ptsSec,
    segmentDir: frame.run.segmentDir,
    videoSec: frame.videoSec,
    original: frame.original,
    receivedAtMs: frame.receivedAtMs,
  };
}
