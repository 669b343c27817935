/** A decoded box in model-input pixels, before NMS and before scaling to the original image. */
export interface Candidate {
  classIndex: number;
  score: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Output tensors by name, as ONNX Runtime returns them. */
export type OutputMap = Record<string, { data: Float32Array; dims: readonly number[] }>;

export function outputOf(outputs: OutputMap, name: string, family: string): { data: Float32Array; dims: readonly number[] } {
  const t = outputs[name];
  if (!t) throw new Error(`${family} decoder: the model has no output "${name}" (outputs: ${Object.keys(outputs).join(", ")})`);
  return t;
}
