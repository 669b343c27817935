import type { ModelInput } from "./manifest.ts";

export type PixelOrder = "rgb24" | "bgr24";

/**
 * Interleaved 8-bit pixels (already at the model's input size) → the model's float tensor.
 * One tight loop per channel with the normalisation folded into a multiply-add, and the
 * channel swap (RGB↔BGR) folded into the read offset; no per-pixel closures.
 */
export function toInputTensor(pixels: Uint8Array, order: PixelOrder, input: ModelInput, out?: Float32Array): Float32Array {
  const plane = input.width * input.height;
  if (pixels.length !== plane * 3) {
    throw new Error(`frame has ${pixels.length} bytes; the model input ${input.width}×${input.height}×3 needs ${plane * 3}`);
  }
  const dst = out ?? new Float32Array(plane * 3);
  const frameIsRgb = order === "rgb24";
  const modelIsRgb = input.colorOrder === "rgb";
  for (let c = 0; c < 3; c++) {
    // Which byte of a source pixel feeds model channel c.
    const src = frameIsRgb === modelIsRgb ? c : 2 - c;
    const scale = 1 / input.std[c];
    const offset = -input.mean[c] / input.std[c];
    if (input.layout === "NCHW") {
      const base = c * plane;
      for (let i = 0, j = src; i < plane; i++, j += 3) dst[base + i] = pixels[j] * scale + offset;
    } else {
      for (let i = c, j = src; i < dst.length; i += 3, j += 3) dst[i] = pixels[j] * scale + offset;
    }
  }
  return dst;
}
