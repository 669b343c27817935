import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

let cached: string | undefined;

/**
 * The system's ffmpeg when there is one (it is newer and has the distribution's codecs),
 * otherwise the static binary shipped inside @ffmpeg-installer/ffmpeg.
 */
export function ffmpegPath(): string {
  if (cached) return cached;
  const fromEnv = process.env.FFMPEG_PATH;
  if (fromEnv) return (cached = fromEnv);
  try {
    execFileSync("ffmpeg", ["-hide_banner", "-version"], { stdio: "ignore" });
    return (cached = "ffmpeg");
  } catch {
    return (cached = shippedFfmpegPath());
  }
}

/**
 * The static ffmpeg inside @ffmpeg-installer/ffmpeg (a 2018 build of ffmpeg 4 for linux-x64,
 * no ffprobe): what the edge runs when the system has no ffmpeg. Tested with the edge's own
 * ingest and segment arguments on a real RTSP stream.
 */
export function shippedFfmpegPath(): string {
  const require = createRequire(import.meta.url);
  return (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;
}

/** ffmpeg's major version; option names changed across versions (RTSP `-stimeout` became `-timeout` in 5). */
export function ffmpegMajorVersion(path = ffmpegPath()): number {
  const out = execFileSync(path, ["-hide_banner", "-version"], { encoding: "utf8" });
  const m = /ffmpeg version (?:n)?(\d+)\./.exec(out);
  // Static snapshot builds print "N-47683-g…"; those date from ffmpeg 4.
  return m ? Number(m[1]) : 4;
}
