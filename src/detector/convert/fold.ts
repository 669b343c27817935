import type { ConstTensor } from "./tensor.ts";
import { sizeOf, toNumbers } from "./tensor.ts";
import type { TfNode } from "./tfjs-model.ts";
import { attrString } from "./tfjs-model.ts";

/**
 * Evaluates constant-only subgraphs at conversion time. TF.js exports carry shape
 * arithmetic (SparseToDense over zero-size indices, AddV2 of int shapes) that ONNX
 * would otherwise receive as runtime ops on int64 it cannot type-check.
 * Returns undefined when the op is not foldable here; the caller then emits it.
 */
export function foldConstNode(node: TfNode, inputs: ConstTensor[]): ConstTensor[] | undefined {
  switch (node.op) {
    case "Identity":
      return [inputs[0]];
    case "SparseToDense":
      return [sparseToDense(inputs)];
    case "Add":
    case "AddV2":
      return [elementwise(inputs[0], inputs[1], (a, b) => a + b)];
    case "Sub":
      return [elementwise(inputs[0], inputs[1], (a, b) => a - b)];
    case "Mul":
      return [elementwise(inputs[0], inputs[1], (a, b) => a * b)];
    case "Reshape":
      return [{ ...inputs[0], shape: resolveShape(toNumbers(inputs[1]), sizeOf(inputs[0].shape)) }];
    case "Cast": {
      const to = node.attr?.DstT?.type ?? attrString(node, "DstT");
      if (to === "DT_INT32" || to === "DT_INT64") return [{ dtype: "int32", shape: inputs[0].shape, data: Int32Array.from(toNumbers(inputs[0]), Math.trunc) }];
      if (to === "DT_FLOAT") return [{ dtype: "float32", shape: inputs[0].shape, data: Float32Array.from(toNumbers(inputs[0])) }];
      return undefined;
    }
    default:
      return undefined;
  }
}

function resolveShape(want: number[], total: number): number[] {
  const known = want.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  return want.map((d) => (d === -1 ? total / known : d));
}

function sparseToDense([indices, outShape, values, dflt]: ConstTensor[]): ConstTensor {
  const shape = toNumbers(outShape);
  const n = sizeOf(shape);
  const isFloat = values.dtype === "float32" || values.dtype === "float16";
  const out = new Array<number>(n).fill(toNumbers(dflt)[0] ?? 0);
  const idx = toNumbers(indices);
  const vals = toNumbers(values);
  const rank = shape.length;
  const count = indices.shape.length === 0 ? 1 : indices.shape[0];
  for (let k = 0; k < count && idx.length; k++) {
    let off = 0;
    for (let r = 0; r < rank; r++) off = off * shape[r] + idx[k * rank + r];
    out[off] = vals.length === 1 ? vals[0] : vals[k];
  }
  return isFloat ? { dtype: "float32", shape, data: Float32Array.from(out) } : { dtype: "int32", shape, data: Int32Array.from(out) };
}

/** Same-shape or scalar-broadcast arithmetic; enough for the shape math TF.js leaves behind. */
function elementwise(a: ConstTensor, b: ConstTensor, f: (x: number, y: number) => number): ConstTensor {
  const x = toNumbers(a);
  const y = toNumbers(b);
  const n = Math.max(x.length, y.length);
  if (x.length !== y.length && x.length !== 1 && y.length !== 1) {
    throw new Error(`cannot fold elementwise op on shapes [${a.shape}] and [${b.shape}]`);
  }
  const out = Array.from({ length: n }, (_, i) => f(x[x.length === 1 ? 0 : i], y[y.length === 1 ? 0 : i]));
  const shape = x.length >= y.length ? a.shape : b.shape;
  const isInt = (a.dtype === "int32" || a.dtype === "int64") && (b.dtype === "int32" || b.dtype === "int64");
  return isInt ? { dtype: "int32", shape, data: Int32Array.from(out) } : { dtype: "float32", shape, data: Float32Array.from(out) };
}
