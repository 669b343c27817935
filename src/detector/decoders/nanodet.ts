import type { Candidate, OutputMap } from "./types.ts";
import { outputOf } from "./types.ts";

export interface NanodetSpec {
  levels: { stride: number; scores: string; boxes: string }[];
  regMax: number;
}

/**
 * NanoDet GFL head: per level, sigmoided class scores [1, N, C] and for each side
 * (left, top, right, bottom) a distribution over regMax+1 bins; the distance is the
 * distribution's expectation × stride from the cell centre.
 */
export function decodeNanodet(outputs: OutputMap, spec: NanodetSpec, input: { width: number; height: number }, threshold: number): Candidate[] {
  const bins = spec.regMax + 1;
  const out: Candidate[] = [];
  const probs = new Float64Array(bins);
  for (const level of spec.levels) {
    const scores = outputOf(outputs, level.scores, "nanodet");
    const boxes = outputOf(outputs, level.boxes, "nanodet");
    const gridW = Math.ceil(input.width / level.stride);
    const n = scores.dims[1];
    const classes = scores.dims[2];
    if (boxes.dims[2] !== 4 * bins)
      throw new Error(`nanodet decoder: ${level.boxes} has ${boxes.dims[2]} values per cell; regMax ${spec.regMax} needs ${4 * bins}`);
    const s = scores.data;
    const r = boxes.data;
    for (let cell = 0; cell < n; cell++) {
      // Best class first: most cells hold nothing above threshold, so the GFL decode is skipped.
      let best = -1;
      let bestScore = threshold;
      const base = cell * classes;
      for (let k = 0; k < classes; k++) {
        if (s[base + k] >= bestScore) {
          bestScore = s[base + k];
          best = k;
        }
      }
      if (best < 0) continue;
      const cx = ((cell % gridW) + 0.5) * level.stride;
      const cy = (Math.floor(cell / gridW) + 0.5) * level.stride;
      const d = [0, 0, 0, 0];
      for (let side = 0; side < 4; side++) {
        const off = cell * 4 * bins + side * bins;
        let max = -Infinity;
        for (let b = 0; b < bins; b++) max = Math.max(max, r[off + b]);
        let sum = 0;
        for (let b = 0; b < bins; b++) sum += probs[b] = Math.exp(r[off + b] - max);
        let e = 0;
        for (let b = 0; b < bins; b++) e += (probs[b] / sum) * b;
        d[side] = e * level.stride;
      }
      const box = { x1: cx - d[0], y1: cy - d[1], x2: cx + d[2], y2: cy + d[3] };
      // Other classes of the same cell above threshold share the box (a table with goods on it).
      for (let k = 0; k < classes; k++) {
        const score = s[base + k];
        if (score >= threshold) out.push({ classIndex: k, score, ...box });
      }
    }
  }
  return out;
}
