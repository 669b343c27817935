import type { CameraConfig } from "../../contracts/edge-config.ts";
import type { Detector } from "../../detector/index.ts";
import { frameFormatFor } from "../../detector/index.ts";
import type { Logger } from "../../shared/logger.ts";
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
}

/** Detections below this never matter, even to ByteTrack's second (low-score) pass. */
const DETECT_THRESHOLD = defaultTrackerOptions.lowScore;

/**
 * The journey of one camera's frame: ingest → detect → track → rules. Detection is driven
 * by the shared scheduler (one ONNX session for all cameras); every sampled frame that is
 * detected is a full scan, and no motion gating hides a static scene.
 */
export class CameraPipeline {
  readonly stream: CameraStream;
  readonly tracker = new ObjectTracker();
  readonly rules: CameraRules;
  /** Class-agnostic occupancy per zone: what stopped and stays, whatever the model calls it. */
  readonly staticObjects = new CameraStaticObjects();
  lastDetectMs = 0;
  framesDetected = 0;
  private busy = false;

  constructor(readonly opts: CameraPipelineOptions) {
    const format = frameFormatFor(opts.detector.manifest);
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

  /** Detect, track and evaluate the next frame (newest first when live). */
  async processNext(): Promise<void> {
    const frame = this.stream.queue.take();
    this.stream.resume();
    if (!frame) return;
    this.busy = true;
    try {
      const detections = await this.opts.detector.detectFrame(frame, frame.original, { threshold: DETECT_THRESHOLD });
      this.lastDetectMs = Date.now();
      this.framesDetected++;
      const statics = this.staticObjects.update(this.camera.zones, frame, frame.tMs, detections);
      const tracks = this.tracker.update([...detections, ...statics], frame.tMs);
      const geom: FrameGeometry = { original: frame.original, input: { width: frame.width, height: frame.height } };
      const events = this.rules.evaluate(tracks, geom, frameRefOf(frame));
      if (events.length) this.opts.onEvents(events, frame);
    } finally {
      this.busy = false;
    }
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
