import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import ffmpeg from "fluent-ffmpeg";
import type { CameraConfig } from "../../contracts/edge-config.ts";
import type { CameraHealth } from "../../contracts/health.ts";
import { ffmpegMajorVersion, ffmpegPath } from "../../shared/ffmpeg-path.ts";
import { redactUrl, type Logger } from "../../shared/logger.ts";
import { redactUrlsIn } from "../../shared/url-redaction.ts";
import { deprioritise } from "../../shared/process-priority.ts";
import { markRunEnded } from "../evidence/segment-list.ts";
import { buildIngestPlan, isRtsp, type FrameFormat } from "./ffmpeg-args.ts";
import { parseProgressTime, parseShowinfo, type FrameInfo } from "./frame-info.ts";
import { FrameQueue } from "./frame-queue.ts";
import { RestartBackoff } from "./restart-backoff.ts";

/** One ffmpeg run of a camera; its segments and timestamps belong to it alone. */
export interface StreamRun {
  runId: number;
  /** Wall/media time (ms) at which this run's pts was 0. */
  epochMs: number;
  segmentDir?: string;
}

export interface SampledFrame {
  cameraId: string;
  run: StreamRun;
  ptsSec: number;
  /** The camera's timeline in ms: wall clock for live cameras, `mediaEpochMs + pts` in replay. */
  tMs: number;
  /** Seconds into the source video (replay) or since the camera first streamed. */
  videoSec: number;
  /** When the frame left ffmpeg (wall clock), for sample-to-candidate latency. */
  receivedAtMs: number;
  data: Buffer;
  width: number;
  height: number;
  format: "rgb24" | "bgr24";
  original: { width: number; height: number };
}

export interface CameraStreamOptions {
  camera: CameraConfig;
  format: FrameFormat;
  log: Logger;
  /** `live`: wall clock, -re for files, drop-oldest queue, restart forever. `replay`: as fast as possible, lossless, ends with the file. */
  mode: "live" | "replay";
  /** Replay: the wall time that video second 0 stands for (schedules are evaluated on it). */
  mediaEpochMs?: number;
  /** Rolling segment buffer for evidence clips; absent = no clips. */
  segments?: { root: string; seconds: number };
  queueCapacity?: number;
  onFrame: () => void;
  onRunStart?: (run: StreamRun) => void;
  /** Replay only: the file is over, or (with a reason) ffmpeg could not read it. */
  onEnded?: (failure?: string) => void;
}

let ffmpegMajor: number | undefined;

/** A complaint of the segment (evidence) output, not of the camera: its muxer refuses the stream or cannot write. */
const segmentMuxerError = /^\[(segment|matroska)[^\]]*\].*(can't|cannot|could not|failed|invalid|error)|output (stream|file) #?1/i;

/** One watchdog tick for every live stream of the process, not a timer per camera. */
const watched = new Set<CameraStream>();
let watchdogTick: NodeJS.Timeout | null = null;

/**
 * Pulls one camera through ffmpeg and hands scaled frames to the detector's queue. A watchdog
 * restarts a stalled or dead stream with capped exponential backoff, so a camera that reboots
 * comes back by itself.
 */
export class CameraStream {
  readonly queue: FrameQueue<SampledFrame>;
  private command: ffmpeg.FfmpegCommand | null = null;
  private runCounter = 0;
  private run: StreamRun | null = null;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private lastActivityMs = Date.now();
  private lastProgressSec = -1;
  private pendingInfos: FrameInfo[] = [];
  private pendingFrames: Buffer[] = [];
  private partial: Buffer | null = null;
  private partialFill = 0;
  private paused = false;
  private pausedCallback: (() => void) | null = null;
  private firstStartMs: number | null = null;
  private readonly backoff: RestartBackoff;
  private stderrTail: string[] = [];
  private inputFps = 0;
  /**
   * Runs in a row whose segment (evidence) output failed before any frame. At 2 the muxer is
   * retried with regenerated timestamps; if that fails twice too, the camera runs without
   * evidence (watching matters more) and every such run counts as evidence lost.
   */
  private segmentFailures = 0;
  private segmentMode: "copy" | "regenerated-timestamps" | "off" = "copy";
  /** The segment muxer complained during this run (it refuses the stream's timestamps, cannot write). */
  private segmentErrorThisRun = false;
  /** Stream runs that had to go without evidence segments. */
  evidenceLost = 0;

  /** How evidence segments are being recorded: stream copy, the fallback with regenerated timestamps, or not at all. */
  get segmentRecording(): "copy" | "regenerated-timestamps" | "off" {
    return this.segmentMode;
  }
  private framesThisRun = 0;

  state: CameraHealth["state"] = "starting";
  lastError: string | null = null;
  lastFrameAt: number | null = null;
  framesSampled = 0;
  /** Media seconds ffmpeg has read; × input fps ≈ frames in. */
  mediaSecondsRead = 0;

  constructor(private opts: CameraStreamOptions) {
    this.queue = new FrameQueue(opts.queueCapacity ?? (opts.mode === "replay" ? 4 : 2), opts.mode === "replay" ? "lossless" : "drop-oldest");
    const wd = opts.camera.watchdog;
    this.backoff = new RestartBackoff(wd.backoffInitialSeconds * 1000, wd.backoffMaxSeconds * 1000);
  }

  get cameraId(): string {
    return this.opts.camera.id;
  }

  get restarts(): number {
    return this.backoff.total;
  }

  restartsLastHour(): number {
    return this.backoff.restartsLastHour();
  }

  /** Estimated frames per second arriving from the camera, for health. */
  get nominalInputFps(): number {
    return this.inputFps;
  }

  start(): void {
    this.stopped = false;
    this.launch();
    if (this.opts.mode === "live") {
      watched.add(this);
      watchdogTick ??= setInterval(() => {
        for (const stream of watched) stream.checkStall();
      }, 1000).unref();
    }
  }

  /** Replay backpressure: the consumer took a frame, the reader may go on. */
  resume(): void {
    if (this.paused && !this.queue.full) {
      this.paused = false;
      const cb = this.pausedCallback;
      this.pausedCallback = null;
      cb?.();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.state = "stopped";
    if (this.restartTimer) clearTimeout(this.restartTimer);
    watched.delete(this);
    if (!watched.size && watchdogTick) {
      clearInterval(watchdogTick);
      watchdogTick = null;
    }
    await this.killCurrent();
    this.queue.clear();
  }

  private killCurrent(): Promise<void> {
    const cmd = this.command;
    this.command = null;
    if (!cmd) return Promise.resolve();
    const proc = (cmd as unknown as { ffmpegProc?: import("node:child_process").ChildProcess }).ffmpegProc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const hard = setTimeout(() => proc.kill("SIGKILL"), 3000);
      proc.once("exit", () => {
        clearTimeout(hard);
        resolve();
      });
      // SIGTERM lets the segment muxer close its current file cleanly.
      proc.kill("SIGTERM");
    });
  }

  private launch(): void {
    const cam = this.opts.camera;
    ffmpegMajor ??= ffmpegMajorVersion();
    const runId = ++this.runCounter;
    let segmentDir: string | undefined;
    if (this.opts.segments && this.segmentMode !== "off") {
      segmentDir = path.join(this.opts.segments.root, `run-${Date.now()}-${runId}`);
      fs.mkdirSync(segmentDir, { recursive: true });
    }
    const plan = buildIngestPlan(cam, {
      format: this.opts.format,
      realtime: this.opts.mode === "live",
      ffmpegMajor,
      socketTimeoutSeconds: Math.min(10, cam.watchdog.stallSeconds),
      segments: segmentDir
        ? { dir: segmentDir, seconds: this.opts.segments!.seconds, regenerateTimestamps: this.segmentMode === "regenerated-timestamps" }
        : undefined,
    });
    if (this.opts.segments && !segmentDir) this.evidenceLost++;
    const run: StreamRun = { runId, epochMs: NaN, segmentDir };
    this.run = run;
    this.pendingInfos = [];
    this.pendingFrames = [];
    this.partial = null;
    this.partialFill = 0;
    this.lastProgressSec = -1;
    this.framesThisRun = 0;
    this.segmentErrorThisRun = false;
    this.lastActivityMs = Date.now();
    this.state = this.restarts > 0 ? "restarting" : "starting";

    const frameSink = new Writable({
      highWaterMark: this.frameBytes,
      // fluent-ffmpeg takes the sink's "close" for a broken pipe and kills ffmpeg 20 ms later;
      // at the end of a file, on a loaded machine, ffmpeg is then still closing its segment
      // output and the run fails ("Output stream closed"). Its own exit decides instead.
      emitClose: false,
      write: (chunk: Buffer, _enc, cb) => this.onStdout(chunk, cb),
    });
    const cmd = ffmpeg(plan.input).setFfmpegPath(ffmpegPath());
    cmd.inputOptions(...plan.inputOptions);
    cmd.output(frameSink).outputOptions(...plan.frameOutputOptions);
    if (plan.segmentOutput) cmd.output(plan.segmentOutput.target).outputOptions(...plan.segmentOutput.options);
    cmd.on("start", () => deprioritise((cmd as unknown as { ffmpegProc?: { pid?: number } }).ffmpegProc?.pid));
    cmd.on("stderr", (line: string) => this.onStderr(line, run));
    cmd.on("error", (err: Error) => this.onExit(run, err));
    cmd.on("end", () => this.onExit(run, null));
    this.command = cmd;
    this.opts.log.info({ camera: cam.id, url: redactUrl(cam.url), sampling: cam.sampling, runId }, "camera stream starting");
    cmd.run();
  }

  private get frameBytes(): number {
    return this.opts.format.width * this.opts.format.height * 3;
  }

  private onStdout(chunk: Buffer, cb: () => void): void {
    const size = this.frameBytes;
    let offset = 0;
    while (offset < chunk.length) {
      if (!this.partial) {
        this.partial = Buffer.allocUnsafe(size);
        this.partialFill = 0;
      }
      const n = Math.min(size - this.partialFill, chunk.length - offset);
      chunk.copy(this.partial, this.partialFill, offset, offset + n);
      this.partialFill += n;
      offset += n;
      if (this.partialFill === size) {
        this.pendingFrames.push(this.partial);
        this.partial = null;
      }
    }
    this.pairFrames();
    if (this.paused) this.pausedCallback = cb;
    else cb();
  }

  private onStderr(line: string, run: StreamRun): void {
    if (run !== this.run) return;
    const info = parseShowinfo(line);
    if (info) {
      this.pendingInfos.push(info);
      this.pairFrames();
      return;
    }
    const progress = parseProgressTime(line);
    if (progress !== null) {
      if (progress > this.lastProgressSec) {
        if (this.lastProgressSec >= 0) this.mediaSecondsRead += progress - this.lastProgressSec;
        this.lastProgressSec = progress;
        this.lastActivityMs = Date.now();
      }
      return;
    }
    if (segmentMuxerError.test(line)) this.segmentErrorThisRun = true;
    const fps = /Stream #0:\d+.*Video:.*?([\d.]+) fps/.exec(line);
    if (fps && !this.inputFps) this.inputFps = Number(fps[1]);
    // Keep ffmpeg's last words: the line that names the failure is often not the one that says "error".
    if (!line.startsWith("[Parsed_showinfo") && !/^\s*(Stream|Input|Output|Duration|Metadata|encoder|Press|\w+\s*:)/.test(line) && line.trim()) {
      // ffmpeg quotes the input URL in its errors; this tail ends up in logs and in published health.
      this.stderrTail.push(redactUrlsIn(line.trim()));
      if (this.stderrTail.length > 4) this.stderrTail.shift();
    }
  }

  /** showinfo lines and frame bytes travel on different pipes; they pair up in order. */
  private pairFrames(): void {
    const run = this.run;
    if (!run) return;
    while (this.pendingFrames.length && this.pendingInfos.length) {
      const data = this.pendingFrames.shift()!;
      const info = this.pendingInfos.shift()!;
      const now = Date.now();
      if (Number.isNaN(run.epochMs)) {
        run.epochMs = this.opts.mode === "replay" ? (this.opts.mediaEpochMs ?? 0) : now - info.ptsSec * 1000;
        this.firstStartMs ??= run.epochMs;
        this.opts.onRunStart?.(run);
      }
      // Live: the sample's arrival is its time (immune to RTCP timestamp jumps and restarts); replay: the video's own clock.
      const tMs = this.opts.mode === "replay" ? run.epochMs + info.ptsSec * 1000 : now;
      const frame: SampledFrame = {
        cameraId: this.opts.camera.id,
        run,
        ptsSec: info.ptsSec,
        tMs,
        videoSec: this.opts.mode === "replay" ? info.ptsSec : Math.max(0, (tMs - (this.firstStartMs ?? tMs)) / 1000),
        receivedAtMs: now,
        data,
        width: this.opts.format.width,
        height: this.opts.format.height,
        format: this.opts.format.pixFmt,
        original: { width: info.originalWidth, height: info.originalHeight },
      };
      this.lastActivityMs = now;
      this.lastFrameAt = now;
      this.framesSampled++;
      this.framesThisRun++;
      if (this.state !== "streaming") {
        this.state = "streaming";
        this.lastError = null;
      }
      // A stream that has delivered frames for a while is healthy: the next failure starts the backoff afresh.
      this.backoff.succeeded();
      const more = this.queue.push(frame);
      if (!more) this.paused = true;
      this.opts.onFrame();
    }
  }

  private checkStall(): void {
    if (this.stopped || !this.command) return;
    const stallMs = this.opts.camera.watchdog.stallSeconds * 1000;
    if (Date.now() - this.lastActivityMs > stallMs) {
      this.opts.log.warn({ camera: this.cameraId, stallSeconds: this.opts.camera.watchdog.stallSeconds }, "camera stalled: no frame; restarting the stream");
      this.lastError = `no frame for ${this.opts.camera.watchdog.stallSeconds} s`;
      this.state = "stalled";
      const run = this.run;
      void this.killCurrent().then(() => this.onExit(run!, new Error(this.lastError!)));
    }
  }

  private onExit(run: StreamRun, err: Error | null): void {
    if (run !== this.run) return;
    this.run = null;
    // Its segments are all closed now: evidence waiting for more of this run need not wait.
    if (run.segmentDir) markRunEnded(run.segmentDir);
    this.command = null;
    if (this.stopped) return;
    const cam = this.opts.camera;
    const ended = !err && !isRtsp(cam.url) && !cam.loop;
    const reason = this.stderrTail.slice(-3).join(" | ") || redactUrlsIn(err?.message.split("\n")[0] ?? "") || "stream ended";
    if (this.opts.mode === "replay" && (ended || err)) {
      // A file is read once: retrying an unreadable one would only hide the error.
      this.state = ended ? "stopped" : "error";
      this.opts.onEnded?.(ended ? undefined : reason);
      return;
    }
    // A stream the segment muxer refuses (odd timestamps, codec parameters) is retried with
    // timestamps regenerated; only if that fails too does the camera watch without evidence.
    if (
      this.framesThisRun === 0 &&
      (this.segmentErrorThisRun || /output (stream|file) (#)?1/i.test(reason)) &&
      this.segmentMode !== "off" &&
      ++this.segmentFailures >= 2
    ) {
      this.segmentFailures = 0;
      this.segmentMode = this.segmentMode === "copy" ? "regenerated-timestamps" : "off";
      this.opts.log.error(
        { camera: cam.id, reason, segments: this.segmentMode },
        this.segmentMode === "off"
          ? "segment output keeps failing; this camera runs without evidence clips and snapshots"
          : "segment output failed; retrying with regenerated timestamps",
      );
    }
    this.lastError = this.state === "stalled" ? this.lastError : `${reason}${this.segmentMode === "off" ? " (evidence segments disabled)" : ""}`;
    this.stderrTail = [];
    const delay = this.backoff.nextDelayMs();
    if (this.state !== "stalled") this.state = "restarting";
    this.opts.log.warn(
      { camera: cam.id, error: redactUrl(this.lastError ?? ""), restartInMs: delay, restartsLastHour: this.backoff.restartsLastHour() },
      "camera stream stopped; restarting",
    );
    this.restartTimer = setTimeout(() => this.launch(), delay);
  }
}
