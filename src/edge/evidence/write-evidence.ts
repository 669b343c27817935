import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { ffmpegPath } from "../../shared/ffmpeg-path.ts";
import type { Situation } from "../rules/situation.ts";
import { annotateSnapshot } from "./annotate-snapshot.ts";

const run = promisify(execFile);

/** One frame of a video file at `sec`, as JPEG (real ffmpeg, accurate seek). */
export async function videoFrameJpeg(video: string, sec: number): Promise<Buffer> {
  const { stdout } = await run(
    ffmpegPath(),
    ["-v", "error", "-i", video, "-ss", Math.max(0, sec).toFixed(3), "-frames:v", "1", "-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "3", "-"],
    { encoding: "buffer", maxBuffer: 64 << 20 },
  );
  if (stdout.length === 0) throw new Error(`no frame at ${sec.toFixed(1)} s in ${video}`);
  return stdout;
}

/**
 * Writes the annotated snapshot of a situation (zone, shop front line, every object of the
 * situation incl. static objects, the static-object mask) taken from the video at the moment its dwell was reached.
 * Returns the file written.
 */
export async function writeSituationEvidence(dir: string, video: string, s: Situation, prefix = ""): Promise<string> {
  const jpeg = await videoFrameJpeg(video, s.dwellFrame.videoSec);
  const frontLine = s.rule.kind === "shop_overflow" ? (s.rule.frontLine as [number, number][]) : undefined;
  const annotated = await annotateSnapshot(jpeg, s.zone, s.objects, frontLine, s.staticMask);
  await fs.mkdir(dir, { recursive: true });
  const safeId = s.candidateId.replace(/[^A-Za-z0-9_.-]/g, "_");
  const file = path.join(dir, `${prefix}${safeId}.jpg`);
  await fs.writeFile(file, annotated);
  return file;
}
