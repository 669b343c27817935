import type { ElemType, OnnxAttr, OnnxGraphBuilder } from "./onnx-graph.ts";
import type { ConstTensor } from "./tensor.ts";
import { float32Const, int64Const, reshapeConst, sizeOf, toNumbers, transposeConst } from "./tensor.ts";
import type { TfNode } from "./tfjs-model.ts";
import { attrBool, attrFloat, attrInt, attrInts, attrString, attrStrings } from "./tfjs-model.ts";

/**
 * TF op → ONNX nodes. Every value keeps TF semantics (NHWC where TF had NHWC); conv-like
 * ops wrap themselves in NHWC↔NCHW transposes and the simplifier cancels adjacent pairs.
 * Each emitter also returns static output shapes so Resize sizes and graph outputs are exact.
 */
export type Value = { kind: "const"; t: ConstTensor } | { kind: "tensor"; name: string; shape: number[]; dtype: ElemType };

export interface EmitContext {
  g: OnnxGraphBuilder;
  node: TfNode;
  inputs: Value[];
  /** ONNX tensor name for a value; consts become initializers (float16 ones behind a Cast). */
  tensorOf(v: Value, as?: ElemType): string;
}

export class UnsupportedOpError extends Error {
  constructor(
    readonly op: string,
    readonly nodeName: string,
    detail = "",
  ) {
    super(`unsupported TF.js op "${op}" at node "${nodeName}"${detail ? `: ${detail}` : ""}`);
    this.name = "UnsupportedOpError";
  }
}

type Emitter = (c: EmitContext) => Value[];

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];
const permute = (shape: number[], perm: number[]) => perm.map((p) => shape[p]);

function tensor(name: string, shape: number[], dtype: ElemType = "float32"): Value {
  return { kind: "tensor", name, shape, dtype };
}

function asTensor(c: EmitContext, i: number): { name: string; shape: number[]; dtype: ElemType } {
  const v = c.inputs[i];
  if (!v) throw new UnsupportedOpError(c.node.op, c.node.name, `missing input ${i}`);
  if (v.kind === "tensor") return v;
  return { name: c.tensorOf(v), shape: v.t.shape, dtype: v.t.dtype === "float16" ? "float32" : v.t.dtype };
}

function constInput(c: EmitContext, i: number, what: string): ConstTensor {
  const v = c.inputs[i];
  if (!v || v.kind !== "const") throw new UnsupportedOpError(c.node.op, c.node.name, `${what} (input ${i}) must be a constant`);
  return v.t;
}

function transposeTo(c: EmitContext, x: { name: string; shape: number[] }, perm: number[], hint: string) {
  const [name] = c.g.addNode("Transpose", [x.name], { perm: { ints: perm } }, hint);
  return { name, shape: permute(x.shape, perm) };
}

function dataFormat(node: TfNode): "NHWC" | "NCHW" {
  const f = attrString(node, "data_format") ?? "NHWC";
  if (f !== "NHWC" && f !== "NCHW") throw new UnsupportedOpError(node.op, node.name, `data_format ${f}`);
  return f;
}

function broadcastShape(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Spatial output size for TF padding modes (SAME = ONNX SAME_UPPER). */
function spatialOut(size: number, k: number, stride: number, dilation: number, padding: string, padBegin = 0, padEnd = 0) {
  if (padding === "SAME") return Math.ceil(size / stride);
  const eff = (k - 1) * dilation + 1;
  return Math.floor((size + padBegin + padEnd - eff) / stride) + 1;
}

function padAttrs(node: TfNode, format: "NHWC" | "NCHW"): { attrs: Record<string, OnnxAttr>; pads: number[] } {
  const padding = attrString(node, "padding") ?? "VALID";
  if (padding === "SAME") return { attrs: { auto_pad: { s: "SAME_UPPER" } }, pads: [0, 0, 0, 0] };
  if (padding === "VALID") return { attrs: { pads: { ints: [0, 0, 0, 0] } }, pads: [0, 0, 0, 0] };
  if (padding === "EXPLICIT") {
    const e = attrInts(node, "explicit_paddings") ?? [];
    const [h, w] = format === "NHWC" ? [1, 2] : [2, 3];
    const pads = [e[h * 2], e[w * 2], e[h * 2 + 1], e[w * 2 + 1]];
    return { attrs: { pads: { ints: pads } }, pads };
  }
  throw new UnsupportedOpError(node.op, node.name, `padding ${padding}`);
}

/** Applies a fused activation in place of TF's fused_ops tail. */
function activation(c: EmitContext, kind: string, x: { name: string; shape: number[] }): { name: string; shape: number[] } {
  const hint = `${c.node.name}/${kind}`;
  switch (kind) {
    case "Relu":
      return { name: c.g.addNode("Relu", [x.name], {}, hint)[0], shape: x.shape };
    case "Relu6":
      return { name: clip(c, x.name, 0, 6, hint), shape: x.shape };
    case "LeakyRelu":
      return { name: c.g.addNode("LeakyRelu", [x.name], { alpha: { f: attrFloat(c.node, "leakyrelu_alpha") ?? 0.2 } }, hint)[0], shape: x.shape };
    case "Sigmoid":
      return { name: c.g.addNode("Sigmoid", [x.name], {}, hint)[0], shape: x.shape };
    case "Elu":
      return { name: c.g.addNode("Elu", [x.name], {}, hint)[0], shape: x.shape };
    default:
      throw new UnsupportedOpError(c.node.op, c.node.name, `fused activation ${kind}`);
  }
}

function clip(c: EmitContext, x: string, lo: number, hi: number, hint: string): string {
  const min = c.tensorOf({ kind: "const", t: float32Const([lo], []) });
  const max = c.tensorOf({ kind: "const", t: float32Const([hi], []) });
  return c.g.addNode("Clip", [x, min, max], {}, hint)[0];
}

function conv(depthwise: boolean): Emitter {
  return (c) => {
    const node = c.node;
    const format = dataFormat(node);
    const fused = attrStrings(node, "fused_ops");
    let x = asTensor(c, 0) as { name: string; shape: number[] };
    const filter = constInput(c, 1, "filter");
    if (format === "NHWC") x = transposeTo(c, x, NHWC_TO_NCHW, `${node.name}/to_nchw`);
    const [kh, kw, cin, m] = filter.shape;
    // TF filters are HWIO (depthwise: HW·C·multiplier); ONNX wants OIHW with group=C for depthwise.
    const w = depthwise ? reshapeConst(transposeConst(filter, [2, 3, 0, 1]), [cin * m, 1, kh, kw]) : transposeConst(filter, [3, 2, 0, 1]);
    const outC = depthwise ? cin * m : m;
    const strides = attrInts(node, "strides") ?? [1, 1, 1, 1];
    const dil = attrInts(node, "dilations") ?? [1, 1, 1, 1];
    const [sh, sw, dh, dw] = format === "NHWC" ? [strides[1], strides[2], dil[1], dil[2]] : [strides[2], strides[3], dil[2], dil[3]];
    const { attrs, pads } = padAttrs(node, format);
    const inputs = [x.name, c.tensorOf({ kind: "const", t: w })];
    let rest = fused;
    if (fused[0] === "BiasAdd") {
      inputs.push(c.tensorOf(c.inputs[2]));
      rest = fused.slice(1);
    } else if (fused.length && fused[0] !== "BiasAdd") {
      throw new UnsupportedOpError(node.op, node.name, `fused_ops ${fused.join(",")}`);
    }
    const padding = attrString(node, "padding") ?? "VALID";
    const shape = [
      x.shape[0],
      outC,
      spatialOut(x.shape[2], kh, sh, dh, padding, pads[0], pads[2]),
      spatialOut(x.shape[3], kw, sw, dw, padding, pads[1], pads[3]),
    ];
    const [name] = c.g.addNode(
      "Conv",
      inputs,
      { ...attrs, kernel_shape: { ints: [kh, kw] }, strides: { ints: [sh, sw] }, dilations: { ints: [dh, dw] }, group: { i: depthwise ? cin : 1 } },
      node.name,
    );
    let y = { name, shape };
    for (const act of rest) y = activation(c, act, y);
    if (format === "NHWC") y = transposeTo(c, y, NCHW_TO_NHWC, `${node.name}/to_nhwc`);
    return [tensor(y.name, y.shape)];
  };
}

function pool(onnxOp: "MaxPool" | "AveragePool"): Emitter {
  return (c) => {
    const node = c.node;
    const format = dataFormat(node);
    let x = asTensor(c, 0) as { name: string; shape: number[] };
    if (format === "NHWC") x = transposeTo(c, x, NHWC_TO_NCHW, `${node.name}/to_nchw`);
    const k = attrInts(node, "ksize") ?? [1, 1, 1, 1];
    const s = attrInts(node, "strides") ?? [1, 1, 1, 1];
    const [kh, kw, sh, sw] = format === "NHWC" ? [k[1], k[2], s[1], s[2]] : [k[2], k[3], s[2], s[3]];
    const { attrs } = padAttrs(node, format);
    const padding = attrString(node, "padding") ?? "VALID";
    const extra: Record<string, OnnxAttr> = onnxOp === "AveragePool" ? { count_include_pad: { i: 0 } } : {};
    const [name] = c.g.addNode(onnxOp, [x.name], { ...attrs, ...extra, kernel_shape: { ints: [kh, kw] }, strides: { ints: [sh, sw] } }, node.name);
    let y = {
      name,
      shape: [x.shape[0], x.shape[1], spatialOut(x.shape[2], kh, sh, 1, padding), spatialOut(x.shape[3], kw, sw, 1, padding)],
    };
    if (format === "NHWC") y = transposeTo(c, y, NCHW_TO_NHWC, `${node.name}/to_nhwc`);
    return [tensor(y.name, y.shape)];
  };
}

function unary(onnxOp: string, attrs: (n: TfNode) => Record<string, OnnxAttr> = () => ({})): Emitter {
  return (c) => {
    const x = asTensor(c, 0);
    const [name] = c.g.addNode(onnxOp, [x.name], attrs(c.node), c.node.name);
    return [tensor(name, x.shape, x.dtype)];
  };
}

function binary(onnxOp: string): Emitter {
  return (c) => {
    const [a, b] = c.inputs;
    // Consts take the element type of the tensor they meet (TF.js int32 scalars next to floats are rare but legal).
    const dtype: ElemType = a.kind === "tensor" ? a.dtype : b.kind === "tensor" ? b.dtype : "float32";
    const shapeOf = (v: Value) => (v.kind === "tensor" ? v.shape : v.t.shape);
    const [name] = c.g.addNode(onnxOp, [c.tensorOf(a, dtype), c.tensorOf(b, dtype)], {}, c.node.name);
    return [tensor(name, broadcastShape(shapeOf(a), shapeOf(b)), dtype)];
  };
}

function normAxis(axis: number, rank: number) {
  return axis < 0 ? axis + rank : axis;
}

const emitters: Record<string, Emitter> = {
  Conv2D: conv(false),
  _FusedConv2D: conv(false),
  DepthwiseConv2dNative: conv(true),
  FusedDepthwiseConv2dNative: conv(true),
  MaxPool: pool("MaxPool"),
  AvgPool: pool("AveragePool"),
  Relu: unary("Relu"),
  Sigmoid: unary("Sigmoid"),
  Tanh: unary("Tanh"),
  Exp: unary("Exp"),
  Sqrt: unary("Sqrt"),
  Neg: unary("Neg"),
  Elu: unary("Elu"),
  LeakyRelu: unary("LeakyRelu", (n) => ({ alpha: { f: attrFloat(n, "alpha") ?? 0.2 } })),
  Relu6: (c) => {
    const x = asTensor(c, 0);
    return [tensor(clip(c, x.name, 0, 6, c.node.name), x.shape)];
  },
  Add: binary("Add"),
  AddV2: binary("Add"),
  Sub: binary("Sub"),
  Mul: binary("Mul"),
  RealDiv: binary("Div"),
  Maximum: binary("Max"),
  Minimum: binary("Min"),
  Transpose: (c) => {
    const x = asTensor(c, 0);
    const perm = toNumbers(constInput(c, 1, "perm"));
    const y = transposeTo(c, x, perm, c.node.name);
    return [tensor(y.name, y.shape, x.dtype)];
  },
  Reshape: (c) => {
    const x = asTensor(c, 0);
    const want = toNumbers(constInput(c, 1, "shape"));
    const known = want.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
    const shape = want.map((d) => (d === -1 ? sizeOf(x.shape) / known : d));
    const [name] = c.g.addNode("Reshape", [x.name, c.tensorOf({ kind: "const", t: int64Const(want) })], {}, c.node.name);
    return [tensor(name, shape, x.dtype)];
  },
  Pad: (c) => pad(c),
  PadV2: (c) => pad(c),
  ConcatV2: (c) => {
    const n = c.inputs.length - 1;
    const parts = c.inputs.slice(0, n).map((_, i) => asTensor(c, i));
    const axis = normAxis(toNumbers(constInput(c, n, "axis"))[0], parts[0].shape.length);
    const shape = [...parts[0].shape];
    shape[axis] = parts.reduce((s, p) => s + p.shape[axis], 0);
    const [name] = c.g.addNode(
      "Concat",
      parts.map((p) => p.name),
      { axis: { i: axis } },
      c.node.name,
    );
    return [tensor(name, shape, parts[0].dtype)];
  },
  SplitV: (c) => {
    const x = asTensor(c, 0);
    const sizes = toNumbers(constInput(c, 1, "size_splits"));
    const axis = normAxis(toNumbers(constInput(c, 2, "split_dim"))[0], x.shape.length);
    const known = sizes.filter((s) => s !== -1).reduce((a, b) => a + b, 0);
    const resolved = sizes.map((s) => (s === -1 ? x.shape[axis] - known : s));
    const outs = c.g.addNode("Split", [x.name, c.tensorOf({ kind: "const", t: int64Const(resolved) })], { axis: { i: axis } }, c.node.name, resolved.length);
    return outs.map((name, i) => {
      const shape = [...x.shape];
      shape[axis] = resolved[i];
      return tensor(name, shape, x.dtype);
    });
  },
  Split: (c) => {
    const axis0 = toNumbers(constInput(c, 0, "split_dim"))[0];
    const x = asTensor(c, 1);
    const axis = normAxis(axis0, x.shape.length);
    const n = attrInt(c.node, "num_split") ?? 1;
    const part = x.shape[axis] / n;
    const outs = c.g.addNode("Split", [x.name, c.tensorOf({ kind: "const", t: int64Const(new Array(n).fill(part)) })], { axis: { i: axis } }, c.node.name, n);
    return outs.map((name) => {
      const shape = [...x.shape];
      shape[axis] = part;
      return tensor(name, shape, x.dtype);
    });
  },
  Mean: (c) => {
    const x = asTensor(c, 0);
    const axes = toNumbers(constInput(c, 1, "reduction_indices")).map((a) => normAxis(a, x.shape.length));
    const keep = attrBool(c.node, "keep_dims") ?? false;
    const [name] = c.g.addNode("ReduceMean", [x.name], { axes: { ints: axes }, keepdims: { i: keep ? 1 : 0 } }, c.node.name);
    const shape = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    return [tensor(name, shape, x.dtype)];
  },
  ResizeBilinear: resize("linear"),
  ResizeNearestNeighbor: resize("nearest"),
};

function pad(c: EmitContext): Value[] {
  const x = asTensor(c, 0);
  const p = toNumbers(constInput(c, 1, "paddings"));
  const rank = x.shape.length;
  const begins = Array.from({ length: rank }, (_, i) => p[i * 2]);
  const ends = Array.from({ length: rank }, (_, i) => p[i * 2 + 1]);
  const inputs = [x.name, c.tensorOf({ kind: "const", t: int64Const([...begins, ...ends]) })];
  // PadV2 pads with a value (−inf in front of NanoDet's MaxPool).
  if (c.node.op === "PadV2") inputs.push(c.tensorOf(c.inputs[2], x.dtype));
  const [name] = c.g.addNode("Pad", inputs, { mode: { s: "constant" } }, c.node.name);
  return [
    tensor(
      name,
      x.shape.map((d, i) => d + begins[i] + ends[i]),
      x.dtype,
    ),
  ];
}

function resize(mode: "linear" | "nearest"): Emitter {
  return (c) => {
    const node = c.node;
    const x = transposeTo(c, asTensor(c, 0), NHWC_TO_NCHW, `${node.name}/to_nchw`);
    const [h, w] = toNumbers(constInput(c, 1, "size"));
    const alignCorners = attrBool(node, "align_corners") ?? false;
    const halfPixel = attrBool(node, "half_pixel_centers") ?? false;
    // TF's half_pixel_centers is ONNX half_pixel; plain TF resize samples asymmetrically.
    const ctm = alignCorners ? "align_corners" : halfPixel ? (mode === "linear" ? "half_pixel" : "tf_half_pixel_for_nn") : "asymmetric";
    const sizes = [x.shape[0], x.shape[1], h, w];
    const attrs: Record<string, OnnxAttr> = { mode: { s: mode }, coordinate_transformation_mode: { s: ctm } };
    if (mode === "nearest") attrs.nearest_mode = { s: alignCorners ? "round_prefer_ceil" : "floor" };
    const [name] = c.g.addNode("Resize", [x.name, "", "", c.tensorOf({ kind: "const", t: int64Const(sizes) })], attrs, node.name);
    const y = transposeTo(c, { name, shape: sizes }, NCHW_TO_NHWC, `${node.name}/to_nhwc`);
    return [tensor(y.name, y.shape)];
  };
}

export function emitterFor(op: string): Emitter | undefined {
  return emitters[op];
}
