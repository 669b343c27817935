import type { Box } from "../../contracts/roles.ts";
import type { Zone } from "../../contracts/edge-config.ts";

type Point = [number, number];
type Anchor = "bottom_center" | "center" | "top_center" | "any_corner" | "whole_box";

/** Ray casting; polygon and point in the same (normalised) coordinates. */
export function pointInPolygon([x, y]: Point, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function normaliseBox(box: Box, frame: { width: number; height: number }): Box {
  const c = (v: number) => Math.min(1, Math.max(0, v));
  return [c(box[0] / frame.width), c(box[1] / frame.height), c(box[2] / frame.width), c(box[3] / frame.height)];
}

/**
 * Which point of a box must lie in the zone. The default, bottom-centre, is where a person
 * or a cart touches the ground, so a zone drawn on the pavement means what it looks like.
 */
export function anchorInside(box: Box, polygon: readonly Point[], anchor: Anchor): boolean {
  const [x1, y1, x2, y2] = box;
  const cx = (x1 + x2) / 2;
  switch (anchor) {
    case "bottom_center":
      return pointInPolygon([cx, y2], polygon);
    case "center":
      return pointInPolygon([cx, (y1 + y2) / 2], polygon);
    case "top_center":
      return pointInPolygon([cx, y1], polygon);
    case "any_corner":
      return (
        [
          [x1, y1],
          [x2, y1],
          [x1, y2],
          [x2, y2],
        ] as Point[]
      ).some((p) => pointInPolygon(p, polygon));
    case "whole_box":
      return (
        [
          [x1, y1],
          [x2, y1],
          [x1, y2],
          [x2, y2],
        ] as Point[]
      ).every((p) => pointInPolygon(p, polygon));
  }
}

function cross(a: Point, b: Point, p: Point): number {
  return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy || 1e-12;
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/**
 * True when `p` lies on the same side of the shop's front line as `streetSidePoint`.
 * The side is judged against the segment of the polyline nearest to `p`, so a front line
 * that bends round a corner still splits shop from street locally.
 */
export function onStreetSide(p: Point, frontLine: readonly Point[], streetSidePoint: Point): boolean {
  let best = 0;
  let bestDist = Infinity;
  for (let i = 0; i < frontLine.length - 1; i++) {
    const d = distanceToSegment(p, frontLine[i], frontLine[i + 1]);
    if (d < bestDist) {
      bestDist = d;
      best = i;
    }
  }
  const a = frontLine[best];
  const b = frontLine[best + 1];
  return Math.sign(cross(a, b, p)) === Math.sign(cross(a, b, streetSidePoint)) && cross(a, b, p) !== 0;
}

export function zoneContains(zone: Pick<Zone, "polygon">, box: Box, anchor: Anchor): boolean {
  return anchorInside(box, zone.polygon as Point[], anchor);
}

export function anchorPoint(box: Box, anchor: Anchor): Point {
  const cx = (box[0] + box[2]) / 2;
  if (anchor === "center") return [cx, (box[1] + box[3]) / 2];
  if (anchor === "top_center") return [cx, box[1]];
  return [cx, box[3]];
}
