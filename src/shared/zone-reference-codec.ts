import { deflateSync, inflateSync } from "node:zlib";
import type { ZoneReference } from "../contracts/edge-config.ts";

/** Longest side of a reference grid: the static-object detector analyses a zone at this size. */
export const REFERENCE_LONG_SIDE = 160;

/** A zone's bounding box [x1, y1, x2, y2] in fractions of the frame. */
export function zoneRegion(polygon: readonly (readonly [number, number])[]): [number, number, number, number] {
  const xs = polygon.map((p) => p[0]);
  const ys = polygon.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** Grid size for a region of `w`×`h` pixels: long side 160 (the detector's own grid), at least 8. */
export function referenceGridSize(w: number, h: number): { width: number; height: number } {
  const scale = REFERENCE_LONG_SIDE / Math.max(w, h);
  return {
    width: Math.max(8, Math.min(REFERENCE_LONG_SIDE, Math.round(w * scale))),
    height: Math.max(8, Math.min(REFERENCE_LONG_SIDE, Math.round(h * scale))),
  };
}

export function encodeReferenceGray(gray: Uint8Array): string {
  return deflateSync(gray, { level: 9 }).toString("base64");
}

/** The reference's pixels; a clear error when they do not match its stated size. */
export function decodeReferenceGray(ref: Pick<ZoneReference, "gray" | "width" | "height">): Uint8Array {
  const data = inflateSync(Buffer.from(ref.gray, "base64"), { maxOutputLength: ref.width * ref.height + 1 });
  if (data.length !== ref.width * ref.height) throw new Error(`zone reference holds ${data.length} pixels, not ${ref.width}×${ref.height}`);
  return new Uint8Array(data);
}

/** True when the reference covers the zone's current bounding box (a moved zone needs a new reference). */
export function referenceFitsZone(ref: Pick<ZoneReference, "region">, polygon: readonly (readonly [number, number])[]): boolean {
  const region = zoneRegion(polygon);
  return region.every((v, i) => Math.abs(v - ref.region[i]) < 1e-4);
}
