import { z } from "zod";

/**
 * A zone's static-object mask as it travels in camera health: the cells of the detector's grid,
 * row-major, one bit per cell (most significant bit first within a byte), base64. A full
 * 160×160 grid is 3,200 bytes, 4,268 characters. Plain base64 rather than deflate, so the
 * browser decodes it synchronously with `atob`; this module imports nothing from Node.
 */

/** Longest side of a zone's analysis grid on the edge. */
export const STATIC_MASK_MAX_SIDE = 160;
/** A camera has at most 32 zones (the camera API's limit); an edge reports no more than this. */
export const STATIC_MASK_MAX_ZONES = 32;

const bytesFor = (width: number, height: number) => Math.ceil((width * height) / 8);

/** Length of the base64 text of a `width`×`height` grid. */
export const encodedStaticCellsLength = (width: number, height: number): number => 4 * Math.ceil(bytesFor(width, height) / 3);

/** True when `encoded` has exactly the length and padding of a `width`×`height` grid's base64 (another grid may share the length). */
export function fitsStaticGrid(encoded: string, width: number, height: number): boolean {
  const bytes = bytesFor(width, height);
  const padding = (3 - (bytes % 3)) % 3;
  return encoded.length === encodedStaticCellsLength(width, height) && encoded.length - encoded.replace(/=+$/, "").length === padding;
}

const MAX_ENCODED = encodedStaticCellsLength(STATIC_MASK_MAX_SIDE, STATIC_MASK_MAX_SIDE);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Cells (non-zero = static) as base64 of a row-major bitset. */
export function encodeStaticCells(cells: ArrayLike<number>): string {
  const bytes = new Uint8Array(Math.ceil(cells.length / 8));
  for (let i = 0; i < cells.length; i++) if (cells[i]) bytes[i >> 3] |= 0x80 >> (i & 7);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The cells of a `width`×`height` grid (1 = static); throws when the text is not exactly that grid. */
export function decodeStaticCells(encoded: string, width: number, height: number): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new Error(`a static mask grid of ${width}×${height} is not possible`);
  if (!BASE64.test(encoded)) throw new Error("the static mask is not valid base64");
  if (!fitsStaticGrid(encoded, width, height))
    throw new Error(`the static mask's ${encoded.length} base64 characters are not the ${bytesFor(width, height)} bytes of a ${width}×${height} grid`);
  let binary: string;
  try {
    binary = atob(encoded);
  } catch {
    throw new Error("the static mask is not valid base64");
  }
  const n = width * height;
  const cells = new Uint8Array(n);
  for (let i = 0; i < n; i++) cells[i] = (binary.charCodeAt(i >> 3) >> (7 - (i & 7))) & 1;
  return cells;
}

const unit = z.number().min(0).max(1);

/** One zone's mask; `region` [x1, y1, x2, y2] is the grid's extent in fractions of the frame. */
export const staticZoneMaskSchema = z
  .strictObject({
    zoneId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
    width: z.number().int().min(1).max(STATIC_MASK_MAX_SIDE),
    height: z.number().int().min(1).max(STATIC_MASK_MAX_SIDE),
    region: z.tuple([unit, unit, unit, unit]),
    cells: z.string().max(MAX_ENCODED).regex(BASE64, "base64"),
  })
  .refine((m) => fitsStaticGrid(m.cells, m.width, m.height), { path: ["cells"], message: "cells do not fit width × height" })
  .refine((m) => m.region[0] < m.region[2] && m.region[1] < m.region[3], { path: ["region"], message: "region must be x1 < x2, y1 < y2" });
export type StaticZoneMask = z.infer<typeof staticZoneMaskSchema>;

/** Every zone's mask of one camera (zones where nothing stands included), as of the frame at `at`. */
export const staticMasksSchema = z.strictObject({
  at: z.string().datetime({ offset: true }),
  zones: z.array(staticZoneMaskSchema).max(STATIC_MASK_MAX_ZONES),
});
export type StaticMasks = z.infer<typeof staticMasksSchema>;
