import { spawn, type ChildProcess } from "node:child_process";
import { ffmpegPath } from "../../src/shared/ffmpeg-path.ts";

/**
 * A "camera": real ffmpeg looping a real clip, encoding H.264 (1 s GOP) at the clip's own
 * pace and publishing it over RTSP/TCP to the test relay.
 */
export function startRtspFeeder(clip: string, url: string, opts: { gopFrames?: number; scale?: string; fps?: number } = {}): ChildProcess {
  const vf = [opts.scale ? `scale=${opts.scale}` : null, opts.fps ? `fps=${opts.fps}` : null].filter(Boolean).join(",");
  return spawn(
    ffmpegPath(),
    [
      "-v",
      "error",
      "-re",
      "-stream_loop",
      "-1",
      "-i",
      clip,
      "-an",
      ...(vf ? ["-vf", vf] : []),
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-tune",
      "zerolatency",
      "-g",
      String(opts.gopFrames ?? 10),
      "-pix_fmt",
      "yuv420p",
      "-f",
      "rtsp",
      "-rtsp_transport",
      "tcp",
      url,
    ],
    { stdio: "ignore" },
  );
}

export async function stopChild(child: ChildProcess | null | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(t);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
