import { iou } from "../decoders/nms.ts";

type Box = [number, number, number, number];
const rect = (b: Box) => ({ x1: b[0], y1: b[1], x2: b[2], y2: b[3] });

export interface ScoredImage {
  truths: { key: string; box: Box }[];
  detections: { key: string; box: Box; score: number }[];
  crowds: Box[];
}

export interface GroupScore {
  name: string;
  truths: number;
  /** At the operating threshold. */
  truePositives: number;
  falsePositives: number;
  precision: number;
  recall: number;
  /** Area under the all-point interpolated precision/recall curve, IoU ≥ 0.5 (VOC/COCO AP50 style). */
  ap50: number;
}

/** Part of a detection's own area inside a crowd region (COCO ignores those detections). */
function insideCrowd(box: Box, crowds: Box[]): boolean {
  const area = (box[2] - box[0]) * (box[3] - box[1]);
  return crowds.some((c) => {
    const w = Math.min(box[2], c[2]) - Math.max(box[0], c[0]);
    const h = Math.min(box[3], c[3]) - Math.max(box[1], c[1]);
    return w > 0 && h > 0 && area > 0 && (w * h) / area >= 0.5;
  });
}

/**
 * Scores detections grouped by key (class name or role). Detections are matched greedily,
 * best score first, to the unmatched truth of the same key with the highest IoU ≥ 0.5.
 */
export function scoreGroups(images: ScoredImage[], threshold: number): GroupScore[] {
  const keys = new Set<string>();
  for (const im of images) {
    for (const t of im.truths) keys.add(t.key);
    for (const d of im.detections) keys.add(d.key);
  }
  const results: GroupScore[] = [];
  for (const key of [...keys].sort()) {
    const ranked: { score: number; tp: boolean }[] = [];
    let truths = 0;
    for (const im of images) {
      const gts = im.truths.filter((t) => t.key === key);
      truths += gts.length;
      const used = new Array<boolean>(gts.length).fill(false);
      const dets = im.detections.filter((d) => d.key === key).sort((a, b) => b.score - a.score);
      for (const d of dets) {
        let best = -1;
        let bestIou = 0.5;
        gts.forEach((g, i) => {
          if (used[i]) return;
          const v = iou(rect(g.box), rect(d.box));
          if (v >= bestIou) {
            bestIou = v;
            best = i;
          }
        });
        if (best >= 0) {
          used[best] = true;
          ranked.push({ score: d.score, tp: true });
        } else if (!insideCrowd(d.box, im.crowds)) {
          ranked.push({ score: d.score, tp: false });
        }
      }
    }
    ranked.sort((a, b) => b.score - a.score);
    const atThreshold = ranked.filter((r) => r.score >= threshold);
    const tp = atThreshold.filter((r) => r.tp).length;
    const fp = atThreshold.length - tp;
    results.push({
      name: key,
      truths,
      truePositives: tp,
      falsePositives: fp,
      precision: atThreshold.length ? tp / atThreshold.length : 0,
      recall: truths ? tp / truths : 0,
      ap50: averagePrecision(ranked, truths),
    });
  }
  return results;
}

function averagePrecision(ranked: { tp: boolean }[], truths: number): number {
  if (truths === 0) return 0;
  const precisions: number[] = [];
  const recalls: number[] = [];
  let tp = 0;
  ranked.forEach((r, i) => {
    if (r.tp) tp++;
    precisions.push(tp / (i + 1));
    recalls.push(tp / truths);
  });
  // Precision envelope from the right, then the area under the step curve.
  for (let i = precisions.length - 2; i >= 0; i--) precisions[i] = Math.max(precisions[i], precisions[i + 1]);
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < recalls.length; i++) {
    ap += (recalls[i] - prevRecall) * precisions[i];
    prevRecall = recalls[i];
  }
  return ap;
}
