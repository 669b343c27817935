import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OnnxGraphBuilder } from "../../src/detector/convert/onnx-graph.ts";
import { getDetector, releaseDetectors } from "../../src/detector/index.ts";
import { modelsDir, tempDir } from "./helpers.ts";

const SIZE = 64;
const CLASSES = ["person", "umbrella", "car"];

/**
 * A real ONNX model whose output is a known prediction tensor: output = K + 0·mean(images).
 * The input still flows through ONNX Runtime, so shapes, names and the detector's
 * feeding are exercised exactly as with an Ultralytics export.
 */
async function buildModel(dir: string, family: "yolov5" | "yolov8", predictions: number[][], shape: number[]): Promise<string> {
  const g = new OnnxGraphBuilder();
  g.inputs.push({ name: "images", elemType: "float32", shape: [1, 3, SIZE, SIZE] });
  const mean = g.addNode("ReduceMean", ["images"], { keepdims: { i: 0 } }, "mean")[0];
  const zero = g.addInitializer("zero", { dtype: "float32", shape: [], data: new Float32Array([0]) });
  const k = g.addInitializer("predictions", { dtype: "float32", shape, data: Float32Array.from(predictions.flat()) });
  const gated = g.addNode("Mul", [mean, zero], {}, "gate")[0];
  g.addNode("Add", [k, gated], {}, "output");
  g.nodes[g.nodes.length - 1].outputs = ["output0"];
  g.outputs.push({ name: "output0", elemType: "float32", shape });
  await writeFile(path.join(dir, `${family}.onnx`), g.encode({ opset: 13, producer: "curbwatch-test" }));
  const manifest = {
    name: `tiny-${family}`,
    file: `${family}.onnx`,
    input: { name: "images", width: SIZE, height: SIZE, layout: "NCHW", colorOrder: "rgb", mean: [0, 0, 0], std: [255, 255, 255] },
    decoder: { family, output: "output0" },
    classes: CLASSES,
    roles: { person: "person", umbrella: "vending_gear", car: "vehicle" },
    defaultThreshold: 0.5,
    nmsIou: 0.5,
  };
  const manifestPath = path.join(dir, `${family}.json`);
  await writeFile(manifestPath, JSON.stringify(manifest));
  return manifestPath;
}

const frame = { data: Buffer.alloc(SIZE * SIZE * 3, 128), width: SIZE, height: SIZE, format: "rgb24" as const };
// Boxes come back in the original frame's pixels: 10× the model input here.
const original = { width: SIZE * 10, height: SIZE * 10 };

afterAll(releaseDetectors);

describe("YOLO decoders on real ONNX graphs", () => {
  it("YOLOv8 [1, 4+C, N]: picks the best class, drops low scores, suppresses same-class overlaps only, scales boxes", async () => {
    // Rows: cx, cy, w, h, person, umbrella, car; the graph wants them channel-major.
    const candidates = [
      [16, 16, 8, 16, 0.9, 0.1, 0.0],
      [17, 16, 8, 16, 0.8, 0.1, 0.0], // same person, lower score: NMS removes it
      [17, 16, 8, 16, 0.1, 0.7, 0.0], // umbrella over the person: another class, kept
      [48, 48, 10, 10, 0.0, 0.0, 0.2], // car below the threshold
    ];
    const channelMajor = candidates[0].map((_, c) => candidates.map((row) => row[c]));
    const dir = await tempDir("yolov8");
    const detector = await getDetector(await buildModel(dir, "yolov8", channelMajor, [1, 7, candidates.length]), { modelsDir });
    const detections = await detector.detectFrame(frame, original);
    expect(detections).toEqual([
      { label: "person", role: "person", score: 0.9, box: [120, 80, 200, 240] },
      { label: "umbrella", role: "vending_gear", score: 0.7, box: [130, 80, 210, 240] },
    ]);
    const lower = await detector.detectFrame(frame, original, { threshold: 0.15 });
    expect(lower.map((d) => d.label)).toEqual(["person", "umbrella", "car"]);
    expect(lower[2].box).toEqual([430, 430, 530, 530]);
  });

  it("YOLOv5 [1, N, 5+C]: score is objectness × class score", async () => {
    const rows = [
      [16, 16, 8, 16, 0.9, 0.9, 0.0, 0.0], // person 0.81
      [48, 48, 10, 10, 0.3, 0.0, 0.0, 0.9], // car 0.27: below threshold despite a confident class
      [40, 20, 10, 10, 0.95, 0.1, 0.8, 0.0], // umbrella 0.76
      [41, 20, 10, 10, 0.9, 0.1, 0.8, 0.0], // umbrella 0.72, overlapping: suppressed
    ];
    const dir = await tempDir("yolov5");
    const detector = await getDetector(await buildModel(dir, "yolov5", rows, [1, rows.length, 8]), { modelsDir });
    const detections = await detector.detectFrame(frame, original);
    expect(detections).toEqual([
      { label: "person", role: "person", score: 0.81, box: [120, 80, 200, 240] },
      { label: "umbrella", role: "vending_gear", score: 0.76, box: [350, 150, 450, 250] },
    ]);
  });
});
