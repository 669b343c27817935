import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import type { Box } from "../../src/contracts/roles.ts";
import { OnnxGraphBuilder } from "../../src/detector/convert/onnx-graph.ts";
import { releaseDetectors } from "../../src/detector/index.ts";
import { boxIou } from "../../src/detector/tiling.ts";
import { ffmpegPath } from "../../src/shared/ffmpeg-path.ts";
import { repoRoot, vtestClip } from "../support/paths.ts";
import { spawnCurbwatch } from "../support/process.ts";
import { tempDir } from "./helpers.ts";

const run = promisify(execFile);

/** A department's own classes, in its export's order. */
const CLASSES = ["cart", "stall", "tricycle", "awning", "goods pile"];
const SIZE = 64;
const CELL = 8;

/**
 * A small but real YOLOv8-format detector (output [1, 4 + C, N], Ultralytics layout, letterbox
 * input): the 64×64 input is cut into 8×8 cells; a cell whose mean colour is strongly red is a
 * "goods pile", strongly blue an "awning"; the other classes never fire. Its answer depends on
 * the pixels, so boxes in the wrong place or classes mapped to the wrong role show.
 */
async function buildDepartmentModel(dir: string): Promise<string> {
  const g = new OnnxGraphBuilder();
  const cells = (SIZE / CELL) ** 2;
  g.inputs.push({ name: "images", elemType: "float32", shape: [1, 3, SIZE, SIZE] });
  const pooled = g.addNode("AveragePool", ["images"], { kernel_shape: { ints: [CELL, CELL] }, strides: { ints: [CELL, CELL] } }, "cells")[0];
  // Per class a colour contrast on 0..1 pixels, sharpened: score = sigmoid(20 · (contrast − 0.3)).
  const contrast: Record<string, [number, number, number]> = { awning: [-0.5, -0.5, 1], "goods pile": [1, -0.5, -0.5] };
  const weights = CLASSES.flatMap((c) => (contrast[c] ?? [0, 0, 0]).map((w) => w * 20));
  const bias = CLASSES.map((c) => (contrast[c] ? -6 : -10));
  const w = g.addInitializer("class_w", { dtype: "float32", shape: [CLASSES.length, 3, 1, 1], data: Float32Array.from(weights) });
  const b = g.addInitializer("class_b", { dtype: "float32", shape: [CLASSES.length], data: Float32Array.from(bias) });
  const logits = g.addNode("Conv", [pooled, w, b], {}, "class_logits")[0];
  const scores = g.addNode("Sigmoid", [logits], {}, "class_scores")[0];
  const flatShape = g.addInitializer("flat_shape", { dtype: "int64", shape: [3], data: BigInt64Array.from([1n, BigInt(CLASSES.length), BigInt(cells)]) });
  const flat = g.addNode("Reshape", [scores, flatShape], {}, "scores_flat")[0];
  // Box rows: each cell's own box (cx, cy, w, h in input pixels), channel-major like Ultralytics.
  const boxes = new Float32Array(4 * cells);
  for (let i = 0; i < cells; i++) {
    boxes[i] = (i % (SIZE / CELL)) * CELL + CELL / 2;
    boxes[cells + i] = Math.floor(i / (SIZE / CELL)) * CELL + CELL / 2;
    boxes[2 * cells + i] = CELL;
    boxes[3 * cells + i] = CELL;
  }
  const boxRows = g.addInitializer("cell_boxes", { dtype: "float32", shape: [1, 4, cells], data: boxes });
  g.addNode("Concat", [boxRows, flat], { axis: { i: 1 } }, "output0");
  g.outputs.push({ name: "output0", elemType: "float32", shape: [1, 4 + CLASSES.length, cells] });
  await writeFile(path.join(dir, "department.onnx"), g.encode({ opset: 13, producer: "curbwatch-test" }));
  const manifest = {
    name: "department-yolov8",
    file: "department.onnx",
    description: "A city department's YOLOv8 export with its own classes",
    input: { name: "images", width: SIZE, height: SIZE, layout: "NCHW", colorOrder: "rgb", mean: [0, 0, 0], std: [255, 255, 255], resize: "letterbox" },
    decoder: { family: "yolov8", output: "output0" },
    classes: CLASSES,
    roles: { cart: "vending_gear", stall: "vending_gear", tricycle: "vending_gear", awning: "vending_gear", "goods pile": "goods" },
    defaultThreshold: 0.5,
    nmsIou: 0.5,
  };
  const manifestPath = path.join(dir, "department.json");
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  return manifestPath;
}

afterAll(releaseDetectors);

interface Line {
  candidateId: string;
  phase: string;
  rule: string;
  zone: string;
  startSec: number;
  boxes: { label: string; role: string; box: Box }[];
}

function union(boxes: Box[]): Box {
  return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
}

describe("a department's own YOLOv8 model", () => {
  it("curbwatch detect: its classes come back with their roles, letterboxed boxes mapped to the image", { timeout: 60_000 }, async () => {
    const dir = await tempDir("byo");
    const manifest = await buildDepartmentModel(dir);
    // 320×240 grey with a red square on whole cells (letterbox scale 5: cells of 40 px).
    const image = path.join(dir, "kerb.png");
    await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 120, g: 120, b: 120 } } })
      .composite([{ input: { create: { width: 80, height: 80, channels: 3, background: { r: 230, g: 20, b: 20 } } }, left: 160, top: 80 }])
      .png()
      .toFile(image);
    const p = spawnCurbwatch(["detect", image, "--model", manifest, "--json"], { cwd: repoRoot, env: { LOG_LEVEL: "warn" } });
    expect(await p.exited, p.output()).toBe(0);
    const found = p
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { label: string; role: string; box: Box });
    expect(found.map((d) => [d.label, d.role])).toEqual(Array(4).fill(["goods pile", "goods"]));
    expect(found.map((d) => d.box).sort((a, b) => a[1] - b[1] || a[0] - b[0])).toEqual([
      [160, 80, 200, 120],
      [200, 80, 240, 120],
      [160, 120, 200, 160],
      [200, 120, 240, 160],
    ]);
  });

  it("curbwatch replay: goods put out in front of a shop raise shop overflow, with and without zone focus", { timeout: 240_000 }, async () => {
    const dir = await tempDir("byo-replay");
    const manifest = await buildDepartmentModel(dir);
    // Real footage (the plaza clip) with a red goods pile standing from second 1 to 7 at x 384..576, y 192..384.
    const clip = path.join(dir, "plaza-goods.avi");
    await run(ffmpegPath(), [
      "-loglevel",
      "error",
      "-y",
      "-i",
      vtestClip,
      "-t",
      "9",
      "-vf",
      "drawbox=x=384:y=192:w=192:h=192:color=red:t=fill:enable='between(t,1,7)'",
      "-c:v",
      "mpeg4",
      "-q:v",
      "2",
      clip,
    ]);
    const pile: Box = [384 / 768, 192 / 576, 576 / 768, 384 / 576];
    for (const zoneFocus of [true, false]) {
      const config = {
        cameras: [
          {
            id: "shopfront",
            url: clip,
            sampling: { mode: "fps", fps: 2 },
            model: manifest,
            zoneFocus: { enabled: zoneFocus },
            zones: [
              {
                id: "pavement",
                polygon: [
                  [0.4, 0.25],
                  [0.85, 0.25],
                  [0.85, 0.75],
                  [0.4, 0.75],
                ],
                rules: [
                  {
                    id: "overflow",
                    kind: "shop_overflow",
                    eventCode: { major: "05", minor: "02" },
                    shopId: "shop-1",
                    frontLine: [
                      [0, 0.2],
                      [1, 0.2],
                    ],
                    streetSidePoint: [0.5, 0.9],
                    objectRoles: ["goods"],
                    dwellSeconds: 3,
                    minScore: 0.5,
                    minMedianScore: 0.5,
                    minBoxPx: 4,
                    anchor: "center",
                    endAfterSeconds: 1.5,
                  },
                ],
              },
            ],
          },
        ],
      };
      const configPath = path.join(dir, `edge-${zoneFocus ? "focus" : "whole"}.json`);
      await writeFile(configPath, JSON.stringify(config));
      const p = spawnCurbwatch(["replay", clip, "--config", configPath, "--json"], { cwd: repoRoot, env: { LOG_LEVEL: "warn", DETECTOR_THREADS: "1" } });
      expect(await p.exited, p.output().slice(-2000)).toBe(0);
      const lines = p
        .output()
        .split("\n")
        .filter((l) => l.startsWith("{") && l.includes('"candidateId"'))
        .map((l) => JSON.parse(l) as Line);
      const starts = lines.filter((l) => l.phase === "start");
      expect(starts, `zoneFocus=${zoneFocus}: ${p.output().slice(-2000)}`).toHaveLength(1);
      const start = starts[0];
      console.log(
        `zoneFocus=${zoneFocus}: start ${start.startSec}s, ${start.boxes.length} goods boxes, IoU with the pile ${boxIou(union(start.boxes.map((b) => b.box)), pile).toFixed(2)}`,
      );
      expect(start.rule).toBe("shop_overflow");
      // The pile appears at 1 s and must stay 3 s.
      expect(start.startSec).toBeGreaterThanOrEqual(0.5);
      expect(start.startSec).toBeLessThanOrEqual(2);
      expect(lines.at(-1)?.phase).toBe("end");
      expect(new Set(start.boxes.map((b) => `${b.label}/${b.role}`))).toEqual(new Set(["goods pile/goods"]));
      expect(boxIou(union(start.boxes.map((b) => b.box)), pile), `zoneFocus=${zoneFocus}`).toBeGreaterThanOrEqual(0.6);
    }
  });
});
