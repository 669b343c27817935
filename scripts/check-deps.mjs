// Layering and cycle check (rules in .dependency-cruiser.cjs). Calls dependency-cruiser's API
// rather than its CLI: the CLI refuses Node 20, which this project still supports, while the
// API runs on it.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cruise } from "dependency-cruiser";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const config = createRequire(import.meta.url)(path.join(root, ".dependency-cruiser.cjs"));

const result = await cruise(["src", "bin"], { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true, outputType: "err" }, undefined, {
  tsConfig: extractTSConfig(path.join(root, "tsconfig.json")),
});
const out = String(result.output);
if (out.trim()) console.log(out.trim());
if (result.exitCode !== 0) process.exit(1);
console.log("[check:deps] no violations");
