import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { writeAnnotated } from "../../detector/annotate.ts";
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
    .action(async (images: string[], opts: { model: string; threshold?: number; threads?: number; json?: boolean; annotate?: string }, cmd: Command) => {
      const detector = await detectorForCommand(cmd, "detect", opts.model, opts.threads);
      if (opts.annotate) await mkdir(opts.annotate, { recursive: true });
      try {
        for (const image of images) {
          const detections = await detector.detectImage(image, { threshold: opts.threshold });
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
    });
}
