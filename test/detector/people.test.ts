import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { frameFormatFor, getDetector, releaseDetectors } from "../../src/detector/index.ts";
import { bestIous, extractFrame, extractRawFrame, modelsDir, tempDir, testdata, vtestClip } from "./helpers.ts";

type Box = [number, number, number, number];

/**
 * People labelled by hand (x1, y1, x2, y2 in the image's pixels), from 4× zoomed crops
 * with a pixel grid: head top to feet, outermost arm or coat edge.
 */
const HAND_LABELS: { name: string; source: { clip: string; frame: number } | { photo: string }; people: Box[] }[] = [
  {
    name: "vtest.avi frame 0 (three people on the plaza)",
    source: { clip: vtestClip, frame: 0 },
    people: [
      [501, 157, 529, 233],
      [254, 220, 282, 307],
      [640, 241, 684, 320],
    ],
  },
  {
    name: "vtest.avi frame 600 (six people, one cut by the bottom edge)",
    source: { clip: vtestClip, frame: 600 },
    people: [
      [190, 145, 213, 215],
      [570, 200, 596, 287],
      [670, 209, 703, 296],
      [643, 305, 670, 411],
      [456, 302, 505, 417],
      [285, 432, 330, 576],
    ],
  },
  {
    name: "Münster Prinzipalmarkt webcam still (pedestrians and cyclists)",
    source: { photo: testdata("streetcam/muenster-shot0004.jpg") },
    people: [
      [310, 440, 340, 503],
      [384, 460, 409, 521],
      [582, 380, 607, 448],
      [503, 407, 538, 468],
      [543, 492, 575, 558],
      [618, 490, 652, 552],
      [955, 613, 998, 695],
    ],
  },
];

// Low enough that NanoDet's weakest true person (0.29 on the far walker) counts; precision is eval-detector's job.
const THRESHOLD = 0.25;

afterAll(releaseDetectors);

describe.each(["nanodet", "centernet"])("%s finds the people a person labelled", (model) => {
  for (const scene of HAND_LABELS) {
    it(`in ${scene.name}, every labelled person overlaps a person detection at IoU ≥ 0.5`, async () => {
      const detector = await getDetector(model, { modelsDir, threads: 2 });
      const image =
        "photo" in scene.source
          ? scene.source.photo
          : await extractFrame(scene.source.clip, scene.source.frame, path.join(await tempDir("frame"), "frame.png"));
      const detections = await detector.detectImage(image, { threshold: THRESHOLD });
      const ious = bestIous(scene.people, detections, "person");
      const missed = scene.people.filter((_, i) => ious[i] < 0.5);
      expect(missed, `${model} missed labelled people (best IoUs ${ious.map((v) => v.toFixed(2)).join(", ")})`).toEqual([]);
      for (const d of detections.filter((x) => x.label === "person")) expect(d.role).toBe("person");
    });
  }

  it("finds the same people in a frame ffmpeg scaled to the model input (the edge's path)", async () => {
    const detector = await getDetector(model, { modelsDir, threads: 2 });
    const fmt = frameFormatFor(detector.manifest);
    const data = await extractRawFrame(vtestClip, 600, fmt.width, fmt.height, fmt.pixFmt);
    const detections = await detector.detectFrame(
      { data, width: fmt.width, height: fmt.height, format: fmt.pixFmt },
      { width: 768, height: 576 },
      { threshold: THRESHOLD },
    );
    const ious = bestIous(HAND_LABELS[1].people, detections, "person");
    expect(
      ious.filter((v) => v < 0.5),
      `best IoUs ${ious.map((v) => v.toFixed(2)).join(", ")}`,
    ).toEqual([]);
  });
});
