import path from "node:path";
import { cameraConfigSchema, type CameraConfig, type EdgeConfig } from "../../contracts/edge-config.ts";
import { getDetector } from "../../detector/index.ts";
import type { Logger } from "../../shared/logger.ts";
import { DetectionScheduler } from "../detect/detection-scheduler.ts";
import { CameraPipeline } from "../pipeline/camera-pipeline.ts";
import type { SituationEvent } from "../rules/situation.ts";

export interface ReplayOptions {
  video: string;
  config: EdgeConfig;
  /** Which camera's zones and rules to replay; default the first. */
  cameraId?: string;
  modelsDir: string;
  threads?: number;
  /** The wall time video second 0 stands for (schedules are judged on it); default now. */
  startAtMs?: number;
  log: Logger;
  onEvent: (ev: SituationEvent) => void;
}

export interface ReplaySummary {
  cameraId: string;
  framesDetected: number;
  events: number;
  wallSeconds: number;
}

/** Picks the camera to replay and points it at the file (no loop, no watchdog pacing). */
export function replayCamera(config: EdgeConfig, video: string, cameraId?: string): CameraConfig {
  const cam = cameraId ? config.cameras.find((c) => c.id === cameraId) : config.cameras[0];
  if (!cam) throw new Error(cameraId ? `no camera "${cameraId}" in the config` : "the config has no camera to replay");
  return cameraConfigSchema.parse({ ...cam, url: path.resolve(video), loop: false, enabled: true });
}

/**
 * Runs the live pipeline (same ingest, detector, tracker and rules) on a file as fast as the
 * machine allows, frame by frame with no drops, so a department can tune zones offline and
 * get the same answer every time.
 */
export async function replayVideo(opts: ReplayOptions): Promise<ReplaySummary> {
  const camera = replayCamera(opts.config, opts.video, opts.cameraId);
  const detector = await getDetector(camera.model, { modelsDir: opts.modelsDir, threads: opts.threads });
  const scheduler = new DetectionScheduler(opts.log);
  const started = Date.now();
  let events = 0;
  return new Promise<ReplaySummary>((resolve, reject) => {
    let ended = false;
    const pipeline: CameraPipeline = new CameraPipeline({
      camera,
      detector,
      log: opts.log,
      mode: "replay",
      mediaEpochMs: opts.startAtMs ?? Date.now(),
      onEvents: (evs) => {
        for (const ev of evs) {
          events++;
          opts.onEvent(ev);
        }
      },
      onFrameReady: () => scheduler.wake(),
      onEnded: (failure) => {
        if (failure) {
          scheduler.remove(pipeline);
          void pipeline.stop().finally(() => reject(new Error(`cannot replay ${opts.video}: ${failure}`)));
          return;
        }
        ended = true;
        void drain();
      },
    });
    // The file is over once ffmpeg exits and the queued frames are detected; then open situations end.
    const drain = async () => {
      try {
        while (pipeline.stream.queue.size > 0 || !pipelineIdle()) await new Promise((r) => setTimeout(r, 20));
        for (const ev of pipeline.rules.endAll()) {
          events++;
          opts.onEvent(ev);
        }
        scheduler.remove(pipeline);
        await pipeline.stop();
        resolve({ cameraId: camera.id, framesDetected: pipeline.framesDetected, events, wallSeconds: (Date.now() - started) / 1000 });
      } catch (err) {
        reject(err);
      }
    };
    const pipelineIdle = () => ended && pipeline.idle;
    scheduler.add(pipeline);
    pipeline.start();
  });
}
