import type { Command } from "commander";
import type { GroupScore } from "../../detector/eval/score.ts";
import { evaluateDetector } from "../../detector/eval/evaluate.ts";
import { releaseDetectors } from "../../detector/index.ts";
import { detectorForCommand } from "./detect.ts";

const pct = (v: number) => `${(v * 100).toFixed(1)}%`.padStart(7);

function table(title: string, rows: GroupScore[]): string {
  const lines = [
    `${title.padEnd(16)} ${"truth".padStart(6)} ${"TP".padStart(5)} ${"FP".padStart(5)} ${"prec".padStart(7)} ${"recall".padStart(7)} ${"AP@0.5".padStart(7)}`,
  ];
  for (const r of rows) {
    lines.push(
      `${r.name.padEnd(16)} ${String(r.truths).padStart(6)} ${String(r.truePositives).padStart(5)} ${String(r.falsePositives).padStart(5)} ${pct(r.precision)} ${pct(r.recall)} ${pct(r.ap50)}`,
    );
  }
  return lines.join("\n");
}

export function register(program: Command): void {
  program
    .command("eval-detector")
    .description("score the detector on a YOLO-format folder (DIR/images, DIR/labels): precision, recall, AP@0.5 per class and per role")
    .argument("<dir>", "folder with images/ and labels/ (and optionally classes*.txt, instances.json for COCO crowd regions)")
    .option("-m, --model <model>", "nanodet, centernet, or a manifest/.onnx path", "nanodet")
    .option("-t, --threshold <score>", "operating threshold for precision/recall (default: the model's)", parseFloat)
    .option("--json", "one JSON object per line: per class, per role, then a summary")
    .action(async (dir: string, opts: { model: string; threshold?: number; json?: boolean }, cmd: Command) => {
      const detector = await detectorForCommand(cmd, "eval-detector", opts.model);
      try {
        const ev = await evaluateDetector(detector, dir, opts.threshold);
        if (opts.json) {
          for (const c of ev.byClass) console.log(JSON.stringify({ kind: "class", model: ev.model, ...c }));
          for (const r of ev.byRole) console.log(JSON.stringify({ kind: "role", model: ev.model, ...r }));
          console.log(JSON.stringify({ kind: "summary", model: ev.model, images: ev.images, threshold: ev.threshold, map50: ev.map50 }));
        } else {
          console.log(`model ${ev.model}, ${ev.images} images, threshold ${ev.threshold}; mAP@0.5 over classes with truth ${pct(ev.map50).trim()}\n`);
          console.log(
            table(
              "class",
              ev.byClass.filter((c) => c.truths > 0 || c.falsePositives > 0),
            ),
          );
          console.log();
          console.log(table("role", ev.byRole));
        }
      } finally {
        await releaseDetectors();
      }
    });
}
