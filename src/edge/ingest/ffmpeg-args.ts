import type { CameraConfig } from "../../contracts/edge-config.ts";

export interface FrameFormat {
  width: number;
  height: number;
  pixFmt: "rgb24" | "bgr24";
  /**
   * `stretch` (default): the frame fills width×height. `letterbox`: aspect kept, scaled to fit,
   * padded right/bottom with grey 114 (YOLO exports). `canvas`: the working frame of zone-focused
   * detection: aspect kept, never upscaled, padded right/bottom with black; the picture's size
   * follows from the source size (`canvasContentSize`).
   */
  fit?: "stretch" | "letterbox" | "canvas";
}

/** The scale (+ pad) filters that fit a frame of unknown size into the format. */
export function fitFilters(format: FrameFormat): string[] {
  const { width: w, height: h } = format;
  switch (format.fit ?? "stretch") {
    case "stretch":
      return [`scale=${w}:${h}`];
    case "letterbox":
      return [`scale=${w}:${h}:force_original_aspect_ratio=decrease`, `pad=${w}:${h}:0:0:color=0x727272`];
    case "canvas":
      return [`scale='min(iw,${w})':'min(ih,${h})':force_original_aspect_ratio=decrease`, `pad=${w}:${h}:0:0:color=black`];
  }
}

/**
 * Where the picture sits in a `canvas` frame: the size ffmpeg's scale filter picks for
 * force_original_aspect_ratio=decrease (av_rescale rounds to nearest), top-left aligned.
 */
export function canvasContentSize(original: { width: number; height: number }, canvas: { width: number; height: number }): { width: number; height: number } {
  const w = Math.min(original.width, canvas.width);
  const h = Math.min(original.height, canvas.height);
  const byH = Math.round((h * original.width) / original.height);
  const byW = Math.round((w * original.height) / original.width);
  return { width: Math.min(w, byH), height: Math.min(h, byW) };
}

export interface IngestPlan {
  input: string;
  inputOptions: string[];
  /** Options of the raw-frame output (written to stdout). */
  frameOutputOptions: string[];
  /** Options + target of the stream-copied segment output, when evidence is recorded. */
  segmentOutput?: { options: string[]; target: string };
}

export interface IngestPlanOptions {
  format: FrameFormat;
  /** `-re`: read a file at its native rate (a live demo camera); replay runs as fast as possible. */
  realtime: boolean;
  ffmpegMajor: number;
  /** RTSP socket timeout: a dead server makes ffmpeg exit instead of hanging. */
  socketTimeoutSeconds?: number;
  /** `regenerateTimestamps`: the fallback for a stream the muxer refused (missing or broken pts). */
  segments?: { dir: string; seconds: number; regenerateTimestamps?: boolean };
}

export function isRtsp(url: string): boolean {
  return /^rtsps?:\/\//i.test(url);
}

/** file:// URLs and plain paths are the same thing to ffmpeg once decoded. */
export function inputPath(url: string): string {
  if (/^file:\/\//i.test(url)) return decodeURIComponent(new URL(url).pathname);
  return url;
}

/**
 * One ffmpeg per camera with two outputs: raw frames already scaled to the detector input
 * (ffmpeg scales cheaper than a second decode), and a rolling buffer of stream-copied
 * segments for evidence clips (no re-encode, and no second pull from the camera).
 * `showinfo` (before scaling) reports each sampled frame's pts and original size on stderr.
 */
export function buildIngestPlan(camera: Pick<CameraConfig, "url" | "sampling" | "loop">, opts: IngestPlanOptions): IngestPlan {
  const inputOptions: string[] = ["-hide_banner", "-nostdin"];
  const url = camera.url;
  if (isRtsp(url)) {
    const timeoutUs = String(Math.round((opts.socketTimeoutSeconds ?? 10) * 1e6));
    inputOptions.push("-rtsp_transport", "tcp", opts.ffmpegMajor >= 5 ? "-timeout" : "-stimeout", timeoutUs);
  } else {
    if (camera.loop) inputOptions.push("-stream_loop", "-1");
    if (opts.realtime) inputOptions.push("-re");
  }
  // One decoder thread per camera: many cameras share the cores better than frame threads do,
  // and frame threading would hold each sampled frame back until the next ones arrive.
  inputOptions.push("-threads", "1");
  // Fallback for streams whose timestamps the segment muxer refuses (missing or broken): stamp
  // each packet with its arrival time, which is what a live camera's timeline is anyway.
  if (opts.segments?.regenerateTimestamps) inputOptions.push("-use_wallclock_as_timestamps", "1", "-fflags", "+genpts");
  const keyframes = camera.sampling.mode === "keyframes";
  // Keyframe mode: the decoder never touches P/B frames, a small fraction of a full decode.
  // A keyframe references nothing, so skipping its deblocking (invisible once scaled to the
  // detector's input) cannot drift; about a fifth of a 1080p keyframe's decode. Snapshots are
  // decoded from the stream-copied segments with every filter on.
  if (keyframes) inputOptions.push("-skip_frame", "nokey", "-skip_loop_filter", "all", "-flags2", "fast");
  // Sampling a few frames a second: frames nothing refers to (most B-frames) need not be
  // decoded at all; the fps filter takes the nearest decoded frame. Saves a large share of a
  // full decode on cameras that send B-frames, costs nothing on those that do not.
  else if (camera.sampling.mode === "fps" && camera.sampling.fps <= 5) inputOptions.push("-skip_frame", "noref");

  const showinfo = opts.ffmpegMajor >= 5 ? "showinfo=checksum=0" : "showinfo";
  const filters = [...(camera.sampling.mode === "fps" ? [`fps=${camera.sampling.fps}`] : []), showinfo, ...fitFilters(opts.format)];
  const frameOutputOptions = [
    "-map",
    "0:v:0",
    "-filter_threads",
    "1",
    "-an",
    "-vf",
    filters.join(","),
    // Keyframes come at the GOP's pace; without passthrough ffmpeg would duplicate them to a constant rate.
    ...(keyframes ? ["-vsync", "0"] : []),
    "-pix_fmt",
    opts.format.pixFmt,
    "-f",
    "rawvideo",
  ];

  const plan: IngestPlan = { input: isRtsp(url) ? url : inputPath(url), inputOptions, frameOutputOptions };
  if (opts.segments) {
    plan.segmentOutput = {
      options: [
        "-map",
        "0:v:0",
        "-an",
        "-c:v",
        "copy",
        "-f",
        "segment",
        "-segment_time",
        String(opts.segments.seconds),
        "-segment_format",
        "matroska",
        "-segment_list",
        `${opts.segments.dir}/segments.csv`,
        "-segment_list_type",
        "csv",
        "-reset_timestamps",
        "1",
        ...(opts.segments.regenerateTimestamps ? ["-avoid_negative_ts", "make_zero"] : []),
      ],
      target: `${opts.segments.dir}/seg-%06d.mkv`,
    };
  }
  return plan;
}
