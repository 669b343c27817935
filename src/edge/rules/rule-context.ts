import type { Rule, Zone } from "../../contracts/edge-config.ts";
import type { Box } from "../../contracts/roles.ts";
import { median, stationarySinceMs, type Track } from "../track/object-tracker.ts";
import { anchorInside, normaliseBox } from "./zone-geometry.ts";

const boxArea = (b: Box) => Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);

/** Shoelace area of a polygon in the same (normalised) units as the boxes. */
function polygonArea(poly: readonly [number, number][]): number {
  let a = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i];
    const [x2, y2] = poly[(i + 1) % poly.length];
    a += x1 * y2 - x2 * y1;
  }
  return Math.abs(a) / 2;
}

export interface FrameGeometry {
  original: { width: number; height: number };
  /** Detector input size: `minBoxPx` is stated in these pixels. */
  input: { width: number; height: number };
}

/** What a rule decided on one frame. */
export interface RuleVerdict {
  qualifies: boolean;
  objects: QualifyingObject[];
  /** When the situation began (earliest dwell start of its objects). */
  sinceMs: number;
}

export interface QualifyingObject {
  track: Track;
  /** Box in 0..1 of the frame. */
  box: Box;
}

/**
 * The per-object tests every rule shares: seen in this frame, score (now and median over
 * the track), size, and the configured anchor point inside the zone polygon.
 */
export function objectInZone(track: Track, zone: Zone, rule: Rule, geom: FrameGeometry): QualifyingObject | null {
  if (!track.seenNow) return null;
  if (track.score < rule.minScore) return null;
  if (median(track.scores) < rule.minMedianScore) return null;
  const wPx = ((track.box[2] - track.box[0]) * geom.input.width) / geom.original.width;
  const hPx = ((track.box[3] - track.box[1]) * geom.input.height) / geom.original.height;
  if (Math.min(wPx, hPx) < rule.minBoxPx) return null;
  const box = normaliseBox(track.box, geom.original);
  if (track.role === "static_object" && boxArea(box) < rule.minStaticObjectArea * polygonArea(zone.polygon as [number, number][])) return null;
  if (!anchorInside(box, zone.polygon as [number, number][], rule.anchor)) return null;
  return { track, box };
}

/** When the object's current stay began: it has not moved more than `tolerance` × its height since. */
export function dwellSinceMs(track: Track, tolerance: number): number {
  return stationarySinceMs(track, tolerance);
}
