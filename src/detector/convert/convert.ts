import { foldConstNode } from "./fold.ts";
import type { ElemType, GraphIo } from "./onnx-graph.ts";
import { OnnxGraphBuilder } from "./onnx-graph.ts";
import type { EmitContext, Value } from "./ops.ts";
import { emitterFor, UnsupportedOpError } from "./ops.ts";
import { simplifyGraph } from "./simplify.ts";
import type { ConstTensor } from "./tensor.ts";
import { toNumbers } from "./tensor.ts";
import type { TfGraph, TfNode } from "./tfjs-model.ts";
import { loadTfjsGraph, parseInputRef, placeholderShape } from "./tfjs-model.ts";

export interface ConvertOptions {
  /** Path to the TF.js graph model's model.json (weights alongside). */
  modelJson: string;
  /** ONNX names for the TF placeholders, e.g. { "input_1": "images" }; unnamed ones keep their TF name. */
  inputNames?: Record<string, string>;
  /** Which TF tensors become graph outputs and their ONNX names; the rest of the graph is pruned. */
  outputs: { tf: string; name: string }[];
  docString?: string;
}

export interface ConvertResult {
  bytes: Uint8Array;
  inputs: GraphIo[];
  outputs: GraphIo[];
  nodeCount: number;
  initializerCount: number;
}

export const OPSET = 13;

export async function convertTfjsModel(opts: ConvertOptions): Promise<ConvertResult> {
  return convertTfjsGraph(await loadTfjsGraph(opts.modelJson), opts);
}

/** Walks the TF graph from the requested outputs, folding constants and emitting ONNX nodes. */
export function convertTfjsGraph(graph: TfGraph, opts: Omit<ConvertOptions, "modelJson">): ConvertResult {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const g = new OnnxGraphBuilder();
  const values = new Map<string, Value[]>();
  const constNames = new Map<ConstTensor, string>();
  const constCache = new Map<ConstTensor, Map<ElemType, string>>();

  const tensorOf = (v: Value, as?: ElemType): string => {
    if (v.kind === "tensor") return v.name;
    const t = v.t;
    const want: ElemType = as ?? (t.dtype === "float16" ? "float32" : t.dtype);
    let perType = constCache.get(t);
    if (!perType) constCache.set(t, (perType = new Map()));
    const hit = perType.get(want);
    if (hit) return hit;
    const hint = constNames.get(t) ?? "const";
    let name: string;
    if (t.dtype === "float16" && want === "float32") {
      // float16 initializer + Cast: half the bytes on disk; ORT folds the Cast at load.
      const half = g.addInitializer(hint, t);
      name = g.addNode("Cast", [half], { to: { i: 1 } }, `${hint}/to_float`)[0];
    } else if (t.dtype === want) {
      name = g.addInitializer(hint, t);
    } else {
      name = g.addInitializer(`${hint}/${want}`, castConst(t, want));
    }
    perType.set(want, name);
    return name;
  };

  const evaluate = (nodeName: string, stack: Set<string>): Value[] => {
    const done = values.get(nodeName);
    if (done) return done;
    const node = byName.get(nodeName);
    if (!node) throw new Error(`graph refers to missing node "${nodeName}"`);
    if (stack.has(nodeName)) throw new Error(`graph has a cycle through node "${nodeName}"`);
    stack.add(nodeName);
    const out = evaluateNode(node, stack);
    stack.delete(nodeName);
    values.set(nodeName, out);
    return out;
  };

  const evaluateNode = (node: TfNode, stack: Set<string>): Value[] => {
    if (node.op === "Const") {
      const t = graph.weights.get(node.name);
      if (!t) throw new Error(`Const node "${node.name}" has no weight in the weights manifest`);
      constNames.set(t, node.name);
      return [{ kind: "const", t }];
    }
    if (node.op === "Placeholder") {
      const shape = placeholderShape(node);
      if (!shape) throw new Error(`Placeholder "${node.name}" has no static shape`);
      const name = opts.inputNames?.[node.name] ?? node.name;
      g.inputs.push({ name, elemType: "float32", shape: shape.map((d) => (d < 0 ? "batch" : d)) });
      return [{ kind: "tensor", name, shape: shape.map((d) => (d < 0 ? 1 : d)), dtype: "float32" }];
    }
    const inputs = (node.input ?? [])
      .filter((r) => !r.startsWith("^"))
      .map((r) => {
        const { node: src, index } = parseInputRef(r);
        const v = evaluate(src, stack)[index];
        if (!v) throw new Error(`node "${node.name}" reads output ${index} of "${src}", which has fewer outputs`);
        return v;
      });
    if (node.op === "Identity") return [inputs[0]];
    if (inputs.length && inputs.every((v) => v.kind === "const")) {
      const folded = foldConstNode(
        node,
        inputs.map((v) => (v as { t: ConstTensor }).t),
      );
      if (folded) return folded.map((t) => ({ kind: "const", t }));
    }
    const emit = emitterFor(node.op);
    if (!emit) throw new UnsupportedOpError(node.op, node.name);
    const ctx: EmitContext = { g, node, inputs, tensorOf };
    return emit(ctx);
  };

  for (const o of opts.outputs) {
    const { node, index } = parseInputRef(o.tf);
    const v = evaluate(node, new Set())[index];
    if (!v) throw new Error(`output "${o.tf}" does not exist`);
    if (v.kind !== "tensor") throw new Error(`output "${o.tf}" is a constant; nothing to compute`);
    g.addNode("Identity", [v.name], {}, `${o.name}/identity`);
    g.nodes[g.nodes.length - 1].outputs = [o.name];
    g.outputs.push({ name: o.name, elemType: v.dtype, shape: v.shape });
  }
  simplifyGraph(g);
  const bytes = g.encode({ opset: OPSET, producer: "curbwatch-tfjs2onnx", docString: opts.docString });
  return { bytes, inputs: g.inputs, outputs: g.outputs, nodeCount: g.nodes.length, initializerCount: g.initializers.size };
}

function castConst(t: ConstTensor, to: ElemType): ConstTensor {
  const nums = toNumbers(t);
  switch (to) {
    case "float32":
      return { dtype: "float32", shape: t.shape, data: Float32Array.from(nums) };
    case "int32":
      return { dtype: "int32", shape: t.shape, data: Int32Array.from(nums, Math.trunc) };
    case "int64":
      return { dtype: "int64", shape: t.shape, data: BigInt64Array.from(nums, (v) => BigInt(Math.trunc(v))) };
    case "bool":
      return { dtype: "bool", shape: t.shape, data: Uint8Array.from(nums, (v) => (v ? 1 : 0)) };
    default:
      throw new Error(`cannot cast a ${t.dtype} constant to ${to}`);
  }
}
