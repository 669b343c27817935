import sharp from "sharp";
import type { ZoneReference } from "../../contracts/edge-config.ts";
import { encodeReferenceGray, referenceGridSize, zoneRegion } from "../../shared/zone-reference-codec.ts";

/**
 * A zone's clear-pavement reference from a camera snapshot (JPEG): the zone's bounding box cut
 * out and area-averaged to the static-object detector's grid size, as the mean of the three
 * channels (what the edge computes from its frames, so the two compare like for like).
 */
export async function referenceFromSnapshot(
  jpeg: Buffer,
  polygon: readonly (readonly [number, number])[],
  meta: { version: number; capturedAt: Date },
): Promise<ZoneReference> {
  const image = sharp(jpeg, { failOn: "error" });
  const { width: fw, height: fh } = await image.metadata();
  if (!fw || !fh) throw new Error("the snapshot has no size");
  const region = zoneRegion(polygon);
  const left = Math.floor(region[0] * fw);
  const top = Math.floor(region[1] * fh);
  const w = Math.max(1, Math.min(fw - left, Math.ceil(region[2] * fw) - left));
  const h = Math.max(1, Math.min(fh - top, Math.ceil(region[3] * fh) - top));
  const grid = referenceGridSize(w, h);
  const rgb = await image
    .removeAlpha()
    .extract({ left, top, width: w, height: h })
    .resize(grid.width, grid.height, { fit: "fill", kernel: "linear" })
    .raw()
    .toBuffer();
  const gray = new Uint8Array(grid.width * grid.height);
  for (let i = 0; i < gray.length; i++) gray[i] = Math.round((rgb[i * 3] + rgb[i * 3 + 1] + rgb[i * 3 + 2]) / 3);
  return { version: meta.version, capturedAt: meta.capturedAt.toISOString(), region, width: grid.width, height: grid.height, gray: encodeReferenceGray(gray) };
}
