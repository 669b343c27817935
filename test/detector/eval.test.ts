import { afterAll, describe, expect, it } from "vitest";
import { readYoloDataset } from "../../src/detector/eval/dataset.ts";
import { evaluateDetector } from "../../src/detector/eval/evaluate.ts";
import { scoreGroups } from "../../src/detector/eval/score.ts";
import { COCO80, getDetector, releaseDetectors } from "../../src/detector/index.ts";
import { modelsDir, testdata } from "./helpers.ts";

afterAll(releaseDetectors);

describe("detector evaluation", () => {
  it("counts a match at IoU ≥ 0.5 once, a duplicate as a false positive, and ignores detections inside crowd regions", () => {
    const [person] = scoreGroups(
      [
        {
          truths: [
            { key: "person", box: [0, 0, 10, 20] },
            { key: "person", box: [50, 0, 60, 20] },
          ],
          detections: [
            { key: "person", box: [0, 0, 10, 19], score: 0.9 }, // true positive
            { key: "person", box: [1, 0, 11, 20], score: 0.8 }, // duplicate of the same person
            { key: "person", box: [100, 100, 110, 120], score: 0.7 }, // inside the crowd: ignored
            { key: "person", box: [50, 0, 60, 20], score: 0.2 }, // right, but below the operating threshold
          ],
          crowds: [[90, 90, 200, 200]],
        },
      ],
      0.5,
    );
    expect(person).toMatchObject({ name: "person", truths: 2, truePositives: 1, falsePositives: 1, precision: 0.5, recall: 0.5 });
    // Ranked TP, FP, TP → precision envelope 1 up to recall ½, then ⅔ up to recall 1.
    expect(person.ap50).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 3), 10);
  });

  it("reads the COCO test folder: YOLO labels in pixels, class names from classes_coco80.txt, crowd regions from instances.json", async () => {
    const { images, classes } = await readYoloDataset(testdata("coco"), []);
    expect(classes).toEqual([...COCO80]);
    expect(images).toHaveLength(21);
    expect(images.filter((i) => i.crowds.length > 0).length).toBeGreaterThan(0);
    const first = images[0];
    for (const o of first.objects) {
      expect(o.box[0]).toBeGreaterThanOrEqual(-1);
      expect(o.box[2]).toBeLessThanOrEqual(first.width + 1);
    }
  });

  it("scores NanoDet on the COCO street photos: people found with useful precision, roles aggregated", async () => {
    const detector = await getDetector("nanodet", { modelsDir, threads: 2 });
    const ev = await evaluateDetector(detector, testdata("coco"));
    const person = ev.byClass.find((c) => c.name === "person")!;
    expect(person.truths).toBeGreaterThan(50);
    expect(person.ap50, "person AP@0.5").toBeGreaterThan(0.4);
    expect(person.precision, "person precision at the default threshold").toBeGreaterThan(0.6);
    const vehicle = ev.byRole.find((r) => r.name === "vehicle")!;
    const vehicleClasses = ev.byClass.filter((c) => ["bicycle", "car", "motorcycle", "bus", "truck", "train", "boat"].includes(c.name));
    expect(vehicle.truths).toBe(vehicleClasses.reduce((s, c) => s + c.truths, 0));
  }, 60_000);
});
