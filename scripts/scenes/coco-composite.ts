import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import sharp from "sharp";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ffmpegPath } from "../../src/shared/ffmpeg-path.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const testdata = (...p: string[]) => path.resolve(repoRoot, "test/fixtures", ...p);
let cocoCache: { annotations: CocoAnnotation[]; images: CocoImage[] } | undefined;
const cocoInstances = () =>
  (cocoCache ??= JSON.parse(readFileSync(testdata("coco/instances.json"), "utf8")) as { annotations: CocoAnnotation[]; images: CocoImage[] });

const run = promisify(execFile);

interface CocoAnnotation {
  id: number;
  image_id: number;
  bbox: number[];
  segmentation: number[][] | object;
}
interface CocoImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
}

/** A real object cut out of a COCO photo with its segmentation polygon: RGBA at the requested size. */
export interface Cutout {
  width: number;
  height: number;
  rgba: Buffer;
}

/** The aspect ratio (height / width) of a COCO annotation's box, to size a cutout without distorting it. */
export function cocoAspect(annotationId: number): number {
  const ann = cocoInstances().annotations.find((a) => a.id === annotationId);
  if (!ann) throw new Error(`COCO annotation ${annotationId} missing`);
  return ann.bbox[3] / ann.bbox[2];
}

export async function cocoCutout(annotationId: number, width: number, height: number): Promise<Cutout> {
  const coco = cocoInstances();
  const ann = coco.annotations.find((a) => a.id === annotationId);
  if (!ann || !Array.isArray(ann.segmentation)) throw new Error(`COCO annotation ${annotationId} has no polygon`);
  const img = coco.images.find((i) => i.id === ann.image_id);
  if (!img) throw new Error(`COCO image ${ann.image_id} missing`);
  const polys = (ann.segmentation as number[][]).map((p) => `<polygon points="${p.join(" ")}" fill="white"/>`).join("");
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${img.width}" height="${img.height}">${polys}</svg>`);
  const mask = await sharp(svg).extractChannel(0).raw().toBuffer();
  const rgb = await sharp(testdata("coco/images", img.file_name)).removeAlpha().raw().toBuffer();
  const rgba = Buffer.alloc(img.width * img.height * 4);
  for (let i = 0; i < img.width * img.height; i++) {
    rgba[i * 4] = rgb[i * 3];
    rgba[i * 4 + 1] = rgb[i * 3 + 1];
    rgba[i * 4 + 2] = rgb[i * 3 + 2];
    rgba[i * 4 + 3] = mask[i];
  }
  const [bx, by, bw, bh] = ann.bbox.map(Math.round);
  const out = await sharp(rgba, { raw: { width: img.width, height: img.height, channels: 4 } })
    .extract({ left: bx, top: by, width: Math.min(bw, img.width - bx), height: Math.min(bh, img.height - by) })
    .resize(width, height, { fit: "fill" })
    .raw()
    .toBuffer();
  return { width, height, rgba: out };
}

/** Pastes a cutout into an interleaved RGB frame at (x, y), with a soft contact shadow below it. */
export function pasteCutout(frame: Buffer, frameW: number, cut: Cutout, x: number, y: number, shadow = 0.6): void {
  const frameH = frame.length / 3 / frameW;
  // Shadow: the silhouette sheared down-right and darkened, drawn first.
  for (let cy = 0; cy < cut.height; cy++) {
    for (let cx = 0; cx < cut.width; cx++) {
      const a = cut.rgba[(cy * cut.width + cx) * 4 + 3] / 255;
      if (a < 0.5) continue;
      const fx = x + cx + Math.round(cy * 0.3);
      const fy = y + Math.round(cut.height * 0.1) + cy;
      if (fx < 0 || fy < 0 || fx >= frameW || fy >= frameH) continue;
      const i = (fy * frameW + fx) * 3;
      for (let c = 0; c < 3; c++) frame[i + c] = Math.round(frame[i + c] * shadow);
    }
  }
  for (let cy = 0; cy < cut.height; cy++) {
    for (let cx = 0; cx < cut.width; cx++) {
      const j = (cy * cut.width + cx) * 4;
      const a = cut.rgba[j + 3] / 255;
      const fx = x + cx;
      const fy = y + cy;
      if (a === 0 || fx < 0 || fy < 0 || fx >= frameW || fy >= frameH) continue;
      const i = (fy * frameW + fx) * 3;
      for (let c = 0; c < 3; c++) frame[i + c] = Math.round(frame[i + c] * (1 - a) + cut.rgba[j + c] * a);
    }
  }
}

/** Decodes a clip to RGB frames at `fps`, scaled to width×height (real ffmpeg). */
export async function decodeFrames(file: string, fps: number, width: number, height: number): Promise<{ width: number; height: number; frames: Buffer[] }> {
  const { stdout } = await run(
    ffmpegPath(),
    ["-v", "error", "-i", file, "-vf", `fps=${fps},scale=${width}:${height}`, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
    { encoding: "buffer", maxBuffer: 1 << 30 },
  );
  const size = width * height * 3;
  const frames: Buffer[] = [];
  for (let o = 0; o + size <= stdout.length; o += size) frames.push(Buffer.from(stdout.subarray(o, o + size)));
  return { width, height, frames };
}
