import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { iou } from "../../src/detector/decoders/index.ts";
import type { Detection } from "../../src/contracts/roles.ts";
import { ffmpegPath } from "../../src/shared/ffmpeg-path.ts";

export const repoRoot = path.resolve(import.meta.dirname, "../..");
export const modelsDir = path.join(repoRoot, "models");
export { testdata, vtestClip } from "../support/paths.ts";

const run = promisify(execFile);

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `curbwatch-${prefix}-`));
}

/** Frame n of a clip as a PNG, extracted by ffmpeg the way the edge reads video. */
export async function extractFrame(clip: string, frameIndex: number, outPng: string): Promise<string> {
  await run(ffmpegPath(), [
    "-loglevel",
    "error",
    "-y",
    "-i",
    clip,
    "-vf",
    `select=eq(n\\,${frameIndex})`,
    "-frames:v",
    "1",
    "-fps_mode",
    "passthrough",
    outPng,
  ]);
  return outPng;
}

/** Frame n scaled by ffmpeg straight to the model input, in the model's pixel format: exactly the edge's path. */
export async function extractRawFrame(clip: string, frameIndex: number, width: number, height: number, pixFmt: "rgb24" | "bgr24"): Promise<Buffer> {
  const { stdout } = await run(
    ffmpegPath(),
    [
      "-loglevel",
      "error",
      "-i",
      clip,
      "-vf",
      `select=eq(n\\,${frameIndex}),scale=${width}:${height}`,
      "-frames:v",
      "1",
      "-fps_mode",
      "passthrough",
      "-pix_fmt",
      pixFmt,
      "-f",
      "rawvideo",
      "-",
    ],
    { encoding: "buffer", maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

type Box = [number, number, number, number];
const asRect = (b: Box) => ({ x1: b[0], y1: b[1], x2: b[2], y2: b[3] });

/** For each labelled box, the best IoU among detections of that label (0 when none). */
export function bestIous(labels: Box[], detections: Detection[], label: string): number[] {
  const same = detections.filter((d) => d.label === label);
  return labels.map((l) => Math.max(0, ...same.map((d) => iou(asRect(l), asRect(d.box)))));
}
