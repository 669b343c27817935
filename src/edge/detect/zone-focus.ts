import type { CameraConfig, Zone } from "../../contracts/edge-config.ts";
import type { Detection } from "../../contracts/roles.ts";
import type { ZoneFocusConfig } from "../../contracts/zone-focus-config.ts";
import type { Detector } from "../../detector/index.ts";
import { detectFocused, detectWholePicture, type WorkingFrame } from "../../detector/focused-detect.ts";
import { planTiles, type Rect, type Size, type TilePlan } from "../../detector/tiling.ts";
import { canvasContentSize, type FrameFormat } from "../ingest/ffmpeg-args.ts";

/** The zones' bounding box in original pixels, grown by `margin` (fraction of its width/height) on every side and kept inside the frame. */
export function zonesRegion(zones: readonly Zone[], original: Size, margin: number): Rect {
  const points = zones.flatMap((z) => z.polygon);
  if (!points.length) return { x: 0, y: 0, width: original.width, height: original.height };
  const xs = points.map((p) => p[0] * original.width);
  const ys = points.map((p) => p[1] * original.height);
  const x1 = Math.min(...xs);
  const x2 = Math.max(...xs);
  const y1 = Math.min(...ys);
  const y2 = Math.max(...ys);
  const mx = (x2 - x1) * margin;
  const my = (y2 - y1) * margin;
  const left = Math.max(0, Math.floor(x1 - mx));
  const top = Math.max(0, Math.floor(y1 - my));
  const right = Math.min(original.width, Math.ceil(x2 + mx));
  const bottom = Math.min(original.height, Math.ceil(y2 + my));
  return { x: left, y: top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

/** A frame as the camera stream hands it over (the working canvas when zone focus is on). */
export interface CanvasFrame {
  data: Buffer;
  width: number;
  height: number;
  format: "rgb24" | "bgr24";
  original: Size;
  tMs: number;
}

export interface ZoneFocusResult {
  detections: Detection[];
  /** The frame as the detector saw the zones, in "detector input pixels" (what `minBoxPx` is stated in). */
  effectiveInput: Size;
  inferences: number;
  wholeFrame: boolean;
}

interface Plans {
  key: string;
  content: Size;
  /** Tiles on an ordinary sample (the whole budget). */
  zone: TilePlan;
  /** Tiles on a sample that also runs the whole-frame pass (one inference less); null when that pass alone fills the budget. */
  withContext: TilePlan | null;
  /** The zone tiles see the whole picture already: no separate whole-frame pass is needed. */
  coversPicture: boolean;
}

/**
 * Zone-focused detection for one camera: it tells ingest which working frame to decode,
 * plans tiles over the zones' region for the frame's size (cached), keeps the number of
 * inferences per sample within the budget, and runs the whole-frame pass on its cadence.
 */
export class ZoneFocus {
  private plans: Plans | null = null;
  private lastWholeMs = Number.NEGATIVE_INFINITY;
  /** Counters health reads. */
  samples = 0;
  inferences = 0;
  lastInferences = 0;
  wholeFramePasses = 0;

  private constructor(
    private zones: readonly Zone[],
    readonly settings: ZoneFocusConfig,
    private readonly detector: Detector,
  ) {}

  /** Zone focus for a camera, or null when it is off or the camera has no zone to focus on. */
  static forCamera(camera: CameraConfig, detector: Detector): ZoneFocus | null {
    if (!camera.zoneFocus.enabled || camera.zones.length === 0) return null;
    return new ZoneFocus(camera.zones, camera.zoneFocus, detector);
  }

  /** Zones edited in place (the stream keeps running): the region and its tiles are planned afresh. */
  setZones(zones: readonly Zone[]): void {
    if (!zones.length) throw new Error("zone focus needs at least one zone; a camera losing its last zone restarts its stream");
    this.zones = zones;
    this.plans = null;
  }

  get budget(): number {
    return this.settings.maxInferencesPerSample;
  }

  /** The working frame ingest decodes: the source, capped at the working size, top-left on a fixed canvas. */
  frameFormat(): FrameFormat {
    const pixFmt = this.detector.manifest.input.colorOrder === "bgr" ? "bgr24" : "rgb24";
    return { width: this.settings.workingWidth, height: this.settings.workingHeight, pixFmt, fit: "canvas" };
  }

  /** The tile plans for a frame of this size (original and canvas). */
  plansFor(original: Size, canvas: Size): Plans {
    const content = canvasContentSize(original, canvas);
    const key = `${original.width}x${original.height}/${content.width}x${content.height}`;
    if (this.plans?.key === key) return this.plans;
    const inOriginal = zonesRegion(this.zones, original, this.settings.margin);
    const kx = content.width / original.width;
    const ky = content.height / original.height;
    const region = {
      x: Math.floor(inOriginal.x * kx),
      y: Math.floor(inOriginal.y * ky),
      width: Math.max(1, Math.ceil(inOriginal.width * kx)),
      height: Math.max(1, Math.ceil(inOriginal.height * ky)),
    };
    const model = this.detector.manifest.input;
    const opts = { overlap: this.settings.overlap, singleTileMaxScale: this.settings.singleTileMaxScale };
    const zone = planTiles(region, content, model, { ...opts, maxTiles: this.budget });
    const withContext = this.budget > 1 ? planTiles(region, content, model, { ...opts, maxTiles: this.budget - 1 }) : null;
    const covers = (p: TilePlan) => {
      const x1 = Math.min(...p.tiles.map((t) => t.crop.x));
      const y1 = Math.min(...p.tiles.map((t) => t.crop.y));
      const x2 = Math.max(...p.tiles.map((t) => t.crop.x + t.crop.width));
      const y2 = Math.max(...p.tiles.map((t) => t.crop.y + t.crop.height));
      return x1 <= 0 && y1 <= 0 && x2 >= content.width && y2 >= content.height;
    };
    this.plans = { key, content, zone, withContext, coversPicture: covers(zone) };
    return this.plans;
  }

  /** Detects one sample: the zone tiles, plus the whole frame when its turn has come. */
  async detect(frame: CanvasFrame, threshold: number): Promise<ZoneFocusResult> {
    const plans = this.plansFor(frame.original, { width: frame.width, height: frame.height });
    const wf: WorkingFrame = { frame, content: plans.content, original: frame.original };
    const wholeDue = !plans.coversPicture && frame.tMs - this.lastWholeMs >= this.settings.fullFrameSeconds * 1000;
    let result: { detections: Detection[]; inferences: number };
    let plan: TilePlan | null = plans.zone;
    if (!wholeDue) {
      result = await detectFocused(this.detector, wf, plans.zone, { threshold });
    } else if (plans.withContext) {
      plan = plans.withContext;
      result = await detectFocused(this.detector, wf, plans.withContext, { threshold, wholePicture: true });
    } else {
      // A budget of one: the whole-frame pass takes this sample's only inference.
      result = { detections: await detectWholePicture(this.detector, wf, { threshold }), inferences: 1 };
      plan = null;
    }
    if (wholeDue) {
      this.lastWholeMs = frame.tMs;
      this.wholeFramePasses++;
    }
    this.samples++;
    this.inferences += result.inferences;
    this.lastInferences = result.inferences;
    // Original pixels per model pixel at the zones, on this sample.
    const model = this.detector.manifest.input;
    const perModelPx = plan ? plan.scale * (frame.original.width / plans.content.width) : null;
    const effectiveInput = perModelPx
      ? { width: frame.original.width / perModelPx, height: frame.original.height / perModelPx }
      : { width: model.width, height: model.height };
    return { detections: result.detections, effectiveInput, inferences: result.inferences, wholeFrame: wholeDue };
  }
}
