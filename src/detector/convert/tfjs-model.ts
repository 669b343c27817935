import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ConstTensor } from "./tensor.ts";
import { sizeOf } from "./tensor.ts";

/** The parts of a TF.js graph-model `model.json` the converter reads. */
export interface TfAttrValue {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: { dim?: { size: string | number }[]; unknownRank?: boolean };
  list?: { s?: string[]; i?: (string | number)[]; f?: number[]; type?: string[] };
}

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttrValue>;
}

interface TfWeightSpec {
  name: string;
  shape: number[];
  dtype: "float32" | "int32" | "bool" | "string" | "complex64";
  quantization?: { dtype: "float16" | "uint8" | "uint16"; scale?: number; min?: number; original_dtype?: string };
}

interface TfModelJson {
  format?: string;
  modelTopology: { node: TfNode[] };
  weightsManifest: { paths: string[]; weights: TfWeightSpec[] }[];
}

export interface TfGraph {
  nodes: TfNode[];
  weights: Map<string, ConstTensor>;
}

/** Reads model.json plus its weight shards; float16-quantized weights stay float16. */
export async function loadTfjsGraph(modelJsonPath: string): Promise<TfGraph> {
  const json = JSON.parse(await readFile(modelJsonPath, "utf8")) as TfModelJson;
  if (!json.modelTopology?.node) throw new Error(`${modelJsonPath} is not a TF.js graph model (no modelTopology.node)`);
  const weights = new Map<string, ConstTensor>();
  const dir = path.dirname(modelJsonPath);
  for (const group of json.weightsManifest) {
    const shards = await Promise.all(group.paths.map((p) => readFile(path.join(dir, p))));
    const buf = Buffer.concat(shards);
    let offset = 0;
    for (const spec of group.weights) {
      const { tensor, bytes } = decodeWeight(spec, buf, offset);
      offset += bytes;
      weights.set(spec.name, tensor);
    }
    if (offset !== buf.length) throw new Error(`weights of ${modelJsonPath}: read ${offset} of ${buf.length} bytes; manifest and shards disagree`);
  }
  return { nodes: json.modelTopology.node, weights };
}

function decodeWeight(spec: TfWeightSpec, buf: Buffer, offset: number): { tensor: ConstTensor; bytes: number } {
  const n = sizeOf(spec.shape);
  const copy = (bytes: number) => {
    if (offset + bytes > buf.length) throw new Error(`weight ${spec.name} runs past the end of the weight file`);
    // Copy so the typed array is aligned regardless of the weight's offset in the shard.
    return new Uint8Array(buf.subarray(offset, offset + bytes)).buffer;
  };
  const q = spec.quantization;
  if (q) {
    if (q.dtype === "float16") {
      const bytes = n * 2;
      return { tensor: { dtype: "float16", shape: spec.shape, data: new Uint16Array(copy(bytes)) }, bytes };
    }
    const bytes = n * (q.dtype === "uint8" ? 1 : 2);
    const raw = q.dtype === "uint8" ? new Uint8Array(copy(bytes)) : new Uint16Array(copy(bytes));
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = raw[i] * scale + min;
    const dtype = spec.dtype === "int32" ? "int32" : "float32";
    return { tensor: { dtype, shape: spec.shape, data: dtype === "int32" ? Int32Array.from(out, Math.round) : out }, bytes };
  }
  switch (spec.dtype) {
    case "float32":
      return { tensor: { dtype: "float32", shape: spec.shape, data: new Float32Array(copy(n * 4)) }, bytes: n * 4 };
    case "int32":
      // TF.js stores int64 constants as int32; consumers widen them where ONNX wants int64.
      return { tensor: { dtype: "int32", shape: spec.shape, data: new Int32Array(copy(n * 4)) }, bytes: n * 4 };
    case "bool":
      return { tensor: { dtype: "bool", shape: spec.shape, data: new Uint8Array(copy(n)) }, bytes: n };
    default:
      throw new Error(`weight ${spec.name}: dtype ${spec.dtype} is not supported`);
  }
}

/** `"node:1"` → ["node", 1]; `"^ctrl"` control inputs are dropped by the caller. */
export function parseInputRef(ref: string): { node: string; index: number } {
  const m = /^(.*?)(?::(\d+))?$/.exec(ref)!;
  return { node: m[1], index: m[2] ? Number(m[2]) : 0 };
}

export function attrInts(node: TfNode, key: string): number[] | undefined {
  const v = node.attr?.[key]?.list?.i;
  return v ? v.map(Number) : undefined;
}

export function attrString(node: TfNode, key: string): string | undefined {
  const s = node.attr?.[key]?.s;
  return s === undefined ? undefined : Buffer.from(s, "base64").toString("utf8");
}

export function attrStrings(node: TfNode, key: string): string[] {
  return (node.attr?.[key]?.list?.s ?? []).map((s) => Buffer.from(s, "base64").toString("utf8"));
}

export function attrBool(node: TfNode, key: string): boolean | undefined {
  return node.attr?.[key]?.b;
}

export function attrFloat(node: TfNode, key: string): number | undefined {
  return node.attr?.[key]?.f;
}

export function attrInt(node: TfNode, key: string): number | undefined {
  const i = node.attr?.[key]?.i;
  return i === undefined ? undefined : Number(i);
}

export function placeholderShape(node: TfNode): number[] | undefined {
  const dims = node.attr?.shape?.shape?.dim;
  return dims?.map((d) => Number(d.size));
}
