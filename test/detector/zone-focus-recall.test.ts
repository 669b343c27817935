import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { cameraConfigSchema } from "../../src/contracts/edge-config.ts";
import type { Box, Detection } from "../../src/contracts/roles.ts";
import { detectFocused, detectImageFocused } from "../../src/detector/focused-detect.ts";
import { frameFormatFor, getDetector, releaseDetectors, type Detector } from "../../src/detector/index.ts";
import { boxIou } from "../../src/detector/tiling.ts";
import { ZoneFocus } from "../../src/edge/detect/zone-focus.ts";
import { fitFilters, type FrameFormat } from "../../src/edge/ingest/ffmpeg-args.ts";
import { ffmpegPath } from "../../src/shared/ffmpeg-path.ts";
import { repoRoot } from "../support/paths.ts";
import { spawnCurbwatch } from "../support/process.ts";
import { compositeCocoObjects } from "./coco-cutouts.ts";
import { modelsDir, testdata } from "./helpers.ts";

const run = promisify(execFile);

interface Labelled {
  file: string;
  region: [number, number, number, number];
  objects: { label: string; box: Box }[];
}

/** The still decoded and fitted by ffmpeg with the edge's own filters: exactly what a camera stream hands over. */
async function edgeFrame(file: string, format: FrameFormat): Promise<Buffer> {
  const { stdout } = await run(
    ffmpegPath(),
    ["-loglevel", "error", "-i", file, "-vf", fitFilters(format).join(","), "-frames:v", "1", "-pix_fmt", format.pixFmt, "-f", "rawvideo", "-"],
    {
      encoding: "buffer",
      maxBuffer: 64 << 20,
    },
  );
  return stdout;
}

/** Greedy one-to-one matching by role (a parked bicycle read as a motorcycle is still the vehicle that stands there). */
function matched(truth: Labelled["objects"], found: Detection[], roleOf: (label: string) => string, minIou: number): number {
  const free = [...found];
  let hits = 0;
  for (const t of truth) {
    let best = -1;
    let bestIou = minIou;
    free.forEach((d, i) => {
      const v = boxIou(t.box, d.box);
      if (d.role === roleOf(t.label) && v >= bestIou) {
        best = i;
        bestIou = v;
      }
    });
    if (best >= 0) {
      hits++;
      free.splice(best, 1);
    }
  }
  return hits;
}

afterAll(releaseDetectors);

describe("zone-focused inference on real stills (NanoDet)", () => {
  it("finds hand-labelled kerb objects the whole-frame pass misses", { timeout: 60_000 }, async () => {
    const labels = JSON.parse(await readFile(testdata("streetcam/zone-labels.json"), "utf8")) as { images: Labelled[] };
    const detector: Detector = await getDetector("nanodet", { modelsDir, threads: 1 });
    const roleOf = (label: string) => detector.manifest.roles[label] ?? "other";
    let truth = 0;
    let wholeHits = 0;
    let focusedHits = 0;
    let inferences = 0;
    const perImage: string[] = [];
    for (const img of labels.images) {
      const original = { width: 1280, height: 720 };
      const [x, y, w, h] = img.region;
      const polygon = [
        [x / original.width, y / original.height],
        [(x + w) / original.width, y / original.height],
        [(x + w) / original.width, (y + h) / original.height],
        [x / original.width, (y + h) / original.height],
      ];
      const camera = cameraConfigSchema.parse({
        id: "muenster",
        url: testdata("streetcam", img.file),
        // No margin: the region is the labelled one.
        zoneFocus: { margin: 0 },
        zones: [{ id: "kerb", polygon, rules: [{ id: "r", kind: "street_vending", eventCode: { major: "05", minor: "01" } }] }],
      });
      const focus = ZoneFocus.forCamera(camera, detector);
      if (!focus) throw new Error("zone focus is on by default for a camera with zones");
      const inRegion = (d: Detection) => {
        const cx = (d.box[0] + d.box[2]) / 2;
        const cy = (d.box[1] + d.box[3]) / 2;
        return cx >= x && cx <= x + w && cy >= y && cy <= y + h;
      };

      // Today's edge path: ffmpeg stretches the whole frame to the model input.
      const modelFormat = frameFormatFor(detector.manifest);
      const small = await edgeFrame(testdata("streetcam", img.file), modelFormat);
      const whole = (
        await detector.detectFrame({ data: small, width: modelFormat.width, height: modelFormat.height, format: modelFormat.pixFmt }, original)
      ).filter(inRegion);

      // Zone focus: the working canvas, tiles over the zone's region at the default budget.
      const canvasFormat = focus.frameFormat();
      const canvas = await edgeFrame(testdata("streetcam", img.file), canvasFormat);
      const plans = focus.plansFor(original, canvasFormat);
      const frame = { data: canvas, width: canvasFormat.width, height: canvasFormat.height, format: canvasFormat.pixFmt };
      const focused = await detectFocused(detector, { frame, content: plans.content, original }, plans.zone);
      const inZone = focused.detections.filter(inRegion);

      const wh = matched(img.objects, whole, roleOf, 0.4);
      const fh = matched(img.objects, inZone, roleOf, 0.4);
      truth += img.objects.length;
      wholeHits += wh;
      focusedHits += fh;
      inferences += focused.inferences;
      perImage.push(`${img.file}: ${img.objects.length} labelled, whole ${wh}, zone-focused ${fh} (${focused.inferences} inferences)`);
      expect(focused.inferences).toBeLessThanOrEqual(2);
    }
    const wholeRecall = wholeHits / truth;
    const focusedRecall = focusedHits / truth;
    console.log(
      `${perImage.join("\n")}\nrecall: whole-frame ${wholeRecall.toFixed(2)}, zone-focused ${focusedRecall.toFixed(2)} on ${truth} objects, ${(inferences / labels.images.length).toFixed(1)} inferences per still`,
    );
    expect(focusedRecall).toBeGreaterThanOrEqual(0.6);
    expect(wholeRecall).toBeLessThanOrEqual(0.25);
    expect(focusedHits - wholeHits).toBeGreaterThanOrEqual(8);
  });

  it("curbwatch detect --focus finds the kerb objects on a still; a bad region is refused with a reason", { timeout: 60_000 }, async () => {
    const still = testdata("streetcam/muenster-shot0001.jpg");
    const detect = async (...extra: string[]) => {
      const p = spawnCurbwatch(["detect", still, "--json", ...extra], { cwd: repoRoot, env: { LOG_LEVEL: "warn" } });
      const code = await p.exited;
      const found = p
        .output()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Detection);
      return { code, found, output: p.output() };
    };
    const inStrip = (d: Detection) => d.box[0] >= 320 && d.box[2] <= 960 && d.box[1] >= 250 && d.box[3] <= 410;
    const whole = await detect();
    const focused = await detect("--focus", "320,250,640,160");
    expect(whole.code).toBe(0);
    expect(focused.code).toBe(0);
    const bikes = (r: { found: Detection[] }) => r.found.filter((d) => d.label === "bicycle" && inStrip(d)).length;
    expect(bikes(focused)).toBeGreaterThanOrEqual(5);
    expect(bikes(whole)).toBe(0);
    const bad = await detect("--focus", "320,250,640");
    expect(bad.code).not.toBe(0);
    expect(bad.output).toMatch(/--focus: expected x,y,width,height/);
  });

  it(
    "finds café furniture put out on the square (real COCO objects cut along their masks, pasted at CCTV scale) that the whole frame misses",
    { timeout: 60_000 },
    async () => {
      const detector = await getDetector("nanodet", { modelsDir, threads: 1 });
      const roleOf = (label: string) => detector.manifest.roles[label] ?? "other";
      // Empty cobbles of the Münster street; parasols, tables, a chair, a potted plant and a bench 30–120 px wide.
      const { image, truth } = await compositeCocoObjects(testdata("streetcam/muenster-shot0005.jpg"), [
        { annotation: 281295, x: 640, y: 540, width: 120 },
        { annotation: 390196, x: 790, y: 560, width: 60 },
        { annotation: 386565, x: 870, y: 590, width: 36 },
        { annotation: 282688, x: 660, y: 640, width: 110 },
        { annotation: 1612964, x: 800, y: 660, width: 100 },
        { annotation: 1605647, x: 930, y: 560, width: 45 },
        { annotation: 579276, x: 560, y: 620, width: 70 },
      ]);
      expect(truth.map((t) => t.label).sort()).toEqual(["bench", "chair", "dining table", "dining table", "potted plant", "umbrella", "umbrella"]);
      const whole = await detector.detectImage(image);
      const focused = await detectImageFocused(detector, image, { x: 540, y: 520, width: 480, height: 200 });
      const wholeHits = matched(truth, whole, roleOf, 0.4);
      const focusedHits = matched(truth, focused.detections, roleOf, 0.4);
      console.log(`café furniture composite: ${truth.length} objects, whole-frame ${wholeHits}, zone-focused ${focusedHits} (${focused.inferences} inference)`);
      expect(focused.inferences).toBeLessThanOrEqual(2);
      expect(wholeHits).toBeLessThanOrEqual(1);
      expect(focusedHits).toBeGreaterThanOrEqual(3);
      expect(focusedHits - wholeHits).toBeGreaterThanOrEqual(3);
    },
  );
});
