import type { Box, Detection } from "../../contracts/roles.ts";
import { clampRect, lumaOfRegion, type GrayImage, type PixelRect } from "./gray-image.ts";
import { StaticObjectModel, defaultStaticModelOptions, type StaticModelOptions } from "./static-object-model.ts";

/** Longest side of the grid a zone is analysed on: cheap at any camera resolution. */
const GRID_LONG_SIDE = 160;

/** A frame as the pipeline holds it: interleaved 3-channel pixels and the original size it stands for. */
export interface StaticFrame {
  data: Uint8Array;
  width: number;
  height: number;
  original: { width: number; height: number };
  /** Where the picture sits (top-left) when the frame is a padded canvas; the whole frame otherwise. */
  content?: { width: number; height: number };
}

/**
 * The static-object detector of one zone: crops the zone's bounding box, runs the background
 * model on a low-resolution grid, and returns blobs as `static_object` detections in original
 * frame pixels. Boxes of people and vehicles (in original pixels) are frozen out of the model.
 */
export class ZoneStaticDetector {
  readonly model: StaticObjectModel;
  /** The zone's bounding box in original frame pixels. */
  readonly region: PixelRect;
  readonly gridW: number;
  readonly gridH: number;

  constructor(zonePolygon: readonly (readonly [number, number])[], opts: StaticModelOptions = defaultStaticModelOptions) {
    const xs = zonePolygon.map((p) => p[0]);
    const ys = zonePolygon.map((p) => p[1]);
    this.region = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    const rw = this.region[2] - this.region[0];
    const rh = this.region[3] - this.region[1];
    const scale = GRID_LONG_SIDE / Math.max(rw, rh);
    this.gridW = Math.max(8, Math.round(rw * scale));
    this.gridH = Math.max(8, Math.round(rh * scale));
    this.model = new StaticObjectModel(this.gridW, this.gridH, opts);
  }

  /** Seeds the background with a clear-pavement reference frame of the same camera. */
  setReference(frame: StaticFrame): void {
    this.model.setReference(this.gridOf(frame));
  }

  /**
   * Seeds the background with a stored clear-pavement reference of the zone's bounding box
   * (grayscale at any size; resampled to this detector's grid by area averaging).
   */
  setReferenceGray(gray: GrayImage): void {
    const rgb = new Uint8Array(gray.width * gray.height * 3);
    for (let i = 0; i < gray.data.length; i++) rgb.fill(gray.data[i], i * 3, i * 3 + 3);
    this.model.setReference(lumaOfRegion(rgb, gray.width, gray.height, [0, 0, gray.width, gray.height], this.gridW, this.gridH));
  }

  update(frame: StaticFrame, tMs: number, frozenBoxes: readonly Box[] = []): Detection[] {
    const frozen = this.frozenGrid(frozenBoxes);
    const blobs = this.model.update(this.gridOf(frame), tMs, frozen);
    return blobs.map((b) => ({ label: "static_object", role: "static_object", score: b.score, box: this.toOriginal(b.box) }));
  }

  /** The static-object mask on the grid (for evidence and the zone editor). */
  staticMask(): { width: number; height: number; data: Uint8Array; region: PixelRect } {
    return { width: this.gridW, height: this.gridH, data: this.model.staticMask(), region: this.region };
  }

  private gridOf(frame: StaticFrame): GrayImage {
    const picture = frame.content ?? frame;
    const sx = picture.width / frame.original.width;
    const sy = picture.height / frame.original.height;
    const [x1, y1, x2, y2] = this.region;
    const rect = clampRect([x1 * sx, y1 * sy, x2 * sx, y2 * sy], frame.width, frame.height);
    return lumaOfRegion(frame.data, frame.width, frame.height, rect, this.gridW, this.gridH, true);
  }

  private frozenGrid(boxes: readonly Box[]): Uint8Array {
    const mask = new Uint8Array(this.gridW * this.gridH);
    const [rx, ry, rx2, ry2] = this.region;
    const gx = this.gridW / (rx2 - rx);
    const gy = this.gridH / (ry2 - ry);
    for (const [x1, y1, x2, y2] of boxes) {
      // A margin of one cell: a box rarely covers a person's whole outline.
      const a = Math.max(0, Math.floor((x1 - rx) * gx) - 1);
      const b = Math.max(0, Math.floor((y1 - ry) * gy) - 1);
      const c = Math.min(this.gridW, Math.ceil((x2 - rx) * gx) + 1);
      const d = Math.min(this.gridH, Math.ceil((y2 - ry) * gy) + 1);
      for (let y = b; y < d; y++) mask.fill(1, y * this.gridW + a, Math.max(y * this.gridW + a, y * this.gridW + c));
    }
    return mask;
  }

  private toOriginal(box: Box): Box {
    const [rx, ry, rx2, ry2] = this.region;
    const sx = (rx2 - rx) / this.gridW;
    const sy = (ry2 - ry) / this.gridH;
    return [rx + box[0] * sx, ry + box[1] * sy, rx + box[2] * sx, ry + box[3] * sy];
  }
}
