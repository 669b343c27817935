import { spawn } from "node:child_process";
import { ffmpegPath } from "../../shared/ffmpeg-path.ts";
import { DomainError } from "../domain/errors.ts";

const MAX_JPEG_BYTES = 20 * 1024 * 1024;

/**
 * Grabs one current frame as JPEG with ffmpeg (for drawing zones). The URL carries the
 * camera's credentials, so it goes to ffmpeg as an argument only: ffmpeg's stderr (which
 * can echo the URL) is read for the error class and never passed on.
 */
export function grabSnapshot(url: string, timeoutMs = 15_000): Promise<Buffer> {
  const input = /^rtsps?:/.test(url) ? ["-rtsp_transport", "tcp"] : [];
  const args = ["-hide_banner", "-loglevel", "error", ...input, "-i", url, "-frames:v", "1", "-f", "image2", "-c:v", "mjpeg", "-q:v", "3", "pipe:1"];
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath(), args, { stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (d: Buffer) => {
      bytes += d.length;
      if (bytes > MAX_JPEG_BYTES) child.kill("SIGKILL");
      else chunks.push(d);
    });
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new DomainError("upstream_failed", `cannot run ffmpeg: ${err.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (timedOut) return reject(new DomainError("upstream_timeout", `the camera sent no frame within ${timeoutMs / 1000} s`));
      const jpeg = Buffer.concat(chunks);
      if (code === 0 && jpeg.length > 0) return resolve(jpeg);
      reject(new DomainError("upstream_failed", `could not read a frame from the camera (${streamProblem(stderr)})`));
    });
  });
}

/** A coarse reason from ffmpeg's stderr, without echoing it (it may contain the URL). */
function streamProblem(stderr: string): string {
  if (/401|Unauthorized/i.test(stderr)) return "the camera refused the credentials";
  if (/404|Not Found/i.test(stderr)) return "the stream path does not exist";
  if (/Connection refused/i.test(stderr)) return "connection refused";
  if (/timed out|Timeout/i.test(stderr)) return "connection timed out";
  if (/No route|unreachable|resolve/i.test(stderr)) return "host unreachable";
  return "stream error";
}
