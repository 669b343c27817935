/**
 * Public API of the detector: the edge asks for a shared detector by model name and
 * reads `manifest.input` to tell ffmpeg what to emit (size and `-pix_fmt rgb24|bgr24`).
 */
export type { Detector, DetectorOptions, DetectOptions, RawFrame } from "./detector.ts";
export { getDetector, releaseDetectors, ModelLoadError } from "./detector.ts";
export type { ModelManifest, ModelInput } from "./manifest.ts";
export { ManifestError, modelManifestSchema, readManifest } from "./manifest.ts";
export { ImageReadError } from "./image.ts";
export { COCO80, COCO_ROLES } from "./coco.ts";

import type { ModelManifest } from "./manifest.ts";

/** What ffmpeg must produce for this model: `-vf scale=W:H -pix_fmt rgb24|bgr24 -f rawvideo` (letterboxed top-left when the manifest says so). */
export function frameFormatFor(manifest: ModelManifest): { width: number; height: number; pixFmt: "rgb24" | "bgr24"; fit: "stretch" | "letterbox" } {
  return {
    width: manifest.input.width,
    height: manifest.input.height,
    pixFmt: manifest.input.colorOrder === "bgr" ? "bgr24" : "rgb24",
    fit: manifest.input.resize,
  };
}

import path from "node:path";
import { fileURLToPath } from "node:url";

/** The models/ folder shipped with CurbWatch (nanodet, centernet), wherever the process runs from. */
export function bundledModelsDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../models");
}
