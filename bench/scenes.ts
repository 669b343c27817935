// `npm run bench:scenes [-- --json] [--only a,b] [--evidence DIR]`: renders the composited scenes
// (scripts/scenes/recipes.ts) into .cache/scenes, then replays every scene of
// bench/scenes/manifest.yaml through the edge pipeline (real ffmpeg, ONNX Runtime, static-object
// detector, tracker, rules) and judges what it raised. One line per scene, then the totals.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../src/config/load.ts";
import { releaseDetectors } from "../src/detector/index.ts";
import { readSceneManifest } from "../src/edge/scenes/scene-manifest.ts";
import { formatSceneResult, runSceneSet } from "../src/edge/scenes/run-scene.ts";
import { createLogger } from "../src/shared/logger.ts";
import { generateScenes } from "../scripts/scenes/generate-scenes.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const json = args.includes("--json");
const argValue = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = argValue("--only") ? new Set(argValue("--only")!.split(",")) : undefined;
const evidenceDir = argValue("--evidence");

await generateScenes(undefined, only, (id, cached, ms) => {
  if (!json) console.log(`scene ${id}: ${cached ? "already rendered" : `rendered in ${(ms / 1000).toFixed(1)} s`}`);
});
const manifest = readSceneManifest(path.join(repoRoot, "bench/scenes/manifest.yaml"));
const scenes = manifest.scenes.filter((s) => !only || only.has(s.id));
const config = loadConfig({});
const log = createLogger("bench-scenes", "warn");
const totals = await runSceneSet(
  scenes,
  { modelsDir: config.edge.modelsDir, threads: config.edge.detectorThreads, log, evidenceDir: evidenceDir && path.resolve(evidenceDir) },
  (r) => console.log(json ? JSON.stringify(r) : formatSceneResult(r)),
);
console.log(
  json
    ? JSON.stringify(totals)
    : `violation scenes raised: ${totals.positivesHit}/${totals.positives}; clean negatives: ${totals.negativesClean}/${totals.negatives}; ${totals.msPerSample} CPU ms per sample (detector, static objects, tracker, rules; ffmpeg decoding not counted)`,
);
await releaseDetectors();
