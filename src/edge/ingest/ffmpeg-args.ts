import type { CameraConfig } from "../../contracts/edge-config.ts";

export interface FrameFormat {
  width: number;
  height: number;
  pixFmt: "rgb24" | "bgr24";
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
  const filters = [
    ...(camera.sampling.mode === "fps" ? [`fps=${camera.sampling.fps}`] : []),
    showinfo,
    `scale=${opts.format.width}:${opts.format.height}`,
  ];
  const frameOutputOptions = [
    "-map", "0:v:0",
    "-filter_threads", "1",
    "-an",
    "-vf", filters.join(","),
    // Keyframes come at the GOP's pace; without passthrough ffmpeg would duplicate them to a constant rate.
    ...(keyframes ? ["-vsync", "0"] : []),
    "-pix_fmt", opts.format.pixFmt,
    "-f", "rawvideo",
  ];

  const plan: IngestPlan = { input: isRtsp(url) ? url : inputPath(url), inputOptions, frameOutputOptions };
  if (opts.segments) {
    plan.segmentOutput = {
      options: [
        "-map", "0:v:0",
        "-an",
        "-c:v", "copy",
        "-f", "segment",
        "-segment_time", String(opts.segments.seconds),
        "-segment_format", "matroska",
        "-segment_list", `${opts.segments.dir}/segments.csv`,
        "-segment_list_type", "csv",
        "-reset_timestamps", "1",
        ...(opts.segments.regenerateTimestamps ? ["-avoid_negative_ts", "make_zero"] : []),
      ],
      target: `${opts.segments.dir}/seg-%06d.mkv`,
    };
  }
  return plan;
}
