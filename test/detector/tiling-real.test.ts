import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import type { Detection } from "../../src/contracts/roles.ts";
import { detectFocused, type WorkingFrame } from "../../src/detector/focused-detect.ts";
import { getDetector, releaseDetectors } from "../../src/detector/index.ts";
import { boxIou, type Tile } from "../../src/detector/tiling.ts";
import { modelsDir, testdata } from "./helpers.ts";

afterAll(releaseDetectors);

const inner = { left: true, top: true, right: true, bottom: true };
const tileAt = (x: number, y: number): Tile => ({ crop: { x, y, width: 416, height: 416 }, resized: { width: 416, height: 416 }, interior: inner });

describe("a real person cut by a tile edge (NanoDet, Münster still)", () => {
  it("comes back as one box where the uncut view sees the person", { timeout: 60_000 }, async () => {
    const detector = await getDetector("nanodet", { modelsDir, threads: 1 });
    const { data, info } = await sharp(testdata("streetcam/muenster-shot0004.jpg")).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const size = { width: info.width, height: info.height };
    const wf: WorkingFrame = { frame: { data, width: info.width, height: info.height, format: "rgb24" }, content: size, original: size };
    // The pedestrian in red crossing the street stands at about x 618..652, y 486..550.
    const near = (d: Detection) => d.label === "person" && d.box[2] > 600 && d.box[0] < 670 && d.box[1] > 450 && d.box[3] < 600;
    const whole = (await detectFocused(detector, wf, { tiles: [tileAt(427, 250)], scale: 1 })).detections.filter(near);
    expect(whole).toHaveLength(1);

    // Two tiles that share only 8 columns (639..647), right through the person.
    const left = tileAt(231, 250);
    const right = tileAt(639, 250);
    const leftPart = (await detectFocused(detector, wf, { tiles: [left], scale: 1 }, { threshold: 0.3 })).detections.filter(near);
    const rightPart = (await detectFocused(detector, wf, { tiles: [right], scale: 1 }, { threshold: 0.3 })).detections.filter(near);
    expect(leftPart).toHaveLength(1);
    expect(rightPart).toHaveLength(1);
    // Each tile sees a part; the parts overlap too little for NMS to take them for one object.
    expect(boxIou(leftPart[0].box, rightPart[0].box)).toBeLessThan(0.5);

    const merged = (await detectFocused(detector, wf, { tiles: [left, right], scale: 1 }, { threshold: 0.3 })).detections.filter(near);
    expect(merged).toHaveLength(1);
    expect(boxIou(merged[0].box, whole[0].box)).toBeGreaterThanOrEqual(0.7);
  });
});
