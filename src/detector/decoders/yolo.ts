import type { Candidate, OutputMap } from "./types.ts";
import { outputOf } from "./types.ts";

/** Ultralytics YOLOv5 export: [1, N, 5 + C] rows of cx, cy, w, h, objectness, class scores. */
export function decodeYolov5(outputs: OutputMap, output: string, threshold: number): Candidate[] {
  const t = outputOf(outputs, output, "yolov5");
  const [, n, width] = t.dims;
  const classes = width - 5;
  if (classes < 1) throw new Error(`yolov5 decoder: output ${output} has shape [${t.dims}], expected [1, N, 5 + classes]`);
  const d = t.data;
  const out: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    const row = i * width;
    const obj = d[row + 4];
    if (obj < threshold) continue;
    let best = 0;
    for (let k = 1; k < classes; k++) if (d[row + 5 + k] > d[row + 5 + best]) best = k;
    const score = obj * d[row + 5 + best];
    if (score < threshold) continue;
    out.push(centreBox(best, score, d[row], d[row + 1], d[row + 2], d[row + 3]));
  }
  return out;
}

/** Ultralytics YOLOv8 / YOLO11 export: [1, 4 + C, N], channel-major; no objectness. */
export function decodeYolov8(outputs: OutputMap, output: string, threshold: number): Candidate[] {
  const t = outputOf(outputs, output, "yolov8");
  const [, channels, n] = t.dims;
  const classes = channels - 4;
  if (classes < 1) throw new Error(`yolov8 decoder: output ${output} has shape [${t.dims}], expected [1, 4 + classes, N]`);
  const d = t.data;
  const out: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    let best = 0;
    let score = d[4 * n + i];
    for (let k = 1; k < classes; k++) {
      const v = d[(4 + k) * n + i];
      if (v > score) {
        score = v;
        best = k;
      }
    }
    if (score < threshold) continue;
    out.push(centreBox(best, score, d[i], d[n + i], d[2 * n + i], d[3 * n + i]));
  }
  return out;
}

function centreBox(classIndex: number, score: number, cx: number, cy: number, w: number, h: number): Candidate {
  return { classIndex, score, x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 };
}
