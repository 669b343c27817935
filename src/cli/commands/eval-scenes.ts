import path from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../../config/load.ts";
import { createLogger } from "../../shared/logger.ts";
import { readSceneManifest } from "../../edge/scenes/scene-manifest.ts";
import { formatSceneResult, runSceneSet } from "../../edge/scenes/run-scene.ts";
import { releaseDetectors } from "../../detector/index.ts";

export function register(program: Command): void {
  program
    .command("eval-scenes")
    .description("replay every scene of a manifest through the edge pipeline and judge what it raised against what must happen")
    .argument("<manifest>", "scene manifest (YAML or JSON): scenes with a video or still, an edge config and the expected rule or nothing")
    .option("--json", "one JSON object per scene, then one with the totals")
    .option("--evidence <dir>", "write each candidate's annotated snapshot (zone, front line, boxes) into this folder")
    .option("--only <ids>", "comma-separated scene ids to run (default: all)")
    .action(async (manifestFile: string, opts: { json?: boolean; evidence?: string; only?: string }) => {
      const config = loadConfig({});
      const log = createLogger("eval-scenes", config.log.level === "info" ? "warn" : config.log.level);
      const manifest = readSceneManifest(manifestFile);
      const only = opts.only ? new Set(opts.only.split(",").map((s) => s.trim())) : undefined;
      if (only) {
        const unknown = [...only].filter((id) => !manifest.scenes.some((s) => s.id === id));
        if (unknown.length) throw new Error(`--only: no scene ${unknown.join(", ")} in ${manifestFile}`);
      }
      const scenes = manifest.scenes.filter((s) => !only || only.has(s.id));
      const totals = await runSceneSet(
        scenes,
        { modelsDir: config.edge.modelsDir, threads: config.edge.detectorThreads, log, evidenceDir: opts.evidence ? path.resolve(opts.evidence) : undefined },
        (r) => process.stdout.write(`${opts.json ? JSON.stringify(r) : formatSceneResult(r)}\n`),
      );
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(totals)}\n`
          : `violation scenes raised: ${totals.positivesHit}/${totals.positives}; clean negatives: ${totals.negativesClean}/${totals.negatives}; ${totals.msPerSample} CPU ms per sample\n`,
      );
      await releaseDetectors();
      if (totals.positivesHit < totals.positives || totals.negativesClean < totals.negatives) process.exitCode = 1;
    });
}
