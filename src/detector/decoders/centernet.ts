import type { Candidate, OutputMap } from "./types.ts";
import { outputOf } from "./types.ts";

export interface CenternetSpec {
  heatmap: string;
  extents: string;
  stride: number;
  topK: number;
}

/**
 * CenterNet: an object is a heatmap peak (equal to the max of its 3×3 neighbourhood,
 * as the original graph's MaxPool/Equal did); its box is stride·(x, y) minus/plus the
 * four extents (left, top, right, bottom) at that cell. Both tensors are NHWC.
 */
export function decodeCenternet(outputs: OutputMap, spec: CenternetSpec, threshold: number): Candidate[] {
  const heat = outputOf(outputs, spec.heatmap, "centernet");
  const ext = outputOf(outputs, spec.extents, "centernet");
  const [, h, w, classes] = heat.dims;
  const hm = heat.data;
  const e = ext.data;
  const peaks: Candidate[] = [];
  const rowStride = w * classes;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const base = y * rowStride + x * classes;
      for (let k = 0; k < classes; k++) {
        const v = hm[base + k];
        if (v < threshold || !isPeak(hm, v, x, y, k, w, h, classes)) continue;
        const eo = (y * w + x) * 4;
        const px = x * spec.stride;
        const py = y * spec.stride;
        peaks.push({ classIndex: k, score: v, x1: px - e[eo], y1: py - e[eo + 1], x2: px + e[eo + 2], y2: py + e[eo + 3] });
      }
    }
  }
  peaks.sort((a, b) => b.score - a.score);
  return peaks.slice(0, spec.topK);
}

function isPeak(hm: Float32Array, v: number, x: number, y: number, k: number, w: number, h: number, classes: number): boolean {
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= h) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if (xx < 0 || xx >= w || (dx === 0 && dy === 0)) continue;
      if (hm[(yy * w + xx) * classes + k] > v) return false;
    }
  }
  return true;
}
