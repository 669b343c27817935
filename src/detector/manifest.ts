import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { objectRoleSchema } from "../contracts/roles.ts";

/**
 * A model is an `.onnx` file plus this manifest beside it. Everything the detector needs
 * to feed the model and read its outputs is stated here, so a department's own model
 * drops in without a code change.
 */
const rgbTriple = z.tuple([z.number(), z.number(), z.number()]);

export const modelInputSchema = z.object({
  /** ONNX input tensor name. */
  name: z.string().min(1),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  layout: z.enum(["NCHW", "NHWC"]),
  /** Channel order the model expects; the edge asks ffmpeg for the same (`-pix_fmt rgb24|bgr24`). */
  colorOrder: z.enum(["rgb", "bgr"]),
  /** Per-channel (in the model's channel order) on 0..255 pixels: (x − mean) / std. */
  mean: rgbTriple.default([0, 0, 0]),
  std: rgbTriple.default([1, 1, 1]),
  /**
   * How a frame is fitted to the input: `stretch` fills it (aspect ratio lost; NanoDet and
   * CenterNet were trained so), `letterbox` keeps the aspect ratio and pads the right/bottom
   * with grey 114 (Ultralytics YOLO exports). Zone-focused crops keep the aspect either way.
   */
  resize: z.enum(["stretch", "letterbox"]).default("stretch"),
});

const nanodetDecoder = z.object({
  family: z.literal("nanodet"),
  /** One entry per pyramid level: sigmoided class scores [1, N, C] and GFL distributions [1, N, 4·(regMax+1)]. */
  levels: z.array(z.object({ stride: z.number().int().positive(), scores: z.string(), boxes: z.string() })).min(1),
  regMax: z.number().int().positive(),
});

const centernetDecoder = z.object({
  family: z.literal("centernet"),
  /** Sigmoided heatmap [1, H, W, C] and box extents [1, H, W, 4] (left, top, right, bottom in input pixels). */
  heatmap: z.string(),
  extents: z.string(),
  stride: z.number().int().positive(),
  topK: z.number().int().positive().default(100),
});

const yolov5Decoder = z.object({
  family: z.literal("yolov5"),
  /** [1, N, 5 + C]: cx, cy, w, h (input pixels), objectness, class scores. */
  output: z.string(),
});

const yolov8Decoder = z.object({
  family: z.literal("yolov8"),
  /** [1, 4 + C, N]: cx, cy, w, h (input pixels), class scores; also YOLO11. */
  output: z.string(),
});

export const decoderSchema = z.discriminatedUnion("family", [nanodetDecoder, centernetDecoder, yolov5Decoder, yolov8Decoder]);

export const modelManifestSchema = z.object({
  name: z.string().min(1),
  /** The ONNX file, relative to the manifest. */
  file: z.string().min(1),
  description: z.string().optional(),
  source: z.string().optional(),
  license: z.string().optional(),
  input: modelInputSchema,
  decoder: decoderSchema,
  classes: z.array(z.string().min(1)).min(1),
  /** Class → role for the rules; classes not listed play "other". */
  roles: z.record(z.string(), objectRoleSchema),
  /** Why the roles are what they are; read by people, not by code. */
  roleNotes: z.string().optional(),
  defaultThreshold: z.number().min(0).max(1).default(0.35),
  nmsIou: z.number().min(0).max(1).default(0.5),
  maxDetections: z.number().int().positive().default(100),
});

export type ModelManifest = z.infer<typeof modelManifestSchema>;
export type ModelInput = ModelManifest["input"];
export type DecoderSpec = ModelManifest["decoder"];

export class ManifestError extends Error {
  override name = "ManifestError";
}

export async function readManifest(manifestPath: string): Promise<ModelManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(manifestPath, "utf8"));
  } catch (err) {
    throw new ManifestError(`cannot read model manifest ${manifestPath}: ${(err as Error).message}`);
  }
  const parsed = modelManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new ManifestError(`model manifest ${manifestPath} is invalid: ${issues}`);
  }
  for (const cls of Object.keys(parsed.data.roles)) {
    if (!parsed.data.classes.includes(cls)) throw new ManifestError(`model manifest ${manifestPath}: roles names class "${cls}", which is not in classes`);
  }
  return parsed.data;
}

export function modelFilePath(manifestPath: string, manifest: ModelManifest): string {
  return path.resolve(path.dirname(manifestPath), manifest.file);
}
