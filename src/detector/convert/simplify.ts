import type { OnnxGraphBuilder, OnnxNode } from "./onnx-graph.ts";

/**
 * Cancels the NHWC↔NCHW transpose pairs the op emitters leave between consecutive
 * conv-like ops (and TF's own transposes around them), then drops dead nodes and
 * unused initializers. Keeps the written file small and the graph readable.
 */
export function simplifyGraph(g: OnnxGraphBuilder): void {
  let changed = true;
  while (changed) {
    changed = foldTransposePairs(g);
    removeDeadNodes(g);
  }
}

function permOf(n: OnnxNode): number[] {
  const a = n.attrs.perm;
  if (!a || !("ints" in a)) throw new Error(`Transpose ${n.name} has no perm`);
  return a.ints;
}

function foldTransposePairs(g: OnnxGraphBuilder): boolean {
  const producer = new Map<string, OnnxNode>();
  for (const n of g.nodes) for (const o of n.outputs) producer.set(o, n);
  const rename = new Map<string, string>();
  let changed = false;
  for (const n of g.nodes) {
    if (n.opType !== "Transpose") continue;
    const prev = producer.get(n.inputs[0]);
    if (!prev || prev.opType !== "Transpose") continue;
    const p1 = permOf(prev);
    const p2 = permOf(n);
    const composed = p2.map((i) => p1[i]);
    if (composed.every((v, i) => v === i)) {
      rename.set(n.outputs[0], prev.inputs[0]);
    } else {
      n.inputs[0] = prev.inputs[0];
      n.attrs.perm = { ints: composed };
    }
    changed = true;
  }
  if (rename.size) {
    const resolve = (name: string) => {
      let r = name;
      while (rename.has(r)) r = rename.get(r)!;
      return r;
    };
    for (const n of g.nodes) n.inputs = n.inputs.map(resolve);
  }
  return changed;
}

function removeDeadNodes(g: OnnxGraphBuilder): void {
  const producer = new Map<string, OnnxNode>();
  for (const n of g.nodes) for (const o of n.outputs) producer.set(o, n);
  const live = new Set<OnnxNode>();
  const needed = new Set<string>();
  const stack = g.outputs.map((o) => o.name);
  while (stack.length) {
    const name = stack.pop()!;
    if (needed.has(name)) continue;
    needed.add(name);
    const p = producer.get(name);
    if (p && !live.has(p)) {
      live.add(p);
      for (const i of p.inputs) if (i) stack.push(i);
    }
  }
  const kept = g.nodes.filter((n) => live.has(n));
  g.nodes.length = 0;
  g.nodes.push(...kept);
  for (const name of [...g.initializers.keys()]) if (!needed.has(name)) g.initializers.delete(name);
}
