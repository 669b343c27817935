/** A single-channel 8-bit image, row-major. */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
  /**
   * Optional chromaticity per pixel, two bytes each: the shares of the first and second
   * channel in the pixel's sum (×255). A shadow darkens a surface but keeps these.
   */
  chroma?: Uint8Array;
}

/** Pixel rectangle [x1, y1, x2, y2] (x2/y2 exclusive) in a source frame. */
export type PixelRect = [number, number, number, number];

/**
 * Area-averages the `rect` of an interleaved RGB/BGR frame down to `outW`×`outH` luma. Area
 * averaging (not point sampling) keeps sensor noise out of the structure codes.
 */
export function lumaOfRegion(data: Uint8Array, width: number, height: number, rect: PixelRect, outW: number, outH: number, withChroma = false): GrayImage {
  const [x1, y1, x2, y2] = clampRect(rect, width, height);
  const out = new Uint8Array(outW * outH);
  const chroma = withChroma ? new Uint8Array(outW * outH * 2) : undefined;
  const sx = (x2 - x1) / outW;
  const sy = (y2 - y1) / outH;
  for (let oy = 0; oy < outH; oy++) {
    const ya = Math.floor(y1 + oy * sy);
    const yb = Math.max(ya + 1, Math.floor(y1 + (oy + 1) * sy));
    // At most ~4 rows/columns per cell: a 1080p zone costs the same as a small one.
    const ystep = Math.max(1, Math.floor((yb - ya) / 4));
    for (let ox = 0; ox < outW; ox++) {
      const xa = Math.floor(x1 + ox * sx);
      const xb = Math.max(xa + 1, Math.floor(x1 + (ox + 1) * sx));
      const xstep = Math.max(1, Math.floor((xb - xa) / 4));
      let c0 = 0;
      let c1 = 0;
      let sum = 0;
      let n = 0;
      // Luma from the sum of the three channels: channel order does not matter for structure.
      for (let y = ya; y < yb; y += ystep) {
        let i = (y * width + xa) * 3;
        for (let x = xa; x < xb; x += xstep, i += 3 * xstep) {
          c0 += data[i];
          c1 += data[i + 1];
          sum += data[i] + data[i + 1] + data[i + 2];
          n++;
        }
      }
      const o = oy * outW + ox;
      out[o] = Math.round(sum / (3 * n));
      if (chroma) {
        chroma[2 * o] = sum ? Math.round((255 * c0) / sum) : 85;
        chroma[2 * o + 1] = sum ? Math.round((255 * c1) / sum) : 85;
      }
    }
  }
  return { width: outW, height: outH, data: out, chroma };
}

export function clampRect(rect: PixelRect, width: number, height: number): PixelRect {
  const x1 = Math.max(0, Math.min(width - 1, Math.floor(rect[0])));
  const y1 = Math.max(0, Math.min(height - 1, Math.floor(rect[1])));
  const x2 = Math.max(x1 + 1, Math.min(width, Math.ceil(rect[2])));
  const y2 = Math.max(y1 + 1, Math.min(height, Math.ceil(rect[3])));
  return [x1, y1, x2, y2];
}
