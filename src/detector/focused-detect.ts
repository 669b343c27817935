import sharp from "sharp";
import type { Detection } from "../contracts/roles.ts";
import type { Detector, RawFrame } from "./detector.ts";
import { ImageReadError, LETTERBOX_GREY } from "./image.ts";
import type { Rect, Size, TiledDetection, TilePlan, TilePlanOptions } from "./tiling.ts";
import { cutEdges, defaultTilePlanOptions, mergeTiledDetections, planTiles, tileBoxToPicture } from "./tiling.ts";

/**
 * A frame larger than the model input (the edge's working frame, or a decoded still) whose
 * picture sits top-left in `content` (the rest is padding) and stands for a source of
 * `original` size: boxes are reported in original pixels.
 */
export interface WorkingFrame {
  frame: RawFrame;
  content: Size;
  original: Size;
}

export interface FocusedDetectOptions {
  threshold?: number;
  /** Also detect on the whole picture (scaled to the model input) and merge: context outside the region. */
  wholePicture?: boolean;
}

export interface FocusedDetectResult {
  detections: Detection[];
  inferences: number;
}

const BLACK = { r: 0, g: 0, b: 0, alpha: 1 };

/**
 * Cuts `crop` out of the frame, resizes it to `resized` and pads it to the model input
 * (right/bottom). Channel order is kept: sharp treats the three bytes alike.
 */
export async function cropToModelInput(frame: RawFrame, crop: Rect, resized: Size, model: Size, pad = LETTERBOX_GREY): Promise<Buffer> {
  const img = sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .extract({ left: crop.x, top: crop.y, width: crop.width, height: crop.height })
    .resize(resized.width, resized.height, { fit: "fill", kernel: "linear" });
  const right = model.width - resized.width;
  const bottom = model.height - resized.height;
  const out = right > 0 || bottom > 0 ? img.extend({ right, bottom, background: pad }) : img;
  return out.removeAlpha().raw().toBuffer();
}

/** The whole picture fitted to the model input as its manifest says (stretched or letterboxed). */
async function wholePictureInput(detector: Detector, wf: WorkingFrame): Promise<Buffer> {
  const input = detector.manifest.input;
  const full = { x: 0, y: 0, width: wf.content.width, height: wf.content.height };
  if (input.resize === "stretch") return cropToModelInput(wf.frame, full, input, input);
  const fit = Math.min(input.width / wf.content.width, input.height / wf.content.height);
  const resized = { width: Math.min(input.width, Math.round(wf.content.width * fit)), height: Math.min(input.height, Math.round(wf.content.height * fit)) };
  return cropToModelInput(wf.frame, full, resized, input);
}

/**
 * Zone-focused detection on one working frame: every tile of the plan (tiles in content
 * pixels) is cut out, resized to the model's scale and detected; boxes are mapped back to
 * original pixels and merged across tiles (parts cut by a tile edge joined, duplicates
 * removed). With `wholePicture`, a whole-picture pass joins the merge for context.
 */
export async function detectFocused(detector: Detector, wf: WorkingFrame, plan: TilePlan, opts: FocusedDetectOptions = {}): Promise<FocusedDetectResult> {
  const input = detector.manifest.input;
  const model = { width: input.width, height: input.height };
  const toOriginalX = wf.original.width / wf.content.width;
  const toOriginalY = wf.original.height / wf.content.height;
  const items: TiledDetection[] = [];
  let inferences = 0;
  // Tiles are padded grey for letterbox-trained models, black otherwise (both are "nothing" to them).
  const pad = input.resize === "letterbox" ? LETTERBOX_GREY : BLACK;
  for (const [index, tile] of plan.tiles.entries()) {
    const pixels = await cropToModelInput(wf.frame, tile.crop, tile.resized, model, pad);
    const found = await detector.detectFrame({ data: pixels, width: model.width, height: model.height, format: wf.frame.format }, model, {
      threshold: opts.threshold,
    });
    inferences++;
    for (const d of found) {
      const [x1, y1, x2, y2] = tileBoxToPicture(tile, d.box);
      items.push({
        detection: { ...d, box: [x1 * toOriginalX, y1 * toOriginalY, x2 * toOriginalX, y2 * toOriginalY] },
        tile: index,
        cut: cutEdges(tile, d.box),
      });
    }
  }
  if (opts.wholePicture) {
    const pixels = await wholePictureInput(detector, wf);
    const found = await detector.detectFrame({ data: pixels, width: model.width, height: model.height, format: wf.frame.format }, wf.original, {
      threshold: opts.threshold,
    });
    inferences++;
    for (const d of found) items.push({ detection: d, tile: -1, cut: { left: false, top: false, right: false, bottom: false } });
  }
  const round = (v: number, max: number) => Math.round(Math.min(Math.max(v, 0), max) * 10) / 10;
  const merged = mergeTiledDetections(items, { nmsIou: detector.manifest.nmsIou, joinTolerancePx: 4 * Math.max(toOriginalX, toOriginalY) });
  const detections = merged.slice(0, detector.manifest.maxDetections).map((d) => ({
    ...d,
    box: [
      round(d.box[0], wf.original.width),
      round(d.box[1], wf.original.height),
      round(d.box[2], wf.original.width),
      round(d.box[3], wf.original.height),
    ] as Detection["box"],
  }));
  return { detections, inferences };
}

/** Whole-picture detection of a working frame (the pass zone focus replaces or adds context to). */
export async function detectWholePicture(detector: Detector, wf: WorkingFrame, opts: { threshold?: number } = {}): Promise<Detection[]> {
  const input = detector.manifest.input;
  const pixels = await wholePictureInput(detector, wf);
  return detector.detectFrame({ data: pixels, width: input.width, height: input.height, format: wf.frame.format }, wf.original, opts);
}

/** Zone-focused detection on a JPEG/PNG at its full resolution: `region` in the image's pixels (`curbwatch detect --focus`). */
export async function detectImageFocused(
  detector: Detector,
  image: Buffer | string,
  region: Rect,
  opts: FocusedDetectOptions & { plan?: Partial<TilePlanOptions> } = {},
): Promise<FocusedDetectResult & { plan: TilePlan }> {
  let decoded: { data: Buffer; info: { width: number; height: number } };
  try {
    decoded = await sharp(image, { autoOrient: true, failOn: "error" }).removeAlpha().toColourspace("srgb").raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new ImageReadError(`cannot read image ${typeof image === "string" ? image : `buffer of ${image.length} bytes`}: ${(err as Error).message}`);
  }
  const size = { width: decoded.info.width, height: decoded.info.height };
  const plan = planTiles(region, size, detector.manifest.input, { ...defaultTilePlanOptions, ...opts.plan });
  const wf: WorkingFrame = { frame: { data: decoded.data, width: size.width, height: size.height, format: "rgb24" }, content: size, original: size };
  return { ...(await detectFocused(detector, wf, plan, opts)), plan };
}
