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

/** Why an object of a rule's roles does not count: unseen in this frame, anchor outside the zone, or one of the rule's thresholds. */
export type ObjectMiss = "unseen" | "outside" | "low_score" | "small_box" | "small_static";

/**
 * The per-object tests every rule shares: seen in this frame, the configured anchor point inside
 * the zone polygon, score (now and median over the track) and size. The first test failed is
 * named, so the zone editor can count what a threshold left out of the zone.
 */
export function judgeObject(track: Track, zone: Zone, rule: Rule, geom: FrameGeometry): QualifyingObject | ObjectMiss {
  if (!track.seenNow) return "unseen";
  const box = normaliseBox(track.box, geom.original);
  if (!anchorInside(box, zone.polygon as [number, number][], rule.anchor)) return "outside";
  if (track.score < rule.minScore || median(track.scores) < rule.minMedianScore) return "low_score";
  const wPx = ((track.box[2] - track.box[0]) * geom.input.width) / geom.original.width;
  const hPx = ((track.box[3] - track.box[1]) * geom.input.height) / geom.original.height;
  if (Math.min(wPx, hPx) < rule.minBoxPx) return "small_box";
  if (track.role === "static_object" && boxArea(box) < rule.minStaticObjectArea * polygonArea(zone.polygon as [number, number][])) return "small_static";
  return { track, box };
}

/** The object as the rule counts it, or null when any of the shared tests fails. */
export function objectInZone(track: Track, zone: Zone, rule: Rule, geom: FrameGeometry): QualifyingObject | null {
  const judged = judgeObject(track, zone, rule, geom);
  return typeof judged === "string" ? null : judged;
}

/** When the object's current stay began: it has not moved more than `tolerance` × its height since. */
export function dwellSinceMs(track: Track, tolerance: number): number {
  return stationarySinceMs(track, tolerance);
}
