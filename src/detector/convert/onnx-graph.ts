import onnxProto from "onnx-proto";
import type { ConstTensor } from "./tensor.ts";

const { onnx } = onnxProto;

/** An ONNX attribute with its type stated, since JS numbers cannot tell int from float. */
export type OnnxAttr = { i: number } | { f: number } | { s: string } | { ints: number[] } | { floats: number[] };

export interface OnnxNode {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, OnnxAttr>;
}

export type ElemType = "float32" | "float16" | "int32" | "int64" | "bool";

const elemTypeCode: Record<ElemType, number> = { float32: 1, int32: 6, int64: 7, bool: 9, float16: 10 };

export interface GraphIo {
  name: string;
  elemType: ElemType;
  shape: (number | string)[];
}

/** Accumulates an ONNX graph; names are unique per graph. */
export class OnnxGraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers = new Map<string, ConstTensor>();
  readonly inputs: GraphIo[] = [];
  readonly outputs: GraphIo[] = [];
  private used = new Set<string>();

  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}__${i}`;
    this.used.add(name);
    return name;
  }

  addNode(opType: string, inputs: string[], attrs: Record<string, OnnxAttr> = {}, nameHint = opType, outputCount = 1): string[] {
    const name = this.uniqueName(nameHint);
    const outputs = Array.from({ length: outputCount }, (_, i) => (i === 0 ? name : this.uniqueName(`${name}:${i}`)));
    this.nodes.push({ opType, name, inputs, outputs, attrs });
    return outputs;
  }

  addInitializer(nameHint: string, t: ConstTensor): string {
    const name = this.uniqueName(nameHint);
    this.initializers.set(name, t);
    return name;
  }

  encode(opts: { opset: number; producer: string; docString?: string }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: opts.producer,
      docString: opts.docString ?? "",
      opsetImport: [{ domain: "", version: opts.opset }],
      graph: {
        name: "main",
        node: this.nodes.map((n) =>
          onnx.NodeProto.create({
            opType: n.opType,
            name: n.name,
            input: n.inputs,
            output: n.outputs,
            attribute: Object.entries(n.attrs).map(([k, v]) => encodeAttr(k, v)),
          }),
        ),
        initializer: [...this.initializers].map(([name, t]) => encodeTensor(name, t)),
        input: this.inputs.map(encodeIo),
        output: this.outputs.map(encodeIo),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function encodeAttr(name: string, v: OnnxAttr): InstanceType<typeof onnx.AttributeProto> {
  const T = onnx.AttributeProto.AttributeType;
  if ("i" in v) return onnx.AttributeProto.create({ name, type: T.INT, i: v.i });
  if ("f" in v) return onnx.AttributeProto.create({ name, type: T.FLOAT, f: v.f });
  if ("s" in v) return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(v.s) });
  if ("ints" in v) return onnx.AttributeProto.create({ name, type: T.INTS, ints: v.ints });
  return onnx.AttributeProto.create({ name, type: T.FLOATS, floats: v.floats });
}

function encodeTensor(name: string, t: ConstTensor): InstanceType<typeof onnx.TensorProto> {
  const d = t.data;
  return onnx.TensorProto.create({
    name,
    dims: t.shape,
    dataType: elemTypeCode[t.dtype],
    // ONNX raw_data is little-endian, as is every platform Node runs on.
    rawData: new Uint8Array(d.buffer, d.byteOffset, d.byteLength),
  });
}

function encodeIo(io: GraphIo) {
  return onnx.ValueInfoProto.create({
    name: io.name,
    type: {
      tensorType: {
        elemType: elemTypeCode[io.elemType],
        shape: { dim: io.shape.map((d) => (typeof d === "number" && d >= 0 ? { dimValue: d } : { dimParam: String(d) })) },
      },
    },
  });
}
