import type { ModelInput } from "./manifest.ts";

export type PixelOrder = "rgb24" | "bgr24";

/**
 * Interleaved 8-bit pixels (already at the model's input size) → the model's float tensor.
 * One pass over the pixels with the normalisation folded into a multiply-add per channel
 * and the RGB↔BGR swap folded into the read offsets; no per-pixel closures.
 */
export function toInputTensor(pixels: Uint8Array, order: PixelOrder, input: ModelInput, out?: Float32Array): Float32Array {
  const plane = input.width * input.height;
  if (pixels.length !== plane * 3) {
    throw new Error(`frame has ${pixels.length} bytes; the model input ${input.width}×${input.height}×3 needs ${plane * 3}`);
  }
  const dst = out ?? new Float32Array(plane * 3);
  const swap = (order === "rgb24") !== (input.colorOrder === "rgb");
  // Byte of a source pixel that feeds model channel 0/1/2.
  const s0 = swap ? 2 : 0;
  const s2 = swap ? 0 : 2;
  const [k0, k1, k2] = input.std.map((s) => 1 / s);
  const [o0, o1, o2] = input.mean.map((m, c) => -m / input.std[c]);
  if (input.layout === "NCHW") {
    const p1 = plane;
    const p2 = plane * 2;
    for (let i = 0, j = 0; i < plane; i++, j += 3) {
      dst[i] = pixels[j + s0] * k0 + o0;
      dst[p1 + i] = pixels[j + 1] * k1 + o1;
      dst[p2 + i] = pixels[j + s2] * k2 + o2;
    }
  } else {
    for (let j = 0; j < dst.length; j += 3) {
      dst[j] = pixels[j + s0] * k0 + o0;
      dst[j + 1] = pixels[j + 1] * k1 + o1;
      dst[j + 2] = pixels[j + s2] * k2 + o2;
    }
  }
  return dst;
}
