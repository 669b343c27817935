import type { GrayImage } from "./gray-image.ts";

/** Neighbour offsets at distance 2 (a wider census sees texture rather than pixel noise). */
const OFFSETS: readonly [number, number][] = [
  [-2, -2],
  [0, -2],
  [2, -2],
  [2, 0],
  [2, 2],
  [0, 2],
  [-2, 2],
  [-2, 0],
];
export const CODE_BITS = OFFSETS.length * 2;

/**
 * Ternary census code per pixel: for each neighbour, one bit for "clearly brighter" and one
 * for "clearly darker" than the centre. The tolerance grows with brightness, so a brightness
 * or contrast change (a cloud, dusk, a soft shadow) leaves the code alone; only structure
 * (edges, texture, an object's outline) changes it. Border pixels get code 0.
 */
export function structureCodes(img: GrayImage, out?: Uint16Array): Uint16Array {
  const { width: w, height: h, data } = img;
  const codes = out ?? new Uint16Array(w * h);
  codes.fill(0);
  const deltas = Int32Array.from(OFFSETS, ([dx, dy]) => dy * w + dx);
  for (let y = 2; y < h - 2; y++) {
    for (let x = 2; x < w - 2; x++) {
      const i = y * w + x;
      const c = data[i];
      const tol = 2 + c * 0.1;
      let code = 0;
      const hi = c + tol;
      const lo = c - tol;
      for (let k = 0; k < 8; k++) {
        const n = data[i + deltas[k]];
        code |= (n > hi ? 1 : 0) << (2 * k);
        code |= (n < lo ? 1 : 0) << (2 * k + 1);
      }
      codes[i] = code;
    }
  }
  return codes;
}

export function popcount16(v: number): number {
  v = v - ((v >> 1) & 0x5555);
  v = (v & 0x3333) + ((v >> 2) & 0x3333);
  v = (v + (v >> 4)) & 0x0f0f;
  return (v + (v >> 8)) & 0x1f;
}
