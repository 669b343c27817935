import type { Box, Detection } from "../contracts/roles.ts";

/** Whole pixels, origin top-left. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface TilePlanOptions {
  /** Neighbouring tiles share at least this fraction of a tile side, so an object cut by one tile edge is whole in the other tile or in two joinable parts. */
  overlap: number;
  /** A region up to this many times the model input (per side) is detected in one piece, scaled down; larger regions are tiled. */
  singleTileMaxScale: number;
  /** Most tiles a plan may use (the inference budget left for the zones). */
  maxTiles: number;
}

export const defaultTilePlanOptions: TilePlanOptions = { overlap: 0.2, singleTileMaxScale: 1.5, maxTiles: 2 };

/** The four edges of a crop; `true` where the crop edge lies inside the picture (an object touching it may go on beyond). */
export interface Edges {
  left: boolean;
  top: boolean;
  right: boolean;
  bottom: boolean;
}

export interface Tile {
  /** The crop, in picture pixels, always inside the picture. */
  crop: Rect;
  /** The crop is resized to this (aspect kept) and placed top-left in the model input; the rest is padding. */
  resized: Size;
  interior: Edges;
}

export interface TilePlan {
  tiles: Tile[];
  /** Picture pixels per model pixel (the coarsest tile): 1 is the model's native scale. */
  scale: number;
}

function clampRect(r: Rect, picture: Size): Rect {
  const x1 = Math.max(0, Math.min(picture.width, r.x));
  const y1 = Math.max(0, Math.min(picture.height, r.y));
  const x2 = Math.max(x1, Math.min(picture.width, r.x + r.width));
  const y2 = Math.max(y1, Math.min(picture.height, r.y + r.height));
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

/** Scale (picture px per model px) a cols×rows grid needs to cover the region with the given overlap; never below native. */
function gridScale(region: Size, model: Size, cols: number, rows: number, overlap: number): number {
  const acrossX = model.width * (cols - (cols - 1) * overlap);
  const acrossY = model.height * (rows - (rows - 1) * overlap);
  return Math.max(1, region.width / acrossX, region.height / acrossY);
}

/** Start positions of `count` tiles of `size` spread evenly over [start, start+length], clamped into [0, limit]. */
function placements(start: number, length: number, size: number, count: number, limit: number): number[] {
  const clampStart = (v: number) => Math.max(0, Math.min(limit - size, Math.round(v)));
  if (count === 1 || length <= size) return [clampStart(start + (length - size) / 2)];
  const step = (length - size) / (count - 1);
  return Array.from({ length: count }, (_, i) => clampStart(start + i * step));
}

/**
 * Tiles that cover a region of the picture at the finest scale the budget allows, each with
 * the model input's aspect ratio (context pixels rather than padding or distortion). A region
 * that fits within `singleTileMaxScale` model inputs is one tile; a smaller one is one
 * native-scale tile centred on it.
 */
export function planTiles(regionIn: Rect, picture: Size, model: Size, opts: TilePlanOptions = defaultTilePlanOptions): TilePlan {
  const region = clampRect(regionIn, picture);
  if (region.width < 1 || region.height < 1)
    throw new Error(
      `the region [${regionIn.x},${regionIn.y} ${regionIn.width}×${regionIn.height}] lies outside the ${picture.width}×${picture.height} picture`,
    );
  if (opts.maxTiles < 1) throw new Error("a tile plan needs a budget of at least one tile");
  let cols = 1;
  let rows = 1;
  let scale = gridScale(region, model, 1, 1, opts.overlap);
  if (scale > opts.singleTileMaxScale) {
    for (let c = 1; c <= opts.maxTiles; c++) {
      for (let r = 1; c * r <= opts.maxTiles; r++) {
        const s = gridScale(region, model, c, r, opts.overlap);
        // Finer scale wins; on a tie the plan with fewer tiles does.
        if (s < scale - 1e-9) {
          scale = s;
          cols = c;
          rows = r;
        }
      }
    }
  }
  const tileW = Math.min(picture.width, Math.round(model.width * scale));
  const tileH = Math.min(picture.height, Math.round(model.height * scale));
  const xs = placements(region.x, region.width, tileW, cols, picture.width);
  const ys = placements(region.y, region.height, tileH, rows, picture.height);
  const tiles: Tile[] = [];
  let coarsest = 0;
  for (const y of ys) {
    for (const x of xs) {
      const crop = { x, y, width: tileW, height: tileH };
      // Fit the crop into the model input keeping its aspect (a crop clipped by the picture is letterboxed).
      const fit = Math.min(model.width / tileW, model.height / tileH);
      const resized = { width: Math.min(model.width, Math.round(tileW * fit)), height: Math.min(model.height, Math.round(tileH * fit)) };
      coarsest = Math.max(coarsest, tileW / resized.width, tileH / resized.height);
      tiles.push({
        crop,
        resized,
        interior: { left: x > 0, top: y > 0, right: x + tileW < picture.width, bottom: y + tileH < picture.height },
      });
    }
  }
  return { tiles, scale: coarsest };
}

/** A box in model-input pixels of a tile → picture pixels: exact inverse of crop + resize. */
export function tileBoxToPicture(tile: Tile, box: Box): Box {
  const kx = tile.crop.width / tile.resized.width;
  const ky = tile.crop.height / tile.resized.height;
  return [tile.crop.x + box[0] * kx, tile.crop.y + box[1] * ky, tile.crop.x + box[2] * kx, tile.crop.y + box[3] * ky];
}

/** Which sides of a box (model-input pixels) touch an interior edge of its tile, within `tolerancePx`. */
export function cutEdges(tile: Tile, box: Box, tolerancePx = 2): Edges {
  return {
    left: tile.interior.left && box[0] <= tolerancePx,
    top: tile.interior.top && box[1] <= tolerancePx,
    right: tile.interior.right && box[2] >= tile.resized.width - tolerancePx,
    bottom: tile.interior.bottom && box[3] >= tile.resized.height - tolerancePx,
  };
}

/** A detection in picture pixels with where it came from: the tile (or -1 for a whole-picture pass) and which of its sides a tile edge cut. */
export interface TiledDetection {
  detection: Detection;
  tile: number;
  cut: Edges;
}

const noCut: Edges = { left: false, top: false, right: false, bottom: false };
const isCut = (e: Edges) => e.left || e.top || e.right || e.bottom;

function overlap1d(a1: number, a2: number, b1: number, b2: number): number {
  const inter = Math.min(a2, b2) - Math.max(a1, b1);
  const union = Math.max(a2, b2) - Math.min(a1, b1);
  return inter > 0 && union > 0 ? inter / union : 0;
}

export function boxIou(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

/** `a` was cut by a tile edge on a side where `b` goes on beyond, the two overlap there and line up across the cut: parts of one object. */
function continues(a: TiledDetection, b: TiledDetection, tolerance: number, minAlign: number): boolean {
  const [ax1, ay1, ax2, ay2] = a.detection.box;
  const [bx1, by1, bx2, by2] = b.detection.box;
  const alignY = overlap1d(ay1, ay2, by1, by2) >= minAlign;
  const alignX = overlap1d(ax1, ax2, bx1, bx2) >= minAlign;
  return (
    (a.cut.right && alignY && bx2 > ax2 && bx1 <= ax2 + tolerance) ||
    (a.cut.left && alignY && bx1 < ax1 && bx2 >= ax1 - tolerance) ||
    (a.cut.bottom && alignX && by2 > ay2 && by1 <= ay2 + tolerance) ||
    (a.cut.top && alignX && by1 < ay1 && by2 >= ay1 - tolerance)
  );
}

function join(a: TiledDetection, b: TiledDetection): TiledDetection {
  const [ax1, ay1, ax2, ay2] = a.detection.box;
  const [bx1, by1, bx2, by2] = b.detection.box;
  const box: Box = [Math.min(ax1, bx1), Math.min(ay1, by1), Math.max(ax2, bx2), Math.max(ay2, by2)];
  const best = a.detection.score >= b.detection.score ? a : b;
  // The joined box is cut only where the part that reaches furthest on that side was.
  const cut: Edges = {
    left: ax1 <= bx1 ? a.cut.left : b.cut.left,
    top: ay1 <= by1 ? a.cut.top : b.cut.top,
    right: ax2 >= bx2 ? a.cut.right : b.cut.right,
    bottom: ay2 >= by2 ? a.cut.bottom : b.cut.bottom,
  };
  return { detection: { ...best.detection, box }, tile: best.tile, cut };
}

export interface MergeOptions {
  nmsIou: number;
  /** Picture pixels of slack when deciding whether two parts meet at a cut. */
  joinTolerancePx?: number;
  /** The parts must line up across the cut: 1-D IoU of their extents along the cut edge. */
  joinAlignment?: number;
}

/**
 * Detections of several tiles (and of a whole-picture pass) → one list: parts of an object
 * that a tile edge cut are joined into one box (same label, from different tiles, lined up
 * across the cut), then duplicates of the same object from overlapping tiles are removed
 * by per-label NMS, best score first.
 */
export function mergeTiledDetections(items: readonly TiledDetection[], opts: MergeOptions): Detection[] {
  const tolerance = opts.joinTolerancePx ?? 4;
  const minAlign = opts.joinAlignment ?? 0.5;
  const pool = items.map((i) => ({ ...i, cut: { ...(i.cut ?? noCut) } }));
  // Passes until nothing joins (a joined box may meet a part it did not reach before); usually two.
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < pool.length; i++) {
      for (let j = i + 1; j < pool.length; j++) {
        const a = pool[i];
        const b = pool[j];
        if (a.tile === b.tile || a.detection.label !== b.detection.label || !(isCut(a.cut) || isCut(b.cut))) continue;
        if (continues(a, b, tolerance, minAlign) || continues(b, a, tolerance, minAlign)) {
          pool[i] = join(a, b);
          pool.splice(j, 1);
          j = i;
          changed = true;
        }
      }
    }
  }
  const sorted = pool.map((p) => p.detection).sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of sorted) {
    if (kept.some((k) => k.label === d.label && boxIou(k.box, d.box) > opts.nmsIou)) continue;
    kept.push(d);
  }
  return kept;
}
