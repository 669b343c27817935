import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { writeAnnotated } from "../../detector/annotate.ts";
import { detectImageFocused } from "../../detector/focused-detect.ts";
import type { Rect } from "../../detector/tiling.ts";
import type { Detector } from "../../detector/index.ts";
import { bundledModelsDir, getDetector, releaseDetectors } from "../../detector/index.ts";
import { commandContext } from "../context.ts";

/** The configured models dir when it holds the model, else the models shipped with CurbWatch. */
export function modelsDirFor(model: string, configured: string): string {
  const dir = path.resolve(configured);
  return existsSync(path.join(dir, `${model}.json`)) ? dir : bundledModelsDir();
}

/** The detector a CLI command asked for, with threads and provider from the configuration. */
export async function detectorForCommand(cmd: Command, name: string, model: string, threads?: number): Promise<Detector> {
  const { config } = commandContext(cmd, name);
  return getDetector(model, {
    modelsDir: modelsDirFor(model, config.edge.modelsDir),
    threads: threads ?? config.edge.detectorThreads,
    executionProvider: config.edge.executionProvider,
  });
}

function parseRegion(v: string): Rect {
  const parts = v.split(",").map((p) => Number(p.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n)) || parts[2] <= 0 || parts[3] <= 0) {
    throw new Error(`--focus: expected x,y,width,height in image pixels (e.g. 320,250,640,160), got "${v}"`);
  }
  const [x, y, width, height] = parts.map(Math.round);
  return { x, y, width, height };
}

export function register(program: Command): void {
  program
    .command("detect")
    .description("run the object detector on images and print what it finds")
    .argument("<images...>", "JPEG/PNG files")
    .option("-m, --model <model>", "nanodet, centernet, or a path to a model manifest (.json) or .onnx with its manifest beside it", "nanodet")
    .option("-t, --threshold <score>", "minimum score (default: the model's)", parseFloat)
    .option("--threads <n>", "ONNX Runtime intra-op threads (default: edge.detectorThreads)", (v) => parseInt(v, 10))
    .option("--json", "one JSON object per detection per line")
    .option("--annotate <dir>", "also write each image with its boxes drawn into this folder")
    .option("--focus <x,y,w,h>", "zone-focused: detect on this region (image pixels) at the model's scale, tiled as the edge does", parseRegion)
    .option("--max-tiles <n>", "with --focus: most tiles (inferences) per image", (v) => parseInt(v, 10), 2)
    .action(
      async (
        images: string[],
        opts: { model: string; threshold?: number; threads?: number; json?: boolean; annotate?: string; focus?: Rect; maxTiles: number },
        cmd: Command,
      ) => {
        const detector = await detectorForCommand(cmd, "detect", opts.model, opts.threads);
        if (opts.annotate) await mkdir(opts.annotate, { recursive: true });
        try {
          for (const image of images) {
            const detections = opts.focus
              ? (await detectImageFocused(detector, image, opts.focus, { threshold: opts.threshold, plan: { maxTiles: opts.maxTiles } })).detections
              : await detector.detectImage(image, { threshold: opts.threshold });
            for (const d of detections) {
              const line = opts.json
                ? JSON.stringify({ image, label: d.label, role: d.role, score: d.score, box: d.box })
                : `${image}\t${d.label}\t${d.role}\t${d.score.toFixed(3)}\t[${d.box.join(", ")}]`;
              process.stdout.write(`${line}\n`);
            }
            if (!opts.json && detections.length === 0) process.stdout.write(`${image}\t(nothing above threshold)\n`);
            if (opts.annotate) await writeAnnotated(image, detections, path.join(opts.annotate, path.basename(image)));
          }
        } finally {
          await releaseDetectors();
        }
      },
    );
}
