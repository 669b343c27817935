import type { ObjectRole } from "../../contracts/roles.ts";
import type { Detector } from "../detector.ts";
import { readYoloDataset } from "./dataset.ts";
import type { GroupScore, ScoredImage } from "./score.ts";
import { scoreGroups } from "./score.ts";

export interface DetectorEvaluation {
  model: string;
  images: number;
  threshold: number;
  byClass: GroupScore[];
  byRole: GroupScore[];
  /** Mean AP@0.5 over classes that have ground truth. */
  map50: number;
}

/** Runs the detector over a YOLO-format folder and scores it per class and per role. */
export async function evaluateDetector(detector: Detector, dir: string, threshold?: number): Promise<DetectorEvaluation> {
  const m = detector.manifest;
  const { images } = await readYoloDataset(dir, m.classes);
  const operating = threshold ?? m.defaultThreshold;
  // Detect low so the AP curve reaches its tail; precision/recall use the operating threshold.
  const floor = Math.min(0.05, operating);
  const roleOf = (label: string): ObjectRole => m.roles[label] ?? "other";
  const perClass: ScoredImage[] = [];
  const perRole: ScoredImage[] = [];
  for (const im of images) {
    const dets = await detector.detectImage(im.file, { threshold: floor });
    perClass.push({
      truths: im.objects.map((o) => ({ key: o.label, box: o.box })),
      detections: dets.map((d) => ({ key: d.label, box: d.box, score: d.score })),
      crowds: im.crowds,
    });
    perRole.push({
      truths: im.objects.map((o) => ({ key: roleOf(o.label), box: o.box })),
      detections: dets.map((d) => ({ key: d.role, box: d.box, score: d.score })),
      crowds: im.crowds,
    });
  }
  const byClass = scoreGroups(perClass, operating);
  const withTruth = byClass.filter((c) => c.truths > 0);
  return {
    model: m.name,
    images: images.length,
    threshold: operating,
    byClass,
    byRole: scoreGroups(perRole, operating),
    map50: withTruth.length ? withTruth.reduce((s, c) => s + c.ap50, 0) / withTruth.length : 0,
  };
}
