// `tsx scripts/scenes/generate-scenes.ts [DIR] [--only a,b]`: renders the composited scenes of
// the scene benchmark (scripts/scenes/recipes.ts) into DIR (default .cache/scenes), skipping
// those already rendered from the same recipe.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { composeScene } from "./compose-scene.ts";
import { sceneRecipes } from "./recipes.ts";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const defaultSceneCache = path.join(repoRoot, ".cache/scenes");

export async function generateScenes(
  dir = defaultSceneCache,
  only?: ReadonlySet<string>,
  onScene?: (id: string, cached: boolean, ms: number) => void,
): Promise<void> {
  for (const [id, recipe] of Object.entries(sceneRecipes)) {
    if (only && !only.has(id)) continue;
    const t0 = Date.now();
    const { cached } = await composeScene(recipe, path.join(dir, `${id}.mp4`));
    onScene?.(id, cached, Date.now() - t0);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const onlyAt = args.indexOf("--only");
  const only = onlyAt >= 0 ? new Set(args[onlyAt + 1].split(",")) : undefined;
  const dir = args.find((a, i) => !a.startsWith("--") && i !== onlyAt + 1);
  await generateScenes(dir ? path.resolve(dir) : undefined, only, (id, cached, ms) => console.log(`${id}: ${cached ? "cached" : `rendered in ${ms} ms`}`));
}
