/**
 * Constant tensors as the converter sees them: TF.js weights, folded results and the
 * small int tensors (shapes, axes, paddings) that become ONNX attributes or inputs.
 * float16 stays float16 (raw Uint16) so the written model is half the size.
 */
export type ConstDType = "float32" | "float16" | "int32" | "int64" | "bool";

export type ConstData = Float32Array | Uint16Array | Int32Array | BigInt64Array | Uint8Array;

export interface ConstTensor {
  dtype: ConstDType;
  shape: number[];
  data: ConstData;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

const f16Table = (() => {
  // Every float16 bit pattern decoded once; 256 KiB and exact.
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) t[h] = sign * frac * 2 ** -24;
    else if (exp === 31) t[h] = frac ? NaN : sign * Infinity;
    else t[h] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return t;
})();

export function float16ToFloat32(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = f16Table[src[i]];
  return out;
}

/** Numeric view of any const (float16 decoded), for folding and for reading attributes. */
export function toNumbers(t: ConstTensor): number[] {
  if (t.dtype === "float16") return Array.from(float16ToFloat32(t.data as Uint16Array));
  if (t.dtype === "int64") return Array.from(t.data as BigInt64Array, (v) => Number(v));
  return Array.from(t.data as ArrayLike<number>);
}

export function toFloat32(t: ConstTensor): Float32Array {
  if (t.dtype === "float32") return t.data as Float32Array;
  if (t.dtype === "float16") return float16ToFloat32(t.data as Uint16Array);
  return Float32Array.from(toNumbers(t));
}

export function int64Const(values: readonly number[], shape: number[] = [values.length]): ConstTensor {
  return { dtype: "int64", shape, data: BigInt64Array.from(values, (v) => BigInt(Math.trunc(v))) };
}

export function float32Const(values: ArrayLike<number>, shape: number[]): ConstTensor {
  return { dtype: "float32", shape, data: Float32Array.from(values) };
}

/** Permutes a constant's axes (e.g. TF conv filters HWIO → ONNX OIHW) without changing its element type. */
export function transposeConst(t: ConstTensor, perm: readonly number[]): ConstTensor {
  const rank = t.shape.length;
  const outShape = perm.map((p) => t.shape[p]);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= t.shape[i];
  }
  const strideForOut = perm.map((p) => inStrides[p]);
  const n = sizeOf(t.shape);
  const Ctor = t.data.constructor as { new (n: number): ConstData };
  const out = new Ctor(n);
  const idx = new Array<number>(rank).fill(0);
  const src = t.data as unknown as { [i: number]: number | bigint };
  const dst = out as unknown as { [i: number]: number | bigint };
  for (let o = 0; o < n; o++) {
    let off = 0;
    for (let k = 0; k < rank; k++) off += idx[k] * strideForOut[k];
    dst[o] = src[off];
    for (let k = rank - 1; k >= 0; k--) {
      if (++idx[k] < outShape[k]) break;
      idx[k] = 0;
    }
  }
  return { dtype: t.dtype, shape: outShape, data: out };
}

export function reshapeConst(t: ConstTensor, shape: number[]): ConstTensor {
  return { ...t, shape };
}
